/*
 * aout: audio outputs (cmus op/ backends style). A backend is a `struct aout_ops`
 * of function pointers filled with designated initialisers; an instance is
 * a `struct aout` made by aout_new() from a driver spec:
 *
 *   NULL or ""   libao's default live driver (libao.conf, else probing)
 *   "null"       discards the samples, consumed in real time (aout_null.c)
 *   "wav:FILE"   libao's "wav" file driver through ao_open_file (aout_ao.c)
 *   NAME         any other libao driver by name: pulse, alsa, oss, ...
 *
 * Samples handed to write() are interleaved signed integers in native byte
 * order, (bits + 7) / 8 bytes each (24 bits: packed 3 bytes), as libao takes
 * them. Only the player's output thread calls an instance; instances are
 * not thread-safe.
 *
 * Ownership: aout_new() returns an instance freed by aout_free() (which
 * closes the device if open). The spec string is copied.
 */
#ifndef EMOTUNE_AOUT_H
#define EMOTUNE_AOUT_H

#include <stddef.h>

enum aout_err {
	AOUT_OK = 0,
	AOUT_ENOMEM = -1,
	AOUT_ENODRIVER = -2,  /* no such driver (libao knows no such name) */
	AOUT_EOPEN = -3,      /* the device could not be opened */
	AOUT_EFILE = -4,      /* the output file could not be created */
	AOUT_EFORMAT = -5,    /* sample format not supported by the device */
	AOUT_EWRITE = -6,     /* writing to the device failed */
	AOUT_EINVAL = -7,     /* bad driver spec */
};

struct aout_format {
	int rate;             /* frames per second */
	int channels;         /* 1..8 */
	int bits;             /* 16, 24 or 32 */
};

struct aout;

struct aout_ops {
	/* Sets up the instance for arg (the libao driver name, the file path,
	 * or NULL). May check that the driver exists; does not open it. */
	int (*init)(struct aout *a, const char *arg);
	void (*exit)(struct aout *a);
	int (*open)(struct aout *a, const struct aout_format *f);
	/* Writes bytes (whole frames); blocks as the device consumes them. */
	int (*write)(struct aout *a, const void *buf, size_t bytes);
	void (*close)(struct aout *a);
};

struct aout {
	const struct aout_ops *ops;
	void *priv;                /* the backend's */
	char driver[64];           /* for messages: "pulse", "null", "wav" */
	char file[1024];           /* wav:FILE: the path; else empty */
	int is_file;               /* a file driver: never reopened for a new format */
	int realtime;              /* write() returns at once: caller paces (null) */
	int is_open;
	struct aout_format fmt;    /* while is_open */
	char error[512];           /* the last failure, for messages */
};

extern const struct aout_ops aout_ao_ops, aout_null_ops;

/* Makes an instance for spec (see above); 0 or a negative aout_err (an
 * unknown libao driver name gives AOUT_ENODRIVER). On failure *out is NULL
 * and msg (size n; may be NULL) gets a sentence naming the driver. */
int aout_new(const char *spec, struct aout **out, char *msg, size_t n);
void aout_free(struct aout *a);

/* Opens the device for format f (closing it first if open with another
 * format). 0 or a negative aout_err; a->error says why. */
int aout_open(struct aout *a, const struct aout_format *f);
int aout_write(struct aout *a, const void *buf, size_t bytes);
void aout_close(struct aout *a);

const char *aout_strerror(int err);

#endif
