/*
 * A fake app (app.h) for the UI's tests and benchmark: a synthetic camera
 * (a moving face-like disc on a gradient, FAKE_FPS frames a second), a
 * library of 40 tracks, a queue, and the commands of app.h acting on that
 * state. Environment: FAKE_NO_CAMERA=1 (no camera), FAKE_NO_AUDIO=1 (no
 * audio device), FAKE_FPS=N (frames a second, default 15), FAKE_JITTER=1
 * (probabilities that move every frame, like a live camera's).
 */
#include "app.h"
#include "history.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct app {
	pthread_mutex_t mu;
	pthread_t th;
	int running, started;
	int pipe[2];
	struct app_snapshot s;
	struct app_entry lib[40];
	int fps;
	unsigned noise;
	int jitter;
	double t0;
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
	(void)r;
}

static void entry(struct app_entry *e, int i)
{
	static const char *const artists[] = { "Aurora Lane", "The Blue Hours", "Cinder", "Delta Fox", "Zebra Kid" };
	memset(e, 0, sizeof(*e));
	snprintf(e->path, sizeof e->path, "/music/track%02d.flac", i);
	snprintf(e->title, sizeof e->title, "Song %02d", i);
	snprintf(e->artist, sizeof e->artist, "%s", artists[i % 5]);
	e->duration = 120 + i * 7;
	e->valence = (float)sin(i * 1.3) * 0.8f;
	e->arousal = (float)cos(i * 0.7) * 0.8f;
	snprintf(e->reason, sizeof e->reason, "fits the mood (distance %.2f)", 0.1 + i * 0.01);
}

static void set_probs(struct app *a, int top)
{
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		a->s.probs[i] = i == top ? 0.64f : 0.06f;
	a->s.ranking[0] = top;
	for (int i = 0, r = 1; i < VOCAB_NCLASSES; i++)
		if (i != top)
			a->s.ranking[r++] = i;
	a->s.mood = top;
	a->s.confidence = 0.64f;
}

static void frame(struct app *a, double t)
{
	struct app_snapshot *s = &a->s;
	int w = 160, h = 120;
	double cx = 80 + 30 * sin(t * 0.8), cy = 60 + 10 * cos(t * 0.6);
	s->preview_w = w;
	s->preview_h = h;
	s->frame_w = 640;
	s->frame_h = 480;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double dx = (x - cx) / 28, dy = (y - cy) / 36, r2 = dx * dx + dy * dy;
			int v = 40 + x / 4 + y / 3; /* a still room */
			if (r2 < 1)
				v = 200 - (int)(60 * r2);
			if (r2 < 1 && fabs(dy + 0.3) < 0.08 && fabs(fabs(dx) - 0.35) < 0.12)
				v = 30; /* eyes */
			v += (int)(rand_r(&a->noise) % 13) - 6; /* sensor noise */
			s->preview[y * w + x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
	s->nfaces = 1;
	s->faces[0] = (struct app_face){ .box = { (int)((cx - 30) * 4), (int)((cy - 38) * 4), 240, 304 },
					 .id = 1 };
	memcpy(s->faces[0].probs, s->probs, sizeof s->probs);
	s->frame_seq++;
	s->fps = (float)a->fps;
	s->latency_ms = 31;
}

static void *thread(void *arg)
{
	struct app *a = arg;
	for (;;) {
		pthread_mutex_lock(&a->mu);
		if (!a->running) {
			pthread_mutex_unlock(&a->mu);
			break;
		}
		double t = now() - a->t0;
		if (a->s.camera_on && a->s.camera_ok) {
			if (a->jitter && !a->s.mood_manual)
				for (int i = 0; i < VOCAB_NCLASSES; i++) /* live-looking bars */
					a->s.probs[i] = (i == 3 ? 0.52f : 0.08f) +
							0.05f * (float)sin(t * (1.3 + i) + i);
			frame(a, t);
		}
		if (a->s.state == APP_PLAYING)
			a->s.position += 1.0 / a->fps;
		pthread_mutex_unlock(&a->mu);
		wake(a);
		usleep((useconds_t)(1000000 / a->fps));
	}
	return NULL;
}

int app_new(struct config *cfg, struct app **out)
{
	(void)cfg;
	struct app *a = calloc(1, sizeof(*a));
	if (!a)
		return APP_ENOMEM;
	pthread_mutex_init(&a->mu, NULL);
	if (pipe(a->pipe) < 0) {
		free(a);
		return APP_ESYS;
	}
	const char *f = getenv("FAKE_FPS");
	a->fps = f ? atoi(f) : 15;
	a->jitter = getenv("FAKE_JITTER") != NULL;
	if (a->fps < 1)
		a->fps = 1;
	for (int i = 0; i < 40; i++)
		entry(&a->lib[i], i);
	struct app_snapshot *s = &a->s;
	s->camera_on = !getenv("FAKE_NO_CAMERA");
	s->camera_ok = s->camera_on;
	if (!s->camera_on)
		snprintf(s->camera_msg, sizeof s->camera_msg, "no camera found: press m to pick a mood by hand");
	if (getenv("FAKE_NO_AUDIO"))
		snprintf(s->audio_msg, sizeof s->audio_msg, "no audio device (driver fake)");
	set_probs(a, 3);
	s->volume = 80;
	s->normalize = 1;
	s->valence = 0.7f;
	s->arousal = 0.5f;
	s->state = APP_PLAYING;
	s->current = a->lib[0];
	s->nqueue = 6;
	for (int i = 0; i < 6; i++)
		s->queue[i] = a->lib[i + 1];
	s->ntracks = 40;
	*out = a;
	return 0;
}

int app_start(struct app *a)
{
	a->t0 = now();
	a->running = 1;
	a->started = pthread_create(&a->th, NULL, thread, a) == 0;
	return a->started ? 0 : APP_ESYS;
}

void app_stop(struct app *a)
{
	pthread_mutex_lock(&a->mu);
	a->running = 0;
	pthread_mutex_unlock(&a->mu);
	if (a->started)
		pthread_join(a->th, NULL);
	a->started = 0;
}

void app_free(struct app *a)
{
	if (!a)
		return;
	close(a->pipe[0]);
	close(a->pipe[1]);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

int app_wake_fd(const struct app *a)
{
	return a->pipe[0];
}

void app_drain(struct app *a)
{
	char buf[256];
	while (read(a->pipe[0], buf, sizeof buf) == (ssize_t)sizeof buf)
		;
}

void app_snapshot(struct app *a, struct app_snapshot *out)
{
	pthread_mutex_lock(&a->mu);
	memcpy(out, &a->s, sizeof(*out));
	pthread_mutex_unlock(&a->mu);
}

int app_next_event(struct app *a, struct app_event *ev)
{
	(void)a;
	(void)ev;
	return 0;
}

static void msg(struct app *a, const char *m)
{
	snprintf(a->s.message, sizeof a->s.message, "%.200s", m);
	a->s.message_seq++;
}

static void play(struct app *a, const struct app_entry *e)
{
	a->s.current = *e;
	a->s.position = 0;
	a->s.state = APP_PLAYING;
}

static int command(struct app *a, const char *line, char *reply, size_t n)
{
	struct app_snapshot *s = &a->s;
	char w[64] = "", arg[1024] = "";
	sscanf(line, "%63s %1023[^\n]", w, arg);
	snprintf(reply, n, "ok");
	if (!strcmp(w, "toggle"))
		s->state = s->state == APP_PLAYING ? APP_PAUSED : APP_PLAYING;
	else if (!strcmp(w, "play"))
		s->state = APP_PLAYING;
	else if (!strcmp(w, "pause"))
		s->state = APP_PAUSED;
	else if (!strcmp(w, "stop"))
		s->state = APP_STOPPED;
	else if (!strcmp(w, "next")) {
		play(a, &s->queue[0]);
		memmove(&s->queue[0], &s->queue[1], (size_t)(s->nqueue - 1) * sizeof s->queue[0]);
		entry(&s->queue[s->nqueue - 1], (int)(s->frame_seq % 40));
	} else if (!strcmp(w, "prev"))
		s->position = 0;
	else if (!strcmp(w, "seek")) {
		double v = atof(arg);
		s->position = (arg[0] == '+' || arg[0] == '-') ? s->position + v : v;
		if (s->position < 0)
			s->position = 0;
	} else if (!strcmp(w, "volume")) {
		int v = atoi(arg);
		s->volume = (arg[0] == '+' || arg[0] == '-') ? s->volume + v : v;
		s->volume = s->volume < 0 ? 0 : s->volume > 100 ? 100 : s->volume;
	} else if (!strcmp(w, "like") || !strcmp(w, "dislike")) {
		char m[200];
		snprintf(m, sizeof m, "%.60s %.120s", w, s->current.title);
		msg(a, m);
	} else if (!strcmp(w, "mood")) {
		int i = vocab_class_parse(arg, 0);
		if (i < 0) {
			snprintf(reply, n, "error: unknown emotion '%s'", arg);
			return APP_EINVAL;
		}
		set_probs(a, i);
		s->mood_manual = 1;
	} else if (!strcmp(w, "auto")) {
		s->mood_manual = 0;
		set_probs(a, 3);
	} else if (!strcmp(w, "strategy")) {
		int st = vocab_strategy_parse(arg, 0);
		if (!strcmp(arg, "next"))
			s->strategy = (s->strategy + 1) % VOCAB_NSTRATEGIES;
		else if (st >= 0)
			s->strategy = (enum vocab_strategy)st;
		else {
			snprintf(reply, n, "error: unknown strategy '%s'", arg);
			return APP_EINVAL;
		}
	} else if (!strcmp(w, "camera")) {
		s->camera_on = !strcmp(arg, "toggle") ? !s->camera_on : !strcmp(arg, "on");
		s->camera_ok = s->camera_on && !getenv("FAKE_NO_CAMERA");
	} else if (!strcmp(w, "normalize"))
		s->normalize = !strcmp(arg, "toggle") ? !s->normalize : !strcmp(arg, "on");
	else if (!strcmp(w, "play-path") || !strcmp(w, "enqueue")) {
		int i;
		for (i = 0; i < 40 && strcmp(arg, a->lib[i].path); i++)
			;
		if (i == 40) {
			snprintf(reply, n, "error: not in the library: %s", arg);
			return APP_EINVAL;
		}
		if (w[0] == 'p')
			play(a, &a->lib[i]);
		else if (s->nqueue < APP_MAX_QUEUE)
			s->queue[s->nqueue++] = a->lib[i];
	} else if (!strcmp(w, "quit"))
		s->quit = 1;
	else if (!strcmp(w, "status"))
		snprintf(reply, n, "state=%d\nok", (int)s->state);
	else {
		snprintf(reply, n, "error: unknown command '%s'", w);
		return APP_EINVAL;
	}
	return 0;
}

int app_command(struct app *a, const char *line, char *reply, size_t n)
{
	pthread_mutex_lock(&a->mu);
	int r = command(a, line, reply, n);
	pthread_mutex_unlock(&a->mu);
	wake(a);
	return r;
}

int app_library_rows(struct app *a, app_library_keep keep, void *ctx, size_t **rows, size_t *n,
		     size_t *total, unsigned long *gen)
{
	*rows = malloc(40 * sizeof **rows);
	*n = 0;
	*total = 40;
	*gen = 1;
	if (!*rows)
		return APP_ENOMEM;
	pthread_mutex_lock(&a->mu);
	for (size_t i = 0; i < 40; i++)
		if (!keep || keep(ctx, a->lib[i].title, a->lib[i].artist, a->lib[i].path))
			(*rows)[(*n)++] = i;
	pthread_mutex_unlock(&a->mu);
	return 0;
}

int app_library_row(struct app *a, size_t row, unsigned long gen, struct app_entry *e)
{
	if (gen != 1)
		return APP_ESTATE;
	if (row >= 40)
		return APP_EINVAL;
	pthread_mutex_lock(&a->mu);
	*e = a->lib[row];
	pthread_mutex_unlock(&a->mu);
	return 0;
}

int app_library_find(struct app *a, const char *path, struct app_entry *e)
{
	int err = APP_EINVAL;
	pthread_mutex_lock(&a->mu);
	for (size_t i = 0; i < 40 && err; i++)
		if (!strcmp(a->lib[i].path, path)) {
			*e = a->lib[i];
			err = 0;
		}
	pthread_mutex_unlock(&a->mu);
	return err;
}

const char *app_strerror(int err)
{
	switch (err) {
	case APP_OK: return "success";
	case APP_ENOMEM: return "out of memory";
	case APP_EINVAL: return "invalid command";
	case APP_ESTATE: return "not possible now";
	case APP_ESYS: return "system error";
	}
	return "unknown error";
}

/* A made-up day of mood history: a row every 30 s, valence and arousal
 * on slow waves counted back from now, the mood cycling every 10 min, a new track every 4 min,
 * nobody there for the first 5 minutes of every hour. */
int app_history(struct app *a, double since, double until, size_t last,
		struct history_row **out, size_t *n)
{
	(void)a;
	*out = NULL;
	*n = 0;
	if (getenv("FAKE_HISTORY_OFF"))
		return APP_ESTATE;
	double now = (double)time(NULL), start = floor((now - 86400) / 30) * 30;
	size_t cap = 2881, k = 0;
	struct history_row *v = calloc(cap, sizeof *v);
	if (!v)
		return APP_ENOMEM;
	for (double t = start; t < now && k < cap; t += 30) {
		if (t < since || t >= until)
			continue;
		long m = (long)(t / 60);
		struct history_row *r = &v[k++];
		r->t = t;
		r->state = m % 60 < 5 ? HISTORY_NOFACE : HISTORY_CAMERA;
		r->mood = r->state == HISTORY_NOFACE ? -1 : (int)(m / 10 % 8) - 1;
		/* waves tied to now, so the last hour always spans -1..1 */
		r->valence = (float)sin((now - t) / 900.0 + 0.5);
		r->arousal = (float)cos((now - t) / 1300.0);
		r->confidence = 0.7f;
		r->faces = r->state == HISTORY_NOFACE ? 0 : 1;
		char path[64];
		snprintf(path, sizeof path, "/music/track%ld.flac", m / 4 % 50);
		r->track = strdup(path);
	}
	if (last && k > last) {
		for (size_t i = 0; i < k - last; i++)
			free(v[i].track);
		memmove(v, v + (k - last), last * sizeof *v);
		k = last;
	}
	*out = v;
	*n = k;
	return APP_OK;
}

void app_set_autoplay(struct app *a, int mode)
{
	(void)a;
	(void)mode;
}

const char *app_playlists_dir(const struct app *a)
{
	(void)a;
	const char *d = getenv("EMOTUNE_FAKE_PLAYLISTS");
	return d ? d : "/nonexistent";
}

int app_reload(struct app *a)
{
	(void)a;
	return 0;
}
