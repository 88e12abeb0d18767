/* lib_scan_db: the coordinator's writes to the index. Results are held
 * and written in one short transaction at least once a second (or every
 * BATCH_ROWS rows); the rows a transaction wrote are counted only once it
 * committed; a failed write names the database and stops the scan. See
 * lib_scan.h; lib_scan_priv.h for the thread rules. */
#include "lib_scan_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_ROWS 64
#define BATCH_SECONDS 1.0

/* A write failed: the first failure names the database file and SQLite's
 * reason (snap.why); the scan stops. what: the file being written, or
 * NULL (begin, commit). */
void lib_scan_db_failed(struct lib_scan *s, const char *what)
{
	if (what)
		lib_scan_report(s, what, "not indexed: %s: database error: %s", s->db_path,
			lib_db_errmsg(s->db));
	s->dberr = 1;
	pthread_mutex_lock(&s->lock);
	if (!s->snap.error) {
		s->snap.error = LIB_SCAN_EDB;
		snprintf(s->snap.why, sizeof s->snap.why, "%s: database error: %s", s->db_path,
			 lib_db_errmsg(s->db));
	}
	pthread_mutex_unlock(&s->lock);
	lib_scan_cancel(s);
}

/* Ends the open transaction; the rows it wrote are counted only once
 * COMMIT succeeded (a failed write may have made SQLite roll it back). */
void lib_scan_commit(struct lib_scan *s, int reopen)
{
	if (s->in_tx) {
		int ok = 0;
		if (!lib_db_in_tx(s->db))
			;  /* rolled back by SQLite after a failed write */
		else if (lib_db_commit(s->db)) {
			lib_scan_db_failed(s, NULL);
			lib_db_rollback(s->db);
		} else {
			ok = 1;
		}
		pthread_mutex_lock(&s->lock);
		if (ok) {
			s->snap.added += s->tx_added;
			s->snap.updated += s->tx_updated;
			s->snap.remood += s->tx_remood;
			s->snap.removed += s->tx_removed;
		}
		pthread_mutex_unlock(&s->lock);
		s->tx_added = s->tx_updated = s->tx_remood = s->tx_removed = 0;
		s->in_tx = 0;
	}
	s->batch = 0;
	clock_gettime(CLOCK_MONOTONIC, &s->last_commit);
	if (reopen && !s->dberr) {
		if (lib_db_begin(s->db))
			lib_scan_db_failed(s, "begin");
		else
			s->in_tx = 1;
	}
}

void lib_scan_bump(struct lib_scan *s, size_t *counter)
{
	pthread_mutex_lock(&s->lock);
	(*counter)++;
	pthread_mutex_unlock(&s->lock);
}

static void write_result(struct lib_scan *s, struct result *r);

/* Writes the results held back and commits: the write lock on the index is
 * held for the few milliseconds of the writes only, so the running
 * program's own writes (feedback, history) do not wait behind the scan. */
void lib_scan_flush(struct lib_scan *s)
{
	while (s->ready_h) {
		struct result *r = s->ready_h;
		s->ready_h = r->next;
		s->nready--;
		write_result(s, r);
	}
	s->ready_t = NULL;
	lib_scan_commit(s, 0);
}

void lib_scan_maybe_commit(struct lib_scan *s)
{
	size_t n = s->batch + s->nready;
	if (n >= BATCH_ROWS || (n && lib_scan_since(&s->last_commit) >= BATCH_SECONDS))
		lib_scan_flush(s);
}

/* The file name without folders and extension. */
static void base_title(const char *path, char *buf, size_t n)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(buf, n, "%s", b);
	char *dot = strrchr(buf, '.');
	if (dot && dot != buf)
		*dot = 0;
}

static void write_result(struct lib_scan *s, struct result *r)
{
	struct job *j = r->job;
	int dberr = 0;
	if (!s->in_tx)
		lib_scan_commit(s, 1);
	if (r->status == RES_OK) {
		char title[256];
		const struct analysis_tags *t = &r->r.tags;
		if (t->title[0])
			snprintf(title, sizeof title, "%s", t->title);
		else
			base_title(j->path, title, sizeof title);
		struct lib_record rec = {
			.t = { .path = j->path, .title = title, .artist = (char *)t->artist,
			       .album = (char *)t->album, .trackno = t->trackno,
			       .duration = t->duration, .rate = t->rate, .channels = t->channels,
			       .lufs = r->r.lufs, .lra = r->r.lra, .valence = r->v, .arousal = r->a },
			.mtime = j->mtime, .size = j->size, .peak = r->r.peak, .tempo = r->r.tempo,
			.mode = r->r.mode, .key = r->r.key, .features = r->r.feat,
			.nfeat = ANALYSIS_NFEAT, .feature_version = ANALYSIS_VERSION,
			.model = musicmood_id(s->mm),
		};
		dberr = s->in_tx ? lib_db_put(s->db, &rec) : LIB_DB_ESQL;
		if (!dberr)
			(*(j->existing ? &s->tx_updated : &s->tx_added))++;
		pthread_mutex_lock(&s->lock);
		s->snap.audio_s += t->duration;
		pthread_mutex_unlock(&s->lock);
	} else if (r->status == RES_FAILED) {
		lib_scan_report(s, j->path, "%s (skipped)", r->why);
		dberr = s->in_tx ? lib_db_put_failure(s->db, j->path, j->mtime, j->size,
						      ANALYSIS_VERSION, r->why) : 0;
		lib_scan_bump(s, &s->snap.failed);
	} else {
		lib_scan_report(s, j->path, "vanished during the scan (skipped)");
		dberr = s->in_tx ? lib_db_remove(s->db, j->path) : 0;
		lib_scan_bump(s, &s->snap.skipped);
	}
	if (dberr && !s->dberr)
		lib_scan_db_failed(s, j->path);
	s->batch++;
	pthread_mutex_lock(&s->lock);
	s->snap.done++;
	pthread_mutex_unlock(&s->lock);
	s->pending--;
	free(j->path);
	free(j);
	free(r);
	lib_scan_wake(s);
}

/* Writes the results that are ready; with wait, waits for at least one
 * (or a timeout). Drops queued jobs once cancelled. */
void lib_scan_drain(struct lib_scan *s, int wait)
{
	pthread_mutex_lock(&s->lock);
	if (wait && !s->rh && !s->cancel) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 200 * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->res_cv, &s->lock, &until);
	}
	struct result *list = s->rh;
	s->rh = s->rt = NULL;
	struct job *dropped = NULL;
	if (s->cancel) {
		dropped = s->jh;
		s->jh = s->jt = NULL;
		s->njobs = 0;
	}
	pthread_mutex_unlock(&s->lock);
	while (dropped) {
		struct job *n = dropped->next;
		free(dropped->path);
		free(dropped);
		s->pending--;
		dropped = n;
	}
	while (list) {
		struct result *n = list->next;
		list->next = NULL;
		if (s->ready_t)
			s->ready_t->next = list;
		else
			s->ready_h = list;
		s->ready_t = list;
		s->nready++;
		list = n;
	}
	lib_scan_maybe_commit(s);
}
