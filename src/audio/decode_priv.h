/*
 * decode_priv: the interface between decode.c and its backends
 * (decode_sndfile.c, decode_ffmpeg.c). Not for other modules.
 *
 * A backend's open() gets a file descriptor of a regular file opened for
 * reading (decode.c checked it), positioned at 0, and the path (for
 * messages and format guessing). It takes ownership of the descriptor only
 * when it returns 0; on failure decode.c closes it. It fills d->fmt and
 * d->priv. read() fills interleaved left-justified int32 frames.
 */
#ifndef EMOTUNE_DECODE_PRIV_H
#define EMOTUNE_DECODE_PRIV_H

#include "decode.h"

struct decode_ops {
	const char *name;
	int (*open)(struct decode *d, int fd, const char *path, char *why, size_t n);
	long (*read)(struct decode *d, int32_t *out, long frames);
	/* Optional: the source's own float samples (NULL: read() scaled). */
	long (*read_float)(struct decode *d, float *out, long frames);
	int (*seek)(struct decode *d, int64_t frame);
	void (*tags)(struct decode *d, struct decode_tags *t);
	void (*close)(struct decode *d);
};

struct decode {
	const struct decode_ops *ops;
	struct decode_format fmt;
	void *priv;
	char err[200];          /* the backend's reason for the last error */
	int32_t *scratch;       /* decode_read_float()'s int buffer */
	long scratch_frames;
};

extern const struct decode_ops decode_sndfile_ops, decode_ffmpeg_ops;

/* Copies a tag value into dst (size n), trimmed; "" for NULL. */
void decode_copy_tag(char *dst, size_t n, const char *src);

/* Parses a gain tag ("-6.20 dB"; R128 values are Q7.8 dB relative to
 * -23 LUFS and are converted to the ReplayGain reference, -18 LUFS). */
double decode_parse_gain(const char *s, int r128);

/* float in [-1, 1) to left-justified int32, clipped. */
int32_t decode_f2i(double x);

#endif
