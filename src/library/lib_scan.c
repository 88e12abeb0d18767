/* lib_scan: names, messages, snapshot, the analysis workers, start and
 * free. The walk and the comparison with the index are in
 * lib_scan_walk.c, the batched writes in lib_scan_db.c; what they share is
 * in lib_scan_priv.h. See lib_scan.h. */
#include "lib_scan_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_MESSAGES 1000

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

void lib_scan_wake(struct lib_scan *s)
{
	char c = 1;
	ssize_t r = write(s->pipe[1], &c, 1);
	(void)r;   /* a full pipe already wakes the reader */
}

double lib_scan_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Queues a message; the caller does not hold the lock. */
void lib_scan_report(struct lib_scan *s, const char *path, const char *fmt, ...)
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
	lib_scan_wake(s);
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
		snap->elapsed_s = lib_scan_since(&s->t0);
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
	lib_scan_wake(s);
}

int lib_scan_cancelled(struct lib_scan *s)
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
		lib_scan_wake(s);

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
			while (nanosleep(&d, &d) != 0 && !lib_scan_cancelled(s))
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

/* --- start and free -------------------------------------------------------- */

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
	if ((err = lib_scan_build_hash(s)) != 0)
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
	if (s->nworkers > 0 && pthread_create(&s->coord, NULL, lib_scan_coordinator, s) == 0)
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
