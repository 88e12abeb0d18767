/* player: decoder and output threads, ring buffer, commands, snapshot.
 * See player.h for the design. */
#include "player.h"
#include "aout.h"
#include "decode.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <samplerate.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_CH 8
#define MAX_ITEMS 100000   /* items held (history kept + current + queue) */
#define KEEP_PLAYED 100    /* played items kept before the current one (prev) */
#define NMSG 32
#define FREE_WAIT_S 3      /* player_free: the longest wait for a thread */
#define MAX_BOOST_DB 12.0
#define MAX_CUT_DB 30.0
#define LIMIT_CEILING (0.977 * 2147483648.0)  /* -0.2 dBFS in int32 units */
#define SRC_QUALITY SRC_SINC_MEDIUM_QUALITY

struct item {
	char *path;
	double lufs;
	unsigned long id;
	double duration;
};

struct block {
	size_t idx;               /* playlist index of its track */
	double t;                 /* start, seconds into the track */
	int frames;
	struct aout_format fmt;
	int32_t data[PLAYER_BLOCK_FRAMES * MAX_CH];
};

struct player {
	pthread_mutex_t mu;
	pthread_cond_t dec_cv;    /* decoder: room in the ring, new work */
	pthread_cond_t out_cv;    /* output: data, state changes */
	pthread_cond_t idle_cv;   /* player_wait_idle */
	pthread_t dec_th, out_th;
	int wake[2];
	struct aout *ao;          /* only the output thread calls it */
	double pace;
	int retry_ms, give_up;

	/* Playlist positions are absolute: they only grow, so blocks, the
	 * decoder and the output thread keep them across a trim of the
	 * history; item i lives in items[i - base] (ITEM()). */
	struct item *items;
	size_t base;              /* position of items[0]; those before were dropped */
	size_t n, cap;            /* n: position after the last item; cap: of items[] */
	unsigned long next_id;
	size_t cur;               /* current item; == n: none */
	int state;
	double pos;               /* seconds into cur */
	double start_pos;         /* stopped: where play starts */

	struct block *ring;       /* PLAYER_RING_BLOCKS */
	int head, count;
	unsigned gen;             /* bumped by every flush of the ring */
	unsigned dgen;            /* bumped by every decoder restart */
	size_t dec_idx;           /* item the decoder works on; >= n: none left */
	double dec_seek;          /* where the restarted decoder starts */
	int dec_fresh;            /* the restart may choose a new device format */
	struct aout_format out_fmt;
	int out_fmt_set;

	int volume, normalize;
	double target_lufs;

	unsigned long track_seq, error_seq, queue_low_seq, underruns;
	char error[256];
	char audio_error[256];
	char msgs[NMSG][256];
	int msg_head, msg_count;
	int dev_fails, gave_up;
	int quit;
};

#define ITEM(p, i) ((p)->items[(i) - (p)->base])

/* ---- helpers (lock held) ---- */

/* Drops the oldest played items, keeping KEEP_PLAYED before the current
 * one (in chunks, so it costs nothing per track). Nothing refers to them:
 * ring blocks and the decoder are at or after the current item. */
static void trim_played(struct player *p)
{
	if (p->cur - p->base < 2 * KEEP_PLAYED)
		return;
	size_t k = p->cur - p->base - KEEP_PLAYED;
	for (size_t i = 0; i < k; i++)
		free(p->items[i].path);
	memmove(p->items, p->items + k, (p->n - p->base - k) * sizeof *p->items);
	p->base += k;
}

static void wake_up(struct player *p)
{
	char c = 1;
	ssize_t r = write(p->wake[1], &c, 1);
	(void)r; /* EAGAIN: the pipe is full, the reader will wake anyway */
}

static void push_msg(struct player *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void push_msg(struct player *p, const char *fmt, ...)
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
	wake_up(p);
}

static void timespec_in(struct timespec *ts, double s)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	long ns = ts->tv_nsec + (long)((s - floor(s)) * 1e9);
	ts->tv_sec += (time_t)floor(s) + ns / 1000000000L;
	ts->tv_nsec = ns % 1000000000L;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void check_queue_low(struct player *p)
{
	if (p->cur < p->n && p->cur + 1 == p->n) {
		p->queue_low_seq++;
		wake_up(p);
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

static void set_stopped(struct player *p)
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
	wake_up(p);
}

/* Moves to item idx (a jump: next, prev). */
static void jump(struct player *p, size_t idx)
{
	if (idx != p->cur)
		p->track_seq++;
	p->cur = idx;
	trim_played(p);
	p->pos = 0;
	p->start_pos = 0;
	if (p->state == PLAYER_STOPPED) {
		p->dec_idx = idx;
	} else {
		restart(p, idx, 0);
		check_queue_low(p);
	}
	wake_up(p);
}

/* ---- decoder ---- */

struct dec {
	struct decode *in;        /* the file (decode.h), NULL when closed */
	unsigned long id;
	size_t idx;
	struct aout_format native, target;
	SRC_STATE *src;
	double ratio;
	double t0;                /* seconds where reading started */
	long long produced;       /* target frames produced since t0 */
	int eof;
	float *fin;               /* resampler input, target channels */
	long fin_off, fin_n;
	float *fout;
	int32_t *raw;             /* native frames */
};

static void dec_close(struct dec *d)
{
	decode_close(d->in);
	d->in = NULL;
	if (d->src)
		src_delete(d->src);
	d->src = NULL;
	d->id = 0;
	d->eof = 0;
	d->fin_off = d->fin_n = 0;
}

/* Opens path for decoding into target format out (NULL: the file's own).
 * 0, or -1 with why filled. */
static int dec_open(struct dec *d, const char *path, const struct aout_format *out,
		    double seek, char *why, size_t n)
{
	char e[200];
	int rc = decode_open(path, &d->in, e, sizeof e);
	if (rc) {
		snprintf(why, n, rc == DECODE_EFORMAT ? "not a playable audio file (%s)" : "%s", e);
		return -1;
	}
	const struct decode_format *f = decode_format(d->in);
	if (f->channels > MAX_CH) {
		snprintf(why, n, "%d channels not supported", f->channels);
		goto fail;
	}
	d->native.rate = f->rate;
	d->native.channels = f->channels;
	d->native.bits = f->bits;
	d->target = out ? *out : d->native;
	d->ratio = (double)d->target.rate / d->native.rate;
	if (d->target.rate != d->native.rate) {
		int err;
		d->src = src_new(SRC_QUALITY, d->target.channels, &err);
		if (!d->src) {
			snprintf(why, n, "resampler: %s", src_strerror(err));
			goto fail;
		}
	}
	d->t0 = 0;
	d->produced = 0;
	d->eof = 0;
	d->fin_off = d->fin_n = 0;
	if (seek > 0) {
		int64_t at = (int64_t)llround(seek * d->native.rate);
		if (f->frames >= 0 && at > f->frames)
			at = f->frames;
		if (decode_seek(d->in, at)) {
			snprintf(why, n, "cannot seek: %s", decode_error(d->in));
			goto fail;
		}
		d->t0 = (double)at / d->native.rate;
	}
	return 0;
fail:
	decode_close(d->in);
	d->in = NULL;
	if (d->src)
		src_delete(d->src);
	d->src = NULL;
	return -1;
}

/* Reads up to max native frames into d->raw as int32; frames, 0 at the
 * end, -1 on a decoding error. */
static long read_native(struct dec *d, long max)
{
	long got = decode_read(d->in, d->raw, max);
	return got < 0 ? -1 : got;
}

/* Channel conversion of frames from in (ic channels) to out (oc). */
static void remix(const int32_t *in, int ic, int32_t *out, int oc, long frames)
{
	for (long f = 0; f < frames; f++) {
		const int32_t *s = in + f * ic;
		int32_t *o = out + f * oc;
		if (oc == 1) {
			int64_t sum = 0;
			for (int c = 0; c < ic; c++)
				sum += s[c];
			o[0] = (int32_t)(sum / ic);
		} else if (ic == 1) {
			for (int c = 0; c < oc; c++)
				o[c] = s[0];
		} else {
			for (int c = 0; c < oc; c++)
				o[c] = c < ic ? s[c] : 0;
		}
	}
}

/* Produces up to PLAYER_BLOCK_FRAMES frames in the target format into out.
 * Frames, 0 at the end of the track, -1 on a decoding error. */
static long dec_read(struct dec *d, int32_t *out)
{
	const int ic = d->native.channels, oc = d->target.channels;
	long got;

	if (!d->src) {
		if (ic == oc) {
			/* the lossless path: samples as decoded */
			long r = decode_read(d->in, out, PLAYER_BLOCK_FRAMES);
			if (r < 0)
				return -1;
			if (r > 0)
				d->produced += r;
			return r;
		}
		got = read_native(d, PLAYER_BLOCK_FRAMES);
		if (got > 0) {
			remix(d->raw, ic, out, oc, got);
			d->produced += got;
		}
		return got;
	}

	/* resampling: native -> target channels (int) -> float -> src -> int */
	for (;;) {
		if (d->fin_n == 0 && !d->eof) {
			long want = (long)(PLAYER_BLOCK_FRAMES / d->ratio);
			if (want < 16)
				want = 16;
			if (want > PLAYER_BLOCK_FRAMES)
				want = PLAYER_BLOCK_FRAMES;
			got = read_native(d, want);
			if (got < 0)
				return -1;
			if (got == 0) {
				d->eof = 1;
			} else {
				int32_t *tmp = out; /* scratch: out is large enough */
				remix(d->raw, ic, tmp, oc, got);
				src_int_to_float_array(tmp, d->fin, (int)(got * oc));
				d->fin_off = 0;
				d->fin_n = got;
			}
		}
		SRC_DATA sd;
		memset(&sd, 0, sizeof sd);
		sd.data_in = d->fin + d->fin_off * oc;
		sd.input_frames = d->fin_n;
		sd.data_out = d->fout;
		sd.output_frames = PLAYER_BLOCK_FRAMES;
		sd.end_of_input = d->eof;
		sd.src_ratio = d->ratio;
		if (src_process(d->src, &sd))
			return -1;
		d->fin_off += sd.input_frames_used;
		d->fin_n -= sd.input_frames_used;
		if (sd.output_frames_gen > 0) {
			src_float_to_int_array(d->fout, out, (int)(sd.output_frames_gen * oc));
			d->produced += sd.output_frames_gen;
			return sd.output_frames_gen;
		}
		if (d->eof && d->fin_n == 0)
			return 0;
	}
}

static void *dec_main(void *arg)
{
	struct player *p = arg;
	struct dec d;
	unsigned my_dgen;
	int fresh = 1;
	double seek = 0;
	int32_t *buf = malloc(sizeof(int32_t) * PLAYER_BLOCK_FRAMES * MAX_CH);

	memset(&d, 0, sizeof d);
	d.raw = malloc(sizeof(int32_t) * PLAYER_BLOCK_FRAMES * MAX_CH);
	d.fin = malloc(sizeof(float) * PLAYER_BLOCK_FRAMES * MAX_CH);
	d.fout = malloc(sizeof(float) * PLAYER_BLOCK_FRAMES * MAX_CH);

	pthread_mutex_lock(&p->mu);
	my_dgen = p->dgen - 1;  /* differs: picks up a restart made before this thread ran */
	if (!buf || !d.raw || !d.fin || !d.fout) {
		push_msg(p, "player: decoder: out of memory");
		p->quit = 1;
	}
	while (!p->quit) {
		if (my_dgen != p->dgen) {
			my_dgen = p->dgen;
			fresh = p->dec_fresh;
			seek = p->dec_seek;
			if (d.in) {
				pthread_mutex_unlock(&p->mu);
				dec_close(&d);
				pthread_mutex_lock(&p->mu);
				continue;
			}
		}
		if (p->state == PLAYER_STOPPED || p->dec_idx >= p->n ||
		    p->count == PLAYER_RING_BLOCKS) {
			pthread_cond_wait(&p->dec_cv, &p->mu);
			continue;
		}
		size_t idx = p->dec_idx;
		if (!d.in || d.id != ITEM(p, idx).id) {
			char *path = strdup(ITEM(p, idx).path);
			unsigned long id = ITEM(p, idx).id;
			int use_out = p->out_fmt_set && (!fresh || p->ao->is_file);
			struct aout_format of = p->out_fmt;
			double s = seek;
			char why[256] = "out of memory";
			int rc = -1;

			pthread_mutex_unlock(&p->mu);
			dec_close(&d);
			if (path)
				rc = dec_open(&d, path, use_out ? &of : NULL, s, why, sizeof why);
			pthread_mutex_lock(&p->mu);
			if (my_dgen != p->dgen) {
				free(path);
				continue; /* restarted meanwhile: closed at the top */
			}
			if (rc) {
				push_msg(p, "%s: %s, skipped", path ? path : "?", why);
				free(path);
				p->dec_idx++;
				seek = 0;
				pthread_cond_broadcast(&p->out_cv);
				continue;
			}
			free(path);
			d.id = id;
			d.idx = idx;
			const struct decode_format *df = decode_format(d.in);
			if (df->frames > 0)
				ITEM(p, idx).duration = (double)df->frames / df->rate;
			if (!use_out) {
				p->out_fmt = d.target;
				p->out_fmt_set = 1;
			}
			fresh = 0;
			seek = 0;
			continue;
		}

		pthread_mutex_unlock(&p->mu);
		double t = d.t0 + (double)d.produced / d.target.rate;
		long got = dec_read(&d, buf);
		pthread_mutex_lock(&p->mu);
		if (my_dgen != p->dgen)
			continue;
		if (got > 0) {
			struct block *b = &p->ring[(p->head + p->count) % PLAYER_RING_BLOCKS];
			b->idx = idx;
			b->t = t;
			b->frames = (int)got;
			b->fmt = d.target;
			memcpy(b->data, buf, sizeof(int32_t) * (size_t)got * d.target.channels);
			p->count++;
			pthread_cond_broadcast(&p->out_cv);
		} else {
			if (got < 0)
				push_msg(p, "%s: decoding failed (%s), rest of the track skipped",
					 ITEM(p, idx).path, decode_error(d.in));
			else if (ITEM(p, idx).duration <= 0 && d.target.rate > 0)
				ITEM(p, idx).duration = d.t0 + (double)d.produced / d.target.rate;
			d.id = 0; /* closed below, or at the next open */
			p->dec_idx = idx + 1;
			pthread_cond_broadcast(&p->out_cv);
			pthread_mutex_unlock(&p->mu);
			dec_close(&d);
			pthread_mutex_lock(&p->mu);
		}
	}
	pthread_mutex_unlock(&p->mu);
	dec_close(&d);
	free(buf);
	free(d.raw);
	free(d.fin);
	free(d.fout);
	return NULL;
}

/* ---- output ---- */

static double volume_gain(int vol)
{
	double v = vol / 100.0;
	return v * v * v;
}

/* Normalisation gain in dB for item idx (lock held). */
static double norm_db(const struct player *p, size_t idx)
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

static void *out_main(void *arg)
{
	struct player *p = arg;
	struct block *blk = malloc(sizeof *blk);
	struct out_state os;
	int have = 0;             /* blk holds a block not yet written */
	unsigned have_gen = 0;
	double retry_at = 0;
	int primed = 0;           /* written since the last flush: an empty ring is an underrun */
	unsigned primed_gen = 0;
	size_t last_idx = (size_t)-1;
	/* an empty ring is an underrun only where the output runs in real time */
	const int realtime = p->pace > 0 || p->ao->realtime || !p->ao->is_file;
	double pace_t0 = 0, pace_frames = 0;
	int pace_rate = 0;

	memset(&os, 0, sizeof os);
	os.gain = 1.0;
	os.lim = 1.0;
	os.bytes = malloc((size_t)PLAYER_BLOCK_FRAMES * MAX_CH * 4);

	pthread_mutex_lock(&p->mu);
	if (!blk || !os.bytes) {
		push_msg(p, "player: output: out of memory");
		p->quit = 1;
	}
	while (!p->quit) {
		if (have && have_gen != p->gen)
			have = 0;
		if (primed && primed_gen != p->gen)
			primed = 0;
		if (p->state != PLAYER_PLAYING) {
			if (p->state == PLAYER_STOPPED && !have && p->ao->is_open && !p->ao->is_file) {
				pthread_mutex_unlock(&p->mu);
				aout_close(p->ao);
				pthread_mutex_lock(&p->mu);
				continue;
			}
			pthread_cond_wait(&p->out_cv, &p->mu);
			continue;
		}
		if (have && retry_at > 0) {
			double now = now_s();
			if (now < retry_at) {
				struct timespec ts;
				timespec_in(&ts, retry_at - now);
				pthread_cond_timedwait(&p->out_cv, &p->mu, &ts);
				continue;
			}
		}
		if (!have) {
			if (p->count == 0) {
				if (p->dec_idx >= p->n) {
					/* played out */
					p->cur = p->n;
					trim_played(p);
					p->pos = 0;
					p->track_seq++;
					set_stopped(p);
					continue;
				}
				if (primed && realtime) {
					p->underruns++;
					primed = 0;
				}
				pthread_cond_wait(&p->out_cv, &p->mu);
				continue;
			}
			memcpy(blk, &p->ring[p->head], sizeof *blk - sizeof blk->data);
			memcpy(blk->data, p->ring[p->head].data,
			       sizeof(int32_t) * (size_t)blk->frames * blk->fmt.channels);
			p->head = (p->head + 1) % PLAYER_RING_BLOCKS;
			p->count--;
			pthread_cond_signal(&p->dec_cv);
			have = 1;
			have_gen = p->gen;
			retry_at = 0;
			if (blk->idx != p->cur) {
				/* a track follows gaplessly */
				p->cur = blk->idx;
				trim_played(p);
				p->track_seq++;
				wake_up(p);
				check_queue_low(p);
			}
		}
		/* gain for this block */
		double ndb = norm_db(p, blk->idx);
		double g1 = volume_gain(p->volume) * pow(10.0, ndb / 20.0);
		if (ndb == 0)
			g1 = volume_gain(p->volume); /* exactly 1.0 at volume 100 */
		double g0 = blk->idx != last_idx ? g1 : os.gain;
		unsigned g = p->gen;
		int retry_ms = p->retry_ms;
		pthread_mutex_unlock(&p->mu);

		int err = aout_open(p->ao, &blk->fmt);
		if (!err) {
			size_t nb = render(&os, blk, g0, g1);
			err = aout_write(p->ao, os.bytes, nb);
			if (err) {
				char why[sizeof p->ao->error];
				memcpy(why, p->ao->error, sizeof why);
				aout_close(p->ao);
				snprintf(p->ao->error, sizeof p->ao->error, "%s", why);
			}
		}

		pthread_mutex_lock(&p->mu);
		if (err) {
			p->dev_fails++;
			char ae[sizeof p->audio_error];
			snprintf(ae, sizeof ae, "audio driver '%.40s': %.190s",
				 p->ao->driver, p->ao->error[0] ? p->ao->error : aout_strerror(err));
			if (p->dev_fails == 1 || strcmp(p->audio_error, ae) != 0) {
				memcpy(p->audio_error, ae, sizeof ae);
				push_msg(p, "%s; retrying every %g s", p->audio_error, retry_ms / 1000.0);
			}
			if (p->give_up > 0 && p->dev_fails >= p->give_up) {
				push_msg(p, "audio driver '%s': giving up after %d attempts",
					 p->ao->driver, p->dev_fails);
				p->gave_up = 1;
				have = 0;
				set_stopped(p);
				continue;
			}
			retry_at = now_s() + retry_ms / 1000.0;
			continue;
		}
		if (p->dev_fails) {
			p->dev_fails = 0;
			p->audio_error[0] = 0;
			wake_up(p);
		}
		have = 0;
		os.gain = g1;
		last_idx = blk->idx;
		if (g == p->gen) {
			p->pos = blk->t + (double)blk->frames / blk->fmt.rate;
			primed = 1;
			primed_gen = g;
		}
		double pace = p->pace > 0 ? p->pace : (p->ao->realtime ? 1.0 : 0);
		if (pace > 0) {
			/* emulate a device consuming pace x real time */
			double now = now_s();
			if (pace_rate != blk->fmt.rate ||
			    now > pace_t0 + pace_frames / (pace_rate * pace) + 0.1) {
				pace_t0 = now;
				pace_frames = 0;
				pace_rate = blk->fmt.rate;
			}
			pace_frames += blk->frames;
			double until = pace_t0 + pace_frames / (pace_rate * pace);
			while (!p->quit && g == p->gen && p->state == PLAYER_PLAYING && now_s() < until) {
				struct timespec ts;
				timespec_in(&ts, until - now_s());
				pthread_cond_timedwait(&p->out_cv, &p->mu, &ts);
			}
		}
	}
	pthread_mutex_unlock(&p->mu);
	free(blk);
	free(os.bytes);
	return NULL;
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

	if (pthread_create(&p->dec_th, NULL, dec_main, p)) {
		err = PLAYER_ESYS;
		goto fail;
	}
	if (pthread_create(&p->out_th, NULL, out_main, p)) {
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
	if (p->n - p->base == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct item *v = realloc(p->items, cap * sizeof *v);
		if (!v)
			return PLAYER_ENOMEM;
		p->items = v;
		p->cap = cap;
	}
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
 * `before`, else at the end of the queue or (next) right after the
 * current item. On success returns 0 with p->mu held and *at its index;
 * on error p->mu is not held. */
static int insert_locked(struct player *p, const struct player_item *it, int next,
			 unsigned long before, size_t *at)
{
	if (!it || !it->path || !*it->path)
		return PLAYER_EINVAL;
	char *path = strdup(it->path);
	if (!path)
		return PLAYER_ENOMEM;
	pthread_mutex_lock(&p->mu);
	int rc = 0;
	*at = next && p->cur < p->n ? p->cur + 1 : p->n;
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
	int rc = insert_locked(p, it, 0, before, &at);
	if (rc)
		return rc;
	if (p->cur == at)
		p->track_seq++;  /* nothing was current: this one is now */
	if (id)
		*id = ITEM(p, at).id;
	pthread_cond_broadcast(&p->dec_cv);
	wake_up(p);
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
		check_queue_low(p);
	wake_up(p);
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

int player_play_item(struct player *p, const struct player_item *it)
{
	size_t at;
	int rc = insert_locked(p, it, 1, 0, &at);
	if (rc)
		return rc;
	/* indices from `at` on moved: the jump empties the ring and restarts
	 * the decoder, so no block or decoder state refers to them any more */
	p->track_seq++;
	p->cur = at;
	trim_played(p);
	p->pos = 0;
	p->start_pos = 0;
	if (p->state == PLAYER_STOPPED)
		p->state = PLAYER_PLAYING;
	else if (p->state == PLAYER_PAUSED)
		p->state = PLAYER_PLAYING;
	p->gave_up = 0;
	p->dev_fails = 0;
	restart(p, at, 0);
	check_queue_low(p);
	wake_up(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
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
			check_queue_low(p);
		wake_up(p);
	}
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_upcoming(struct player *p, int i, char *buf, size_t n)
{
	int rc = PLAYER_EEMPTY;
	pthread_mutex_lock(&p->mu);
	if (i >= 0 && p->cur < p->n && p->cur + 1 + (size_t)i < p->n) {
		snprintf(buf, n, "%s", ITEM(p, p->cur + 1 + (size_t)i).path);
		rc = 0;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static int play_locked(struct player *p)
{
	if (p->state == PLAYER_PAUSED) {
		p->state = PLAYER_PLAYING;
		pthread_cond_broadcast(&p->out_cv);
		pthread_cond_broadcast(&p->dec_cv);
		wake_up(p);
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
	check_queue_low(p);
	wake_up(p);
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
		wake_up(p);
	}
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_toggle(struct player *p)
{
	int rc = 0;
	pthread_mutex_lock(&p->mu);
	if (p->state == PLAYER_PLAYING) {
		p->state = PLAYER_PAUSED;
		pthread_cond_broadcast(&p->out_cv);
		wake_up(p);
	} else {
		rc = play_locked(p);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

int player_stop(struct player *p)
{
	pthread_mutex_lock(&p->mu);
	p->pos = 0;
	p->start_pos = 0;
	if (p->state != PLAYER_STOPPED)
		set_stopped(p);
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

int player_prev(struct player *p)
{
	int rc = 0;
	pthread_mutex_lock(&p->mu);
	if (p->n == p->base)
		rc = PLAYER_EEMPTY;
	else if (p->cur > p->base)
		jump(p, p->cur - 1);
	else
		jump(p, p->base);
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
	wake_up(p);
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
	wake_up(p);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int player_set_normalize(struct player *p, int on)
{
	pthread_mutex_lock(&p->mu);
	p->normalize = on != 0;
	wake_up(p);
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
		s->index = (int)(p->cur - p->base);
		s->id = ITEM(p, p->cur).id;
		s->gain_db = norm_db(p, p->cur);
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
