/*
 * app: emotune running; see app.h. The front end's one wake fd is an epoll
 * set holding the app's own pipe, a 1 Hz timer (queue refill, resume
 * autosave) and the wake pipes of the modules' threads; app_drain() reads
 * them and turns module snapshots into the app snapshot and events.
 */
#include "app.h"
#include "app_cmd.h"
#include "config.h"
#include "resume.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#define NEVENTS 256

struct app {
	struct config *cfg;           /* borrowed */
	pthread_mutex_t mu;
	int epfd, pipe[2], timerfd;
	int started;
	double t0;

	struct app_snapshot s;        /* the app's state, copied out by app_snapshot */
	struct app_event ev[NEVENTS]; /* ring */
	int ev_head, ev_count;

	char state_path[PATH_MAX];    /* resume file, empty: none */
	int dirty;                    /* resume state changed since saved */

	struct app_entry *lib;        /* the index (copy) */
	size_t nlib;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void wake(struct app *a)
{
	char c = 1;
	ssize_t r = write(a->pipe[1], &c, 1);
	(void)r; /* full pipe: already woken */
}

/* Called with a->mu held. */
static void push_event(struct app *a, enum app_event_type type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void push_event(struct app *a, enum app_event_type type, const char *fmt, ...)
{
	if (a->ev_count == NEVENTS) { /* drop the oldest */
		a->ev_head = (a->ev_head + 1) % NEVENTS;
		a->ev_count--;
	}
	struct app_event *e = &a->ev[(a->ev_head + a->ev_count) % NEVENTS];
	e->type = type;
	e->t = a->started ? now() - a->t0 : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof e->text, fmt, ap);
	va_end(ap);
	a->ev_count++;
	if (type == APP_EV_WARNING || type == APP_EV_ERROR) {
		snprintf(a->s.message, sizeof a->s.message, "%s", e->text);
		a->s.message_seq++;
	}
	wake(a);
}

static void set_message(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void set_message(struct app *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->s.message, sizeof a->s.message, fmt, ap);
	va_end(ap);
	a->s.message_seq++;
}

static int strategy_index(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s && !strcmp(s, app_cmd_strategy(i)))
			return i;
	return 0;
}

/* The mood point of an emotion (strategy match): quadrants of issue 8. */
static void emotion_point(int e, float *v, float *ar)
{
	static const float pt[7][2] = {
		{ -0.6f, 0.7f },  /* angry    Q2 */
		{ -0.6f, 0.4f },  /* disgust  Q2 */
		{ -0.5f, 0.6f },  /* fear     Q2 */
		{ 0.7f, 0.5f },   /* happy    Q1 */
		{ 0.3f, -0.4f },  /* neutral  Q4 */
		{ -0.6f, -0.5f }, /* sad      Q3 */
		{ 0.5f, 0.7f },   /* surprise Q1 */
	};
	if (e < 0 || e > 6) {
		*v = *ar = 0;
		return;
	}
	*v = pt[e][0];
	*ar = pt[e][1];
}

int app_new(struct config *cfg, struct app **out)
{
	struct app *a = calloc(1, sizeof *a);
	if (!a)
		return APP_ENOMEM;
	a->cfg = cfg;
	a->epfd = a->pipe[0] = a->pipe[1] = a->timerfd = -1;
	pthread_mutex_init(&a->mu, NULL);
	if (pipe2(a->pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		goto fail;
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	a->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (a->epfd < 0 || a->timerfd < 0)
		goto fail;
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = a->pipe[0] };
	if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->pipe[0], &ev) != 0)
		goto fail;
	ev.data.fd = a->timerfd;
	if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, a->timerfd, &ev) != 0)
		goto fail;

	struct app_snapshot *s = &a->s;
	s->camera_on = config_get_bool(cfg, "camera", 1);
	snprintf(s->camera_msg, sizeof s->camera_msg, "%s",
		 s->camera_on ? "camera starting" : "camera off (--no-camera): pick a mood by hand");
	s->mood = -1;
	s->strategy = (enum app_strategy)strategy_index(config_get(cfg, "strategy"));
	s->state = APP_STOPPED;
	s->volume = config_get_int(cfg, "volume", 100);
	if (s->volume < 0 || s->volume > 100)
		s->volume = 100;
	s->normalize = config_get_bool(cfg, "normalize", 1);
	for (int i = 0; i < APP_NCLASSES; i++)
		s->ranking[i] = i;
	if (config_path_state(a->state_path, sizeof a->state_path, "resume"))
		a->state_path[0] = 0;
	*out = a;
	return APP_OK;
fail:
	app_free(a);
	return APP_ESYS;
}

static void resume_from(struct app *a, const struct resume_state *st)
{
	a->s.volume = st->volume;
	a->s.strategy = (enum app_strategy)st->strategy;
	a->s.normalize = st->normalize;
	a->s.nqueue = 0;
	for (int i = 0; i < st->nqueue && i < APP_MAX_QUEUE; i++) {
		struct app_entry *e = &a->s.queue[a->s.nqueue++];
		memset(e, 0, sizeof *e);
		snprintf(e->path, sizeof e->path, "%s", st->queue[i]);
		snprintf(e->reason, sizeof e->reason, "resumed");
	}
	if (st->current[0]) {
		memset(&a->s.current, 0, sizeof a->s.current);
		snprintf(a->s.current.path, sizeof a->s.current.path, "%s", st->current);
		a->s.position = st->position;
		a->s.state = APP_PAUSED;
	}
}

static void resume_to(const struct app *a, struct resume_state *st)
{
	resume_defaults(st);
	st->volume = a->s.volume;
	st->strategy = (int)a->s.strategy;
	st->normalize = a->s.normalize;
	st->playing = a->s.state == APP_PLAYING;
	st->position = a->s.position;
	snprintf(st->current, sizeof st->current, "%s", a->s.current.path);
	for (int i = 0; i < a->s.nqueue && i < RESUME_MAX_QUEUE; i++)
		snprintf(st->queue[st->nqueue++], RESUME_PATH_MAX, "%s", a->s.queue[i].path);
}

/* Called with a->mu held. */
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
		push_event(a, APP_EV_WARNING, "resume state %s: %s", a->state_path, resume_strerror(err));
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
	a->t0 = now();

	struct resume_state *st = malloc(sizeof *st);
	if (st && a->state_path[0]) {
		int err = resume_load(a->state_path, st);
		if (err == RESUME_OK)
			resume_from(a, st);
		else if (err != RESUME_ENOENT)
			push_event(a, APP_EV_WARNING, "resume state %s: %s (starting afresh)",
				   a->state_path, resume_strerror(err));
	}
	free(st);

	if (!a->s.camera_on)
		push_event(a, APP_EV_CAMERA, "off");

	struct itimerspec it = { .it_interval = { 1, 0 }, .it_value = { 1, 0 } };
	timerfd_settime(a->timerfd, 0, &it, NULL);
	pthread_mutex_unlock(&a->mu);
	return APP_OK;
}

void app_stop(struct app *a)
{
	pthread_mutex_lock(&a->mu);
	if (a->started) {
		save_resume(a);
		a->started = 0;
	}
	pthread_mutex_unlock(&a->mu);
}

void app_free(struct app *a)
{
	if (!a)
		return;
	app_stop(a);
	if (a->epfd >= 0)
		close(a->epfd);
	if (a->timerfd >= 0)
		close(a->timerfd);
	if (a->pipe[0] >= 0)
		close(a->pipe[0]);
	if (a->pipe[1] >= 0)
		close(a->pipe[1]);
	free(a->lib);
	pthread_mutex_destroy(&a->mu);
	free(a);
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
		int fd = evs[i].data.fd;
		if (fd == a->pipe[0]) {
			char buf[256];
			while (read(fd, buf, sizeof buf) > 0)
				;
		} else if (fd == a->timerfd) {
			uint64_t ticks;
			if (read(fd, &ticks, sizeof ticks) == (ssize_t)sizeof ticks && a->dirty)
				save_resume(a);
		}
	}
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

static const char *state_name(enum app_play_state st)
{
	return st == APP_PLAYING ? "playing" : st == APP_PAUSED ? "paused" : "stopped";
}

/* A value for a key=value line: control characters shown as '?'. */
static const char *clean(const char *in, char *buf, size_t n)
{
	size_t i = 0;
	for (; in[i] && i + 1 < n; i++)
		buf[i] = (unsigned char)in[i] < 0x20 || in[i] == 0x7f ? '?' : in[i];
	buf[i] = 0;
	return buf;
}

/* key=value lines of the status; called with a->mu held. */
static void status_lines(const struct app *a, char *reply, size_t n)
{
	const struct app_snapshot *s = &a->s;
	char path[sizeof s->current.path], title[sizeof s->current.title],
		artist[sizeof s->current.artist];
	const char *mood = s->mood >= 0 ? app_cmd_emotion(s->mood) : "uncertain";
	snprintf(reply, n,
		 "state=%s\nmood=%s\nmood_source=%s\nconfidence=%.2f\nvalence=%.2f\narousal=%.2f\n"
		 "strategy=%s\ntrack=%s\ntitle=%s\nartist=%s\nposition=%.1f\nduration=%.1f\n"
		 "volume=%d\nnormalize=%s\ncamera=%s\ncamera_ok=%s\nqueue=%d\ntracks=%d\nscanning=%s\n",
		 state_name(s->state), mood, s->mood_manual ? "manual" : "camera", s->confidence,
		 s->valence, s->arousal, app_cmd_strategy((int)s->strategy), clean(s->current.path, path, sizeof path),
		 clean(s->current.title, title, sizeof title),
		 clean(s->current.artist, artist, sizeof artist), s->position, s->current.duration,
		 s->volume, s->normalize ? "on" : "off", s->camera_on ? "on" : "off",
		 s->camera_ok ? "yes" : "no", s->nqueue, s->ntracks, s->scanning ? "yes" : "no");
}

static int reply_err(char *reply, size_t n, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int reply_err(char *reply, size_t n, int err, const char *fmt, ...)
{
	if (n) {
		int k = snprintf(reply, n, "error: ");
		va_list ap;
		va_start(ap, fmt);
		if (k > 0 && (size_t)k < n)
			vsnprintf(reply + k, n - (size_t)k, fmt, ap);
		va_end(ap);
	}
	return err;
}

static void set_entry_path(struct app_entry *e, const char *path, const char *reason)
{
	memset(e, 0, sizeof *e);
	snprintf(e->path, sizeof e->path, "%s", path);
	snprintf(e->reason, sizeof e->reason, "%s", reason);
	const char *slash = strrchr(path, '/');
	snprintf(e->title, sizeof e->title, "%s", slash ? slash + 1 : path);
}

/* Runs a parsed command; called with a->mu held. */
static int run_cmd(struct app *a, const struct app_cmd *c, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	switch (c->op) {
	case APP_CMD_PLAY:
		if (!s->current.path[0] && !s->nqueue)
			return reply_err(reply, n, APP_ESTATE, "nothing to play");
		if (!s->current.path[0]) {
			s->current = s->queue[0];
			memmove(s->queue, s->queue + 1, sizeof s->queue[0] * (size_t)--s->nqueue);
			s->position = 0;
		}
		s->state = APP_PLAYING;
		break;
	case APP_CMD_PAUSE:
		if (s->state == APP_PLAYING)
			s->state = APP_PAUSED;
		break;
	case APP_CMD_TOGGLE:
		if (s->state == APP_PLAYING)
			s->state = APP_PAUSED;
		else if (s->current.path[0])
			s->state = APP_PLAYING;
		break;
	case APP_CMD_STOP:
		s->state = APP_STOPPED;
		s->position = 0;
		break;
	case APP_CMD_NEXT:
		if (!s->nqueue)
			return reply_err(reply, n, APP_ESTATE, "the queue is empty");
		s->current = s->queue[0];
		memmove(s->queue, s->queue + 1, sizeof s->queue[0] * (size_t)--s->nqueue);
		s->position = 0;
		break;
	case APP_CMD_PREV:
		s->position = 0;
		break;
	case APP_CMD_SEEK: {
		if (!s->current.path[0])
			return reply_err(reply, n, APP_ESTATE, "nothing playing");
		double p = c->relative ? s->position + c->num : c->num;
		if (p < 0)
			p = 0;
		if (s->current.duration > 0 && p > s->current.duration)
			p = s->current.duration;
		s->position = p;
		break;
	}
	case APP_CMD_VOLUME: {
		double v = c->relative ? s->volume + c->num : c->num;
		s->volume = (int)lround(v < 0 ? 0 : v > 100 ? 100 : v);
		break;
	}
	case APP_CMD_LIKE:
	case APP_CMD_DISLIKE:
		if (!s->current.path[0])
			return reply_err(reply, n, APP_ESTATE, "nothing playing");
		set_message(a, "%s: %s", c->op == APP_CMD_LIKE ? "liked" : "disliked", s->current.title);
		break;
	case APP_CMD_MOOD:
		s->mood_manual = 1;
		if (s->mood != c->ival) {
			s->mood = c->ival;
			push_event(a, APP_EV_MOOD, "%s", app_cmd_emotion(c->ival));
		}
		s->confidence = 1;
		for (int i = 0; i < APP_NCLASSES; i++)
			s->probs[i] = i == c->ival;
		emotion_point(c->ival, &s->valence, &s->arousal);
		break;
	case APP_CMD_AUTO:
		if (s->mood_manual) {
			s->mood_manual = 0;
			s->mood = -1;  /* the camera's mood comes with its next frame */
			push_event(a, APP_EV_MOOD, "uncertain");
		}
		break;
	case APP_CMD_STRATEGY:
		s->strategy = (enum app_strategy)(c->ival < 0 ? ((int)s->strategy + 1) % 3 : c->ival);
		set_message(a, "strategy: %s", app_cmd_strategy((int)s->strategy));
		break;
	case APP_CMD_CAMERA: {
		int on = c->ival < 0 ? !s->camera_on : c->ival;
		if (on != s->camera_on) {
			s->camera_on = on;
			if (!on)
				s->camera_ok = 0;
			push_event(a, APP_EV_CAMERA, "%s", on ? "on" : "off");
		}
		break;
	}
	case APP_CMD_NORMALIZE:
		s->normalize = c->ival < 0 ? !s->normalize : c->ival;
		break;
	case APP_CMD_PLAY_PATH:
	case APP_CMD_ENQUEUE: {
		struct stat st;
		if (stat(c->arg, &st) != 0 || !S_ISREG(st.st_mode))
			return reply_err(reply, n, APP_EINVAL, "%.200s: no such file", c->arg);
		if (c->op == APP_CMD_PLAY_PATH) {
			set_entry_path(&s->current, c->arg, "chosen by hand");
			s->position = 0;
			s->state = APP_PLAYING;
		} else {
			if (s->nqueue == APP_MAX_QUEUE)
				return reply_err(reply, n, APP_ESTATE, "the queue is full");
			set_entry_path(&s->queue[s->nqueue++], c->arg, "queued by hand");
		}
		break;
	}
	case APP_CMD_STATUS:
		status_lines(a, reply, n);
		return APP_OK;
	case APP_CMD_QUIT:
		s->quit = 1;
		wake(a);
		break;
	}
	a->dirty = 1;
	if (n)
		snprintf(reply, n, "ok");
	return APP_OK;
}

int app_command(struct app *a, const char *line, char *reply, size_t n)
{
	struct app_cmd *c = malloc(sizeof *c);
	char why[256];
	if (!c)
		return reply_err(reply, n, APP_ENOMEM, "out of memory");
	if (app_cmd_parse(line, strlen(line), c, why, sizeof why) != 0) {
		free(c);
		return reply_err(reply, n, APP_EINVAL, "%s", why);
	}
	pthread_mutex_lock(&a->mu);
	int err = run_cmd(a, c, reply, n);
	pthread_mutex_unlock(&a->mu);
	free(c);
	return err;
}

int app_library(struct app *a, struct app_entry **out, size_t *n)
{
	pthread_mutex_lock(&a->mu);
	*out = NULL;
	*n = 0;
	if (a->nlib) {
		*out = malloc(a->nlib * sizeof **out);
		if (!*out) {
			pthread_mutex_unlock(&a->mu);
			return APP_ENOMEM;
		}
		memcpy(*out, a->lib, a->nlib * sizeof **out);
		*n = a->nlib;
	}
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

int app_reload(struct app *a)
{
	pthread_mutex_lock(&a->mu);
	struct app_snapshot *s = &a->s;
	s->strategy = (enum app_strategy)strategy_index(config_get(a->cfg, "strategy"));
	int v = config_get_int(a->cfg, "volume", s->volume);
	if (v >= 0 && v <= 100)
		s->volume = v;
	s->normalize = config_get_bool(a->cfg, "normalize", s->normalize);
	int cam = config_get_bool(a->cfg, "camera", s->camera_on);
	if (cam != s->camera_on) {
		s->camera_on = cam;
		push_event(a, APP_EV_CAMERA, "%s", cam ? "on" : "off");
	}
	a->dirty = 1;
	push_event(a, APP_EV_WARNING, "settings reloaded");
	pthread_mutex_unlock(&a->mu);
	return APP_OK;
}
