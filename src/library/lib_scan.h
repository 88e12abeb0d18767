/*
 * lib_scan: walks library roots and keeps the index (lib_db) in step with
 * them, analysing new and changed files in parallel.
 *
 * A scan runs in its own threads: one coordinator (walks the roots, owns the
 * database connection, writes results in batched transactions, prunes) and
 * `jobs` analysis workers. The caller (the CLI, or the running program in the
 * background) polls lib_scan_wake_fd(), which becomes readable whenever the
 * progress changes, and copies the progress with lib_scan_snapshot(); per-file
 * messages (skipped files and why) are popped with lib_scan_message().
 *
 * Walk: directories recursively, following symbolic links but visiting each
 * directory once (loops are harmless); unreadable directories are reported
 * and the index entries under them kept. Files are considered when their
 * extension is one of an audio format libsndfile or FFmpeg reads
 * (lib_scan_is_audio_name(): WAV, FLAC, MP3, Ogg, Opus, AIFF, CAF, M4A/MP4
 * (AAC, ALAC), WMA, Matroska/WebM, WavPack, APE...); a file no decoder
 * reads is counted as failed with the reason ("unsupported format"). Names that are
 * not valid UTF-8 or contain control characters (newline, tab...) are skipped
 * with a message: they could not be printed one per line.
 * Order: workers take the queued files in a random order, so the analysed
 * part of the library (committed at least once a second: candidates for
 * the running program at once) spreads over its folders and albums.
 * Test hook: EMOTUNE_TEST_SCAN_DELAY_MS=N adds N ms to each analysis.
 * Rescan: a file whose mtime and size match its row is not decoded again;
 * when only the mood model changed, valence/arousal are recomputed from the
 * stored features; when ANALYSIS_VERSION changed, it is analysed again. Files
 * that failed before and did not change are not retried (counted as failed).
 * Prune: after a complete walk, rows under the scanned roots whose files are
 * gone are removed (not after a cancelled walk, not under unreadable dirs).
 * lib_scan_cancel() stops early; every finished analysis is committed.
 *
 * Ownership: lib_scan_start() returns a scan freed by lib_scan_free() (which
 * cancels it if still running and joins the threads).
 */
#ifndef EMOTUNE_LIB_SCAN_H
#define EMOTUNE_LIB_SCAN_H

#include <stddef.h>

enum lib_scan_err {
	LIB_SCAN_OK = 0,
	LIB_SCAN_ENOMEM = -1,
	LIB_SCAN_EDB = -2,       /* library database error (see why / message) */
	LIB_SCAN_EMODEL = -3,    /* mood model missing or refused (see why) */
	LIB_SCAN_ETHREAD = -4,   /* threads or pipe could not be created */
	LIB_SCAN_EROOT = -5,     /* a root could not be read (the scan went on) */
};

struct lib_scan;

struct lib_scan_opts {
	int jobs;                /* analysis threads; <= 0: all cores */
	double excerpt_s;        /* < 0: default ANALYSIS_EXCERPT_S; 0: whole tracks */
	const char *cfg, *weights, *norm;  /* mood model; NULL: defaults (musicmood.h) */
};

struct lib_scan_snapshot {
	size_t found;            /* audio files seen by the walk so far */
	size_t total;            /* files queued for analysis so far */
	size_t done;             /* of those, finished (analysed or failed) */
	size_t added, updated;   /* new rows, re-analysed rows (committed ones only) */
	size_t unchanged;        /* rows kept as they were */
	size_t remood;           /* rows whose mood was recomputed (new model; committed) */
	size_t failed;           /* files that could not be analysed (incl. known bad ones) */
	size_t skipped;          /* bad names, vanished files, unreadable dirs */
	size_t removed;          /* rows pruned (committed) */
	size_t bad_roots;        /* roots that could not be read (reported, nothing pruned there) */
	double audio_s;          /* seconds of audio analysed */
	double elapsed_s;        /* since the start */
	int walking;             /* the walk is still going */
	int finished;            /* the coordinator has stopped: nothing more will change */
	int cancelled;
	int error;               /* 0, or a fatal negative lib_scan_err (db failure) */
	char why[320];           /* with error: "DB: database error: SQLite's reason" */
	char current[512];       /* the file a worker started last */
};

/* roots: NULL-terminated. Opens the database and the model before returning
 * (errors are reported here, why filled), then scans in the background. */
int lib_scan_start_opts(const char *db_path, const char *const *roots,
			const struct lib_scan_opts *o, struct lib_scan **out, char *why, size_t n);
int lib_scan_start(const char *db_path, const char *const *roots, int jobs,
		   struct lib_scan **out);

void lib_scan_snapshot(struct lib_scan *s, struct lib_scan_snapshot *snap);
/* Readable when progress changed; drain it (read until EAGAIN). Borrowed. */
int lib_scan_wake_fd(struct lib_scan *s);
/* Pops the oldest message ("PATH: why"); 1 if one was copied, 0 if none. */
int lib_scan_message(struct lib_scan *s, char *buf, size_t n);
/* Asks the scan to stop; returns at once. Safe from any thread. */
void lib_scan_cancel(struct lib_scan *s);
/* Waits for the end of the scan. */
void lib_scan_wait(struct lib_scan *s);
void lib_scan_free(struct lib_scan *s);

/* 1 when name ends with an audio file extension (case-insensitive). */
int lib_scan_is_audio_name(const char *name);
/* 1 when s is valid UTF-8 without control characters. */
int lib_scan_name_ok(const char *s);
/* Writes s with control characters and invalid UTF-8 escaped (\n, \xNN). */
void lib_scan_escape(const char *s, char *buf, size_t n);

const char *lib_scan_strerror(int err);

#endif
