/* Unit tests for history: migration of an older library database, batched
 * writes, periodic rows, retention, queries (range, last N, pending rows),
 * the summary on a fixed fake history, damaged tables and values, --clear
 * (nothing left in the file), time parsing and the record formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "history.h"
#include "lib_db.h"

enum { ANGRY, DISGUST, FEAR, HAPPY, NEUTRAL, SAD, SURPRISE };
#define T0 1764770400.0   /* 2025-12-03T14:00:00Z */

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

static long count(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	long n = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static struct history_sample sample(double t, int mood, const char *track)
{
	return (struct history_sample){ .t = t, .state = HISTORY_CAMERA, .mood = mood,
					.valence = 0.5f, .arousal = -0.25f, .confidence = 0.8f,
					.faces = 1, .strategy = 0, .track = track };
}

static char tmpdir[] = "/tmp/test_historyXXXXXX";

/* An index written by a build without the history tables gains them; the
 * tracks and the schema version stay. */
static void migration(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s/old.db", tmpdir);
	struct lib_db *d;
	assert_int_equal(lib_db_open(path, &d, NULL, 0), 0);
	sqlite3 *db = lib_db_sqlite(d);
	assert_int_equal(sqlite3_exec(db, "INSERT INTO failures(path, mtime, size, feature_version, error)"
				      " VALUES ('/m/x', 1, 2, 1, 'bad')", NULL, NULL, NULL), SQLITE_OK);
	lib_db_close(d);
	assert_int_equal(lib_db_open(path, &d, NULL, 0), 0);
	db = lib_db_sqlite(d);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'mood_history'"), 0);
	struct history_rec *r;
	assert_int_equal(history_rec_new(db, 90, T0, &r), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'mood_history'"), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM failures"), 1);
	assert_int_equal(count(db, "PRAGMA user_version"), LIB_DB_SCHEMA);
	struct history_sample s = sample(T0, HAPPY, "/m/a.flac");
	assert_int_equal(history_rec_observe(r, &s), 1);
	history_rec_free(r);
	lib_db_close(d);
	/* reopened: the row is there (and the end mark), init is idempotent */
	assert_int_equal(lib_db_open(path, &d, NULL, 0), 0);
	db = lib_db_sqlite(d);
	assert_int_equal(history_init(db), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 2);
	assert_int_equal(count(db, "SELECT state FROM mood_history ORDER BY t DESC LIMIT 1"), HISTORY_NOFACE);
	lib_db_close(d);
}

static void batching(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	struct history_rec *r;
	assert_int_equal(history_rec_new(db, 90, T0, &r), 0);
	/* a mood change every 2 s: one row each, written HISTORY_BATCH at a time */
	for (int i = 0; i < HISTORY_BATCH - 1; i++) {
		struct history_sample s = sample(T0 + 2 * i, i % 2 ? HAPPY : SAD, "/m/a.flac");
		assert_int_equal(history_rec_observe(r, &s), 1);
	}
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 0);
	struct history_row *rows;
	size_t n;
	/* the pending rows are seen by the recorder's query */
	assert_int_equal(history_rec_query(r, -INFINITY, INFINITY, 0, &rows, &n), 0);
	assert_int_equal(n, HISTORY_BATCH - 1);
	history_rows_free(rows, n);
	struct history_sample s = sample(T0 + 2 * HISTORY_BATCH, ANGRY, "/m/b.flac");
	assert_int_equal(history_rec_observe(r, &s), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), HISTORY_BATCH);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM history_tracks"), 2);
	assert_int_equal(history_rec_written(r), HISTORY_BATCH);
	/* by age: one row waits at most HISTORY_FLUSH_S */
	s = sample(T0 + 1000, FEAR, NULL);
	assert_int_equal(history_rec_observe(r, &s), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), HISTORY_BATCH);
	s.t = T0 + 1000 + HISTORY_FLUSH_S - 1;
	s.state = HISTORY_NOFACE;
	assert_int_equal(history_rec_observe(r, &s), 1);  /* state change: a row */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), HISTORY_BATCH);
	s.t = T0 + 1000 + HISTORY_FLUSH_S;
	assert_int_equal(history_rec_observe(r, &s), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), HISTORY_BATCH + 2);
	/* at free, the rest and the end mark */
	s = sample(T0 + 2000, HAPPY, NULL);
	assert_int_equal(history_rec_observe(r, &s), 1);
	history_rec_free(r);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), HISTORY_BATCH + 4);
	sqlite3_close(db);
}

/* Samples at 4 Hz: a row per change and one a minute while a face is seen;
 * none while nobody is there. */
static void periodic(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	struct history_rec *r;
	int made = 0;
	assert_int_equal(history_rec_new(db, 90, T0, &r), 0);
	for (int i = 0; i < 4 * 600; i++) {          /* 10 min happy */
		struct history_sample s = sample(T0 + i * 0.25, HAPPY, "/m/a.flac");
		made += history_rec_observe(r, &s);
	}
	assert_int_equal(made, 10);
	for (int i = 0; i < 4 * 600; i++) {          /* 10 min nobody */
		struct history_sample s = sample(T0 + 600 + i * 0.25, -1, "/m/a.flac");
		s.state = HISTORY_NOFACE;
		s.faces = 0;
		made += history_rec_observe(r, &s);
	}
	assert_int_equal(made, 11);
	struct history_sample s = sample(T0 + 1200, SAD, "/m/a.flac");   /* back, sad */
	made += history_rec_observe(r, &s);
	s = sample(T0 + 1201, SAD, "/m/b.flac");                          /* next track */
	made += history_rec_observe(r, &s);
	s.strategy = 2;                                                    /* calm */
	made += history_rec_observe(r, &s);
	s.state = HISTORY_MANUAL;                                          /* by hand */
	made += history_rec_observe(r, &s);
	assert_int_equal(made, 15);
	history_rec_free(r);
	struct history_row *rows;
	size_t n;
	assert_int_equal(history_query(db, -INFINITY, INFINITY, 0, &rows, &n), 0);
	assert_int_equal(n, 16);
	assert_int_equal(rows[15].state, HISTORY_NOFACE);   /* the end mark */
	for (size_t i = 1; i < n; i++)
		assert_true(rows[i].t > rows[i - 1].t);
	assert_int_equal(rows[10].state, HISTORY_NOFACE);
	assert_int_equal(rows[10].mood, -1);
	assert_int_equal(rows[14].state, HISTORY_MANUAL);
	assert_int_equal(rows[14].strategy, 2);
	assert_string_equal(rows[14].track, "/m/b.flac");
	assert_float_equal(rows[0].valence, 0.5, 1e-3);
	assert_float_equal(rows[0].arousal, -0.25, 1e-3);
	assert_float_equal(rows[0].confidence, 0.8, 1e-3);
	history_rows_free(rows, n);
	sqlite3_close(db);
}

static void retention(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	struct history_rec *r;
	double now = T0 + 200 * 86400.0;
	assert_int_equal(history_rec_new(db, 0, T0, &r), 0);
	double ages[] = { 120, 100, 91, 89, 1 };   /* days */
	for (int i = 0; i < 5; i++) {
		char track[32];
		snprintf(track, sizeof track, "/m/%d.flac", i);
		struct history_sample s = sample(now - ages[i] * 86400, HAPPY, track);
		assert_int_equal(history_rec_observe(r, &s), 1);
	}
	history_rec_free(r);   /* + the end mark a day ago */
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 6);
	/* history_days = 0 keeps everything */
	assert_int_equal(history_rec_new(db, 0, now, &r), 0);
	history_rec_free(r);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 6);
	/* 90 days at start */
	assert_int_equal(history_rec_new(db, 90, now, &r), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 3);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM history_tracks"), 2);
	/* and once a day while running: two days on, the row then 91 days old goes */
	struct history_sample s = sample(now + 2 * 86400, SAD, NULL);
	assert_int_equal(history_rec_observe(r, &s), 1);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 2);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM history_tracks"), 1);
	history_rec_free(r);
	sqlite3_close(db);
}

/* The fixed fake history of the query and summary tests (seconds from T0):
 *   0 happy a, 60 happy a, 100 sad b, 130 none, 400 happy c, 460 uncertain c,
 *   470 manual:angry (no track), 1000 happy a, 1090 none */
static sqlite3 *fake_history(void)
{
	sqlite3 *db = open_db();
	struct history_rec *r;
	assert_int_equal(history_rec_new(db, 0, T0, &r), 0);
	struct { double t; int state, mood; const char *track; } v[] = {
		{ 0, HISTORY_CAMERA, HAPPY, "/m/a.flac" }, { 60, HISTORY_CAMERA, HAPPY, "/m/a.flac" },
		{ 100, HISTORY_CAMERA, SAD, "/m/b.flac" }, { 130, HISTORY_NOFACE, -1, "/m/b.flac" },
		{ 400, HISTORY_CAMERA, HAPPY, "/m/c.flac" }, { 460, HISTORY_CAMERA, -1, "/m/c.flac" },
		{ 470, HISTORY_MANUAL, ANGRY, NULL }, { 1000, HISTORY_CAMERA, HAPPY, "/m/a.flac" },
		{ 1090, HISTORY_NOFACE, -1, NULL },
	};
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct history_sample s = sample(T0 + v[i].t, v[i].mood, v[i].track);
		s.state = (enum history_state)v[i].state;
		assert_true(history_rec_observe(r, &s) >= 0);
	}
	history_rec_free(r);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 9);
	return db;
}

static void queries(void **state)
{
	(void)state;
	sqlite3 *db = fake_history();
	struct history_row *rows;
	size_t n;
	assert_int_equal(history_query(db, T0 + 100, T0 + 460, 0, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_float_equal(rows[0].t, T0 + 100, 1e-6);
	assert_int_equal(rows[0].mood, SAD);
	assert_int_equal(rows[1].state, HISTORY_NOFACE);
	assert_string_equal(rows[2].track, "/m/c.flac");
	history_rows_free(rows, n);
	assert_int_equal(history_query(db, -INFINITY, INFINITY, 3, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_float_equal(rows[0].t, T0 + 470, 1e-6);    /* the last three, oldest first */
	assert_float_equal(rows[1].t, T0 + 1000, 1e-6);
	assert_null(rows[0].track);
	assert_int_equal(rows[2].state, HISTORY_NOFACE);
	history_rows_free(rows, n);
	/* last N over written and pending rows */
	struct history_rec *r;
	assert_int_equal(history_rec_new(db, 0, T0 + 2000, &r), 0);
	struct history_sample s = sample(T0 + 2000, FEAR, NULL);
	assert_int_equal(history_rec_observe(r, &s), 1);
	s = sample(T0 + 2001, SURPRISE, NULL);
	assert_int_equal(history_rec_observe(r, &s), 1);
	assert_int_equal(history_rec_query(r, -INFINITY, INFINITY, 3, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_float_equal(rows[0].t, T0 + 1090, 1e-6);
	assert_int_equal(rows[1].mood, FEAR);
	assert_int_equal(rows[2].mood, SURPRISE);
	history_rows_free(rows, n);
	assert_int_equal(history_rec_query(r, -INFINITY, INFINITY, 1, &rows, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].mood, SURPRISE);
	history_rows_free(rows, n);
	history_rec_free(r);
	/* no table: no rows, nothing created */
	sqlite3 *empty = open_db();
	assert_int_equal(history_query(empty, -INFINITY, INFINITY, 0, &rows, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(count(empty, "SELECT COUNT(*) FROM sqlite_master"), 0);
	sqlite3_close(empty);
	sqlite3_close(db);
}

static void summary(void **state)
{
	(void)state;
	sqlite3 *db = fake_history();
	struct history_row *rows;
	size_t n;
	struct history_summary sm;
	assert_int_equal(history_query(db, -INFINITY, INFINITY, 0, &rows, &n), 0);
	assert_int_equal(history_summarize(rows, n, T0, T0 + 2000, &sm), 0);
	/* happy: 60 + 40 + 60 + 90; sad 30; uncertain 10; angry (by hand) 90 (capped) */
	assert_float_equal(sm.seconds[HAPPY], 250, 1e-6);
	assert_float_equal(sm.seconds[SAD], 30, 1e-6);
	assert_float_equal(sm.seconds[VOCAB_NCLASSES], 10, 1e-6);
	assert_float_equal(sm.seconds[ANGRY], 90, 1e-6);
	assert_float_equal(sm.total, 380, 1e-6);
	assert_int_equal(sm.ntop[HAPPY], 2);
	assert_string_equal(sm.top[HAPPY][0].track, "/m/a.flac");
	assert_float_equal(sm.top[HAPPY][0].seconds, 190, 1e-6);
	assert_string_equal(sm.top[HAPPY][1].track, "/m/c.flac");
	assert_int_equal(sm.ntop[ANGRY], 0);
	assert_int_equal(sm.ntop[SAD], 1);
	/* a range cuts the rows at its ends */
	assert_int_equal(history_summarize(rows, n, T0 + 30, T0 + 110, &sm), 0);
	assert_float_equal(sm.seconds[HAPPY], 70, 1e-6);
	assert_float_equal(sm.seconds[SAD], 10, 1e-6);
	assert_int_equal(history_summarize(NULL, 0, T0, T0 + 1, &sm), 0);
	assert_float_equal(sm.total, 0, 0);
	history_rows_free(rows, n);
	sqlite3_close(db);
}

/* A table of that name with other columns is refused (playback goes on
 * without history); --clear replaces it. Values out of range are clamped,
 * unreadable rows skipped. A failed write turns the recorder off once. */
static void damaged(void **state)
{
	(void)state;
	sqlite3 *db = open_db();
	struct history_rec *r = NULL;
	struct history_row *rows;
	size_t n;
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE mood_history(x TEXT)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(history_rec_new(db, 90, T0, &r), HISTORY_ECORRUPT);
	assert_null(r);
	assert_int_equal(history_query(db, -INFINITY, INFINITY, 0, &rows, &n), HISTORY_ECORRUPT);
	assert_int_equal(history_clear(db), 0);
	assert_int_equal(history_rec_new(db, 90, T0, &r), 0);
	history_rec_free(r);
	assert_int_equal(sqlite3_exec(db,
		"INSERT INTO mood_history VALUES (1764770400000, 7, 99, 5000, -5000, 2000, -3, 9, 42);"
		"INSERT INTO mood_history VALUES (1764770401000, 1, 3, 0, 0, 0, 0, 0, NULL);"
		"INSERT INTO mood_history VALUES (1764770402000, 'x', 'happy', 'v', 'a', 0, 0, 'calm', 'x');",
		NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(history_query(db, -INFINITY, INFINITY, 0, &rows, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(rows[2].mood, -1);
	assert_float_equal(rows[2].valence, 0, 0);
	assert_null(rows[2].track);
	assert_int_equal(rows[0].state, HISTORY_CAMERA);
	assert_int_equal(rows[0].mood, -1);
	assert_float_equal(rows[0].valence, 1, 0);
	assert_float_equal(rows[0].arousal, -1, 0);
	assert_float_equal(rows[0].confidence, 1, 0);
	assert_int_equal(rows[0].faces, 0);
	assert_int_equal(rows[0].strategy, 0);
	assert_null(rows[0].track);              /* track id 42 does not exist */
	assert_int_equal(rows[1].mood, -1);      /* no face has no mood */
	history_rows_free(rows, n);
	/* writes refused: one error, then silence */
	assert_int_equal(history_rec_new(db, 90, T0, &r), 0);
	assert_int_equal(sqlite3_exec(db, "PRAGMA query_only = 1", NULL, NULL, NULL), SQLITE_OK);
	int errs = 0;
	for (int i = 0; i < 3 * HISTORY_BATCH; i++) {
		struct history_sample s = sample(T0 + 10 + i, i % 7, NULL);
		int rc = history_rec_observe(r, &s);
		assert_true(rc >= -5 && rc <= 1);
		errs += rc < 0;
	}
	assert_int_equal(errs, 1);
	history_rec_free(r);
	sqlite3_close(db);
}

/* After --clear no row is left in the file, its log or its free pages. */
static void clear(void **state)
{
	(void)state;
	char path[256], wal[300];
	snprintf(path, sizeof path, "%s/clear.db", tmpdir);
	snprintf(wal, sizeof wal, "%s-wal", path);
	struct lib_db *d;
	assert_int_equal(lib_db_open(path, &d, NULL, 0), 0);
	sqlite3 *db = lib_db_sqlite(d);
	struct history_rec *r;
	assert_int_equal(history_rec_new(db, 90, T0, &r), 0);
	for (int i = 0; i < 500; i++) {
		char track[64];
		snprintf(track, sizeof track, "/music/SECRET-%03d.flac", i);
		struct history_sample s = sample(T0 + i, i % 7, track);
		history_rec_observe(r, &s);
	}
	history_rec_free(r);
	assert_int_equal(history_clear(db), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM mood_history"), 0);
	assert_int_equal(count(db, "SELECT COUNT(*) FROM history_tracks"), 0);
	lib_db_close(d);
	const char *files[] = { path, wal };
	for (int k = 0; k < 2; k++) {
		FILE *f = fopen(files[k], "rb");
		if (!f)
			continue;
		static char buf[1 << 22];
		size_t len = fread(buf, 1, sizeof buf, f);
		fclose(f);
		assert_null(memmem(buf, len, "SECRET-", 7));
	}
}

static void times(void **state)
{
	(void)state;
	double t, now = T0 + 1800;   /* 14:30Z */
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(history_parse_time("now", now, &t), 0);
	assert_float_equal(t, now, 0);
	assert_int_equal(history_parse_time("-1h", now, &t), 0);
	assert_float_equal(t, now - 3600, 0);
	assert_int_equal(history_parse_time("1h30m", now, &t), 0);
	assert_float_equal(t, now - 5400, 0);
	assert_int_equal(history_parse_time("+2d", now, &t), 0);
	assert_float_equal(t, now + 2 * 86400, 0);
	assert_int_equal(history_parse_time("-1w", now, &t), 0);
	assert_float_equal(t, now - 7 * 86400, 0);
	assert_int_equal(history_parse_time("today", now, &t), 0);
	assert_float_equal(t, T0 - 14 * 3600, 0);
	assert_int_equal(history_parse_time("yesterday", now, &t), 0);
	assert_float_equal(t, T0 - 14 * 3600 - 86400, 0);
	assert_int_equal(history_parse_time("2025-12-03", now, &t), 0);
	assert_float_equal(t, T0 - 14 * 3600, 0);
	assert_int_equal(history_parse_time("2025-12-03T14:00", now, &t), 0);
	assert_float_equal(t, T0, 0);
	assert_int_equal(history_parse_time("2025-12-03 14:00:30.5", now, &t), 0);
	assert_float_equal(t, T0 + 30.5, 1e-9);
	assert_int_equal(history_parse_time("2025-12-03T15:00+01:00", now, &t), 0);
	assert_float_equal(t, T0, 0);
	assert_int_equal(history_parse_time("2025-12-03T09:00-0500", now, &t), 0);
	assert_float_equal(t, T0, 0);
	assert_int_equal(history_parse_time("2025-12-03T14:00:00Z", now, &t), 0);
	assert_float_equal(t, T0, 0);
	assert_int_equal(history_parse_time("14:00", now, &t), 0);
	assert_float_equal(t, T0, 0);
	assert_int_equal(history_parse_time("@1764770400", now, &t), 0);
	assert_float_equal(t, T0, 0);
	const char *bad[] = { "", "x", "-1", "1y", "--1h", "2025-13-01", "2025-12-03T25:00",
			      "2025-12-03T14", "2025-12-03X", "14:61", "@", "@x", "2025-12-03T14:00+1",
			      "1e3s", "-h", "2025/12/03" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (history_parse_time(bad[i], now, &t) != HISTORY_EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	setenv("TZ", "Europe/Paris", 1);
	tzset();
	assert_int_equal(history_parse_time("2025-12-03T15:00", now, &t), 0);
	assert_float_equal(t, T0, 0);
	char buf[64];
	history_format_time(T0, buf, sizeof buf);
	assert_string_equal(buf, "2025-12-03T15:00:00+01:00");
	setenv("TZ", "UTC", 1);
	tzset();
}

static void records(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	struct history_row r = { .t = T0, .state = HISTORY_MANUAL, .mood = HAPPY, .valence = 0.75f,
				 .arousal = -0.5f, .confidence = 1, .faces = 2, .strategy = 1,
				 .track = (char *)"/m/a\tb.flac" };
	char line[256];
	history_tsv(&r, line, sizeof line);
	assert_string_equal(line, "2025-12-03T14:00:00+00:00\tmanual:happy\t0.750\t-0.500\t1.000\t2\tuplift\t/m/a?b.flac\n");
	r.state = HISTORY_NOFACE;
	r.track = NULL;
	history_tsv(&r, line, sizeof line);
	assert_string_equal(line, "2025-12-03T14:00:00+00:00\tnone\t0.750\t-0.500\t1.000\t2\tuplift\t\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(migration), cmocka_unit_test(batching), cmocka_unit_test(periodic),
		cmocka_unit_test(retention), cmocka_unit_test(queries), cmocka_unit_test(summary),
		cmocka_unit_test(damaged), cmocka_unit_test(clear), cmocka_unit_test(times),
		cmocka_unit_test(records),
	};
	if (!mkdtemp(tmpdir))
		return 1;
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
