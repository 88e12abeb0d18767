/* Helpers shared by the player tests: test audio written with libsndfile,
 * read back as int32 frames, waiting on the player with a deadline. */
#ifndef EMOTUNE_TEST_PLAYER_UTIL_H
#define EMOTUNE_TEST_PLAYER_UTIL_H

#include <math.h>
#include <poll.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "player.h"

struct pcm {
	int32_t *v;      /* interleaved, as sf_readf_int gives them */
	long frames;
	int channels, rate, format;
};

/* Writes a test file: a sine sweep plus noise (seeded), so that any lost,
 * repeated or altered sample shows. format: SF_FORMAT_FLAC|SF_FORMAT_PCM_16,
 * SF_FORMAT_WAV|SF_FORMAT_PCM_24, ... amp: peak amplitude, 0..1. */
static inline void tu_write(const char *path, int format, int rate, int ch, long frames,
			    unsigned seed, double amp)
{
	SF_INFO info = { .samplerate = rate, .channels = ch, .format = format };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	if (!sf) {
		fprintf(stderr, "cannot write %s: %s\n", path, sf_strerror(NULL));
		abort();
	}
	int bits = (format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_24 ? 24 : 16;
	int32_t *buf = malloc(sizeof(int32_t) * (size_t)frames * ch);
	uint32_t r = seed * 2654435761u + 1;
	double full = bits == 24 ? 8388607 : 32767;
	for (long f = 0; f < frames; f++)
		for (int c = 0; c < ch; c++) {
			r = r * 1664525u + 1013904223u;
			double noise = ((double)(r >> 8) / (1 << 24) - 0.5) * 0.2;
			double s = sin(2 * M_PI * (220.0 + 50 * c + seed) * f / rate) * 0.8 + noise;
			long v = lrint(s * amp * full);
			if (v > full)
				v = (long)full;
			if (v < -full - 1)
				v = (long)(-full - 1);
			buf[f * ch + c] = (int32_t)((uint32_t)v << (32 - bits));
		}
	sf_writef_int(sf, buf, frames);
	sf_close(sf);
	free(buf);
}

/* Reads a whole file (or from frame `from`) as int32; frames = -1 if unreadable. */
static inline struct pcm tu_read(const char *path, long from)
{
	struct pcm p = { NULL, -1, 0, 0, 0 };
	SF_INFO info;
	memset(&info, 0, sizeof info);
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	if (!sf)
		return p;
	if (from > 0)
		sf_seek(sf, from, SEEK_SET);
	long n = (long)info.frames - (from > 0 ? from : 0);
	p.v = malloc(sizeof(int32_t) * (size_t)(n > 0 ? n : 1) * info.channels);
	p.frames = (long)sf_readf_int(sf, p.v, n);
	p.channels = info.channels;
	p.rate = info.samplerate;
	p.format = info.format;
	sf_close(sf);
	return p;
}

/* First frame where a (from frame ao) and b (from bo) differ, comparing n
 * frames; -1 when equal. */
static inline long tu_diff(const struct pcm *a, long ao, const struct pcm *b, long bo, long n)
{
	for (long f = 0; f < n; f++)
		for (int c = 0; c < a->channels; c++)
			if (a->v[(ao + f) * a->channels + c] != b->v[(bo + f) * b->channels + c])
				return f;
	return -1;
}

static inline double tu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static inline void tu_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* Polls the snapshot until cond(s) holds or `secs` pass; 1 if it held. */
static inline int tu_wait(struct player *p, int (*cond)(const struct player_snapshot *, double),
			  double arg, double secs)
{
	struct player_snapshot s;
	double end = tu_now() + secs;
	do {
		player_snapshot(p, &s);
		if (cond(&s, arg))
			return 1;
		tu_sleep_ms(2);
	} while (tu_now() < end);
	return 0;
}

static inline int tu_pos_past(const struct player_snapshot *s, double t)
{
	return s->state == PLAYER_STOPPED || s->position > t;
}

static inline int tu_stopped(const struct player_snapshot *s, double unused)
{
	(void)unused;
	return s->state == PLAYER_STOPPED;
}

#endif
