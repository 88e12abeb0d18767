/* player: life cycle, the items (queue bookkeeping by position and id),
 * commands, snapshot, wake pipe and message queue. The decoder thread is
 * in player_dec.c, the output thread in player_out.c; what they share is
 * in player_priv.h. See player.h for the design. */
#include "player_priv.h"
#include "vec.h"

#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TRIM_CHUNK 100     /* played items dropped at a time */
#define FREE_WAIT_S 3      /* player_free: the longest wait for a thread */

/* ---- helpers (lock held) ---- */

/* Drops the played items (those before the current one), in chunks of
 * TRIM_CHUNK so that it costs nothing per track. Nothing refers to them:
 * ring blocks and the decoder are at or after the current item. */
void player_trim_played(struct player *p)
{
	if (p->cur - p->base < TRIM_CHUNK)
		return;
	size_t k = p->cur - p->base;
	for (size_t i = 0; i < k; i++)
		free(p->items[i].path);
	memmove(p->items, p->items + k, (p->n - p->base - k) * sizeof *p->items);
	p->base += k;
}

void player_wake_up(struct player *p)
{
	char c = 1;
	ssize_t r = write(p->wake[1], &c, 1);
	(void)r; /* EAGAIN: the pipe is full, the reader will wake anyway */
}

void player_push_msg(struct player *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->error, sizeof p->error, fmt, ap);
	va_end(ap);
	int slot = (p->msg_head + p->msg_count) % NMSG;
	if (p->msg_count == NMSG) {
		p->msg_head = (p->msg_head + 1) % NMSG;
		slot = (p->msg_head + NMSG - 1) % NMSG;
	} else {
		p->msg_count++;
	}
	snprintf(p->msgs[slot], sizeof p->msgs[slot], "%s", p->error);
	p->error_seq++;
	player_wake_up(p);
}

void player_timespec_in(struct timespec *ts, double s)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	long ns = ts->tv_nsec + (long)((s - floor(s)) * 1e9);
	ts->tv_sec += (time_t)floor(s) + ns / 1000000000L;
	ts->tv_nsec = ns % 1000000000L;
}

double player_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void player_check_queue_low(struct player *p)
{
	if (p->cur < p->n && p->cur + 1 == p->n) {
		p->queue_low_seq++;
		player_wake_up(p);
	}
}

/* Empties the ring and restarts the decoder at item idx, t seconds in. */
static void restart(struct player *p, size_t idx, double t)
{
	p->count = 0;
	p->head = 0;
	p->gen++;
	p->dgen++;
	p->dec_idx = idx;
	p->dec_seek = t;
	p->dec_fresh = 1;
	p->pos = t;
	pthread_cond_broadcast(&p->dec_cv);
	pthread_cond_broadcast(&p->out_cv);
}

void player_set_stopped(struct player *p)
{
	p->state = PLAYER_STOPPED;
	p->count = 0;
	p->head = 0;
	p->gen++;
	p->dgen++;
	p->dec_idx = p->cur;
	p->dec_seek = 0;
	p->dec_fresh = 1;
	pthread_cond_broadcast(&p->dec_cv);
	pthread_cond_broadcast(&p->out_cv);
	pthread_cond_broadcast(&p->idle_cv);
	player_wake_up(p);
}

/* Moves to item idx (a jump: next). */
static void jump(struct player *p, size_t idx)
{
	if (idx != p->cur)
		p->track_seq++;
	p->cur = idx;
	player_trim_played(p);
	p->pos = 0;
	p->start_pos = 0;
	if (p->state == PLAYER_STOPPED) {
		p->dec_idx = idx;
	} else {
		restart(p, idx, 0);
		player_check_queue_low(p);
	}
	player_wake_up(p);
}

/* ---- API ---- */

int player_new(const char *audio, struct player **out)
{
	return player_new_opts(audio, NULL, out);
}

int player_new_opts(const char *audio, const struct player_opts *opts, struct player **out)
{
	struct player *p;
	pthread_condattr_t ca;
	char msg[256];
	int err;

	*out = NULL;
	p = calloc(1, sizeof *p);
	if (!p)
		return PLAYER_ENOMEM;
	p->wake[0] = p->wake[1] = -1;
	p->ring = calloc(PLAYER_RING_BLOCKS, sizeof *p->ring);
	if (!p->ring) {
		free(p);
		return PLAYER_ENOMEM;
	}
	err = aout_new(audio, &p->ao, msg, sizeof msg);
	if (err) {
		if (opts && opts->errbuf && opts->errlen)
			snprintf(opts->errbuf, opts->errlen, "%s", msg);
		free(p->ring);
		free(p);
		return err == AOUT_ENOMEM ? PLAYER_ENOMEM : PLAYER_EDRIVER;
	}
	if (pipe(p->wake) < 0) {
		aout_free(p->ao);
		free(p->ring);
		free(p);
		return PLAYER_ESYS;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(p->wake[i], F_SETFL, fcntl(p->wake[i], F_GETFL) | O_NONBLOCK);
		fcntl(p->wake[i], F_SETFD, FD_CLOEXEC);
	}
	p->pace = opts ? opts->pace : 0;
	p->retry_ms = opts && opts->retry_ms > 0 ? opts->retry_ms : 2000;
	p->give_up = opts ? opts->give_up : 0;
	p->volume = 100;
	p->normalize = 1;
	p->target_lufs = -18;
	p->state = PLAYER_STOPPED;
	p->next_id = 1;
	p->dec_fresh = 1;

	pthread_mutex_init(&p->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->dec_cv, &ca);
	pthread_cond_init(&p->out_cv, &ca);
	pthread_cond_init(&p->idle_cv, &ca);
	pthread_condattr_destroy(&ca);

	if (pthread_create(&p->dec_th, NULL, player_dec_main, p)) {
		err = PLAYER_ESYS;
		goto fail;
	}
	if (pthread_create(&p->out_th, NULL, player_out_main, p)) {
		pthread_mutex_lock(&p->mu);
		p->quit = 1;
		pthread_cond_broadcast(&p->dec_cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->dec_th, NULL);
		err = PLAYER_ESYS;
		goto fail;
	}
	*out = p;
	return 0;
fail:
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->dec_cv);
	pthread_cond_destroy(&p->out_cv);
	pthread_cond_destroy(&p->idle_cv);
	close(p->wake[0]);
	close(p->wake[1]);
	aout_free(p->ao);
	free(p->ring);
	free(p);
	return err;
}

void player_free(struct player *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->dec_cv);
	pthread_cond_broadcast(&p->out_cv);
	pthread_cond_broadcast(&p->idle_cv);
	pthread_mutex_unlock(&p->mu);
	/* A thread stuck in a backend (an output FIFO nobody reads, a device
	 * that never answers) must not keep the program from ending: after
	 * FREE_WAIT_S it is left behind with everything it may touch. */
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += FREE_WAIT_S;
	int stuck = pthread_timedjoin_np(p->dec_th, NULL, &until) != 0;
	stuck |= pthread_timedjoin_np(p->out_th, NULL, &until) != 0;
	if (stuck)
		return;
	aout_free(p->ao);
	for (size_t i = p->base; i < p->n; i++)
		free(ITEM(p, i).path);
	free(p->items);
	free(p->ring);
	close(p->wake[0]);
	close(p->wake[1]);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->dec_cv);
	pthread_cond_destroy(&p->out_cv);
	pthread_cond_destroy(&p->idle_cv);
	free(p);
}

/* Inserts a copy of it at index at (lock held). 0 or an error. Inserting
 * before the end shifts indices: only done together with a restart. */
static int insert_item(struct player *p, const struct player_item *it, char *path, size_t at)
{
	if (p->n - p->base >= MAX_ITEMS)
		return PLAYER_EFULL;
	if (vec_grow(&p->items, &p->cap, p->n - p->base + 1, sizeof *p->items, 64))
		return PLAYER_ENOMEM;
	memmove(&ITEM(p, at + 1), &ITEM(p, at), (p->n - at) * sizeof *p->items);
	struct item *x = &ITEM(p, at);
	x->path = path;
	x->lufs = it->lufs;
	x->id = p->next_id++;
	x->duration = 0;
	p->n++;
	return 0;
}

/* Position of the upcoming item id, or p->n when it is not upcoming. */
static size_t find_upcoming(const struct player *p, unsigned long id)
{
	size_t i = p->cur < p->n ? p->cur + 1 : p->n;
	while (i < p->n && ITEM(p, i).id != id)
		i++;
	return i;
}

/* Positions from r on are about to move: their decoded blocks are
 * dropped and a decoder working on them starts again at r. */
static void moving_from(struct player *p, size_t r)
{
	int k = 0;
	while (k < p->count && p->ring[(p->head + k) % PLAYER_RING_BLOCKS].idx < r)
		k++;
	p->count = k;
	if (p->dec_idx >= r && p->dec_idx < p->n) {
		p->dec_idx = r;
		p->dgen++;
		p->dec_fresh = 0;
		p->dec_seek = 0;
		pthread_cond_broadcast(&p->dec_cv);
	}
}

/* Checks it, copies its path and inserts it before the upcoming item
 * `before`, else at the end of the queue. On success returns 0 with p->mu held and *at its index;
 * on error p->mu is not held. */
static int insert_locked(struct player *p, const struct player_item *it, unsigned long before,
			 size_t *at)
{
	if (!it || !it->path || !*it->path)
		return PLAYER_EINVAL;
	char *path = strdup(it->path);
	if (!path)
		return PLAYER_ENOMEM;
	pthread_mutex_lock(&p->mu);
	int rc = 0;
	*at = p->n;
	if (before && (*at = find_upcoming(p, before)) >= p->n)
		rc = PLAYER_EEMPTY;
	else if (before)
		moving_from(p, *at);
	if (!rc)
		rc = insert_item(p, it, path, *at);
	if (rc) {
		pthread_mutex_unlock(&p->mu);
		free(path);
	}
	return rc;
}

int player_enqueue(struct player *p, const struct player_item *it)
{
	return player_add(p, it, 0, NULL);
}

int player_add(struct player *p, const struct player_item *it, unsigned long before,
	       unsigned long *id)
{
	size_t at;
	int rc = insert_locked(p, it, before, &at);
	if (rc)
		return rc;
	if (p->cur == at)
		p->track_seq++;  /* nothing was current: this one is now */
	if (id)
		*id = ITEM(p, at).id;
	pthread_cond_broadcast(&p->dec_cv);
	player_wake_up(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_remove(struct player *p, unsigned long id)
{
	pthread_mutex_lock(&p->mu);
	size_t r = find_upcoming(p, id);
	if (r >= p->n) {
		pthread_mutex_unlock(&p->mu);
		return PLAYER_EEMPTY;
	}
	moving_from(p, r);
	free(ITEM(p, r).path);
	memmove(&ITEM(p, r), &ITEM(p, r + 1), (p->n - r - 1) * sizeof *p->items);
	p->n--;
	if (p->state != PLAYER_STOPPED)
		player_check_queue_low(p);
	player_wake_up(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_queue_ids(struct player *p, unsigned long *ids, int max)
{
	int k = 0;
	pthread_mutex_lock(&p->mu);
	for (size_t i = p->cur < p->n ? p->cur + 1 : p->n; i < p->n && k < max; i++)
		ids[k++] = ITEM(p, i).id;
	pthread_mutex_unlock(&p->mu);
	return k;
}

int player_clear_queue(struct player *p)
{
	pthread_mutex_lock(&p->mu);
	size_t keep = p->cur < p->n ? p->cur + 1 : p->n;
	if (p->n > keep) {
		for (size_t i = keep; i < p->n; i++)
			free(ITEM(p, i).path);
		p->n = keep;
		/* drop the blocks of the removed items */
		int k = 0;
		while (k < p->count && p->ring[(p->head + k) % PLAYER_RING_BLOCKS].idx < keep)
			k++;
		p->count = k;
		if (p->dec_idx >= keep) {
			p->dec_idx = keep;
			p->dgen++;
			p->dec_fresh = 0;
			p->dec_seek = 0;
			pthread_cond_broadcast(&p->dec_cv);
		}
		if (p->state != PLAYER_STOPPED)
			player_check_queue_low(p);
		player_wake_up(p);
	}
	pthread_mutex_unlock(&p->mu);
	return 0;
}

static int play_locked(struct player *p)
{
	if (p->state == PLAYER_PAUSED) {
		p->state = PLAYER_PLAYING;
		pthread_cond_broadcast(&p->out_cv);
		pthread_cond_broadcast(&p->dec_cv);
		player_wake_up(p);
		return 0;
	}
	if (p->state == PLAYER_PLAYING)
		return 0;
	if (p->cur >= p->n)
		return PLAYER_EEMPTY;
	p->state = PLAYER_PLAYING;
	p->gave_up = 0;
	p->dev_fails = 0;
	restart(p, p->cur, p->start_pos);
	p->start_pos = 0;
	player_check_queue_low(p);
	player_wake_up(p);
	return 0;
}

int player_play(struct player *p)
{
	pthread_mutex_lock(&p->mu);
	int rc = play_locked(p);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int player_pause(struct player *p)
{
	pthread_mutex_lock(&p->mu);
	if (p->state == PLAYER_PLAYING) {
		p->state = PLAYER_PAUSED;
		pthread_cond_broadcast(&p->out_cv);
		player_wake_up(p);
	}
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_stop(struct player *p)
{
	pthread_mutex_lock(&p->mu);
	p->pos = 0;
	p->start_pos = 0;
	if (p->state != PLAYER_STOPPED)
		player_set_stopped(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_next(struct player *p)
{
	int rc = 0;
	pthread_mutex_lock(&p->mu);
	if (p->cur + 1 < p->n)
		jump(p, p->cur + 1);
	else
		rc = PLAYER_EEMPTY;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int player_seek(struct player *p, double seconds, int relative)
{
	if (!isfinite(seconds))
		return PLAYER_EINVAL;
	pthread_mutex_lock(&p->mu);
	if (p->cur >= p->n) {
		pthread_mutex_unlock(&p->mu);
		return PLAYER_EEMPTY;
	}
	double t = relative ? p->pos + seconds : seconds;
	double dur = ITEM(p, p->cur).duration;
	if (t < 0)
		t = 0;
	if (dur > 0 && t > dur)
		t = dur;
	if (p->state == PLAYER_STOPPED) {
		p->start_pos = t;
		p->pos = t;
	} else {
		restart(p, p->cur, t);
	}
	player_wake_up(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_set_volume(struct player *p, int vol)
{
	if (vol < 0)
		vol = 0;
	if (vol > 100)
		vol = 100;
	pthread_mutex_lock(&p->mu);
	p->volume = vol;
	player_wake_up(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_set_normalize(struct player *p, int on)
{
	pthread_mutex_lock(&p->mu);
	p->normalize = on != 0;
	player_wake_up(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

void player_set_target_lufs(struct player *p, double lufs)
{
	if (!isfinite(lufs))
		return;
	pthread_mutex_lock(&p->mu);
	p->target_lufs = lufs;
	pthread_mutex_unlock(&p->mu);
}

void player_snapshot(struct player *p, struct player_snapshot *s)
{
	memset(s, 0, sizeof *s);
	pthread_mutex_lock(&p->mu);
	s->state = p->state;
	s->index = -1;
	if (p->cur < p->n) {
		snprintf(s->path, sizeof s->path, "%s", ITEM(p, p->cur).path);
		s->duration = ITEM(p, p->cur).duration;
		s->queue_len = (int)(p->n - p->cur - 1);
		s->index = (int)p->cur;
		s->id = ITEM(p, p->cur).id;
		s->gain_db = player_norm_db(p, p->cur);
	}
	s->position = p->state == PLAYER_STOPPED ? p->start_pos : p->pos;
	s->volume = p->volume;
	s->normalize = p->normalize;
	s->track_seq = p->track_seq;
	snprintf(s->error, sizeof s->error, "%s", p->error);
	s->error_seq = p->error_seq;
	s->queue_low_seq = p->queue_low_seq;
	s->underruns = p->underruns;
	s->target_lufs = p->target_lufs;
	snprintf(s->driver, sizeof s->driver, "%s", p->ao->driver);
	snprintf(s->audio_error, sizeof s->audio_error, "%s", p->audio_error);
	pthread_mutex_unlock(&p->mu);
}

int player_wake_fd(const struct player *p)
{
	return p->wake[0];
}

void player_drain_wake(struct player *p)
{
	char buf[64];
	while (read(p->wake[0], buf, sizeof buf) > 0)
		;
}

int player_next_message(struct player *p, char *buf, size_t n)
{
	int rc = 0;
	pthread_mutex_lock(&p->mu);
	if (p->msg_count > 0) {
		snprintf(buf, n, "%s", p->msgs[p->msg_head]);
		p->msg_head = (p->msg_head + 1) % NMSG;
		p->msg_count--;
		rc = 1;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int player_wait_idle(struct player *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->state != PLAYER_STOPPED && !p->quit)
		pthread_cond_wait(&p->idle_cv, &p->mu);
	int rc = p->gave_up ? PLAYER_EDEVICE : 0;
	pthread_mutex_unlock(&p->mu);
	return rc;
}

const char *player_strerror(int err)
{
	switch (err) {
	case PLAYER_OK: return "success";
	case PLAYER_ENOMEM: return "out of memory";
	case PLAYER_EINVAL: return "invalid argument";
	case PLAYER_EEMPTY: return "nothing to play";
	case PLAYER_EDEVICE: return "the audio device failed";
	case PLAYER_EDRIVER: return "no such audio driver";
	case PLAYER_ESYS: return "cannot create a thread or pipe";
	case PLAYER_EFULL: return "the playlist is full";
	}
	return "unknown error";
}
