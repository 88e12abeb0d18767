/* player_dec: the decoder thread. Opens the item at dec_idx through
 * decode.h, converts it to the target format (the open device's, or the
 * file's own after a jump: channels remixed, rate changed with
 * libsamplerate) and fills the ring; at the end of a track it goes on
 * with the next. See player.h for the design, player_priv.h for the
 * thread rules. */
#include "player_priv.h"
#include "decode.h"

#include <math.h>
#include <samplerate.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC_QUALITY SRC_SINC_MEDIUM_QUALITY

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

/* Opens item idx for the decoder (mu held; released while the file is
 * opened). A file that fails is skipped with a message; a restart made
 * meanwhile (dgen moved on from my_dgen) leaves it to the caller's loop.
 * fresh: the device format may be chosen anew; seek: where to start. */
static void dec_open_item(struct player *p, struct dec *d, size_t idx, unsigned my_dgen,
			  int *fresh, double *seek)
{
	char *path = strdup(ITEM(p, idx).path);
	unsigned long id = ITEM(p, idx).id;
	int use_out = p->out_fmt_set && (!*fresh || p->ao->is_file);
	struct aout_format of = p->out_fmt;
	double s = *seek;
	char why[256] = "out of memory";
	int rc = -1;

	pthread_mutex_unlock(&p->mu);
	dec_close(d);
	if (path)
		rc = dec_open(d, path, use_out ? &of : NULL, s, why, sizeof why);
	pthread_mutex_lock(&p->mu);
	if (my_dgen != p->dgen) {
		free(path);
		return; /* restarted meanwhile: closed at the top of the loop */
	}
	if (rc) {
		player_push_msg(p, "%s: %s, skipped", path ? path : "?", why);
		free(path);
		p->dec_idx++;
		*seek = 0;
		pthread_cond_broadcast(&p->out_cv);
		return;
	}
	free(path);
	d->id = id;
	d->idx = idx;
	const struct decode_format *df = decode_format(d->in);
	if (df->frames > 0)
		ITEM(p, idx).duration = (double)df->frames / df->rate;
	if (!use_out) {
		p->out_fmt = d->target;
		p->out_fmt_set = 1;
	}
	*fresh = 0;
	*seek = 0;
}

void *player_dec_main(void *arg)
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
		player_push_msg(p, "player: decoder: out of memory");
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
			dec_open_item(p, &d, idx, my_dgen, &fresh, &seek);
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
				player_push_msg(p, "%s: decoding failed (%s), rest of the track skipped",
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
