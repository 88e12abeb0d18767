/* history: the mood history table, recorder, queries and summary. See history.h. */
#include "history.h"
#include "vec.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS history_tracks("
	" id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE);"
	"CREATE TABLE IF NOT EXISTS mood_history("
	" t INTEGER PRIMARY KEY,"          /* unix ms */
	" state INTEGER NOT NULL,"
	" mood INTEGER NOT NULL,"
	" valence INTEGER NOT NULL,"       /* thousandths */
	" arousal INTEGER NOT NULL,"
	" confidence INTEGER NOT NULL,"
	" faces INTEGER NOT NULL,"
	" strategy INTEGER NOT NULL,"
	" track INTEGER);";                /* history_tracks.id, NULL: none */

static const char *const columns[] = {
	"t", "state", "mood", "valence", "arousal", "confidence", "faces", "strategy", "track",
};

/* 1 when table exists, 0 when not, HISTORY_EDB. */
static int table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : HISTORY_EDB;
}

/* 0 when mood_history has our columns, HISTORY_ECORRUPT when not. */
static int check_columns(sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	size_t k = 0;
	int ok = 1;
	if (sqlite3_prepare_v2(db, "PRAGMA table_info(mood_history)", -1, &st, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (k >= sizeof columns / sizeof columns[0] || !name || strcmp(name, columns[k]))
			ok = 0;
		k++;
	}
	sqlite3_finalize(st);
	if (k != sizeof columns / sizeof columns[0])
		ok = 0;
	if (!ok)
		return HISTORY_ECORRUPT;
	if (sqlite3_prepare_v2(db, "PRAGMA table_info(history_tracks)", -1, &st, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	k = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (!name || strcmp(name, k == 0 ? "id" : k == 1 ? "path" : ""))
			ok = 0;
		k++;
	}
	sqlite3_finalize(st);
	return ok && k == 2 ? 0 : HISTORY_ECORRUPT;
}

int history_init(struct sqlite3 *db)
{
	if (!db)
		return HISTORY_EINVAL;
	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	return check_columns(db);
}

int history_prune(struct sqlite3 *db, double now, int days)
{
	sqlite3_stmt *st = NULL;
	int err = 0;
	if (!db)
		return HISTORY_EINVAL;
	if (days <= 0)
		return 0;
	if ((err = table_exists(db, "mood_history")) <= 0)
		return err;
	if (sqlite3_prepare_v2(db, "DELETE FROM mood_history WHERE t < ?", -1, &st, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	sqlite3_bind_int64(st, 1, (sqlite3_int64)((now - days * 86400.0) * 1000.0));
	err = sqlite3_step(st) == SQLITE_DONE ? 0 : HISTORY_EDB;
	sqlite3_finalize(st);
	if (!err && sqlite3_changes(db) > 0 &&
	    sqlite3_exec(db, "DELETE FROM history_tracks WHERE id NOT IN"
			 " (SELECT track FROM mood_history WHERE track IS NOT NULL)",
			 NULL, NULL, NULL) != SQLITE_OK)
		err = HISTORY_EDB;
	return err;
}

int history_clear(struct sqlite3 *db)
{
	if (!db)
		return HISTORY_EINVAL;
	/* secure_delete: the freed pages are overwritten with zeros, so the
	 * rows cannot be read back from the file. */
	sqlite3_exec(db, "PRAGMA secure_delete = ON", NULL, NULL, NULL);
	int rc = sqlite3_exec(db, "BEGIN; DROP TABLE IF EXISTS mood_history;"
			      " DROP TABLE IF EXISTS history_tracks; COMMIT;", NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		return HISTORY_EDB;
	}
	if (sqlite3_exec(db, schema, NULL, NULL, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	/* The log's copies of the old pages go too (no other reader may hold
	 * it: then it is truncated when that one ends). */
	sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	return 0;
}

/* --- rows ---------------------------------------------------------------- */

void history_rows_free(struct history_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++)
		free(rows[i].track);
	free(rows);
}

static float clampf(double v, double lo, double hi)
{
	if (!isfinite(v))
		return 0;
	return (float)(v < lo ? lo : v > hi ? hi : v);
}

/* Growable array of rows. */
struct rows {
	struct history_row *v;
	size_t n, cap;
};

static struct history_row *rows_add(struct rows *r)
{
	if (vec_grow(&r->v, &r->cap, r->n + 1, sizeof *r->v, 256))
		return NULL;
	struct history_row *row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	return row;
}

int history_query(struct sqlite3 *db, double since, double until, size_t last,
		  struct history_row **out, size_t *n)
{
	sqlite3_stmt *st = NULL;
	struct rows r = { 0 };
	int err, rc;
	if (!db || !out || !n)
		return HISTORY_EINVAL;
	*out = NULL;
	*n = 0;
	if ((err = table_exists(db, "mood_history")) <= 0)
		return err;
	if ((err = check_columns(db)) != 0)
		return err;
	/* Newest first when only the last rows are wanted (reversed below). */
	const char *sql = last
		? "SELECT h.t, h.state, h.mood, h.valence, h.arousal, h.confidence, h.faces, h.strategy,"
		  " k.path FROM mood_history h LEFT JOIN history_tracks k ON k.id = h.track"
		  " WHERE h.t >= ? AND h.t < ? ORDER BY h.t DESC LIMIT ?"
		: "SELECT h.t, h.state, h.mood, h.valence, h.arousal, h.confidence, h.faces, h.strategy,"
		  " k.path FROM mood_history h LEFT JOIN history_tracks k ON k.id = h.track"
		  " WHERE h.t >= ? AND h.t < ? ORDER BY h.t";
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	sqlite3_bind_int64(st, 1, since > -1e15 ? (sqlite3_int64)floor(since * 1000.0) : INT64_MIN);
	sqlite3_bind_int64(st, 2, until < 1e15 ? (sqlite3_int64)ceil(until * 1000.0) : INT64_MAX);
	if (last)
		sqlite3_bind_int64(st, 3, (sqlite3_int64)(last > INT32_MAX ? INT32_MAX : last));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER)
			continue;  /* unreadable: skipped */
		struct history_row *row = rows_add(&r);
		if (!row) {
			err = HISTORY_ENOMEM;
			break;
		}
		row->t = (double)sqlite3_column_int64(st, 0) / 1000.0;
		int state = sqlite3_column_type(st, 1) == SQLITE_INTEGER ? sqlite3_column_int(st, 1) : 0;
		row->state = state == HISTORY_NOFACE || state == HISTORY_MANUAL ? (enum history_state)state
										 : HISTORY_CAMERA;
		row->mood = sqlite3_column_type(st, 2) == SQLITE_INTEGER ? sqlite3_column_int(st, 2) : -1;
		if (row->mood < -1 || row->mood >= VOCAB_NCLASSES || row->state == HISTORY_NOFACE)
			row->mood = -1;
		row->valence = clampf(sqlite3_column_double(st, 3) / 1000.0, -1, 1);
		row->arousal = clampf(sqlite3_column_double(st, 4) / 1000.0, -1, 1);
		row->confidence = clampf(sqlite3_column_double(st, 5) / 1000.0, 0, 1);
		row->faces = sqlite3_column_int(st, 6);
		if (row->faces < 0)
			row->faces = 0;
		row->strategy = sqlite3_column_int(st, 7);
		if (row->strategy < 0 || row->strategy >= VOCAB_NSTRATEGIES)
			row->strategy = VOCAB_MATCH;
		const char *path = (const char *)sqlite3_column_text(st, 8);
		if (path && *path && !(row->track = strdup(path))) {
			err = HISTORY_ENOMEM;
			break;
		}
	}
	if (!err && rc != SQLITE_DONE)
		err = HISTORY_EDB;
	sqlite3_finalize(st);
	if (err) {
		history_rows_free(r.v, r.n);
		return err;
	}
	if (last)
		for (size_t i = 0; i < r.n / 2; i++) {
			struct history_row tmp = r.v[i];
			r.v[i] = r.v[r.n - 1 - i];
			r.v[r.n - 1 - i] = tmp;
		}
	*out = r.v;
	*n = r.n;
	return 0;
}

/* --- recorder ------------------------------------------------------------ */

struct history_rec {
	sqlite3 *db;
	int days;
	int off;                    /* a write failed: records nothing more */
	struct rows pending;
	double last_prune;
	int64_t last_ms;            /* key of the last row made */
	int have_last;
	struct history_row last;    /* the last row made (track owned) */
	double seen;                /* time of the last sample */
	size_t written;
};

int history_rec_new(struct sqlite3 *db, int days, double now, struct history_rec **out)
{
	int err;
	if (!db || !out)
		return HISTORY_EINVAL;
	*out = NULL;
	if ((err = history_init(db)) != 0 || (err = history_prune(db, now, days)) != 0)
		return err;
	struct history_rec *r = calloc(1, sizeof *r);
	if (!r)
		return HISTORY_ENOMEM;
	r->db = db;
	r->days = days;
	r->last_prune = now;
	/* Keys stay increasing even if the clock went back since. */
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db, "SELECT MAX(t) FROM mood_history", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		r->last_ms = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	*out = r;
	return 0;
}

/* The id of path in history_tracks, inserted when new; 0 on failure. */
static sqlite3_int64 track_id(sqlite3 *db, const char *path)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 id = 0;
	if (sqlite3_prepare_v2(db, "INSERT INTO history_tracks(path) VALUES (?)"
			       " ON CONFLICT(path) DO UPDATE SET path = excluded.path RETURNING id",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}

static int write_rows(struct history_rec *r)
{
	sqlite3_stmt *st = NULL;
	int err = 0;
	if (!r->pending.n)
		return 0;
	if (sqlite3_exec(r->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return HISTORY_EDB;
	if (sqlite3_prepare_v2(r->db, "INSERT INTO mood_history(t, state, mood, valence, arousal,"
			       " confidence, faces, strategy, track) VALUES (?,?,?,?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		err = HISTORY_EDB;
	const char *prev = NULL;
	sqlite3_int64 prev_id = 0;
	for (size_t i = 0; !err && i < r->pending.n; i++) {
		const struct history_row *row = &r->pending.v[i];
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, (sqlite3_int64)llround(row->t * 1000.0));
		sqlite3_bind_int(st, 2, (int)row->state);
		sqlite3_bind_int(st, 3, row->mood);
		sqlite3_bind_int(st, 4, (int)lround(row->valence * 1000.0));
		sqlite3_bind_int(st, 5, (int)lround(row->arousal * 1000.0));
		sqlite3_bind_int(st, 6, (int)lround(row->confidence * 1000.0));
		sqlite3_bind_int(st, 7, row->faces);
		sqlite3_bind_int(st, 8, row->strategy);
		if (row->track) {
			if (!prev || strcmp(prev, row->track)) {
				prev = row->track;
				prev_id = track_id(r->db, row->track);
			}
			if (!prev_id) {
				err = HISTORY_EDB;
				break;
			}
			sqlite3_bind_int64(st, 9, prev_id);
		} else
			sqlite3_bind_null(st, 9);
		if (sqlite3_step(st) != SQLITE_DONE)
			err = HISTORY_EDB;
	}
	sqlite3_finalize(st);
	if (!err && sqlite3_exec(r->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		err = HISTORY_EDB;
	if (err)
		sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
	else
		r->written += r->pending.n;
	for (size_t i = 0; i < r->pending.n; i++)
		free(r->pending.v[i].track);
	r->pending.n = 0;
	return err;
}

int history_rec_flush(struct history_rec *r)
{
	if (!r || r->off)
		return r ? HISTORY_EOFF : HISTORY_EINVAL;
	int err = write_rows(r);
	if (err)
		r->off = 1;
	return err;
}

static int same_track(const char *a, const char *b)
{
	if (!a || !*a)
		return !b || !*b;
	return b && !strcmp(a, b);
}

int history_rec_observe(struct history_rec *r, const struct history_sample *s)
{
	if (!r || !s)
		return HISTORY_EINVAL;
	if (r->off)
		return 0;
	r->seen = s->t;
	int mood = s->state == HISTORY_NOFACE || s->mood < -1 || s->mood >= VOCAB_NCLASSES ? -1 : s->mood;
	int present = s->state != HISTORY_NOFACE;
	int made = 0;
	int changed = !r->have_last || r->last.state != s->state || r->last.mood != mood ||
		      r->last.strategy != s->strategy || !same_track(r->last.track, s->track);
	if (changed || (present && s->t - r->last.t >= HISTORY_PERIOD_S)) {
		struct history_row *row = rows_add(&r->pending);
		char *track = s->track && *s->track ? strdup(s->track) : NULL;
		char *keep = s->track && *s->track ? strdup(s->track) : NULL;
		if (!row || (s->track && *s->track && (!track || !keep))) {
			if (row)
				r->pending.n--;
			free(track);
			free(keep);
			return HISTORY_ENOMEM;
		}
		int64_t ms = (int64_t)llround(s->t * 1000.0);
		if (ms <= r->last_ms)
			ms = r->last_ms + 1;
		r->last_ms = ms;
		*row = (struct history_row){
			.t = (double)ms / 1000.0, .state = s->state, .mood = mood,
			.valence = clampf(s->valence, -1, 1), .arousal = clampf(s->arousal, -1, 1),
			.confidence = clampf(s->confidence, 0, 1), .faces = s->faces < 0 ? 0 : s->faces,
			.strategy = s->strategy >= 0 && s->strategy < VOCAB_NSTRATEGIES ? s->strategy : VOCAB_MATCH,
			.track = track,
		};
		free(r->last.track);
		r->last = *row;
		r->last.t = s->t;
		r->last.track = keep;
		r->have_last = 1;
		made = 1;
	}
	int err = 0;
	if (r->pending.n && (r->pending.n >= HISTORY_BATCH || s->t - r->pending.v[0].t >= HISTORY_FLUSH_S))
		err = history_rec_flush(r);
	if (!err && r->days > 0 && s->t - r->last_prune >= 86400.0) {
		r->last_prune = s->t;
		if ((err = history_prune(r->db, s->t, r->days)) != 0)
			r->off = 1;
	}
	return err ? err : made;
}

size_t history_rec_written(const struct history_rec *r)
{
	return r ? r->written : 0;
}

void history_rec_free(struct history_rec *r)
{
	if (!r)
		return;
	/* the end: nobody is observed from now on */
	if (!r->off && r->have_last && r->last.state != HISTORY_NOFACE)
		history_rec_observe(r, &(struct history_sample){ .t = r->seen, .state = HISTORY_NOFACE,
								  .mood = -1, .strategy = r->last.strategy });
	if (!r->off)
		write_rows(r);
	for (size_t i = 0; i < r->pending.n; i++)
		free(r->pending.v[i].track);
	free(r->pending.v);
	free(r->last.track);
	free(r);
}

int history_rec_query(struct history_rec *r, double since, double until, size_t last,
		      struct history_row **out, size_t *n)
{
	if (!r)
		return HISTORY_EINVAL;
	int err = history_query(r->db, since, until, last, out, n);
	if (err || !r->pending.n)
		return err;
	/* The pending rows are newer than every written one. */
	size_t add = 0, first = 0;
	for (size_t i = 0; i < r->pending.n; i++)
		if (r->pending.v[i].t >= since && r->pending.v[i].t < until) {
			if (!add)
				first = i;
			add++;
		}
	if (!add)
		return 0;
	size_t keep = *n;
	if (last && keep + add > last)
		keep = add >= last ? 0 : last - add;
	if (last && add > last) {
		first += add - last;
		add = last;
	}
	struct history_row *v = malloc((keep + add) * sizeof *v);
	if (!v) {
		history_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return HISTORY_ENOMEM;
	}
	for (size_t i = 0; i < *n - keep; i++)
		free((*out)[i].track);
	if (keep)
		memcpy(v, *out + (*n - keep), keep * sizeof *v);
	free(*out);
	size_t k = keep;
	for (size_t i = first; i < r->pending.n && k < keep + add; i++) {
		const struct history_row *p = &r->pending.v[i];
		if (p->t < since || p->t >= until)
			continue;
		v[k] = *p;
		v[k].track = p->track ? strdup(p->track) : NULL;
		k++;
	}
	*out = v;
	*n = k;
	return 0;
}

/* --- summary -------------------------------------------------------------- */

int history_key(const struct history_row *r)
{
	if (r->state == HISTORY_NOFACE)
		return -1;
	return r->mood >= 0 && r->mood < VOCAB_NCLASSES ? r->mood : VOCAB_NCLASSES;
}

double history_row_span(const struct history_row *rows, size_t n, size_t i, double since,
			double until)
{
	double t0 = rows[i].t, t1 = t0 + HISTORY_SPAN_S;
	if (i + 1 < n && rows[i + 1].t < t1)
		t1 = rows[i + 1].t;
	if (t1 > until)
		t1 = until;
	if (t0 < since)
		t0 = since;
	return t1 > t0 ? t1 - t0 : 0;
}

struct acc {
	int key;
	const char *track;
	double seconds;
};

static int acc_cmp(const void *a, const void *b)
{
	const struct acc *x = a, *y = b;
	if (x->key != y->key)
		return x->key - y->key;
	return strcmp(x->track, y->track);
}

int history_summarize(const struct history_row *rows, size_t n, double since, double until,
		      struct history_summary *out)
{
	if (!out || (!rows && n))
		return HISTORY_EINVAL;
	memset(out, 0, sizeof *out);
	struct acc *v = n ? malloc(n * sizeof *v) : NULL;
	size_t k = 0;
	if (n && !v)
		return HISTORY_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		int key = history_key(&rows[i]);
		double s = history_row_span(rows, n, i, since, until);
		if (key < 0 || s <= 0)
			continue;
		out->seconds[key] += s;
		out->total += s;
		if (rows[i].track)
			v[k++] = (struct acc){ key, rows[i].track, s };
	}
	if (k)
		qsort(v, k, sizeof *v, acc_cmp);
	/* merge runs of one (mood, track), keep the longest per mood */
	for (size_t i = 0; i < k;) {
		size_t j = i + 1;
		double s = v[i].seconds;
		while (j < k && v[j].key == v[i].key && !strcmp(v[j].track, v[i].track))
			s += v[j++].seconds;
		int key = v[i].key;
		struct history_top *top = out->top[key];
		int *nt = &out->ntop[key];
		int at = *nt;
		/* ties: the first in path order stays first */
		while (at > 0 && top[at - 1].seconds < s)
			at--;
		if (at < HISTORY_TOP) {
			int last = *nt < HISTORY_TOP ? *nt : HISTORY_TOP - 1;
			memmove(&top[at + 1], &top[at], (size_t)(last - at) * sizeof *top);
			top[at] = (struct history_top){ v[i].track, s };
			if (*nt < HISTORY_TOP)
				(*nt)++;
		}
		i = j;
	}
	free(v);
	return 0;
}

/* --- names, times, records --------------------------------------------------- */

const char *history_key_name(int key)
{
	if (key >= 0 && key < VOCAB_NCLASSES)
		return vocab_class_name(key);
	return key == VOCAB_NCLASSES ? "uncertain" : "none";
}

void history_mood_text(const struct history_row *r, char *buf, size_t n)
{
	if (r->state == HISTORY_NOFACE)
		snprintf(buf, n, "none");
	else if (r->state == HISTORY_MANUAL)
		snprintf(buf, n, "manual:%s", history_key_name(history_key(r)));
	else
		snprintf(buf, n, "%s", history_key_name(history_key(r)));
}

void history_format_time(double t, char *buf, size_t n)
{
	time_t tt = (time_t)floor(t);
	struct tm tm;
	char off[8];
	if (!localtime_r(&tt, &tm)) {
		snprintf(buf, n, "%.3f", t);
		return;
	}
	strftime(off, sizeof off, "%z", &tm);   /* +0100 -> +01:00 */
	size_t w = strftime(buf, n, "%Y-%m-%dT%H:%M:%S", &tm);
	if (w && strlen(off) == 5)
		snprintf(buf + w, n - w, "%.3s:%.2s", off, off + 3);
}

/* Digits at *p (exactly ndig of them); -1 when not. */
static int digits(const char **p, int ndig)
{
	int v = 0;
	for (int i = 0; i < ndig; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += ndig;
	return v;
}

static double local_midnight(double now, int days_back)
{
	time_t tt = (time_t)now;
	struct tm tm;
	localtime_r(&tt, &tm);
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days_back;
	tm.tm_isdst = -1;
	return (double)mktime(&tm);
}

/* Seconds since the epoch of a UTC broken-down time (no timegm in C11). */
static double utc_seconds(int y, int mo, int d, int h, int mi, double s)
{
	/* days from civil (Howard Hinnant's algorithm) */
	y -= mo <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	long days = era * 146097 + doe - 719468;
	return days * 86400.0 + h * 3600.0 + mi * 60.0 + s;
}

static int parse_relative(const char *s, double now, double *out)
{
	const char *p = s;
	double sign = -1, total = 0;
	int parts = 0;
	if (*p == '-' || *p == '+')
		sign = *p++ == '-' ? -1 : 1;
	while (*p) {
		const char *end = p;
		double v = 0;
		while (isdigit((unsigned char)*end) && end - p < 9)
			v = v * 10 + (*end++ - '0');
		if (end == p)
			return HISTORY_EINVAL;
		double unit;
		switch (*end) {
		case 's': unit = 1; break;
		case 'm': unit = 60; break;
		case 'h': unit = 3600; break;
		case 'd': unit = 86400; break;
		case 'w': unit = 7 * 86400; break;
		default: return HISTORY_EINVAL;
		}
		total += v * unit;
		p = end + 1;
		parts++;
	}
	if (!parts)
		return HISTORY_EINVAL;
	*out = now + sign * total;
	return 0;
}

int history_parse_time(const char *s, double now, double *out)
{
	if (!s || !out || !*s)
		return HISTORY_EINVAL;
	if (!strcmp(s, "now")) {
		*out = now;
		return 0;
	}
	if (!strcmp(s, "today") || !strcmp(s, "yesterday")) {
		*out = local_midnight(now, s[0] == 'y');
		return 0;
	}
	if (s[0] == '@') {
		char *end;
		double v = strtod(s + 1, &end);
		if (end == s + 1 || *end || !isfinite(v) || !isdigit((unsigned char)s[1]))
			return HISTORY_EINVAL;
		*out = v;
		return 0;
	}
	const char *p = s;
	int y, mo, d, h = 0, mi = 0;
	double sec = 0;
	int have_date = 0;
	if (strlen(s) >= 10 && s[4] == '-') {
		if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 1 || mo > 12 ||
		    *p++ != '-' || (d = digits(&p, 2)) < 1 || d > 31)
			return HISTORY_EINVAL;
		have_date = 1;
		if (*p == 'T' || *p == ' ')
			p++;
		else if (*p)
			return HISTORY_EINVAL;
	} else if (strlen(s) >= 5 && s[2] == ':') {
		time_t tt = (time_t)now;
		struct tm tm;
		localtime_r(&tt, &tm);
		y = tm.tm_year + 1900;
		mo = tm.tm_mon + 1;
		d = tm.tm_mday;
	} else
		return parse_relative(s, now, out);
	if (*p) {
		if ((h = digits(&p, 2)) < 0 || h > 23 || *p++ != ':' || (mi = digits(&p, 2)) < 0 || mi > 59)
			return HISTORY_EINVAL;
		if (*p == ':') {
			p++;
			int si = digits(&p, 2);
			if (si < 0 || si > 60)
				return HISTORY_EINVAL;
			sec = si;
			if (*p == '.' || *p == ',') {
				double f = 0.1;
				p++;
				if (!isdigit((unsigned char)*p))
					return HISTORY_EINVAL;
				for (; isdigit((unsigned char)*p); p++, f /= 10)
					sec += (*p - '0') * f;
			}
		}
	} else if (!have_date)
		return HISTORY_EINVAL;
	if (*p == 'Z' && !p[1]) {
		*out = utc_seconds(y, mo, d, h, mi, sec);
		return 0;
	}
	if ((*p == '+' || *p == '-') && p[1]) {
		int sign = *p++ == '-' ? -1 : 1, oh, om = 0;
		if ((oh = digits(&p, 2)) < 0 || oh > 14)
			return HISTORY_EINVAL;
		if (*p == ':')
			p++;
		if (*p && ((om = digits(&p, 2)) < 0 || om > 59))
			return HISTORY_EINVAL;
		if (*p)
			return HISTORY_EINVAL;
		*out = utc_seconds(y, mo, d, h, mi, sec) - sign * (oh * 3600.0 + om * 60.0);
		return 0;
	}
	if (*p)
		return HISTORY_EINVAL;
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
			 .tm_min = mi, .tm_sec = 0, .tm_isdst = -1 };
	time_t tt = mktime(&tm);
	if (tt == (time_t)-1 && !(y == 1969 || y == 1970))
		return HISTORY_EINVAL;
	*out = (double)tt + sec;
	return 0;
}

int history_tsv(const struct history_row *r, char *buf, size_t n)
{
	char when[48], mood[32], track[PATH_MAX];  /* a whole path */
	size_t i = 0;
	history_format_time(r->t, when, sizeof when);
	history_mood_text(r, mood, sizeof mood);
	for (const char *p = r->track ? r->track : ""; *p && i + 1 < sizeof track; p++)
		track[i++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
	track[i] = 0;
	return snprintf(buf, n, "%s\t%s\t%.3f\t%.3f\t%.3f\t%d\t%s\t%s\n", when, mood,
			(double)r->valence, (double)r->arousal, (double)r->confidence, r->faces,
			vocab_strategy_name(r->strategy), track);
}

const char *history_strerror(int err)
{
	switch (err) {
	case HISTORY_OK: return "success";
	case HISTORY_ENOMEM: return "out of memory";
	case HISTORY_EDB: return "database error";
	case HISTORY_ECORRUPT: return "the history table is damaged ('emotune history --clear' starts it afresh)";
	case HISTORY_EINVAL: return "invalid argument";
	case HISTORY_EOFF: return "history recording stopped after a failed write";
	}
	return "unknown error";
}
