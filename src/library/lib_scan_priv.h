/*
 * lib_scan_priv.h: what the parts of the scan share (not for other
 * modules; their contract is lib_scan.h).
 *
 *   lib_scan.c       names, messages, snapshot, cancel, the analysis
 *                    workers, start and free
 *   lib_scan_walk.c  the coordinator thread: walk the roots, compare each
 *                    file with the index (queue it, re-rate it or count it
 *                    unchanged), prune
 *   lib_scan_db.c    the coordinator's writes: results held and written in
 *                    short batched transactions, counted when they commit
 *
 * Thread rules: the fields above "coordinator only" in struct lib_scan
 * are guarded by lock (the lists, snap, cancel, closed), except those set
 * by lib_scan_start_opts before the threads start and only read after
 * (pipe, db_path, mm, excerpt, roots, delay_ms); the fields below it and
 * the database connection belong to the coordinator thread. Functions
 * declared here take the lock themselves where they need it: callers do
 * not hold it.
 *
 * Ownership: jobs and results are owned by the list they are on, then by
 * the coordinator, which frees them once written.
 */
#ifndef EMOTUNE_LIB_SCAN_PRIV_H
#define EMOTUNE_LIB_SCAN_PRIV_H

#include "lib_scan.h"
#include "analysis.h"
#include "lib_db.h"
#include "musicmood.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

enum { RES_OK, RES_FAILED, RES_VANISHED };

struct job {
	struct job *next;
	char *path;
	int64_t mtime, size;
	int existing;
};

struct result {
	struct result *next;
	struct job *job;
	int status;
	char why[256];
	struct analysis_result r;
	float v, a;
};

struct msg {
	struct msg *next;
	char text[];
};

struct devino {
	dev_t dev;
	ino_t ino;
	int used;
};

struct lib_scan {
	pthread_mutex_t lock;
	pthread_cond_t job_cv, res_cv;
	struct job *jh, *jt;
	size_t njobs;            /* jobs in the list */
	uint64_t rng;            /* which job a worker takes next (xorshift) */
	int delay_ms;            /* EMOTUNE_TEST_SCAN_DELAY_MS: added to each analysis */
	int closed;
	struct result *rh, *rt;
	struct msg *mh, *mt;
	size_t nmsg;
	int cancel;
	struct lib_scan_snapshot snap;
	int pipe[2];
	pthread_t coord;
	int coord_started;
	pthread_t *workers;
	int nworkers;
	struct lib_db *db;
	char *db_path;
	struct musicmood *mm;
	double excerpt;
	char **roots;
	size_t nroots;
	struct timespec t0;
	/* coordinator only */
	struct lib_entry *ent;
	size_t nent, hcap;
	size_t *hash;            /* index + 1, 0 = empty */
	unsigned char *seen;
	char **bad;              /* unreadable directories: keep rows under them */
	size_t nbad;
	struct devino *dirs;
	size_t ndirs, dcap;
	size_t pending;          /* queued jobs not yet written */
	struct result *ready_h, *ready_t;  /* results held until the next commit */
	size_t nready;
	size_t batch;
	struct timespec last_commit;
	int in_tx;
	int dberr;
	/* rows written in the open transaction: counted when it commits */
	size_t tx_added, tx_updated, tx_remood, tx_removed;
};

/* lib_scan.c */
void lib_scan_wake(struct lib_scan *s);
double lib_scan_since(const struct timespec *t);   /* seconds since t (monotonic) */
/* Queues a message "PATH: why" (path escaped) for lib_scan_message(). */
void lib_scan_report(struct lib_scan *s, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int lib_scan_cancelled(struct lib_scan *s);

/* lib_scan_walk.c: the coordinator thread (arg: the scan) and the index
 * of known paths it compares with (built before it starts). */
void *lib_scan_coordinator(void *arg);
int lib_scan_build_hash(struct lib_scan *s);

/* lib_scan_db.c: coordinator thread only */
void lib_scan_bump(struct lib_scan *s, size_t *counter);   /* ++ under the lock */
void lib_scan_db_failed(struct lib_scan *s, const char *what);
void lib_scan_commit(struct lib_scan *s, int reopen);
void lib_scan_flush(struct lib_scan *s);
void lib_scan_maybe_commit(struct lib_scan *s);
void lib_scan_drain(struct lib_scan *s, int wait);

#endif
