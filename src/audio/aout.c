/* aout: picks the backend for a driver spec. See aout.h. */
#include "aout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int aout_new(const char *spec, struct aout **out, char *msg, size_t n)
{
	struct aout *a = calloc(1, sizeof *a);
	const char *arg = NULL;
	int err;

	*out = NULL;
	if (!a) {
		if (msg && n)
			snprintf(msg, n, "%s", aout_strerror(AOUT_ENOMEM));
		return AOUT_ENOMEM;
	}
	if (spec && strcmp(spec, "null") == 0) {
		a->ops = &aout_null_ops;
		snprintf(a->driver, sizeof a->driver, "null");
	} else if (spec && strncmp(spec, "wav:", 4) == 0) {
		a->ops = &aout_ao_ops;
		a->is_file = 1;
		snprintf(a->driver, sizeof a->driver, "wav");
		if (!spec[4] || strlen(spec + 4) >= sizeof a->file) {
			free(a);
			if (msg && n)
				snprintf(msg, n, "audio driver '%s': %s", spec, aout_strerror(AOUT_EINVAL));
			return AOUT_EINVAL;
		}
		snprintf(a->file, sizeof a->file, "%s", spec + 4);
		arg = a->file;
	} else {
		a->ops = &aout_ao_ops;
		if (spec && *spec) {
			if (strlen(spec) >= sizeof a->driver) {
				free(a);
				if (msg && n)
					snprintf(msg, n, "audio driver '%.40s...': %s", spec, aout_strerror(AOUT_ENODRIVER));
				return AOUT_ENODRIVER;
			}
			snprintf(a->driver, sizeof a->driver, "%s", spec);
			arg = a->driver;
		}
	}
	err = a->ops->init(a, arg);
	if (err) {
		if (msg && n)
			snprintf(msg, n, "audio driver '%s': %s", spec && *spec ? spec : "default",
				 a->error[0] ? a->error : aout_strerror(err));
		free(a);
		return err;
	}
	*out = a;
	return 0;
}

void aout_free(struct aout *a)
{
	if (!a)
		return;
	aout_close(a);
	a->ops->exit(a);
	free(a);
}

int aout_open(struct aout *a, const struct aout_format *f)
{
	if (a->is_open) {
		if (a->fmt.rate == f->rate && a->fmt.channels == f->channels && a->fmt.bits == f->bits)
			return 0;
		aout_close(a);
	}
	if (f->rate <= 0 || f->channels < 1 || f->channels > 8 ||
	    (f->bits != 16 && f->bits != 24 && f->bits != 32)) {
		snprintf(a->error, sizeof a->error, "%s", aout_strerror(AOUT_EFORMAT));
		return AOUT_EFORMAT;
	}
	a->error[0] = 0;
	int err = a->ops->open(a, f);
	if (err)
		return err;
	a->is_open = 1;
	a->fmt = *f;
	return 0;
}

int aout_write(struct aout *a, const void *buf, size_t bytes)
{
	if (!a->is_open)
		return AOUT_EWRITE;
	return a->ops->write(a, buf, bytes);
}

void aout_close(struct aout *a)
{
	if (!a->is_open)
		return;
	a->ops->close(a);
	a->is_open = 0;
}

const char *aout_strerror(int err)
{
	switch (err) {
	case AOUT_OK: return "success";
	case AOUT_ENOMEM: return "out of memory";
	case AOUT_ENODRIVER: return "no such audio driver";
	case AOUT_EOPEN: return "cannot open the audio device";
	case AOUT_EFILE: return "cannot create the output file";
	case AOUT_EFORMAT: return "sample format not supported";
	case AOUT_EWRITE: return "writing to the audio device failed";
	case AOUT_EINVAL: return "bad audio driver spec (wav:FILE needs a file name)";
	}
	return "unknown error";
}
