/* cap: source dispatch, pacing, device listing. See cap.h. */
#include "cap_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

double cap_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void cap_params_default(struct cap_params *p)
{
	p->width = 640;
	p->height = 480;
	p->fps = 30;
	p->loop = 0;
	p->realtime = 0;
}

static const struct cap_ops *const backends[] = {
	&cap_v4l2_ops, &cap_file_ops, &cap_test_ops, NULL,
};

int cap_open(const char *spec, const struct cap_params *p, struct cap **out,
	     char *why, size_t n)
{
	*out = NULL;
	why_set(why, n, "unknown source (want v4l2:/dev/videoN, file:PATH or test)");
	if (!spec || !*spec)
		return CAP_EINVAL;
	const struct cap_ops *ops = NULL;
	const char *arg = "";
	for (size_t i = 0; backends[i]; i++) {
		size_t l = strlen(backends[i]->name);
		if (strncmp(spec, backends[i]->name, l) == 0 && (spec[l] == ':' || spec[l] == 0)) {
			ops = backends[i];
			arg = spec[l] ? spec + l + 1 : "";
			break;
		}
	}
	if (!ops)
		return CAP_EINVAL;
	if (strlen(spec) >= sizeof ((struct cap *)0)->spec) {
		why_set(why, n, "source name too long");
		return CAP_EINVAL;
	}
	struct cap *c = calloc(1, sizeof *c);
	if (!c) {
		why_set(why, n, "out of memory");
		return CAP_ENOMEM;
	}
	c->ops = ops;
	if (p)
		c->p = *p;
	else
		cap_params_default(&c->p);
	if (c->p.width <= 0 || c->p.height <= 0) {
		c->p.width = 640;
		c->p.height = 480;
	}
	if (!(c->p.fps > 0 && c->p.fps <= 1000))
		c->p.fps = 30;
	snprintf(c->spec, sizeof c->spec, "%s", spec);
	c->fps = c->p.fps;
	c->start = -1;
	why_set(why, n, "%s", "");
	int err = ops->open(c, arg, why, n);
	if (err) {
		if (why && !*why)
			why_set(why, n, "%s", cap_strerror(err));
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

int cap_read(struct cap *c, struct cap_frame *f, int timeout_ms, char *why, size_t n)
{
	why_set(why, n, "%s", "");
	int err = c->ops->read(c, timeout_ms, why, n);
	if (err) {
		if (why && !*why)
			why_set(why, n, "%s", cap_strerror(err));
		return err;
	}
	if (!c->live && c->p.realtime) {
		double now = cap_now();
		if (c->start < 0 || c->frame.seq == 0)
			c->start = now - c->frame.t;
		double due = c->start + c->frame.t;
		if (due > now) {
			double d = due - now;
			struct timespec ts = { (time_t)d, (long)((d - (double)(time_t)d) * 1e9) };
			while (nanosleep(&ts, &ts) && errno == EINTR)
				;
		} else if (now - due > 1.0) {
			c->start = now - c->frame.t;   /* fell behind: do not race */
		}
	}
	*f = c->frame;
	return 0;
}

double cap_fps(const struct cap *c)
{
	return c->fps;
}

const char *cap_spec(const struct cap *c)
{
	return c->spec;
}

void cap_describe(const struct cap *c, char *buf, size_t n)
{
	if (c->ops->describe)
		c->ops->describe(c, buf, n);
	else
		snprintf(buf, n, "%s", c->spec);
}

void cap_close(struct cap *c)
{
	if (!c)
		return;
	c->ops->close(c);
	free(c);
}

const char *cap_strerror(int err)
{
	switch (err) {
	case CAP_OK: return "success";
	case CAP_ENOMEM: return "out of memory";
	case CAP_EINVAL: return "bad source";
	case CAP_ENOENT: return "no such file or device";
	case CAP_EBUSY: return "device busy (in use by another program?)";
	case CAP_EACCES: return "permission denied (is the user in group 'video'?)";
	case CAP_ENOTCAP: return "not a video capture device";
	case CAP_EFORMAT: return "no usable pixel format or frame size";
	case CAP_EIO: return "input/output error";
	case CAP_EDECODE: return "bad file contents";
	case CAP_ENODEV: return "camera lost (unplugged?)";
	case CAP_EOF: return "end of stream";
	case CAP_EAGAIN: return "no frame in time";
	case CAP_ESKIP: return "bad input skipped";
	}
	return "unknown error";
}
