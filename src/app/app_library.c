/*
 * app_library: the music folders, the index held once, scanning and the
 * mood-history hooks; a part of app, see app_priv.h.
 */
#include "app_priv.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

/* --- library ---------------------------------------------------------- */

void app_free_roots(struct app *a)
{
	for (int i = 0; a->roots && a->roots[i]; i++)
		free(a->roots[i]);
	free(a->roots);
	free(a->root_ok);
	a->roots = NULL;
	a->root_ok = NULL;
	a->nroots = 0;
}

/* The `music` setting (':'-separated), else the bundled demo music. */
int app_set_roots(struct app *a)
{
	char share[PATH_MAX];
	const char *m = config_get(a->cfg, "music");
	if (!m || !*m) {
		if (config_path_share(share, sizeof share, "music"))
			return APP_ENOMEM;
		m = share;
	}
	app_free_roots(a);
	int n = 1;
	for (const char *p = m; *p; p++)
		n += *p == ':';
	a->roots = calloc((size_t)n + 1, sizeof *a->roots);
	a->root_ok = calloc((size_t)n, sizeof *a->root_ok);
	if (!a->roots || !a->root_ok)
		return APP_ENOMEM;
	const char *p = m;
	while (*p) {
		size_t l = strcspn(p, ":");
		if (l) {
			char *r = strndup(p, l);
			if (!r)
				return APP_ENOMEM;
			a->root_ok[a->nroots] = 1;
			a->roots[a->nroots++] = r;
		}
		p += l;
		if (*p == ':')
			p++;
	}
	return APP_OK;
}

/* 1 when the music folder root is there: readable, and not an empty
 * directory while the index holds tracks under it (an unmounted disk
 * leaves its mount point behind, empty; scanning that would drop its
 * tracks from the index). 0 with errno set otherwise. */
int app_root_present(const struct app *a, const char *root)
{
	DIR *d = opendir(root);
	if (!d)
		return 0;
	int empty = 1;
	struct dirent *e;
	while (empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	size_t l = strlen(root);
	for (size_t i = 0; empty && l && i < a->nlib; i++)
		if (!strncmp(a->lib[i].path, root, l) && (a->lib[i].path[l] == '/' || root[l - 1] == '/')) {
			errno = ENOMEDIUM;  /* "No medium found" */
			return 0;
		}
	return 1;
}

/* 0 when path lies under a music folder that is gone, else 1. */
int app_path_root_ok(const struct app *a, const char *path)
{
	for (int i = 0; i < a->nroots; i++) {
		size_t l = strlen(a->roots[i]);
		if (!strncmp(path, a->roots[i], l) && (path[l] == '/' || a->roots[i][l - 1] == '/'))
			return a->root_ok[i];
	}
	return 1;
}

const char *app_base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The index, read from the database: held once, as lib_db_tracks() gives
 * it (its strings are allocated to their length; an app_entry is made
 * from a row only when it is queued, played or listed). */
void app_load_library(struct app *a)
{
	struct lib_track *t;
	size_t n;
	if (!a->db)
		return;
	int err = lib_db_tracks(a->db, &t, &n);
	if (err) {
		app_push_event(a, APP_EV_ERROR, "library %s: %s", a->db_path, lib_db_strerror(err));
		return;
	}
	lib_tracks_free(a->lib, a->nlib);
	a->lib = t;
	a->nlib = n;
	a->lib_gen++;
	a->s.ntracks = (int)n;
	a->lib_loaded_at = app_now();
}

/* The rows are in path order (lib_db_tracks: ORDER BY path, SQLite's
 * binary collation, the order of strcmp): a binary search. */
const struct lib_track *app_lib_find(const struct app *a, const char *path)
{
	size_t lo = 0, hi = a->nlib;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(a->lib[mid].path, path);
		if (c == 0)
			return &a->lib[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* An entry for the index row t (what it shows of the track). */
void app_entry_from(struct app_entry *e, const struct lib_track *t)
{
	memset(e, 0, sizeof *e);
	snprintf(e->path, sizeof e->path, "%s", t->path);
	snprintf(e->title, sizeof e->title, "%s", t->title && *t->title ? t->title : app_base_name(t->path));
	snprintf(e->artist, sizeof e->artist, "%s", t->artist ? t->artist : "");
	e->duration = t->duration;
	e->valence = t->valence;
	e->arousal = t->arousal;
}

void app_start_scan(struct app *a)
{
	if (a->scan) {
		a->rescan = 1;
		return;
	}
	const char **roots = calloc((size_t)a->nroots + 1, sizeof *roots);
	int n = 0;
	for (int i = 0; roots && i < a->nroots; i++)
		if (a->root_ok[i])
			roots[n++] = a->roots[i];
	if (!roots || !n) {
		free(roots);
		return;
	}
	char why[512] = "";
	struct lib_scan_opts o = { .jobs = config_get_int(a->cfg, "jobs", 0), .excerpt_s = -1 };
	int err = lib_scan_start_opts(a->db_path, roots, &o, &a->scan, why, sizeof why);
	free(roots);
	if (err) {
		a->scan = NULL;
		app_push_event(a, APP_EV_WARNING, "library scan: %s", why[0] ? why : lib_scan_strerror(err));
		return;
	}
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = TAG_SCAN };
	epoll_ctl(a->epfd, EPOLL_CTL_ADD, lib_scan_wake_fd(a->scan), &ev);
	a->s.scanning = 1;
	a->s.scan_done = a->s.scan_total = 0;
	a->scan_committed = 0;
	app_push_event(a, APP_EV_SCAN, "started");
}

static void end_scan(struct app *a)
{
	if (!a->scan)
		return;
	epoll_ctl(a->epfd, EPOLL_CTL_DEL, lib_scan_wake_fd(a->scan), NULL);
	lib_scan_free(a->scan);
	a->scan = NULL;
	a->s.scanning = 0;
}

void app_on_scan(struct app *a)
{
	char buf[1024];
	while (read(lib_scan_wake_fd(a->scan), buf, sizeof buf) > 0)
		;
	struct lib_scan_snapshot sn;
	lib_scan_snapshot(a->scan, &sn);
	a->s.scan_done = (int)sn.done;
	a->s.scan_total = (int)sn.total;
	int nmsg = 0;
	while (lib_scan_message(a->scan, buf, sizeof buf))
		if (nmsg++ < 20)  /* a flood of bad files is summed up below */
			app_push_event(a, APP_EV_WARNING, "library: %s", buf);
	if (!sn.finished) {
		/* Incremental: what is analysed so far is a candidate at once
		 * (the 1 s tick then fills the queue); while the index is small
		 * at every commit, later at most every LIB_RELOAD_S. */
		size_t committed = sn.added + sn.updated + sn.remood;
		if (committed != a->scan_committed &&
		    (a->nlib < 200 || app_now() - a->lib_loaded_at >= LIB_RELOAD_S)) {
			size_t before = a->nlib;
			a->scan_committed = committed;
			app_load_library(a);
			if (!before && a->nlib)
				app_push_event(a, APP_EV_SCAN, "first %zu tracks analysed: picking from them "
					   "while the scan goes on", a->nlib);
			/* the choice has doubled since the picks were made: better ones */
			else if (a->nlib_planned && a->nlib >= 2 * a->nlib_planned)
				app_repick(a);
		}
		return;
	}
	if (sn.error)
		app_push_event(a, APP_EV_ERROR, "library scan: %s",
			   sn.why[0] ? sn.why : lib_scan_strerror(sn.error));
	end_scan(a);
	app_load_library(a);
	app_push_event(a, APP_EV_SCAN, "done %zu tracks (%zu new, %zu updated, %zu failed, %zu removed)",
		   a->nlib, sn.added, sn.updated, sn.failed, sn.removed);
	/* auto picks planned while the scan had found fewer tracks (a library
	 * of two repeats them): planned again from the whole index */
	if (a->nlib_planned && a->nlib != a->nlib_planned)
		app_repick(a);
	if (a->rescan) {
		a->rescan = 0;
		app_start_scan(a);
	}
}

/* Music folders that went away (unmounted) or came back. */
void app_check_roots(struct app *a)
{
	int back = 0, gone = 0;
	for (int i = 0; i < a->nroots; i++) {
		int ok = app_root_present(a, a->roots[i]), why = errno;
		if (ok == a->root_ok[i])
			continue;
		a->root_ok[i] = ok;
		if (ok) {
			app_push_event(a, APP_EV_WARNING, "music folder %s is back: rescanning", a->roots[i]);
			back = 1;
		} else {
			app_push_event(a, APP_EV_WARNING, "music folder %s is gone (unmounted?): "
				   "its tracks are skipped until it comes back (%s)", a->roots[i],
				   strerror(why));
			gone = 1;
		}
	}
	if (back)
		app_start_scan(a);
	if ((back || gone) && a->nlib)
		app_repick(a);
}

/* One mood-history sample after each drain (every frame's mood, every
 * tick); history.c decides when a row is due. */
void app_history_tick(struct app *a)
{
	const struct app_snapshot *s = &a->s;
	struct timespec ts;
	if (!a->hist)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	int noface = !s->camera_on || !s->camera_ok || (s->nfaces == 0 && s->mood < 0);
	struct history_sample hs = {
		.t = (double)ts.tv_sec + ts.tv_nsec / 1e9,
		.state = s->mood_manual ? HISTORY_MANUAL : noface ? HISTORY_NOFACE : HISTORY_CAMERA,
		.mood = s->mood, .valence = s->valence, .arousal = s->arousal,
		.confidence = s->confidence, .faces = s->nfaces, .strategy = (int)s->strategy,
		.track = s->state == APP_PLAYING ? s->current.path : NULL,
	};
	int err = history_rec_observe(a->hist, &hs);
	if (err < 0)
		app_push_event(a, APP_EV_WARNING, "mood history %s: %s (not recorded any more)", a->db_path,
			   history_strerror(err));
}

/* Follows the `history` setting: starts the recorder (pruning old rows) or
 * stops it (writing what it holds). */
void app_history_setting(struct app *a)
{
	int on = a->db && config_get_bool(a->cfg, "history", 1);
	if (!on && a->hist) {
		history_rec_free(a->hist);
		a->hist = NULL;
	} else if (on && !a->hist) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		int err = history_rec_new(lib_db_sqlite(a->db), config_get_int(a->cfg, "history_days", 90),
					  (double)ts.tv_sec, &a->hist);
		if (err)
			app_push_event(a, APP_EV_WARNING, "mood history %s: %s (not recorded)", a->db_path,
				   history_strerror(err));
	}
}

int app_library_rows(struct app *a, app_library_keep keep, void *ctx, size_t **rows, size_t *n,
		     size_t *total, unsigned long *gen)
{
	pthread_mutex_lock(&a->mu);
	*rows = NULL;
	*n = 0;
	*total = a->nlib;
	*gen = a->lib_gen;
	if (a->nlib && !(*rows = malloc(a->nlib * sizeof **rows))) {
		pthread_mutex_unlock(&a->mu);
		return APP_ENOMEM;
	}
	for (size_t i = 0; i < a->nlib; i++) {
		const struct lib_track *t = &a->lib[i];
		if (!keep || keep(ctx, t->title && *t->title ? t->title : app_base_name(t->path),
				  t->artist ? t->artist : "", t->path))
			(*rows)[(*n)++] = i;
	}
	pthread_mutex_unlock(&a->mu);
	return APP_OK;
}

int app_library_row(struct app *a, size_t row, unsigned long gen, struct app_entry *e)
{
	pthread_mutex_lock(&a->mu);
	int err = gen != a->lib_gen ? APP_ESTATE : row >= a->nlib ? APP_EINVAL : APP_OK;
	if (!err)
		app_entry_from(e, &a->lib[row]);
	pthread_mutex_unlock(&a->mu);
	return err;
}

int app_library_find(struct app *a, const char *path, struct app_entry *e)
{
	pthread_mutex_lock(&a->mu);
	const struct lib_track *t = app_lib_find(a, path);
	if (t)
		app_entry_from(e, t);
	pthread_mutex_unlock(&a->mu);
	return t ? APP_OK : APP_EINVAL;
}

int app_history(struct app *a, double since, double until, size_t last,
		struct history_row **out, size_t *n)
{
	pthread_mutex_lock(&a->mu);
	int err = a->hist ? history_rec_query(a->hist, since, until, last, out, n) : APP_ESTATE;
	pthread_mutex_unlock(&a->mu);
	if (err == HISTORY_ENOMEM)
		return APP_ENOMEM;
	return err ? APP_ESTATE : APP_OK;
}
