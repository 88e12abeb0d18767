/* player_out: the output thread. Takes blocks from the ring, applies
 * gain (volume x normalisation, ramped, limited when boosting), packs
 * them to the device's sample size and writes them; keeps a failed block
 * and retries; paces file and null outputs. See player.h for the design,
 * player_priv.h for the thread rules. */
#include "player_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BOOST_DB 12.0
#define MAX_CUT_DB 30.0
#define LIMIT_CEILING (0.977 * 2147483648.0)  /* -0.2 dBFS in int32 units */

static double volume_gain(int vol)
{
	double v = vol / 100.0;
	return v * v * v;
}

/* Normalisation gain in dB for item idx (lock held). */
double player_norm_db(const struct player *p, size_t idx)
{
	if (!p->normalize || idx >= p->n || !isfinite(ITEM(p, idx).lufs))
		return 0;
	double db = p->target_lufs - ITEM(p, idx).lufs;
	if (db > MAX_BOOST_DB)
		db = MAX_BOOST_DB;
	if (db < -MAX_CUT_DB)
		db = -MAX_CUT_DB;
	return db;
}

struct out_state {
	double gain;        /* applied at the end of the last block */
	double lim;         /* limiter gain, <= 1 */
	double release;     /* per-frame release coefficient */
	int lim_rate;
	unsigned char *bytes;
};

static int is_little_endian(void)
{
	const uint16_t one = 1;
	return *(const unsigned char *)&one == 1;
}

static void put24(unsigned char *o, int32_t v, int le)
{
	uint32_t u = (uint32_t)v;
	if (le) {
		o[0] = (unsigned char)(u & 0xff);
		o[1] = (unsigned char)((u >> 8) & 0xff);
		o[2] = (unsigned char)((u >> 16) & 0xff);
	} else {
		o[0] = (unsigned char)((u >> 16) & 0xff);
		o[1] = (unsigned char)((u >> 8) & 0xff);
		o[2] = (unsigned char)(u & 0xff);
	}
}

/* Converts a block to device bytes, applying gain g0 -> g1 (ramped) and the
 * limiter when boosting. Returns the byte count. */
static size_t render(struct out_state *os, const struct block *b, double g0, double g1)
{
	const int ch = b->fmt.channels, bits = b->fmt.bits, le = is_little_endian();
	const long ns = (long)b->frames * ch;
	unsigned char *o = os->bytes;

	if (g0 == 1.0 && g1 == 1.0) {
		/* untouched: bit-exact */
		if (bits == 16) {
			int16_t *s = (int16_t *)(void *)o;
			for (long i = 0; i < ns; i++)
				s[i] = (int16_t)(b->data[i] >> 16);
			return (size_t)ns * 2;
		}
		if (bits == 24) {
			for (long i = 0; i < ns; i++)
				put24(o + 3 * i, b->data[i] >> 8, le);
			return (size_t)ns * 3;
		}
		memcpy(o, b->data, (size_t)ns * 4);
		return (size_t)ns * 4;
	}

	if (os->lim_rate != b->fmt.rate) {
		os->lim_rate = b->fmt.rate;
		os->release = 1.0 - exp(-1.0 / (0.1 * b->fmt.rate));
	}
	const int limit = g0 > 1.0 || g1 > 1.0;
	const double scale = bits == 16 ? 1.0 / 65536 : bits == 24 ? 1.0 / 256 : 1.0;
	const double maxv = bits == 16 ? 32767 : bits == 24 ? 8388607 : 2147483647.0;
	const double minv = -maxv - 1;
	for (long f = 0; f < b->frames; f++) {
		double g = g0 + (g1 - g0) * (double)(f + 1) / b->frames;
		const int32_t *s = b->data + f * ch;
		if (limit) {
			double peak = 0;
			for (int c = 0; c < ch; c++) {
				double a = fabs((double)s[c]) * g;
				if (a > peak)
					peak = a;
			}
			double want = peak > LIMIT_CEILING ? LIMIT_CEILING / peak : 1.0;
			if (want < os->lim)
				os->lim = want;                               /* attack: at once */
			else
				os->lim += (want - os->lim) * os->release;    /* release */
			g *= os->lim;
		} else {
			os->lim = 1.0;
		}
		for (int c = 0; c < ch; c++) {
			double v = nearbyint((double)s[c] * g * scale);
			if (v > maxv)
				v = maxv;
			if (v < minv)
				v = minv;
			long i = f * ch + c;
			if (bits == 16)
				((int16_t *)(void *)o)[i] = (int16_t)v;
			else if (bits == 24)
				put24(o + 3 * i, (int32_t)v, le);
			else
				((int32_t *)(void *)o)[i] = (int32_t)v;
		}
	}
	return (size_t)ns * (size_t)(bits / 8);
}

/* The output thread's own state (no lock: only this thread uses it). */
struct out {
	struct player *p;
	struct block *blk;
	struct out_state os;
	int have;                 /* blk holds a block not yet written */
	unsigned have_gen;
	double retry_at;
	int primed;               /* written since the last flush: an empty ring is an underrun */
	unsigned primed_gen;
	size_t last_idx;
	int realtime;             /* an empty ring is an underrun only where the output runs in real time */
	double pace_t0, pace_frames;
	int pace_rate;
};

/* Not playing: closes a live device once stopped, else waits. */
static void out_not_playing(struct out *o)
{
	struct player *p = o->p;
	if (p->state == PLAYER_STOPPED && !o->have && p->ao->is_open && !p->ao->is_file) {
		pthread_mutex_unlock(&p->mu);
		aout_close(p->ao);
		pthread_mutex_lock(&p->mu);
		return;
	}
	pthread_cond_wait(&p->out_cv, &p->mu);
}

/* A failed block waits for its retry time: 1 when it waited. */
static int out_retry_wait(struct out *o)
{
	struct player *p = o->p;
	if (!o->have || o->retry_at <= 0)
		return 0;
	double now = player_now_s();
	if (now >= o->retry_at)
		return 0;
	struct timespec ts;
	player_timespec_in(&ts, o->retry_at - now);
	pthread_cond_timedwait(&p->out_cv, &p->mu, &ts);
	return 1;
}

/* Takes the next block from the ring into o->blk: 1, or 0 when there is
 * none (the playlist has played out: stopped; or the ring is empty:
 * counted as an underrun where due, waited). */
static int out_take(struct out *o)
{
	struct player *p = o->p;
	struct block *blk = o->blk;
	if (p->count == 0) {
		if (p->dec_idx >= p->n) {
			/* played out */
			p->cur = p->n;
			player_trim_played(p);
			p->pos = 0;
			p->track_seq++;
			player_set_stopped(p);
			return 0;
		}
		if (o->primed && o->realtime) {
			p->underruns++;
			o->primed = 0;
		}
		pthread_cond_wait(&p->out_cv, &p->mu);
		return 0;
	}
	memcpy(blk, &p->ring[p->head], sizeof *blk - sizeof blk->data);
	memcpy(blk->data, p->ring[p->head].data,
	       sizeof(int32_t) * (size_t)blk->frames * blk->fmt.channels);
	p->head = (p->head + 1) % PLAYER_RING_BLOCKS;
	p->count--;
	pthread_cond_signal(&p->dec_cv);
	o->have = 1;
	o->have_gen = p->gen;
	o->retry_at = 0;
	if (blk->idx != p->cur) {
		/* a track follows gaplessly */
		p->cur = blk->idx;
		player_trim_played(p);
		p->track_seq++;
		player_wake_up(p);
		player_check_queue_low(p);
	}
	return 1;
}

/* Opens the device in the block's format and writes the block with gain
 * g0 -> g1 (mu not held: only this thread touches the device). 0 or an
 * aout error; on a failed write the device is closed, its message kept. */
static int out_write(struct out *o, double g0, double g1)
{
	struct aout *ao = o->p->ao;
	int err = aout_open(ao, &o->blk->fmt);
	if (err)
		return err;
	size_t nb = render(&o->os, o->blk, g0, g1);
	err = aout_write(ao, o->os.bytes, nb);
	if (err) {
		char why[sizeof ao->error];
		memcpy(why, ao->error, sizeof why);
		aout_close(ao);
		snprintf(ao->error, sizeof ao->error, "%s", why);
	}
	return err;
}

/* The device failed: says so (once per distinct message), gives up after
 * opts.give_up attempts in a row, else sets the retry time. */
static void out_failed(struct out *o, int err, int retry_ms)
{
	struct player *p = o->p;
	p->dev_fails++;
	char ae[sizeof p->audio_error];
	snprintf(ae, sizeof ae, "audio driver '%.40s': %.190s",
		 p->ao->driver, p->ao->error[0] ? p->ao->error : aout_strerror(err));
	if (p->dev_fails == 1 || strcmp(p->audio_error, ae) != 0) {
		memcpy(p->audio_error, ae, sizeof ae);
		player_push_msg(p, "%s; retrying every %g s", p->audio_error, retry_ms / 1000.0);
	}
	if (p->give_up > 0 && p->dev_fails >= p->give_up) {
		player_push_msg(p, "audio driver '%s': giving up after %d attempts",
				p->ao->driver, p->dev_fails);
		p->gave_up = 1;
		o->have = 0;
		player_set_stopped(p);
		return;
	}
	o->retry_at = player_now_s() + retry_ms / 1000.0;
}

/* The block was written (gain g1, flush generation g): the device is
 * well again, the position moves on. */
static void out_written(struct out *o, unsigned g, double g1)
{
	struct player *p = o->p;
	if (p->dev_fails) {
		p->dev_fails = 0;
		p->audio_error[0] = 0;
		player_wake_up(p);
	}
	o->have = 0;
	o->os.gain = g1;
	o->last_idx = o->blk->idx;
	if (g == p->gen) {
		p->pos = o->blk->t + (double)o->blk->frames / o->blk->fmt.rate;
		o->primed = 1;
		o->primed_gen = g;
	}
}

/* File and null outputs: waits so that the output runs at pace x real
 * time (opts.pace, or 1x for a real-time driver such as null). */
static void out_pace(struct out *o, unsigned g)
{
	struct player *p = o->p;
	const struct block *blk = o->blk;
	double pace = p->pace > 0 ? p->pace : (p->ao->realtime ? 1.0 : 0);
	if (pace <= 0)
		return;
	/* emulate a device consuming pace x real time */
	double now = player_now_s();
	if (o->pace_rate != blk->fmt.rate ||
	    now > o->pace_t0 + o->pace_frames / (o->pace_rate * pace) + 0.1) {
		o->pace_t0 = now;
		o->pace_frames = 0;
		o->pace_rate = blk->fmt.rate;
	}
	o->pace_frames += blk->frames;
	double until = o->pace_t0 + o->pace_frames / (o->pace_rate * pace);
	while (!p->quit && g == p->gen && p->state == PLAYER_PLAYING && player_now_s() < until) {
		struct timespec ts;
		player_timespec_in(&ts, until - player_now_s());
		pthread_cond_timedwait(&p->out_cv, &p->mu, &ts);
	}
}

void *player_out_main(void *arg)
{
	struct player *p = arg;
	struct out o;

	memset(&o, 0, sizeof o);
	o.p = p;
	o.blk = malloc(sizeof *o.blk);
	o.last_idx = (size_t)-1;
	o.realtime = p->pace > 0 || p->ao->realtime || !p->ao->is_file;
	o.os.gain = 1.0;
	o.os.lim = 1.0;
	o.os.bytes = malloc((size_t)PLAYER_BLOCK_FRAMES * MAX_CH * 4);

	pthread_mutex_lock(&p->mu);
	if (!o.blk || !o.os.bytes) {
		player_push_msg(p, "player: output: out of memory");
		p->quit = 1;
	}
	while (!p->quit) {
		if (o.have && o.have_gen != p->gen)
			o.have = 0;
		if (o.primed && o.primed_gen != p->gen)
			o.primed = 0;
		if (p->state != PLAYER_PLAYING) {
			out_not_playing(&o);
			continue;
		}
		if (out_retry_wait(&o))
			continue;
		if (!o.have && !out_take(&o))
			continue;
		/* gain for this block */
		double ndb = player_norm_db(p, o.blk->idx);
		double g1 = volume_gain(p->volume) * pow(10.0, ndb / 20.0);
		if (ndb == 0)
			g1 = volume_gain(p->volume); /* exactly 1.0 at volume 100 */
		double g0 = o.blk->idx != o.last_idx ? g1 : o.os.gain;
		unsigned g = p->gen;
		int retry_ms = p->retry_ms;
		pthread_mutex_unlock(&p->mu);

		int err = out_write(&o, g0, g1);

		pthread_mutex_lock(&p->mu);
		if (err) {
			out_failed(&o, err, retry_ms);
			continue;
		}
		out_written(&o, g, g1);
		out_pace(&o, g);
	}
	pthread_mutex_unlock(&p->mu);
	free(o.blk);
	free(o.os.bytes);
	return NULL;
}
