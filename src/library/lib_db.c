/* lib_db: SQLite library index. See lib_db.h. */
#include "lib_db.h"
#include "config.h"
#include "vec.h"
#include "why.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct lib_db {
	sqlite3 *db;
	sqlite3_stmt *put, *put_fail, *del, *del_fail, *find, *near, *feat, *mood;
	char err[256];
	int empty;          /* read-only and no schema yet: an empty library */
};

static const char *const schema_v1 =
	"CREATE TABLE IF NOT EXISTS tracks ("
	" id INTEGER PRIMARY KEY,"
	" path TEXT NOT NULL UNIQUE,"
	" mtime INTEGER NOT NULL, size INTEGER NOT NULL,"
	" title TEXT NOT NULL DEFAULT '', artist TEXT NOT NULL DEFAULT '',"
	" album TEXT NOT NULL DEFAULT '', trackno INTEGER NOT NULL DEFAULT 0,"
	" duration REAL, rate INTEGER, channels INTEGER,"
	" lufs REAL, lra REAL, peak REAL, tempo REAL, mode REAL, key INTEGER,"
	" features BLOB, feature_version INTEGER NOT NULL,"
	" valence REAL NOT NULL, arousal REAL NOT NULL, model TEXT NOT NULL,"
	" analysed_at INTEGER);"
	"CREATE INDEX IF NOT EXISTS tracks_mood ON tracks(valence, arousal);"
	"CREATE TABLE IF NOT EXISTS failures ("
	" path TEXT PRIMARY KEY, mtime INTEGER NOT NULL, size INTEGER NOT NULL,"
	" feature_version INTEGER NOT NULL, error TEXT);";

/* valence and arousal of a track without a mood (silence): NOT NULL
 * columns, so a value outside [-1, 1]; NAN in the API. */
#define NOMOOD -9.0
static double mood_out(float v) { return isfinite(v) ? v : NOMOOD; }
static float mood_in(double v) { return v < -1.5 ? NAN : (float)v; }

#define TRACK_COLS "id, path, title, artist, album, trackno, duration, rate, channels, lufs, lra, valence, arousal"

const char *lib_db_strerror(int err)
{
	switch (err) {
	case LIB_DB_OK: return "success";
	case LIB_DB_ENOMEM: return "out of memory";
	case LIB_DB_EOPEN: return "cannot open the library database";
	case LIB_DB_ESQL: return "database error";
	case LIB_DB_ENOTFOUND: return "no such track";
	case LIB_DB_EVERSION: return "library database written by a newer emotune";
	case LIB_DB_ECORRUPT: return "not an emotune library database (or damaged)";
	case LIB_DB_EREADONLY: return "library database is read-only";
	}
	return "unknown error";
}

const char *lib_db_errmsg(struct lib_db *db)
{
	return db ? db->err : "";
}

static int fail(struct lib_db *db, int err)
{
	snprintf(db->err, sizeof db->err, "%s", db->db ? sqlite3_errmsg(db->db) : "out of memory");
	return err;
}

static int exec(struct lib_db *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s", msg ? msg : sqlite3_errmsg(db->db));
		sqlite3_free(msg);
		return LIB_DB_ESQL;
	}
	return 0;
}

static int prepare(struct lib_db *db, sqlite3_stmt **st, const char *sql)
{
	if (sqlite3_prepare_v3(db->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
		return fail(db, LIB_DB_ESQL);
	return 0;
}

static int migrate(struct lib_db *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return fail(db, LIB_DB_ECORRUPT);
	int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (v < 0)
		return fail(db, LIB_DB_ECORRUPT);
	if (v > LIB_DB_SCHEMA) {
		snprintf(db->err, sizeof db->err, "schema version %d, this build knows %d", v, LIB_DB_SCHEMA);
		return LIB_DB_EVERSION;
	}
	if (v == LIB_DB_SCHEMA)
		return 0;
	/* v0 -> v1. Later versions add steps here, each in the transaction. */
	int err = exec(db, "BEGIN IMMEDIATE");
	if (!err)
		err = exec(db, schema_v1);
	if (!err)
		err = exec(db, "PRAGMA user_version = 1");
	if (!err)
		err = exec(db, "COMMIT");
	else
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return err;
}

/* Is SQLite's last error on db a file that cannot be written (read-only
 * file, folder or file system, or a WAL file that cannot be created)? */
static int readonly_error(sqlite3 *db)
{
	int rc = sqlite3_errcode(db) & 0xff;
	return rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM ||
	       rc == SQLITE_AUTH;
}

/* The schema version, or a negative lib_db_err. */
static int user_version(struct lib_db *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (v >= 0)
		return v;
	return fail(db, readonly_error(db->db) ? LIB_DB_EREADONLY : LIB_DB_ECORRUPT);
}

static int prepare_all(struct lib_db *db)
{
	int err;
	if ((err = prepare(db, &db->put,
		"INSERT INTO tracks (path, mtime, size, title, artist, album, trackno, duration,"
		" rate, channels, lufs, lra, peak, tempo, mode, key, features, feature_version,"
		" valence, arousal, model, analysed_at)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)"
		" ON CONFLICT(path) DO UPDATE SET mtime=?2, size=?3, title=?4, artist=?5, album=?6,"
		" trackno=?7, duration=?8, rate=?9, channels=?10, lufs=?11, lra=?12, peak=?13,"
		" tempo=?14, mode=?15, key=?16, features=?17, feature_version=?18, valence=?19,"
		" arousal=?20, model=?21, analysed_at=?22")) ||
	    (err = prepare(db, &db->put_fail,
		"INSERT OR REPLACE INTO failures (path, mtime, size, feature_version, error)"
		" VALUES (?1, ?2, ?3, ?4, ?5)")) ||
	    (err = prepare(db, &db->del, "DELETE FROM tracks WHERE path = ?1")) ||
	    (err = prepare(db, &db->del_fail, "DELETE FROM failures WHERE path = ?1")) ||
	    (err = prepare(db, &db->find, "SELECT " TRACK_COLS " FROM tracks WHERE path = ?1")) ||
	    (err = prepare(db, &db->near,
		"SELECT " TRACK_COLS ", (valence-?1)*(valence-?1)+(arousal-?2)*(arousal-?2) AS d"
		" FROM tracks WHERE valence >= -1.5 AND valence BETWEEN ?1-?3 AND ?1+?3"
		" AND arousal BETWEEN ?2-?3 AND ?2+?3 ORDER BY d, id LIMIT ?4")) ||
	    (err = prepare(db, &db->feat, "SELECT features FROM tracks WHERE id = ?1")) ||
	    (err = prepare(db, &db->mood,
		"UPDATE tracks SET valence = ?2, arousal = ?3, model = ?4 WHERE id = ?1")))
		return err;
	return 0;
}

/* The end of lib_db_open and lib_db_open_ro: db given out when err is 0,
 * else closed with why said. */
static int opened(struct lib_db *db, int err, struct lib_db **out, char *why, size_t n)
{
	if (!err) {
		*out = db;
		return 0;
	}
	why_set(why, n, "%s", db->err[0] ? db->err : lib_db_strerror(err));
	lib_db_close(db);
	return err;
}

int lib_db_open(const char *path, struct lib_db **out, char *why, size_t n)
{
	*out = NULL;
	struct lib_db *db = calloc(1, sizeof *db);
	if (!db)
		return LIB_DB_ENOMEM;
	if (config_mkdirs(path)) {
		free(db);
		return LIB_DB_EOPEN;
	}
	int err = 0;
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err = fail(db, readonly_error(db->db) && access(path, F_OK) == 0 ?
			       LIB_DB_EREADONLY : LIB_DB_EOPEN);
		goto bad;
	}
	/* SQLite falls back to reading a file it may not write. */
	if (sqlite3_db_readonly(db->db, "main") == 1) {
		snprintf(db->err, sizeof db->err, "%s", "the file cannot be written");
		err = LIB_DB_EREADONLY;
		goto bad;
	}
	sqlite3_busy_timeout(db->db, 10000);
	/* journal_mode fails on a file that is not a database, and where the
	 * WAL file cannot be created (a read-only folder). */
	if ((err = exec(db, "PRAGMA journal_mode=WAL")) != 0) {
		err = readonly_error(db->db) ? LIB_DB_EREADONLY : LIB_DB_ECORRUPT;
		goto bad;
	}
	if ((err = exec(db, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")) == 0 &&
	    (err = migrate(db)) == 0)
		err = prepare_all(db);
bad:
	return opened(db, err, out, why, n);
}

/* "file:PATH?immutable=1" with PATH percent-encoded as a URI needs. */
static int immutable_uri(const char *path, char *buf, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = (size_t)snprintf(buf, n, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (o + 4 >= n)
			return -1;
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p >= 0x7f) {
			buf[o++] = '%';
			buf[o++] = hex[*p >> 4];
			buf[o++] = hex[*p & 15];
		} else {
			buf[o++] = (char)*p;
		}
	}
	return snprintf(buf + o, n - o, "?immutable=1") >= (int)(n - o) ? -1 : 0;
}

int lib_db_open_ro(const char *path, struct lib_db **out, char *why, size_t n)
{
	*out = NULL;
	struct lib_db *db = calloc(1, sizeof *db);
	if (!db)
		return LIB_DB_ENOMEM;
	int err, v;
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err = fail(db, LIB_DB_EOPEN);
		goto bad;
	}
	sqlite3_busy_timeout(db->db, 10000);
	v = user_version(db);
	if (v == LIB_DB_EREADONLY) {
		/* A WAL database in a folder where its -shm file cannot be
		 * created: nobody can be writing it, read it as immutable. */
		char uri[8192];
		sqlite3_close(db->db);
		db->db = NULL;
		if (immutable_uri(path, uri, sizeof uri) ||
		    sqlite3_open_v2(uri, &db->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX |
				    SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
			err = fail(db, LIB_DB_EOPEN);
			goto bad;
		}
		v = user_version(db);
		if (v == LIB_DB_EREADONLY)
			v = LIB_DB_ECORRUPT;
	}
	if (v < 0) {
		err = v;
		goto bad;
	}
	if (v > LIB_DB_SCHEMA) {
		snprintf(db->err, sizeof db->err, "schema version %d, this build knows %d", v, LIB_DB_SCHEMA);
		err = LIB_DB_EVERSION;
		goto bad;
	}
	db->empty = v == 0;
	err = db->empty ? 0 : prepare_all(db);
bad:
	return opened(db, err, out, why, n);
}

void lib_db_close(struct lib_db *db)
{
	if (!db)
		return;
	sqlite3_stmt *st[] = { db->put, db->put_fail, db->del, db->del_fail,
			       db->find, db->near, db->feat, db->mood };
	for (size_t i = 0; i < sizeof st / sizeof st[0]; i++)
		sqlite3_finalize(st[i]);
	sqlite3_close(db->db);
	free(db);
}

struct sqlite3 *lib_db_sqlite(struct lib_db *db)
{
	return db->db;
}

int lib_db_begin(struct lib_db *db)
{
	return exec(db, "BEGIN IMMEDIATE");
}

int lib_db_in_tx(struct lib_db *db)
{
	return !sqlite3_get_autocommit(db->db);
}

int lib_db_commit(struct lib_db *db)
{
	return exec(db, "COMMIT");
}

int lib_db_rollback(struct lib_db *db)
{
	return exec(db, "ROLLBACK");
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return strdup(s ? (const char *)s : "");
}

void lib_track_clear(struct lib_track *t)
{
	if (!t)
		return;
	free(t->path);
	free(t->title);
	free(t->artist);
	free(t->album);
	memset(t, 0, sizeof *t);
}

void lib_tracks_free(struct lib_track *t, size_t n)
{
	for (size_t i = 0; t && i < n; i++)
		lib_track_clear(&t[i]);
	free(t);
}

static int row_track(sqlite3_stmt *st, void *p)
{
	struct lib_track *t = p;
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	t->path = dup_col(st, 1);
	t->title = dup_col(st, 2);
	t->artist = dup_col(st, 3);
	t->album = dup_col(st, 4);
	t->trackno = sqlite3_column_int(st, 5);
	t->duration = sqlite3_column_double(st, 6);
	t->rate = sqlite3_column_int(st, 7);
	t->channels = sqlite3_column_int(st, 8);
	t->lufs = sqlite3_column_double(st, 9);
	t->lra = sqlite3_column_double(st, 10);
	t->valence = mood_in(sqlite3_column_double(st, 11));
	t->arousal = mood_in(sqlite3_column_double(st, 12));
	if (!t->path || !t->title || !t->artist || !t->album) {
		lib_track_clear(t);
		return LIB_DB_ENOMEM;
	}
	return 0;
}

/* Steps st (bound) and gathers its rows, size bytes each, into a new array:
 * out is the address of the caller's T *. Each row is filled by row(),
 * which leaves nothing to free when it fails; on an error the rows so far
 * go to free_rows() and *out, *n are untouched. */
static int collect_rows(struct lib_db *db, sqlite3_stmt *st, size_t size, size_t first,
			int (*row)(sqlite3_stmt *, void *), void (*free_rows)(void *, size_t),
			void *out, size_t *n)
{
	unsigned char *v = NULL;
	size_t len = 0, cap = 0;
	int rc, err = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (vec_grow(&v, &cap, len + 1, size, first)) {
			err = LIB_DB_ENOMEM;
			break;
		}
		if ((err = row(st, v + len * size)) != 0)
			break;
		len++;
	}
	if (!err && rc != SQLITE_DONE)
		err = fail(db, LIB_DB_ESQL);
	if (err) {
		free_rows(v, len);
		return err;
	}
	void *p = v;
	memcpy(out, &p, sizeof p);
	*n = len;
	return 0;
}

static void tracks_free(void *t, size_t n)
{
	lib_tracks_free(t, n);
}

/* Runs st (bound) and collects its track rows. */
static int collect(struct lib_db *db, sqlite3_stmt *st, struct lib_track **out, size_t *n)
{
	int err = collect_rows(db, st, sizeof **out, 64, row_track, tracks_free, out, n);
	sqlite3_reset(st);
	return err;
}

int lib_db_tracks(struct lib_db *db, struct lib_track **out, size_t *n)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (db->empty)
		return 0;
	if (sqlite3_prepare_v2(db->db, "SELECT " TRACK_COLS " FROM tracks ORDER BY path", -1, &st,
			       NULL) != SQLITE_OK)
		return fail(db, LIB_DB_ESQL);
	int err = collect(db, st, out, n);
	sqlite3_finalize(st);
	return err;
}

int lib_db_find(struct lib_db *db, const char *path, struct lib_track *out)
{
	memset(out, 0, sizeof *out);
	if (db->empty)
		return LIB_DB_ENOTFOUND;
	sqlite3_bind_text(db->find, 1, path, -1, SQLITE_STATIC);
	int rc = sqlite3_step(db->find), err;
	if (rc == SQLITE_ROW)
		err = row_track(db->find, out);
	else if (rc == SQLITE_DONE)
		err = LIB_DB_ENOTFOUND;
	else
		err = fail(db, LIB_DB_ESQL);
	sqlite3_reset(db->find);
	sqlite3_clear_bindings(db->find);
	return err;
}

static int count_of(struct lib_db *db, const char *sql, size_t *n)
{
	sqlite3_stmt *st;
	*n = 0;
	if (db->empty)
		return 0;
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, LIB_DB_ESQL);
	int err = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(st, 0);
	else
		err = fail(db, LIB_DB_ESQL);
	sqlite3_finalize(st);
	return err;
}

int lib_db_count(struct lib_db *db, size_t *n)
{
	return count_of(db, "SELECT count(*) FROM tracks", n);
}

int lib_db_count_mood(struct lib_db *db, size_t *n)
{
	return count_of(db, "SELECT count(*) FROM tracks WHERE valence >= -1.5", n);
}

int lib_db_nearest(struct lib_db *db, float v, float a, size_t n,
		   struct lib_track **out, size_t *got)
{
	*out = NULL;
	*got = 0;
	if (n == 0 || db->empty)
		return 0;
	size_t total;
	int err = lib_db_count(db, &total);
	if (err)
		return err;
	/* Grow a box around (v, a) until it holds n tracks; the n nearest in a
	 * box of half-width r are the true nearest only within distance r, so
	 * the last ones are checked by one more query of radius = their distance. */
	for (double r = 0.05;; r *= 2) {
		int all = r >= 4;
		sqlite3_bind_double(db->near, 1, v);
		sqlite3_bind_double(db->near, 2, a);
		sqlite3_bind_double(db->near, 3, all ? 1e9 : r);
		sqlite3_bind_int64(db->near, 4, (sqlite3_int64)n);
		struct lib_track *t;
		size_t k;
		if ((err = collect(db, db->near, &t, &k)) != 0)
			return err;
		if (k < n && k < total && !all) {
			lib_tracks_free(t, k);
			continue;
		}
		double far = k ? hypot(t[k - 1].valence - v, t[k - 1].arousal - a) : 0;
		if (all || far <= r) {
			*out = t;
			*got = k;
			return 0;
		}
		/* The box may miss closer tracks in its corners' blind spots:
		 * query again with r = far (one last round). */
		lib_tracks_free(t, k);
		r = far / 2 * 1.0001;
		if (r < 0.025)
			r = 0.025;
	}
}

/* --- scanner side --------------------------------------------------------- */

void lib_entries_free(struct lib_entry *e, size_t n)
{
	for (size_t i = 0; e && i < n; i++) {
		free(e[i].path);
		free(e[i].model);
	}
	free(e);
}

static int row_entry(sqlite3_stmt *st, void *p)
{
	struct lib_entry *e = p;
	e->path = dup_col(st, 0);
	e->id = sqlite3_column_int64(st, 1);
	e->mtime = sqlite3_column_int64(st, 2);
	e->size = sqlite3_column_int64(st, 3);
	e->feature_version = sqlite3_column_int(st, 4);
	e->model = dup_col(st, 5);
	e->failed = sqlite3_column_int(st, 6);
	if (!e->path || !e->model) {
		free(e->path);
		free(e->model);
		return LIB_DB_ENOMEM;
	}
	return 0;
}

static void entries_free(void *e, size_t n)
{
	lib_entries_free(e, n);
}

int lib_db_entries(struct lib_db *db, struct lib_entry **out, size_t *n)
{
	sqlite3_stmt *st;
	*out = NULL;
	*n = 0;
	if (db->empty)
		return 0;
	if (sqlite3_prepare_v2(db->db,
		"SELECT path, id, mtime, size, feature_version, model, 0 FROM tracks UNION ALL"
		" SELECT path, 0, mtime, size, feature_version, '', 1 FROM failures", -1, &st,
		NULL) != SQLITE_OK)
		return fail(db, LIB_DB_ESQL);
	int err = collect_rows(db, st, sizeof **out, 1024, row_entry, entries_free, out, n);
	sqlite3_finalize(st);
	return err;
}

static int step_done(struct lib_db *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	int err = rc == SQLITE_DONE ? 0 : fail(db, LIB_DB_ESQL);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return err;
}

int lib_db_put(struct lib_db *db, const struct lib_record *r)
{
	sqlite3_stmt *st = db->put;
	const struct lib_track *t = &r->t;
	sqlite3_bind_text(st, 1, t->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, r->mtime);
	sqlite3_bind_int64(st, 3, r->size);
	sqlite3_bind_text(st, 4, t->title ? t->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, t->artist ? t->artist : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, t->album ? t->album : "", -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, t->trackno);
	sqlite3_bind_double(st, 8, t->duration);
	sqlite3_bind_int(st, 9, t->rate);
	sqlite3_bind_int(st, 10, t->channels);
	sqlite3_bind_double(st, 11, t->lufs);
	sqlite3_bind_double(st, 12, t->lra);
	sqlite3_bind_double(st, 13, r->peak);
	sqlite3_bind_double(st, 14, r->tempo);
	sqlite3_bind_double(st, 15, r->mode);
	sqlite3_bind_int(st, 16, r->key);
	if (r->features && r->nfeat > 0)
		sqlite3_bind_blob(st, 17, r->features, (int)(sizeof(float) * r->nfeat), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 17);
	sqlite3_bind_int(st, 18, r->feature_version);
	sqlite3_bind_double(st, 19, mood_out(t->valence));
	sqlite3_bind_double(st, 20, mood_out(t->arousal));
	sqlite3_bind_text(st, 21, r->model ? r->model : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 22, (sqlite3_int64)time(NULL));
	int err = step_done(db, st);
	if (!err) {
		sqlite3_bind_text(db->del_fail, 1, t->path, -1, SQLITE_STATIC);
		err = step_done(db, db->del_fail);
	}
	return err;
}

int lib_db_put_failure(struct lib_db *db, const char *path, int64_t mtime, int64_t size,
		       int feature_version, const char *why)
{
	sqlite3_bind_text(db->del, 1, path, -1, SQLITE_STATIC);
	int err = step_done(db, db->del);
	if (err)
		return err;
	sqlite3_stmt *st = db->put_fail;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, mtime);
	sqlite3_bind_int64(st, 3, size);
	sqlite3_bind_int(st, 4, feature_version);
	sqlite3_bind_text(st, 5, why ? why : "", -1, SQLITE_STATIC);
	return step_done(db, st);
}

int lib_db_remove(struct lib_db *db, const char *path)
{
	sqlite3_bind_text(db->del, 1, path, -1, SQLITE_STATIC);
	int err = step_done(db, db->del);
	if (!err) {
		sqlite3_bind_text(db->del_fail, 1, path, -1, SQLITE_STATIC);
		err = step_done(db, db->del_fail);
	}
	return err;
}

int lib_db_features(struct lib_db *db, int64_t id, float *f, int nfeat)
{
	if (db->empty)
		return LIB_DB_ENOTFOUND;
	sqlite3_bind_int64(db->feat, 1, id);
	int rc = sqlite3_step(db->feat), err = LIB_DB_ENOTFOUND;
	if (rc == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(db->feat, 0);
		int len = sqlite3_column_bytes(db->feat, 0);
		if (b && len == (int)(sizeof(float) * nfeat)) {
			memcpy(f, b, (size_t)len);
			err = 0;
		}
	} else if (rc != SQLITE_DONE) {
		err = fail(db, LIB_DB_ESQL);
	}
	sqlite3_reset(db->feat);
	sqlite3_clear_bindings(db->feat);
	return err;
}

int lib_db_set_mood(struct lib_db *db, int64_t id, float v, float a, const char *model)
{
	sqlite3_bind_int64(db->mood, 1, id);
	sqlite3_bind_double(db->mood, 2, mood_out(v));
	sqlite3_bind_double(db->mood, 3, mood_out(a));
	sqlite3_bind_text(db->mood, 4, model, -1, SQLITE_STATIC);
	return step_done(db, db->mood);
}
