/* aout_ao: libao outputs, live drivers (ao_open_live) and the "wav" file
 * driver (ao_open_file). See aout.h. */
#include "aout.h"

#include <ao/ao.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libao's global state: initialised by the first instance, shut down with
 * the last one. ao_initialize() is not thread-safe, hence the lock. */
static pthread_mutex_t ao_lock = PTHREAD_MUTEX_INITIALIZER;
static int ao_users;

struct ao_priv {
	int driver_id;
	ao_device *dev;
};

/* libasound prints its own diagnostics on stderr (eight lines for each
 * attempt to open a missing card), which would tear up the curses screen
 * and flood headless logs; our message says what failed. libao's alsa
 * plugin has loaded libasound by now if it is used at all. */
static void alsa_quiet(const char *file, int line, const char *fn, int err, const char *fmt, ...)
{
	(void)file;
	(void)line;
	(void)fn;
	(void)err;
	(void)fmt;
}

static void silence_alsa(void)
{
	typedef void (*handler)(const char *, int, const char *, int, const char *, ...);
	int (*set)(handler);
	void *h = dlopen("libasound.so.2", RTLD_LAZY | RTLD_NOLOAD);
	if (!h)
		return;
	*(void **)&set = dlsym(h, "snd_lib_error_set_handler");
	if (set)
		set(alsa_quiet);
	dlclose(h);
}

static void ao_ref(void)
{
	pthread_mutex_lock(&ao_lock);
	if (ao_users++ == 0) {
		ao_initialize();
		silence_alsa();
	}
	pthread_mutex_unlock(&ao_lock);
}

static void ao_unref(void)
{
	pthread_mutex_lock(&ao_lock);
	if (--ao_users == 0)
		ao_shutdown();
	pthread_mutex_unlock(&ao_lock);
}

static int ao_init_(struct aout *a, const char *arg)
{
	struct ao_priv *p = calloc(1, sizeof *p);
	if (!p)
		return AOUT_ENOMEM;
	ao_ref();
	if (a->is_file) {
		p->driver_id = ao_driver_id("wav");
	} else if (arg) {
		p->driver_id = ao_driver_id(arg);
	} else {
		p->driver_id = ao_default_driver_id();
		if (p->driver_id >= 0) {
			ao_info *info = ao_driver_info(p->driver_id);
			if (info)
				snprintf(a->driver, sizeof a->driver, "%s", info->short_name);
		}
	}
	if (p->driver_id < 0 && !arg && !a->is_file) {
		/* no usable default now (no sound server, no card): not fatal,
		 * open() reports it and the player retries */
		snprintf(a->driver, sizeof a->driver, "default");
		a->priv = p;
		return 0;
	}
	if (p->driver_id < 0) {
		snprintf(a->error, sizeof a->error, "libao has no driver '%s'", a->driver);
		ao_unref();
		free(p);
		return AOUT_ENODRIVER;
	}
	ao_info *info = ao_driver_info(p->driver_id);
	if (!a->is_file && info && info->type == AO_TYPE_FILE) {
		snprintf(a->error, sizeof a->error,
			 "'%s' is a libao file driver, not a device (use wav:FILE)", a->driver);
		ao_unref();
		free(p);
		return AOUT_ENODRIVER;
	}
	a->priv = p;
	return 0;
}

static void ao_exit_(struct aout *a)
{
	free(a->priv);
	a->priv = NULL;
	ao_unref();
}

static const char *ao_why(int e)
{
	switch (e) {
	case AO_ENODRIVER: return "no such driver";
	case AO_ENOTLIVE: return "not a live output driver";
	case AO_ENOTFILE: return "not a file output driver";
	case AO_EBADOPTION: return "bad driver option";
	case AO_EOPENDEVICE: return "cannot open the device (none, or busy)";
	case AO_EOPENFILE: return "cannot open the file";
	case AO_EFILEEXISTS: return "the file exists";
	case AO_EBADFORMAT: return "sample format not supported";
	default: return "failed";
	}
}

static int ao_open_(struct aout *a, const struct aout_format *f)
{
	struct ao_priv *p = a->priv;
	ao_sample_format fmt;
	char matrix[8];

	memset(&fmt, 0, sizeof fmt);
	fmt.bits = f->bits;
	fmt.rate = f->rate;
	fmt.channels = f->channels;
	fmt.byte_format = AO_FMT_NATIVE;
	if (f->channels <= 2) {
		snprintf(matrix, sizeof matrix, "%s", f->channels == 1 ? "M" : "L,R");
		fmt.matrix = matrix;
	}
	if (p->driver_id < 0) {
		p->driver_id = ao_default_driver_id();
		if (p->driver_id < 0) {
			snprintf(a->error, sizeof a->error, "libao found no usable output driver");
			return AOUT_EOPEN;
		}
	}
	errno = 0;
	if (a->is_file)
		p->dev = ao_open_file(p->driver_id, a->file, 1, &fmt, NULL);
	else
		p->dev = ao_open_live(p->driver_id, &fmt, NULL);
	if (!p->dev) {
		int e = errno;
		if (a->is_file)
			snprintf(a->error, sizeof a->error, "cannot write '%.400s': %s", a->file,
				 e == AO_EOPENFILE ? "cannot create the file" : ao_why(e));
		else
			snprintf(a->error, sizeof a->error, "%s (%d Hz, %d ch, %d bit)",
				 ao_why(e), f->rate, f->channels, f->bits);
		return a->is_file ? AOUT_EFILE : (e == AO_EBADFORMAT ? AOUT_EFORMAT : AOUT_EOPEN);
	}
	return 0;
}

static int ao_write_(struct aout *a, const void *buf, size_t bytes)
{
	struct ao_priv *p = a->priv;
	if (!ao_play(p->dev, (char *)(uintptr_t)buf, (uint_32)bytes)) {
		snprintf(a->error, sizeof a->error, "driver '%s': write failed", a->driver);
		return AOUT_EWRITE;
	}
	return 0;
}

static void ao_close_(struct aout *a)
{
	struct ao_priv *p = a->priv;
	if (p->dev)
		ao_close(p->dev);
	p->dev = NULL;
}

const struct aout_ops aout_ao_ops = {
	.init = ao_init_,
	.exit = ao_exit_,
	.open = ao_open_,
	.write = ao_write_,
	.close = ao_close_,
};
