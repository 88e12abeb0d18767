/*
 * history: the listener's mood over time, kept in the library's SQLite file
 * (tables mood_history and history_tracks, created on first use: an older
 * database gains them by migration), with batched writes, retention, range
 * queries, the summary (time per mood, tracks played most per mood), time
 * parsing and the TSV record format.
 *
 * A row: time (unix ms, the table's integer key: rows are kept in time
 * order), state (mood from the camera, no face, or set by hand), mood class
 * (-1 uncertain), valence, arousal, confidence (stored in thousandths), the
 * number of faces, the strategy, the track playing (id into
 * history_tracks). Never an image, a face box or anything else that
 * identifies a person.
 *
 * The recorder (history_rec_*) is fed a sample several times a second and
 * writes a row when the state, mood, strategy or track changes, and at
 * least every HISTORY_PERIOD_S while a face is seen or a mood is set by
 * hand. Rows wait in memory and are written in one transaction when
 * HISTORY_BATCH are pending or the oldest is HISTORY_FLUSH_S old, and at
 * history_rec_free(). Rows older than the retention are pruned when the
 * recorder starts and once a day after. A write that fails turns the
 * recorder off for the session (the caller reports it once); playback does
 * not depend on it.
 *
 * The database handle is borrowed (lib_db_sqlite()). One thread at a time
 * per recorder; the readers (history_query, history_clear) take the handle
 * of whoever calls them.
 */
#ifndef EMOTUNE_HISTORY_H
#define EMOTUNE_HISTORY_H

#include <stddef.h>

#include "vocab.h"

struct sqlite3;
struct history_rec;

enum history_err {
	HISTORY_OK = 0,
	HISTORY_ENOMEM = -1,
	HISTORY_EDB = -2,       /* SQLite failed */
	HISTORY_ECORRUPT = -3,  /* the table is not emotune's (see history_clear) */
	HISTORY_EINVAL = -4,
	HISTORY_EOFF = -5,      /* the recorder stopped after a failed write */
};

#define HISTORY_PERIOD_S 60.0   /* a row at least this often while a face is seen */
#define HISTORY_SPAN_S 90.0     /* a row stands for at most this long (summary, charts) */
#define HISTORY_BATCH 64        /* rows written in one transaction */
#define HISTORY_FLUSH_S 300.0   /* the longest a row waits in memory */
#define HISTORY_TOP 3           /* tracks listed per mood in the summary */

enum history_state {
	HISTORY_CAMERA = 0,     /* mood from the camera: a class, or -1 uncertain */
	HISTORY_NOFACE = 1,     /* no face seen (or the camera off) */
	HISTORY_MANUAL = 2,     /* mood set by hand */
};

struct history_row {
	double t;               /* unix time, seconds (ms resolution) */
	enum history_state state;
	int mood;               /* class 0..6, -1 uncertain (or no face) */
	float valence, arousal; /* [-1, 1] */
	float confidence;       /* [0, 1] */
	int faces;
	int strategy;           /* enum vocab_strategy */
	char *track;            /* path of the track playing, NULL: none; owned */
};

/* One observation; track is borrowed (NULL or "": nothing playing). */
struct history_sample {
	double t;               /* unix time, seconds */
	enum history_state state;
	int mood;
	float valence, arousal, confidence;
	int faces;
	int strategy;
	const char *track;
};

/* Creates the tables if missing (migration of older databases). Returns
 * HISTORY_ECORRUPT when a table of that name has other columns. */
int history_init(struct sqlite3 *db);

/* Deletes the rows older than now - days (days <= 0: keeps everything)
 * and the track names no row uses any more. */
int history_prune(struct sqlite3 *db, double now, int days);

/* Removes every row and track name (drops and recreates the tables, so a
 * damaged table is replaced), overwriting the freed pages (secure_delete)
 * and truncating the write-ahead log. */
int history_clear(struct sqlite3 *db);

/* --- recorder ----------------------------------------------------------- */

/* Inits the tables, prunes rows older than days (at now). */
int history_rec_new(struct sqlite3 *db, int days, double now, struct history_rec **out);
/* Ends with a no-face row at the last sample's time (nobody is observed
 * after the program stops), writes what is pending and frees. */
void history_rec_free(struct history_rec *r);
/* Takes one sample: 1 when it made a row, 0 when not, a negative
 * history_err when a write failed (returned once: the recorder is off from
 * then on and returns 0). */
int history_rec_observe(struct history_rec *r, const struct history_sample *s);
/* Writes the pending rows now. */
int history_rec_flush(struct history_rec *r);
/* Rows written so far by this recorder (for tests and benchmarks). */
size_t history_rec_written(const struct history_rec *r);
/* history_query() on the recorder's database plus its pending rows. */
int history_rec_query(struct history_rec *r, double since, double until, size_t last,
		      struct history_row **out, size_t *n);

/* --- readers ------------------------------------------------------------ */

/* Rows with since <= t < until in time order (a missing table: none);
 * last > 0 keeps only the last that many. Rows with values out of range are
 * clamped, unreadable ones skipped. Free with history_rows_free(). */
int history_query(struct sqlite3 *db, double since, double until, size_t last,
		  struct history_row **out, size_t *n);
void history_rows_free(struct history_row *rows, size_t n);

/* How long row i stands for within [since, until): until the next row, at
 * most HISTORY_SPAN_S (pure). */
double history_row_span(const struct history_row *rows, size_t n, size_t i, double since,
			double until);

/* Summary keys: the seven classes, then uncertain. No-face time is left out
 * (no rows are written while nobody is there). */
#define HISTORY_NKEYS (VOCAB_NCLASSES + 1)
struct history_top {
	const char *track;      /* borrowed from the rows */
	double seconds;
};
struct history_summary {
	double seconds[HISTORY_NKEYS];
	double total;           /* sum of seconds[] */
	struct history_top top[HISTORY_NKEYS][HISTORY_TOP];
	int ntop[HISTORY_NKEYS];
};
/* Time per mood (rows set by hand count under their mood) and per mood the
 * tracks that played longest, over [since, until) (pure). */
int history_summarize(const struct history_row *rows, size_t n, double since, double until,
		      struct history_summary *out);
/* Key of a row for the summary: class, VOCAB_NCLASSES for uncertain, -1
 * for no face. */
int history_key(const struct history_row *r);

/* --- names, times, records ---------------------------------------------- */

/* "happy", "uncertain"; key VOCAB_NCLASSES = "uncertain". */
const char *history_key_name(int key);
/* The mood column: "happy", "uncertain", "none" (no face), "manual:happy". */
void history_mood_text(const struct history_row *r, char *buf, size_t n);

/* Parses a TIME argument (see emotune(1)): ISO 8601 date and time in local
 * time or with Z/+HH:MM ("2026-12-03", "2026-12-03T14:05[:30]", "14:05"
 * today), relative ("-1h", "-30m", "-2d", "-1w", "-1h30m"; a missing sign
 * means ago, "+" ahead), "now", "today", "yesterday", "@UNIXTIME". now is
 * the current unix time. 0 or HISTORY_EINVAL. */
int history_parse_time(const char *s, double now, double *out);
/* ISO 8601 local time with offset: "2026-12-03T14:05:30+01:00". */
void history_format_time(double t, char *buf, size_t n);

#define HISTORY_TSV_HEADER "# time\tmood\tvalence\tarousal\tconfidence\tfaces\tstrategy\ttrack\n"
/* One TSV line (with its newline; tabs and control bytes in the track
 * shown as '?'); returns its length as snprintf. */
int history_tsv(const struct history_row *r, char *buf, size_t n);

const char *history_strerror(int err);

#endif
