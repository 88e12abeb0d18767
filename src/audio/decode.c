/* decode: backend choice, the regular-file check, float reads. See decode.h. */
#include "decode_priv.h"
#include "regfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct decode_ops *const backends[] = {
	&decode_sndfile_ops, &decode_ffmpeg_ops, NULL,
};

/* Opens path for reading if it is a regular file, without blocking on a
 * FIFO (regfile). The descriptor, or a negative decode_err with why set. */
static int open_regular(const char *path, char *why, size_t n)
{
	int fd = regfile_open(path);
	if (fd >= 0)
		return fd;
	int e = errno;
	if (e == EISDIR || e == REGFILE_ENOTREG) {
		snprintf(why, n, "%s", regfile_strerror(e));
		return DECODE_ENOTREG;
	}
	snprintf(why, n, "cannot open: %s", strerror(e));
	return DECODE_EOPEN;
}

int decode_open(const char *path, struct decode **out, char *why, size_t n)
{
	*out = NULL;
	int fd = open_regular(path, why, n);
	if (fd < 0)
		return fd;
	struct decode *d = calloc(1, sizeof *d);
	if (!d) {
		close(fd);
		snprintf(why, n, "out of memory");
		return DECODE_ENOMEM;
	}
	char last[256] = "";
	for (const struct decode_ops *const *b = backends; *b; b++) {
		if (lseek(fd, 0, SEEK_SET) != 0)
			break;
		memset(&d->fmt, 0, sizeof d->fmt);
		if ((*b)->open(d, fd, path, last, sizeof last) == 0) {
			d->ops = *b;
			*out = d;
			return 0;
		}
	}
	close(fd);
	free(d);
	snprintf(why, n, "%s", last[0] ? last : "no decoder reads it");
	return DECODE_EFORMAT;
}

const struct decode_format *decode_format(const struct decode *d)
{
	return &d->fmt;
}

const char *decode_backend(const struct decode *d)
{
	return d->ops->name;
}

long decode_read(struct decode *d, int32_t *out, long frames)
{
	return frames > 0 ? d->ops->read(d, out, frames) : 0;
}

long decode_read_float(struct decode *d, float *out, long frames)
{
	if (frames <= 0)
		return 0;
	if (d->ops->read_float)
		return d->ops->read_float(d, out, frames);
	if (d->scratch_frames < frames) {
		int32_t *s = realloc(d->scratch, (size_t)frames * (size_t)d->fmt.channels * sizeof *s);
		if (!s)
			return DECODE_ENOMEM;
		d->scratch = s;
		d->scratch_frames = frames;
	}
	long got = d->ops->read(d, d->scratch, frames);
	for (long i = 0; i < got * d->fmt.channels; i++)
		out[i] = (float)(d->scratch[i] * (1.0 / 2147483648.0));
	return got;
}

int decode_seek(struct decode *d, int64_t frame)
{
	if (frame < 0)
		frame = 0;
	if (d->fmt.frames >= 0 && frame > d->fmt.frames)
		frame = d->fmt.frames;
	return d->ops->seek(d, frame);
}

const char *decode_error(const struct decode *d)
{
	return d->err[0] ? d->err : "decoding error";
}

void decode_get_tags(struct decode *d, struct decode_tags *t)
{
	memset(t, 0, sizeof *t);
	t->rg_track_gain = NAN;
	d->ops->tags(d, t);
}

void decode_close(struct decode *d)
{
	if (!d)
		return;
	d->ops->close(d);
	free(d->scratch);
	free(d);
}

void decode_copy_tag(char *dst, size_t n, const char *src)
{
	if (!src)
		src = "";
	while (isspace((unsigned char)*src))
		src++;
	size_t len = strlen(src);
	while (len && isspace((unsigned char)src[len - 1]))
		len--;
	if (len >= n)
		len = n - 1;
	memcpy(dst, src, len);
	dst[len] = 0;
}

double decode_parse_gain(const char *s, int r128)
{
	if (!s)
		return NAN;
	char *end;
	double v = strtod(s, &end);
	if (end == s || !isfinite(v))
		return NAN;
	/* R128_TRACK_GAIN: Q7.8 fixed point, relative to -23 LUFS; ReplayGain
	 * 2 gains are relative to -18 LUFS, 5 dB louder */
	return r128 ? v / 256.0 + 5.0 : v;
}

int32_t decode_f2i(double x)
{
	double v = x * 2147483648.0;
	if (v >= 2147483647.0)
		return INT32_MAX;
	if (v <= -2147483648.0)
		return INT32_MIN;
	return (int32_t)lrint(v);
}

const char *decode_strerror(int err)
{
	switch (err) {
	case DECODE_OK: return "success";
	case DECODE_ENOMEM: return "out of memory";
	case DECODE_EOPEN: return "cannot open";
	case DECODE_EFORMAT: return "unsupported format";
	case DECODE_EREAD: return "decoding error";
	case DECODE_ESEEK: return "cannot seek";
	case DECODE_ENOTREG: return "not a regular file";
	}
	return "unknown error";
}
