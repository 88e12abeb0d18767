/* lib_scan: walk, compare with the index, analyse in parallel. See lib_scan.h. */
#include "lib_scan.h"
#include "analysis.h"
#include "lib_db.h"
#include "musicmood.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGES 1000
#define BATCH_ROWS 64
#define BATCH_SECONDS 1.0

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

const char *lib_scan_strerror(int err)
{
	switch (err) {
	case LIB_SCAN_OK: return "success";
	case LIB_SCAN_ENOMEM: return "out of memory";
	case LIB_SCAN_EDB: return "library database error";
	case LIB_SCAN_EMODEL: return "music mood model missing or refused";
	case LIB_SCAN_ETHREAD: return "cannot start the scan threads";
	case LIB_SCAN_EROOT: return "a library folder could not be read";
	}
	return "unknown error";
}

/* --- names ----------------------------------------------------------------- */

int lib_scan_is_audio_name(const char *name)
{
	static const char *const ext[] = {
		/* libsndfile */
		"wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc", "au",
		"snd", "w64", "caf", "rf64", "voc",
		/* FFmpeg */
		"m4a", "m4b", "m4p", "mp4", "aac", "alac", "3gp", "wma", "asf", "mka", "webm",
		"wv", "ape", "mpc", "tta", "spx", "mp2", "mpga", "ac3", "dts", "tak", "dsf",
		NULL };
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return 0;
	for (size_t i = 0; ext[i]; i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return 1;
	return 0;
}

/* Length of the UTF-8 sequence at s, 0 if invalid. */
static int utf8_len(const unsigned char *s)
{
	if (s[0] < 0x80)
		return 1;
	int n;
	uint32_t c;
	if ((s[0] & 0xE0) == 0xC0) { n = 2; c = s[0] & 0x1F; }
	else if ((s[0] & 0xF0) == 0xE0) { n = 3; c = s[0] & 0x0F; }
	else if ((s[0] & 0xF8) == 0xF0) { n = 4; c = s[0] & 0x07; }
	else return 0;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return n;
}

int lib_scan_name_ok(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		if (*s < 0x20 || *s == 0x7f)
			return 0;
		int n = utf8_len(s);
		if (!n)
			return 0;
		s += n;
	}
	return 1;
}

void lib_scan_escape(const char *str, char *buf, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t j = 0;
	if (!n)
		return;
	while (*s && j + 5 < n) {
		int k = utf8_len(s);
		if (*s == '\n') { buf[j++] = '\\'; buf[j++] = 'n'; s++; }
		else if (*s == '\t') { buf[j++] = '\\'; buf[j++] = 't'; s++; }
		else if (*s == '\\') { buf[j++] = '\\'; buf[j++] = '\\'; s++; }
		else if (*s < 0x20 || *s == 0x7f || !k) {
			j += (size_t)snprintf(buf + j, n - j, "\\x%02x", *s);
			s++;
		} else {
			if (j + (size_t)k + 1 >= n)
				break;
			memcpy(buf + j, s, (size_t)k);
			j += (size_t)k;
			s += k;
		}
	}
	buf[j] = 0;
}

/* --- shared state ---------------------------------------------------------- */

static void wake(struct lib_scan *s)
{
	char c = 1;
	ssize_t r = write(s->pipe[1], &c, 1);
	(void)r;   /* a full pipe already wakes the reader */
}

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Queues a message; the caller does not hold the lock. */
static void message(struct lib_scan *s, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void message(struct lib_scan *s, const char *path, const char *fmt, ...)
{
	char esc[1024], why[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	lib_scan_escape(path, esc, sizeof esc);
	size_t len = strlen(esc) + strlen(why) + 3;
	struct msg *m = malloc(sizeof *m + len);
	if (!m)
		return;
	m->next = NULL;
	snprintf(m->text, len, "%s: %s", esc, why);
	pthread_mutex_lock(&s->lock);
	if (s->nmsg >= MAX_MESSAGES) {
		struct msg *old = s->mh;
		s->mh = old->next;
		if (!s->mh)
			s->mt = NULL;
		free(old);
		s->nmsg--;
	}
	if (s->mt)
		s->mt->next = m;
	else
		s->mh = m;
	s->mt = m;
	s->nmsg++;
	pthread_mutex_unlock(&s->lock);
	wake(s);
}

int lib_scan_message(struct lib_scan *s, char *buf, size_t n)
{
	pthread_mutex_lock(&s->lock);
	struct msg *m = s->mh;
	if (m) {
		s->mh = m->next;
		if (!s->mh)
			s->mt = NULL;
		s->nmsg--;
	}
	pthread_mutex_unlock(&s->lock);
	if (!m)
		return 0;
	snprintf(buf, n, "%s", m->text);
	free(m);
	return 1;
}

void lib_scan_snapshot(struct lib_scan *s, struct lib_scan_snapshot *snap)
{
	pthread_mutex_lock(&s->lock);
	*snap = s->snap;
	pthread_mutex_unlock(&s->lock);
	if (!snap->finished)
		snap->elapsed_s = since(&s->t0);
}

int lib_scan_wake_fd(struct lib_scan *s)
{
	return s->pipe[0];
}

void lib_scan_cancel(struct lib_scan *s)
{
	pthread_mutex_lock(&s->lock);
	s->cancel = 1;
	if (!s->snap.finished)
		s->snap.cancelled = 1;
	pthread_cond_broadcast(&s->job_cv);
	pthread_cond_broadcast(&s->res_cv);
	pthread_mutex_unlock(&s->lock);
	wake(s);
}

static int cancelled(struct lib_scan *s)
{
	pthread_mutex_lock(&s->lock);
	int c = s->cancel;
	pthread_mutex_unlock(&s->lock);
	return c;
}

/* --- workers --------------------------------------------------------------- */

/* Unlinks a job chosen at random among the queued ones (lock held, list not
 * empty): the analysis order spreads over the library's folders and albums,
 * so the first tracks indexed (the first candidates) are not one album. */
static struct job *take_job(struct lib_scan *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	size_t k = s->njobs > 1 ? (size_t)(s->rng % s->njobs) : 0;
	struct job *prev = NULL, *j = s->jh;
	for (size_t i = 0; i < k && j->next; i++) {
		prev = j;
		j = j->next;
	}
	if (prev)
		prev->next = j->next;
	else
		s->jh = j->next;
	if (s->jt == j)
		s->jt = prev;
	j->next = NULL;
	s->njobs--;
	return j;
}

static void *worker(void *arg)
{
	struct lib_scan *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->lock);
		while (!s->jh && !s->closed && !s->cancel)
			pthread_cond_wait(&s->job_cv, &s->lock);
		if (s->cancel || !s->jh) {
			pthread_mutex_unlock(&s->lock);
			break;
		}
		struct job *j = take_job(s);
		snprintf(s->snap.current, sizeof s->snap.current, "%s", j->path);
		pthread_mutex_unlock(&s->lock);
		wake(s);

		struct result *r = calloc(1, sizeof *r);
		if (!r) {
			/* Out of memory: report the job as failed without a result
			 * struct would lose it; retry later. */
			sleep(1);
			pthread_mutex_lock(&s->lock);
			j->next = s->jh;
			s->jh = j;
			if (!s->jt)
				s->jt = j;
			s->njobs++;
			pthread_mutex_unlock(&s->lock);
			continue;
		}
		r->job = j;
		struct analysis_opts o = { .excerpt_s = s->excerpt };
		int err = analysis_file(j->path, &o, &r->r, r->why, sizeof r->why);
		if (s->delay_ms > 0) {
			struct timespec d = { s->delay_ms / 1000, (long)(s->delay_ms % 1000) * 1000000L };
			while (nanosleep(&d, &d) != 0 && !cancelled(s))
				;
		}
		struct stat st;
		if (err) {
			r->status = (stat(j->path, &st) != 0 && errno == ENOENT) ? RES_VANISHED : RES_FAILED;
		} else {
			if (r->r.silent)
				r->v = r->a = NAN;      /* silence: no mood */
			else
				musicmood_predict(s->mm, r->r.feat, &r->v, &r->a, NULL);
			r->status = RES_OK;
		}
		pthread_mutex_lock(&s->lock);
		if (s->rt)
			s->rt->next = r;
		else
			s->rh = r;
		s->rt = r;
		pthread_cond_signal(&s->res_cv);
		pthread_mutex_unlock(&s->lock);
	}
	return NULL;
}

/* --- coordinator ----------------------------------------------------------- */

static uint64_t hash_str(const char *p)
{
	uint64_t h = 14695981039346656037ULL;
	for (; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	return h;
}

static int build_hash(struct lib_scan *s)
{
	s->hcap = 16;
	while (s->hcap < s->nent * 2)
		s->hcap *= 2;
	s->hash = calloc(s->hcap, sizeof *s->hash);
	s->seen = calloc(s->nent ? s->nent : 1, 1);
	if (!s->hash || !s->seen)
		return LIB_SCAN_ENOMEM;
	for (size_t i = 0; i < s->nent; i++) {
		size_t h = (size_t)hash_str(s->ent[i].path) & (s->hcap - 1);
		while (s->hash[h])
			h = (h + 1) & (s->hcap - 1);
		s->hash[h] = i + 1;
	}
	return 0;
}

static struct lib_entry *lookup(struct lib_scan *s, const char *path, size_t *idx)
{
	size_t h = (size_t)hash_str(path) & (s->hcap - 1);
	while (s->hash[h]) {
		size_t i = s->hash[h] - 1;
		if (strcmp(s->ent[i].path, path) == 0) {
			*idx = i;
			return &s->ent[i];
		}
		h = (h + 1) & (s->hcap - 1);
	}
	return NULL;
}

/* 1 if (dev, ino) was visited already; else records it. -1: out of memory. */
static int visited(struct lib_scan *s, dev_t dev, ino_t ino)
{
	if (s->ndirs * 2 >= s->dcap) {
		size_t nc = s->dcap ? s->dcap * 2 : 1024;
		struct devino *nd = calloc(nc, sizeof *nd);
		if (!nd)
			return -1;
		for (size_t i = 0; i < s->dcap; i++)
			if (s->dirs[i].used) {
				size_t h = (size_t)((uint64_t)s->dirs[i].dev * 31 + (uint64_t)s->dirs[i].ino) * 2654435761u & (nc - 1);
				while (nd[h].used)
					h = (h + 1) & (nc - 1);
				nd[h] = s->dirs[i];
			}
		free(s->dirs);
		s->dirs = nd;
		s->dcap = nc;
	}
	size_t h = (size_t)((uint64_t)dev * 31 + (uint64_t)ino) * 2654435761u & (s->dcap - 1);
	while (s->dirs[h].used) {
		if (s->dirs[h].dev == dev && s->dirs[h].ino == ino)
			return 1;
		h = (h + 1) & (s->dcap - 1);
	}
	s->dirs[h] = (struct devino){ dev, ino, 1 };
	s->ndirs++;
	return 0;
}

/* A write failed: the first failure names the database file and SQLite's
 * reason (snap.why); the scan stops. what: the file being written, or
 * NULL (begin, commit). */
static void db_failed(struct lib_scan *s, const char *what)
{
	if (what)
		message(s, what, "not indexed: %s: database error: %s", s->db_path,
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
static void commit(struct lib_scan *s, int reopen)
{
	if (s->in_tx) {
		int ok = 0;
		if (!lib_db_in_tx(s->db))
			;  /* rolled back by SQLite after a failed write */
		else if (lib_db_commit(s->db)) {
			db_failed(s, NULL);
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
			db_failed(s, "begin");
		else
			s->in_tx = 1;
	}
}

static void bump(struct lib_scan *s, size_t *counter)
{
	pthread_mutex_lock(&s->lock);
	(*counter)++;
	pthread_mutex_unlock(&s->lock);
}

static void write_result(struct lib_scan *s, struct result *r);

/* Writes the results held back and commits: the write lock on the index is
 * held for the few milliseconds of the writes only, so the running
 * program's own writes (feedback, history) do not wait behind the scan. */
static void flush(struct lib_scan *s)
{
	while (s->ready_h) {
		struct result *r = s->ready_h;
		s->ready_h = r->next;
		s->nready--;
		write_result(s, r);
	}
	s->ready_t = NULL;
	commit(s, 0);
}

static void maybe_commit(struct lib_scan *s)
{
	size_t n = s->batch + s->nready;
	if (n >= BATCH_ROWS || (n && since(&s->last_commit) >= BATCH_SECONDS))
		flush(s);
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
		commit(s, 1);
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
		message(s, j->path, "%s (skipped)", r->why);
		dberr = s->in_tx ? lib_db_put_failure(s->db, j->path, j->mtime, j->size,
						      ANALYSIS_VERSION, r->why) : 0;
		bump(s, &s->snap.failed);
	} else {
		message(s, j->path, "vanished during the scan (skipped)");
		dberr = s->in_tx ? lib_db_remove(s->db, j->path) : 0;
		bump(s, &s->snap.skipped);
	}
	if (dberr && !s->dberr)
		db_failed(s, j->path);
	s->batch++;
	pthread_mutex_lock(&s->lock);
	s->snap.done++;
	pthread_mutex_unlock(&s->lock);
	s->pending--;
	free(j->path);
	free(j);
	free(r);
	wake(s);
}

/* Writes the results that are ready; with wait, waits for at least one
 * (or a timeout). Drops queued jobs once cancelled. */
static void drain(struct lib_scan *s, int wait)
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
	maybe_commit(s);
}

static int queue_job(struct lib_scan *s, const char *path, const struct stat *st, int existing)
{
	struct job *j = calloc(1, sizeof *j);
	if (!j || !(j->path = strdup(path))) {
		free(j);
		return LIB_SCAN_ENOMEM;
	}
	j->mtime = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	j->size = st->st_size;
	j->existing = existing;
	pthread_mutex_lock(&s->lock);
	if (s->jt)
		s->jt->next = j;
	else
		s->jh = j;
	s->jt = j;
	s->njobs++;
	s->snap.total++;
	pthread_cond_signal(&s->job_cv);
	pthread_mutex_unlock(&s->lock);
	s->pending++;
	return 0;
}

/* Recomputes the mood of an unchanged row from its stored features. */
static int remood(struct lib_scan *s, struct lib_entry *e)
{
	float f[ANALYSIS_NFEAT], v, a;
	if (lib_db_features(s->db, e->id, f, ANALYSIS_NFEAT))
		return -1;
	if (analysis_silent(f))
		v = a = NAN;
	else
		musicmood_predict(s->mm, f, &v, &a, NULL);
	if (!s->in_tx)
		commit(s, 1);
	if (!s->in_tx || lib_db_set_mood(s->db, e->id, v, a, musicmood_id(s->mm))) {
		if (!s->dberr)
			db_failed(s, e->path);
	} else {
		s->tx_remood++;
	}
	s->batch++;
	return 0;
}

/* One audio file met by the walk. */
static void consider(struct lib_scan *s, const char *path, const struct stat *st)
{
	int64_t mtime = (int64_t)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
	size_t idx;
	struct lib_entry *e = lookup(s, path, &idx);
	bump(s, &s->snap.found);
	if (e) {
		s->seen[idx] = 1;
		/* A path may have a failure row and no track row, never both. */
		if (e->mtime == mtime && e->size == st->st_size &&
		    e->feature_version == ANALYSIS_VERSION) {
			if (e->failed) {
				bump(s, &s->snap.failed);
				return;
			}
			if (strcmp(e->model, musicmood_id(s->mm)) == 0) {
				bump(s, &s->snap.unchanged);
				return;
			}
			if (remood(s, e) == 0)
				return;
		}
	}
	if (queue_job(s, path, st, e && !e->failed))
		message(s, path, "out of memory (skipped)");
}

static int add_bad(struct lib_scan *s, const char *dir)
{
	char **nb = realloc(s->bad, (s->nbad + 1) * sizeof *nb);
	if (!nb)
		return -1;
	s->bad = nb;
	if (!(s->bad[s->nbad] = strdup(dir)))
		return -1;
	s->nbad++;
	return 0;
}

/* Walks root depth-first with an explicit stack of paths. */
static void walk(struct lib_scan *s, const char *root)
{
	size_t cap = 64, n = 0;
	char **stack = malloc(cap * sizeof *stack);
	if (!stack || !(stack[n++] = strdup(root))) {
		free(stack);
		message(s, root, "out of memory");
		return;
	}
	size_t since_drain = 0;
	while (n > 0 && !cancelled(s)) {
		char *dir = stack[--n];
		DIR *d = opendir(dir);
		struct stat dst;
		if (!d) {
			message(s, dir, "%s (folder skipped)", strerror(errno));
			bump(s, &s->snap.skipped);
			add_bad(s, dir);
			free(dir);
			continue;
		}
		if (fstat(dirfd(d), &dst) == 0 && visited(s, dst.st_dev, dst.st_ino)) {
			closedir(d);
			free(dir);
			continue;
		}
		struct dirent *de;
		char path[PATH_MAX];
		const int dfd = dirfd(d);
		while ((de = readdir(d)) != NULL && !cancelled(s)) {
			const char *name = de->d_name;
			if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
				continue;
			int isdir = de->d_type == DT_DIR, isreg = de->d_type == DT_REG;
			if (!isdir && !isreg && de->d_type != DT_LNK && de->d_type != DT_UNKNOWN &&
			    !lib_scan_is_audio_name(name))
				continue;  /* FIFOs and the like with a music name are counted below */
			if (!isdir && !lib_scan_is_audio_name(name) && de->d_type != DT_LNK &&
			    de->d_type != DT_UNKNOWN)
				continue;
			int len = snprintf(path, sizeof path, "%s%s%s", dir,
					   dir[strlen(dir) - 1] == '/' ? "" : "/", name);
			if (len >= (int)sizeof path) {
				message(s, dir, "a name in this folder is too long (skipped)");
				bump(s, &s->snap.skipped);
				continue;
			}
			struct stat st;
			if (!isdir && !lib_scan_is_audio_name(name)) {
				/* link or unknown type: only folders matter */
				if (fstatat(dfd, name, &st, 0) != 0 || !S_ISDIR(st.st_mode))
					continue;
				isdir = 1;
			}
			if (!lib_scan_name_ok(name)) {
				message(s, path, "name is not valid UTF-8 or has control characters (skipped)");
				bump(s, &s->snap.skipped);
				continue;
			}
			/* Relative to the open folder: the kernel resolves one name, not
			 * the whole path (most of a rescan's time is these calls). */
			if (fstatat(dfd, name, &st, 0) != 0) {
				if (!isdir) {
					/* vanished, or a dangling link */
					message(s, path, "%s (skipped)", strerror(errno));
					bump(s, &s->snap.skipped);
				}
				continue;
			}
			if (S_ISDIR(st.st_mode)) {
				if (n == cap) {
					char **ns = realloc(stack, cap * 2 * sizeof *ns);
					if (!ns) {
						message(s, path, "out of memory (folder skipped)");
						add_bad(s, path);
						continue;
					}
					stack = ns;
					cap *= 2;
				}
				if (!(stack[n] = strdup(path))) {
					add_bad(s, path);
					continue;
				}
				n++;
			} else if (S_ISREG(st.st_mode)) {
				consider(s, path, &st);
			} else {
				/* a FIFO, device or socket with a music name: never opened */
				message(s, path, "not a regular file (skipped)");
				bump(s, &s->snap.skipped);
			}
			if (++since_drain >= 256) {
				since_drain = 0;
				drain(s, 0);
			}
		}
		closedir(d);
		free(dir);
		drain(s, 0);
	}
	while (n > 0)
		free(stack[--n]);
	free(stack);
}

static int under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	if (strncmp(path, dir, n) != 0)
		return 0;
	return dir[n - 1] == '/' || path[n] == '/' || path[n] == 0;
}

static void prune(struct lib_scan *s, const unsigned char *root_ok)
{
	for (size_t i = 0; i < s->nent && !cancelled(s); i++) {
		if (s->seen[i])
			continue;
		const char *p = s->ent[i].path;
		int in = 0;
		for (size_t r = 0; r < s->nroots && !in; r++)
			in = root_ok[r] && under(p, s->roots[r]);
		for (size_t b = 0; in && b < s->nbad; b++)
			if (under(p, s->bad[b]))
				in = 0;
		if (!in)
			continue;
		if (!s->in_tx)
			commit(s, 1);
		if (!s->in_tx || lib_db_remove(s->db, p)) {
			if (!s->dberr)
				db_failed(s, p);
			break;
		}
		s->batch++;
		if (!s->ent[i].failed)
			s->tx_removed++;
		maybe_commit(s);
	}
}

static void *coordinator(void *arg)
{
	struct lib_scan *s = arg;
	unsigned char *root_ok = calloc(s->nroots ? s->nroots : 1, 1);
	commit(s, 0);
	for (size_t r = 0; r < s->nroots && root_ok && !cancelled(s); r++) {
		struct stat st;
		if (stat(s->roots[r], &st) != 0) {
			message(s, s->roots[r], "%s", strerror(errno));
			bump(s, &s->snap.bad_roots);
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			if (lib_scan_is_audio_name(s->roots[r]))
				consider(s, s->roots[r], &st);
			continue;
		}
		size_t nbad = s->nbad;
		walk(s, s->roots[r]);
		/* An unreadable root prunes nothing. */
		root_ok[r] = !(s->nbad > nbad && strcmp(s->bad[nbad], s->roots[r]) == 0);
		if (!root_ok[r])
			bump(s, &s->snap.bad_roots);
	}
	pthread_mutex_lock(&s->lock);
	s->closed = 1;
	s->snap.walking = 0;
	pthread_cond_broadcast(&s->job_cv);
	pthread_mutex_unlock(&s->lock);
	wake(s);
	while (s->pending > s->nready)
		drain(s, 1);
	flush(s);
	if (!cancelled(s) && root_ok)
		prune(s, root_ok);
	commit(s, 0);
	free(root_ok);
	for (int i = 0; i < s->nworkers; i++)
		pthread_join(s->workers[i], NULL);
	s->nworkers = 0;
	pthread_mutex_lock(&s->lock);
	s->snap.finished = 1;
	s->snap.current[0] = 0;
	s->snap.elapsed_s = since(&s->t0);
	pthread_mutex_unlock(&s->lock);
	wake(s);
	return NULL;
}

static void scan_release(struct lib_scan *s)
{
	struct msg *m;
	while ((m = s->mh)) {
		s->mh = m->next;
		free(m);
	}
	struct job *j;
	while ((j = s->jh)) {
		s->jh = j->next;
		free(j->path);
		free(j);
	}
	struct result *r;
	while ((r = s->rh)) {
		s->rh = r->next;
		free(r->job->path);
		free(r->job);
		free(r);
	}
	for (size_t i = 0; i < s->nroots; i++)
		free(s->roots[i]);
	free(s->roots);
	free(s->db_path);
	for (size_t i = 0; i < s->nbad; i++)
		free(s->bad[i]);
	free(s->bad);
	lib_entries_free(s->ent, s->nent);
	free(s->hash);
	free(s->seen);
	free(s->dirs);
	free(s->workers);
	musicmood_free(s->mm);
	lib_db_close(s->db);
	if (s->pipe[0] >= 0)
		close(s->pipe[0]);
	if (s->pipe[1] >= 0)
		close(s->pipe[1]);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->job_cv);
	pthread_cond_destroy(&s->res_cv);
	free(s);
}

static int ncores(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

int lib_scan_start_opts(const char *db_path, const char *const *roots,
			const struct lib_scan_opts *o, struct lib_scan **out, char *why, size_t n)
{
	*out = NULL;
	why[0] = 0;
	struct lib_scan *s = calloc(1, sizeof *s);
	if (!s)
		return LIB_SCAN_ENOMEM;
	s->pipe[0] = s->pipe[1] = -1;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->job_cv, NULL);
	pthread_cond_init(&s->res_cv, NULL);
	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	s->rng = ((uint64_t)s->t0.tv_nsec << 20) ^ (uint64_t)s->t0.tv_sec ^ (uint64_t)getpid();
	if (!s->rng)
		s->rng = 88172645463325252ULL;
	/* Test hook: a slow analysis (tests/cli/library-incremental.sh). */
	const char *delay = getenv("EMOTUNE_TEST_SCAN_DELAY_MS");
	s->delay_ms = delay ? atoi(delay) : 0;
	s->excerpt = o && o->excerpt_s >= 0 ? o->excerpt_s : ANALYSIS_EXCERPT_S;
	int err = 0;
	size_t nr = 0;
	while (roots[nr])
		nr++;
	s->roots = calloc(nr ? nr : 1, sizeof *s->roots);
	if (!s->roots) {
		err = LIB_SCAN_ENOMEM;
		goto bad;
	}
	for (size_t i = 0; i < nr; i++) {
		char *rp = realpath(roots[i], NULL);
		/* A root that does not resolve is kept as given: the walk reports it. */
		s->roots[i] = rp ? rp : strdup(roots[i]);
		if (!s->roots[i]) {
			err = LIB_SCAN_ENOMEM;
			goto bad;
		}
		s->nroots++;
	}
	int mer = musicmood_open(o ? o->cfg : NULL, o ? o->weights : NULL, o ? o->norm : NULL,
				 &s->mm, why, n);
	if (mer) {
		err = mer == MUSICMOOD_ENOMEM ? LIB_SCAN_ENOMEM : LIB_SCAN_EMODEL;
		goto bad;
	}
	if (!(s->db_path = strdup(db_path))) {
		err = LIB_SCAN_ENOMEM;
		goto bad;
	}
	char dbwhy[300];
	int der = lib_db_open(db_path, &s->db, dbwhy, sizeof dbwhy);
	if (der) {
		snprintf(why, n, "%s: %s: %s", db_path, lib_db_strerror(der), dbwhy);
		err = der == LIB_DB_ENOMEM ? LIB_SCAN_ENOMEM : LIB_SCAN_EDB;
		goto bad;
	}
	der = lib_db_entries(s->db, &s->ent, &s->nent);
	if (der) {
		snprintf(why, n, "%s: %s", db_path, lib_db_errmsg(s->db));
		err = LIB_SCAN_EDB;
		goto bad;
	}
	if ((err = build_hash(s)) != 0)
		goto bad;
	if (pipe(s->pipe) != 0) {
		err = LIB_SCAN_ETHREAD;
		goto bad;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(s->pipe[i], F_SETFL, fcntl(s->pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(s->pipe[i], F_SETFD, FD_CLOEXEC);
	}
	int jobs = o && o->jobs > 0 ? o->jobs : ncores();
	if (jobs > 256)
		jobs = 256;
	s->workers = calloc((size_t)jobs, sizeof *s->workers);
	if (!s->workers) {
		err = LIB_SCAN_ENOMEM;
		goto bad;
	}
	s->snap.walking = 1;
	/* The threads take no signals: Ctrl-C goes to the caller. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; i < jobs; i++) {
		if (pthread_create(&s->workers[i], NULL, worker, s) != 0)
			break;
		s->nworkers++;
	}
	if (s->nworkers > 0 && pthread_create(&s->coord, NULL, coordinator, s) == 0)
		s->coord_started = 1;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!s->coord_started) {
		lib_scan_cancel(s);
		for (int i = 0; i < s->nworkers; i++)
			pthread_join(s->workers[i], NULL);
		err = LIB_SCAN_ETHREAD;
		goto bad;
	}
	*out = s;
	return 0;
bad:
	if (!why[0])
		snprintf(why, n, "%s", lib_scan_strerror(err));
	scan_release(s);
	return err;
}

int lib_scan_start(const char *db_path, const char *const *roots, int jobs,
		   struct lib_scan **out)
{
	char why[512];
	struct lib_scan_opts o = { .jobs = jobs, .excerpt_s = -1 };
	return lib_scan_start_opts(db_path, roots, &o, out, why, sizeof why);
}

void lib_scan_wait(struct lib_scan *s)
{
	if (s->coord_started) {
		pthread_join(s->coord, NULL);
		s->coord_started = 0;
	}
}

void lib_scan_free(struct lib_scan *s)
{
	if (!s)
		return;
	if (s->coord_started) {
		lib_scan_cancel(s);
		lib_scan_wait(s);
	}
	scan_release(s);
}
