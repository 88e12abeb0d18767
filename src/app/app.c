/*
 * app: emotune running; see app.h. This file holds the life cycle, the
 * drain, tick and the snapshot; the rest is split by concern behind
 * app_priv.h (app_library.c, app_queue.c, app_play.c, app_vision.c,
 * app_commands.c). The front end's one wake fd is an epoll set holding the
 * app's own pipe, a TICK_HZ (4 Hz) timer (the position; once a second queue
 * refill, folder and device checks, resume autosave) and the wake pipes of
 * the modules' threads (library scan, player, vision); app_drain() reads
 * them and turns the modules' snapshots into the app snapshot and events.
 * Everything runs under a->mu in the front end's thread; the modules' own
 * threads are only reached through their locked setters.
 */
#include "app_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

double app_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void app_wake(struct app *a)
{
	char c = 1;
	ssize_t r = write(a->pipe[1], &c, 1);
	(void)r; /* full pipe: already woken */
}

/* Called with a->mu held (as every static function below). */
void app_push_event(struct app *a, enum app_event_type type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void app_push_event(struct app *a, enum app_event_type type, const char *fmt, ...)
{
	if (a->ev_count == NEVENTS) { /* drop the oldest */
		a->ev_head = (a->ev_head + 1) % NEVENTS;
		a->ev_count--;
	}
	struct app_event *e = &a->ev[(a->ev_head + a->ev_count) % NEVENTS];
	e->type = type;
	e->t = a->t0 > 0 ? app_now() - a->t0 : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
	a->ev_count++;
	if (type == APP_EV_WARNING || type == APP_EV_ERROR) {
		snprintf(a->s.message, sizeof a->s.message, "%s", e->text);
		a->s.message_seq++;
	}
	app_wake(a);
}

/* An APP_EV_CAMERA event: the state's name, then ": why" when why is set. */
void app_push_camera(struct app *a, enum app_camera cam, const char *why)
{
	static const char *const names[] = {
		[APP_CAM_ON] = "on", [APP_CAM_OFF] = "off", [APP_CAM_OK] = "ok",
		[APP_CAM_BACK] = "back", [APP_CAM_LOST] = "lost", [APP_CAM_ABSENT] = "absent",
		[APP_CAM_ENDED] = "ended", [APP_CAM_ERROR] = "error",
	};
	app_push_event(a, APP_EV_CAMERA, "%s%s%s", names[cam], why && *why ? ": " : "", why ? why : "");
	a->ev[(a->ev_head + a->ev_count - 1) % NEVENTS].camera = cam;
}

void app_set_message(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void app_set_message(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->s.message, sizeof a->s.message, fmt, ap);
	va_end(ap);
	a->s.message_seq++;
}

static int strategy_index(const char *s)
{
	int i = vocab_strategy_parse(s, 0);
	return i < 0 ? VOCAB_MATCH : i;
}

const char *app_mood_name(int m)
{
	return m >= 0 ? vocab_class_name(m) : "uncertain";
}

/* The mood point (valence, arousal) of the current probabilities. */
void app_mood_point(struct app *a)
{
	struct recommend_point m = recommend_mood_point(a->s.probs);
	a->s.valence = m.valence;
	a->s.arousal = m.arousal;
}

/* Each second: the queue refilled, or re-picked for a new mood or strategy. */
static void refill(struct app *a, double t)
{
	struct app_snapshot *s = &a->s;
	if (!a->nlib)
		return;
	struct recommend_refill_in in = {
		.now = t,
		.playing = s->current.path[0] && s->state != APP_STOPPED,
		.remaining = s->current.duration > 0 ? s->current.duration - s->position : 1e9,
		.queued = s->nqueue,
		.mood = s->mood,
		.mood_since = a->mood_since,
		.strategy = s->strategy,
		.queue_mood = a->picked_mood,
		.queue_strategy = a->picked_strategy,
	};
	switch (recommend_refill(&in, NULL)) {
	case RECOMMEND_REPLACE:
		app_repick(a);
		break;
	case RECOMMEND_APPEND:
		app_top_up(a);
		break;
	case RECOMMEND_KEEP:
		if (s->nqueue < QUEUE_TARGET)
			app_top_up(a);
		break;
	}
}

/* Each second: playing by itself once autoplay is ready (with a mood, or
 * calm picks after APP_AUTOPLAY_WAIT_S without one). */
static void autoplay_step(struct app *a, double t)
{
	struct app_snapshot *s = &a->s;
	if (a->autoplay == APP_AUTOPLAY_MOOD && s->mood < 0 && !a->no_mood_calm &&
	    t - a->t0 >= APP_AUTOPLAY_WAIT_S) {
		a->no_mood_calm = 1;  /* no face yet: calm music meanwhile */
		if (a->nlib)
			app_repick(a);
	}
	if (a->no_mood_calm && s->mood >= 0)
		a->no_mood_calm = 0;  /* a mood at last: its own picks from now on */
	int ready = a->autoplay == APP_AUTOPLAY_NOW ||
		(a->autoplay == APP_AUTOPLAY_MOOD && (s->mood >= 0 || a->no_mood_calm));
	if (ready && a->autoplay == APP_AUTOPLAY_MOOD && s->mood >= 0 && a->picked_mood != s->mood &&
	    a->nlib)
		app_repick(a);  /* the first mood: its picks, not those made before it */
	if (ready && s->state == APP_STOPPED && !s->current.path[0] && s->nqueue &&
	    app_advance(a, 1) == 0) {
		if (a->autoplay == APP_AUTOPLAY_MOOD)
			app_set_message(a, "playing by itself (autoplay; any key before keeps control): %s",
				    s->current.reason[0] ? s->current.reason : "first in the queue");
		a->autoplay = APP_AUTOPLAY_OFF;
	}
}

/* TICK_HZ times a second: the position; each second: queue refill and
 * re-pick, autoplay, music folders, resume autosave. n: the timer's
 * expirations read at once (more than one when the loop lagged: a loaded
 * machine, ThreadSanitizer); the once-a-second work runs once whenever a
 * second boundary was passed, so that it keeps up with the clock. Returns
 * 1 when it ran. */
static int tick(struct app *a, uint64_t n)
{
	app_pb_poll(a);
	unsigned was = a->ticks / TICK_HZ;
	a->ticks += n < 60 * TICK_HZ ? (unsigned)n : 60 * TICK_HZ;
	unsigned secs = a->ticks / TICK_HZ;
	if (secs == was)
		return 0;
	double t = app_now();
	refill(a, t);
	autoplay_step(a, t);
	if (secs / ROOT_CHECK_S != was / ROOT_CHECK_S)
		app_check_roots(a);
	if (a->s.state == APP_PLAYING && secs / 5 != was / 5)
		a->dirty = 1;
	return 1;
}

/* --- life cycle -------------------------------------------------------- */

int app_new(struct config *cfg, struct app **out)
{
	struct app *a = calloc(1, sizeof *a);
	if (!a)
		return APP_ENOMEM;
	a->cfg = cfg;
	a->epfd = a->pipe[0] = a->pipe[1] = a->timerfd = -1;
	pthread_mutex_init(&a->mu, NULL);
	a->history = calloc(NHISTORY, sizeof *a->history);
	if (!a->history)
		goto nomem;
	if (pipe2(a->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		goto fail;
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	a->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (a->epfd < 0 || a->timerfd < 0)
		goto fail;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = TAG_PIPE };
	if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->pipe[0], &ev) != 0)
		goto fail;
	ev.data.u32 = TAG_TIMER;
	if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->timerfd, &ev) != 0)
		goto fail;

	struct app_snapshot *s = &a->s;
	s->camera_on = config_get_bool(cfg, "camera", 1);
	snprintf(s->camera_msg, sizeof s->camera_msg, "%s",
		 s->camera_on ? "camera starting" : "camera off (--no-camera): pick a mood by hand");
	s->mood = -1;
	a->camera_mood = -1;
	a->cam_state = -1;
	a->picked_mood = -2;
	s->strategy = (enum vocab_strategy)strategy_index(config_get(cfg, "strategy"));
	a->picked_strategy = s->strategy;
	s->state = APP_STOPPED;
	s->volume = config_get_int(cfg, "volume", 100);
	if (s->volume < 0 || s->volume > 100)
		s->volume = 100;
	s->normalize = config_get_bool(cfg, "normalize", 1);
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		s->ranking[i] = -1;   /* no data yet: no top class */
	a->no_repeat = config_get_int(cfg, "no_repeat", 20);
	a->seed = (unsigned)config_get_int(cfg, "seed", 1);
	if (config_path_state(a->state_path, sizeof a->state_path, "resume"))
		a->state_path[0] = 0;
	if (config_db_path(cfg, a->db_path, sizeof a->db_path))
		goto fail;
	const char *pd = config_get(cfg, "playlists");
	if (pd && *pd)
		snprintf(a->plist_dir, sizeof a->plist_dir, "%s", pd);
	else if (config_path_data(a->plist_dir, sizeof a->plist_dir, "playlists"))
		goto fail;
	if (app_set_roots(a))
		goto nomem;
	*out = a;
	return APP_OK;
nomem:
	app_free(a);
	return APP_ENOMEM;
fail:
	app_free(a);
	return APP_ESYS;
}

static void resume_from(struct app *a, const struct resume_state *st)
{
	a->s.volume = st->volume;
	a->s.strategy = (enum vocab_strategy)st->strategy;
	a->picked_strategy = a->s.strategy;
	a->s.normalize = st->normalize;
	a->s.nqueue = 0;
	for (int i = 0; i < st->nqueue && i < APP_MAX_QUEUE; i++) {
		struct app_entry *e = &a->s.queue[a->s.nqueue++];
		memset(e, 0, sizeof *e);
		snprintf(e->path, sizeof e->path, "%s", st->queue[i]);
		e->pick = APP_PICK_RESUMED;
		snprintf(e->reason, sizeof e->reason, "resumed");
		app_fill_entry(a, e);
	}
	if (st->current[0]) {
		struct app_entry e;
		memset(&e, 0, sizeof e);
		snprintf(e.path, sizeof e.path, "%s", st->current);
		e.pick = APP_PICK_RESUMED;
		snprintf(e.reason, sizeof e.reason, "resumed");
		app_start_track(a, &e, st->position, st->playing);
	}
	a->resumed_playing = st->playing;
}

static void resume_to(const struct app *a, struct resume_state *st)
{
	resume_defaults(st);
	st->volume = a->s.volume;
	st->strategy = (int)a->s.strategy;
	st->normalize = a->s.normalize;
	st->playing = a->s.state == APP_PLAYING;
	st->position = a->s.state == APP_STOPPED ? 0 : a->s.position;
	if (a->s.state != APP_STOPPED)
		snprintf(st->current, sizeof st->current, "%s", a->s.current.path);
	for (int i = 0; i < a->s.nqueue && i < RESUME_MAX_QUEUE; i++)
		snprintf(st->queue[st->nqueue++], RESUME_PATH_MAX, "%s", a->s.queue[i].path);
}

static void save_resume(struct app *a)
{
	if (!a->state_path[0] || !a->started)
		return;
	struct resume_state *st = malloc(sizeof *st);
	if (!st)
		return;
	resume_to(a, st);
	int err = config_mkdirs(a->state_path) ? RESUME_EIO : resume_save(a->state_path, st);
	if (err)
		app_push_event(a, APP_EV_WARNING, "resume state %s: %s", a->state_path, resume_strerror(err));
	else
		a->dirty = 0;
	free(st);
}

int app_start(struct app *a)
{
	pthread_mutex_lock(&a->mu);
	if (a->started) {
		pthread_mutex_unlock(&a->mu);
		return APP_ESTATE;
	}
	a->started = 1;
	a->t0 = app_now();
	a->mood_since = a->t0;

	/* library: what is indexed now, then a scan in the background */
	int err = lib_db_open(a->db_path, &a->db, NULL, 0), ro = 0;
	if (err == LIB_DB_EREADONLY && lib_db_open_ro(a->db_path, &a->db, NULL, 0) == 0) {
		/* still playable: no scan, no feedback kept */
		app_push_event(a, APP_EV_WARNING, "library %s: %s (not scanned, feedback not kept)",
			   a->db_path, lib_db_strerror(err));
		ro = 1;
	} else if (err) {
		app_push_event(a, APP_EV_ERROR, "library %s: %s", a->db_path, lib_db_strerror(err));
		a->db = NULL;
	}
	app_load_library(a);
	for (int i = 0; i < a->nroots; i++)
		if (!(a->root_ok[i] = app_root_present(a, a->roots[i])))
			app_push_event(a, APP_EV_WARNING, "music folder %s: %s", a->roots[i], strerror(errno));
	if (a->db && !ro)
		app_start_scan(a);
	app_history_setting(a);
	if (a->db) {
		char **h;
		size_t nh;
		int max = a->no_repeat < NHISTORY ? a->no_repeat : NHISTORY;
		if (max > 0 && feedback_history(lib_db_sqlite(a->db), (size_t)max, &h, &nh) == 0) {
			for (size_t i = 0; i < nh; i++)
				app_history_push(a, h[i]);
			feedback_history_free(h, nh);
		}
	}

	/* player: a device that does not open is retried by the player */
	const char *audio = config_get(a->cfg, "audio");
	char why[256] = "";
	struct player_opts po = { .errbuf = why, .errlen = sizeof why };
	err = player_new_opts(audio && *audio ? audio : NULL, &po, &a->pl);
	if (err) {
		a->pl = NULL;
		snprintf(a->s.audio_msg, sizeof a->s.audio_msg, "no audio (%s): %s",
			 audio ? audio : "default driver", why[0] ? why : player_strerror(err));
		app_push_event(a, APP_EV_ERROR, "%s", a->s.audio_msg);
	} else {
		struct epoll_event pev = { .events = EPOLLIN, .data.u32 = TAG_PLAYER };
		epoll_ctl(a->epfd, EPOLL_CTL_ADD, player_wake_fd(a->pl), &pev);
	}
	app_pb_settings(a);

	if (a->s.camera_on)
		app_start_vision(a);

	struct resume_state *st = malloc(sizeof *st);
	if (st && a->state_path[0]) {
		int rerr = resume_load(a->state_path, st);
		if (rerr == RESUME_OK)
			resume_from(a, st);
		else if (rerr != RESUME_ENOENT)
			app_push_event(a, APP_EV_WARNING, "resume state %s: %s (starting afresh)",
				   a->state_path, resume_strerror(rerr));
	}
	free(st);
	a->dirty = 0;

	if (!a->s.camera_on)
		app_push_camera(a, APP_CAM_OFF, NULL);

	app_pb_sync_queue(a);
	struct itimerspec it = { .it_interval = { 0, 1000000000L / TICK_HZ },
				 .it_value = { 0, 1000000000L / TICK_HZ } };
	timerfd_settime(a->timerfd, 0, &it, NULL);
	pthread_mutex_unlock(&a->mu);
	return APP_OK;
}

void app_stop(struct app *a)
{
	pthread_mutex_lock(&a->mu);
	if (a->started) {
		save_resume(a);
		history_rec_free(a->hist);
		a->hist = NULL;
		a->started = 0;
		struct itimerspec it = { { 0, 0 }, { 0, 0 } };
		timerfd_settime(a->timerfd, 0, &it, NULL);
	}
	struct lib_scan *scan = a->scan;
	struct player *pl = a->pl;
	struct vision *vis = a->vis;
	if (scan)
		epoll_ctl(a->epfd, EPOLL_CTL_DEL, lib_scan_wake_fd(scan), NULL);
	if (pl)
		epoll_ctl(a->epfd, EPOLL_CTL_DEL, player_wake_fd(pl), NULL);
	if (vis)
		epoll_ctl(a->epfd, EPOLL_CTL_DEL, vision_wake_fd(vis), NULL);
	a->scan = NULL;
	a->pl = NULL;
	a->vis = NULL;
	a->s.scanning = 0;
	pthread_mutex_unlock(&a->mu);
	/* The threads are joined outside the lock. */
	if (scan) {
		lib_scan_cancel(scan);
		lib_scan_free(scan);
	}
	if (pl)
		player_free(pl);
	if (vis) {
		vision_stop(vis);
		vision_free(vis);
	}
}

void app_free(struct app *a)
{
	if (!a)
		return;
	app_stop(a);
	if (a->db)
		lib_db_close(a->db);
	if (a->epfd >= 0)
		close(a->epfd);
	if (a->timerfd >= 0)
		close(a->timerfd);
	if (a->pipe[0] >= 0)
		close(a->pipe[0]);
	if (a->pipe[1] >= 0)
		close(a->pipe[1]);
	lib_tracks_free(a->lib, a->nlib);
	free(a->history);
	free(a->vsnap);
	playlist_clear(&a->plist);
	app_free_roots(a);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

void app_set_autoplay(struct app *a, int on)
{
	pthread_mutex_lock(&a->mu);
	a->autoplay = on;
	pthread_mutex_unlock(&a->mu);
}

const char *app_playlists_dir(const struct app *a)
{
	return a->plist_dir;
}

int app_wake_fd(const struct app *a)
{
	return a->epfd;
}

void app_drain(struct app *a)
{
	struct epoll_event evs[16];
	int n = epoll_wait(a->epfd, evs, 16, 0);
	pthread_mutex_lock(&a->mu);
	for (int i = 0; i < n; i++) {
		switch (evs[i].data.u32) {
		case TAG_PIPE: {
			char buf[256];
			while (read(a->pipe[0], buf, sizeof buf) > 0)
				;
			break;
		}
		case TAG_TIMER: {
			uint64_t ticks;
			if (read(a->timerfd, &ticks, sizeof ticks) == (ssize_t)sizeof ticks && a->started &&
			    tick(a, ticks) && a->dirty)
				save_resume(a);
			break;
		}
		case TAG_SCAN:
			if (a->scan)
				app_on_scan(a);
			break;
		case TAG_PLAYER:
			if (a->pl) {
				player_drain_wake(a->pl);
				app_pb_poll(a);
			}
			break;
		case TAG_VISION:
			if (a->vis)
				app_on_vision(a);
			break;
		}
	}
	if (a->started)
		app_history_tick(a);
	app_pb_sync_queue(a);
	pthread_mutex_unlock(&a->mu);
}

void app_snapshot(struct app *a, struct app_snapshot *out)
{
	pthread_mutex_lock(&a->mu);
	*out = a->s;
	pthread_mutex_unlock(&a->mu);
}

int app_next_event(struct app *a, struct app_event *ev)
{
	int got = 0;
	pthread_mutex_lock(&a->mu);
	if (a->ev_count) {
		*ev = a->ev[a->ev_head];
		a->ev_head = (a->ev_head + 1) % NEVENTS;
		a->ev_count--;
		got = 1;
	}
	pthread_mutex_unlock(&a->mu);
	return got;
}

int app_reload(struct app *a)
{
	pthread_mutex_lock(&a->mu);
	struct app_snapshot *s = &a->s;
	s->strategy = (enum vocab_strategy)strategy_index(config_get(a->cfg, "strategy"));
	int v = config_get_int(a->cfg, "volume", s->volume);
	if (v >= 0 && v <= 100)
		s->volume = v;
	s->normalize = config_get_bool(a->cfg, "normalize", s->normalize);
	app_pb_settings(a);
	int cam = config_get_bool(a->cfg, "camera", s->camera_on);
	if (cam != s->camera_on) {
		s->camera_on = cam;
		if (a->vis)
			vision_set_camera(a->vis, cam);
		else if (cam && a->started)
			app_start_vision(a);
		if (!a->vis)
			app_push_camera(a, cam ? APP_CAM_ON : APP_CAM_OFF, NULL);
	}
	a->no_repeat = config_get_int(a->cfg, "no_repeat", a->no_repeat);
	if (a->started)
		app_history_setting(a);
	/* new music roots: scan them */
	char *old = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&old, &len);
	for (int i = 0; f && i < a->nroots; i++)
		fprintf(f, "%s%s", i ? ":" : "", a->roots[i]);
	if (f)
		fclose(f);
	if (app_set_roots(a) == APP_OK && a->started) {
		char *now_roots = NULL;
		f = open_memstream(&now_roots, &len);
		for (int i = 0; f && i < a->nroots; i++)
			fprintf(f, "%s%s", i ? ":" : "", a->roots[i]);
		if (f)
			fclose(f);
		for (int i = 0; i < a->nroots; i++)
			a->root_ok[i] = app_root_present(a, a->roots[i]);
		if (old && now_roots && strcmp(old, now_roots) && a->db)
			app_start_scan(a);
		free(now_roots);
	}
	free(old);
	a->dirty = 1;
	pthread_mutex_unlock(&a->mu);
	return APP_OK;
}

const char *app_strerror(int err)
{
	switch (err) {
	case APP_OK: return "success";
	case APP_ENOMEM: return "out of memory";
	case APP_EINVAL: return "unknown command or bad argument";
	case APP_ESTATE: return "not possible now";
	case APP_ESYS: return strerror(errno);
	}
	return "unknown error";
}
