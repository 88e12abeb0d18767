/*
 * lib_db: the music library index, an SQLite file in WAL mode.
 *
 * Table `tracks` holds one row per analysed file, keyed by path, with the
 * file's mtime and size (what a rescan compares), tags, duration, loudness,
 * the feature vector (BLOB of float32, analysis.h layout), its
 * feature_version, valence/arousal and the id of the mood model that
 * computed them. Table `failures` remembers files that could not be analysed
 * (with mtime, size and the reason) so that an unchanged bad file is not
 * decoded again on every scan. Migrations are keyed by PRAGMA user_version.
 *
 * Writes are meant to be batched: lib_db_begin() ... lib_db_commit(). A
 * process killed at any point leaves the last committed state (WAL).
 *
 * One struct lib_db is used by one thread at a time. Strings in the structs
 * below are owned by the struct and freed by lib_track_clear()/
 * lib_tracks_free()/lib_entries_free().
 */
#ifndef EMOTUNE_LIB_DB_H
#define EMOTUNE_LIB_DB_H

#include <stddef.h>
#include <stdint.h>

struct sqlite3;
struct lib_db;

enum lib_db_err {
	LIB_DB_OK = 0,
	LIB_DB_ENOMEM = -1,     /* out of memory */
	LIB_DB_EOPEN = -2,      /* the file cannot be opened or created (see lib_db_errmsg) */
	LIB_DB_ESQL = -3,       /* an SQLite call failed (see lib_db_errmsg) */
	LIB_DB_ENOTFOUND = -4,  /* no such track */
	LIB_DB_EVERSION = -5,   /* the file was written by a newer emotune */
	LIB_DB_ECORRUPT = -6,   /* not an emotune library (or damaged) */
	LIB_DB_EREADONLY = -7,  /* the file cannot be written (read-only file, folder or
				 * file system); see lib_db_errmsg */
};

/* Schema version written by this build (PRAGMA user_version). */
#define LIB_DB_SCHEMA 1

struct lib_track {
	int64_t id;
	char *path;
	char *title;            /* tag, else the file name without extension */
	char *artist;           /* tag, else "" */
	char *album;            /* tag, else "" */
	int trackno;            /* 0: unknown */
	double duration;        /* seconds */
	int rate, channels;
	double lufs, lra;       /* integrated loudness (LUFS), loudness range (LU) */
	float valence, arousal; /* [-1, 1]; NAN for a track without a mood
				 * (silence), which lib_db_nearest() never returns */
};

/* Opens (creating directories, file and schema as needed) the index at path
 * for reading and writing. LIB_DB_EREADONLY when it cannot be written.
 * On failure SQLite's reason is written to why[n] (why may be NULL). */
int lib_db_open(const char *path, struct lib_db **out, char *why, size_t n);
/* Opens an existing index read-only (SQLITE_OPEN_READONLY; nothing is
 * created or migrated): for commands that only read. A file without the
 * schema yet (empty) is an empty library. A WAL index in a folder where
 * SQLite cannot create its -shm file is read as immutable. The writing
 * functions fail on such a handle (LIB_DB_ESQL, or none prepared). */
int lib_db_open_ro(const char *path, struct lib_db **out, char *why, size_t n);
void lib_db_close(struct lib_db *db);

/* All analysed tracks, ordered by path. Free with lib_tracks_free(). */
int lib_db_tracks(struct lib_db *db, struct lib_track **out, size_t *n);
void lib_tracks_free(struct lib_track *t, size_t n);

/* The track at path; LIB_DB_ENOTFOUND if none. Free fields with lib_track_clear(). */
int lib_db_find(struct lib_db *db, const char *path, struct lib_track *out);
void lib_track_clear(struct lib_track *t);

/* The n tracks with a mood nearest (Euclidean, valence/arousal plane) to (v, a), nearest
 * first; *got may be less than n. Free with lib_tracks_free(). */
int lib_db_nearest(struct lib_db *db, float v, float a, size_t n,
		   struct lib_track **out, size_t *got);

/* Number of tracks; of those with a mood (what lib_db_nearest() returns). */
int lib_db_count(struct lib_db *db, size_t *n);
int lib_db_count_mood(struct lib_db *db, size_t *n);

/* Borrowed: the recommender keeps its own tables in the same file. */
struct sqlite3 *lib_db_sqlite(struct lib_db *db);

const char *lib_db_strerror(int err);
/* SQLite's message for the last failure on db (borrowed). */
const char *lib_db_errmsg(struct lib_db *db);

/* --- for the scanner ----------------------------------------------------- */

/* What a rescan compares, for every row of both tables. */
struct lib_entry {
	char *path;
	int64_t id;             /* 0 for a failure */
	int64_t mtime, size;
	int feature_version;
	char *model;            /* mood model id ("" for failures) */
	int failed;             /* row of `failures` */
};
int lib_db_entries(struct lib_db *db, struct lib_entry **out, size_t *n);
void lib_entries_free(struct lib_entry *e, size_t n);

/* A complete analysed row. */
struct lib_record {
	struct lib_track t;     /* id ignored */
	int64_t mtime, size;
	double peak, tempo, mode;
	int key;
	const float *features;
	int nfeat;
	int feature_version;
	const char *model;
};

int lib_db_begin(struct lib_db *db);
/* 1 while a transaction is open (SQLite ends one itself after some
 * failures, e.g. a full disk), else 0. */
int lib_db_in_tx(struct lib_db *db);
int lib_db_commit(struct lib_db *db);
int lib_db_rollback(struct lib_db *db);
/* Inserts or replaces the row of r->t.path (and drops its failure). */
int lib_db_put(struct lib_db *db, const struct lib_record *r);
/* Remembers that path (mtime, size) could not be analysed, and why. */
int lib_db_put_failure(struct lib_db *db, const char *path, int64_t mtime, int64_t size,
		       int feature_version, const char *why);
/* Forgets path in both tables. */
int lib_db_remove(struct lib_db *db, const char *path);
/* The stored feature vector of track id (nfeat floats); LIB_DB_ENOTFOUND
 * when absent or of another length. */
int lib_db_features(struct lib_db *db, int64_t id, float *f, int nfeat);
/* Replaces the mood of track id. */
int lib_db_set_mood(struct lib_db *db, int64_t id, float v, float a, const char *model);

#endif
