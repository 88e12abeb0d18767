/*
 * decode: audio files to PCM, for playback and analysis, over plug-in
 * backends (`struct decode_ops`, decode_priv.h):
 *   sndfile   libsndfile: WAV, AIFF, FLAC, Ogg Vorbis/Opus, MP3 (bit-exact
 *             integer reads for PCM and FLAC); tried first
 *   ffmpeg    libavformat/libavcodec/libswresample: AAC and ALAC in M4A/MP4,
 *             Opus and Vorbis in any container, WMA and the rest; MP4 encoder
 *             delay and padding (edit lists, iTunSMPB) are trimmed (gapless)
 * decode_open() tries them in that order. Only regular files are opened:
 * a FIFO, a folder or a device is refused at once, without blocking.
 *
 * Samples come as interleaved int32, left-justified (a 16-bit sample s is
 * s << 16), in the file's own rate and channels; lossy and float sources are
 * scaled from [-1, 1) to the int32 range with clipping. decode_read_float()
 * gives floats: libsndfile's own float conversion (lossy sources unclipped,
 * so slightly beyond [-1, 1) at times), else the int32 samples scaled to
 * [-1, 1).
 *
 * Libraries' own messages (FFmpeg's log) are never written to the terminal.
 *
 * Ownership: decode_open() returns an object the caller frees with
 * decode_close(). Strings in struct decode_tags are the caller's buffers.
 * Thread rules: one object per thread; different objects may be used from
 * different threads at once.
 */
#ifndef EMOTUNE_DECODE_H
#define EMOTUNE_DECODE_H

#include <stddef.h>
#include <stdint.h>

enum decode_err {
	DECODE_OK = 0,
	DECODE_ENOMEM = -1,     /* out of memory */
	DECODE_EOPEN = -2,      /* the file could not be opened (why says) */
	DECODE_EFORMAT = -3,    /* no backend reads this file */
	DECODE_EREAD = -4,      /* a decoding error in the middle of the file */
	DECODE_ESEEK = -5,      /* the position could not be reached */
	DECODE_ENOTREG = -6,    /* not a regular file (folder, FIFO, device) */
};

#define DECODE_MAX_CHANNELS 8

struct decode_format {
	int rate;               /* frames per second */
	int channels;           /* 1..DECODE_MAX_CHANNELS */
	int bits;               /* significant bits of the source: 16, 24, 32 */
	int lossy;              /* 1: a lossy or float source (no bit-exact path) */
	int64_t frames;         /* length in frames; < 0 when unknown */
};

struct decode_tags {
	char title[256], artist[256], album[256];
	int track;              /* 0 when unknown */
	double rg_track_gain;   /* ReplayGain/R128 track gain in dB; NAN when absent */
};

struct decode;

/* Opens path with the first backend that reads it. 0, or a negative
 * decode_err with a reason in why (size n): for DECODE_EFORMAT the last
 * backend's ("format not recognised"), else what stopped it ("cannot open:
 * Permission denied", "is a directory", "not a regular file"). */
int decode_open(const char *path, struct decode **out, char *why, size_t n);

const struct decode_format *decode_format(const struct decode *d);

/* The backend's name ("sndfile", "ffmpeg"). */
const char *decode_backend(const struct decode *d);

/* Reads up to frames frames into out (frames * channels values). Returns
 * the number read, 0 at the end, or DECODE_EREAD. */
long decode_read(struct decode *d, int32_t *out, long frames);
long decode_read_float(struct decode *d, float *out, long frames);

/* Moves to frame (0 <= frame; past the end: the end). 0 or DECODE_ESEEK. */
int decode_seek(struct decode *d, int64_t frame);

/* The reason of the last DECODE_EREAD or DECODE_ESEEK ("flac decoder lost
 * sync"); borrowed, valid until the next call on d. */
const char *decode_error(const struct decode *d);

/* The file's tags (empty strings and NAN where absent). */
void decode_get_tags(struct decode *d, struct decode_tags *t);

void decode_close(struct decode *d);

const char *decode_strerror(int err);

#endif
