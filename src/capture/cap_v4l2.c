/*
 * cap_v4l2: `v4l2:/dev/videoN`, a camera through libv4l2. Negotiates a
 * format we can take the luma from (native GREY, native YUYV, else YUV420,
 * which libv4lconvert makes from MJPEG and the rest), mmap streaming with
 * CAP_V4L2_NBUF buffers, poll() with a timeout; EINTR and EAGAIN handled;
 * an unplugged camera (ENODEV) is reported as CAP_ENODEV.
 */
#include "cap_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <libv4l2.h>
#include <linux/videodev2.h>

#define CAP_V4L2_NBUF 4

struct vbuf {
	void *start;
	size_t len;
};

struct v4l2 {
	int fd;
	char path[256];
	uint32_t pixfmt, bytesperline;
	int w, h;
	struct vbuf buf[CAP_V4L2_NBUF];
	int nbuf, streaming;
	struct img img;
	uint64_t seq;
	double t0;
	char card[64];
};

static int xioctl(int fd, unsigned long req, void *arg)
{
	int r;
	do
		r = v4l2_ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r;
}

static int errno_err(int e)
{
	switch (e) {
	case ENOENT: return CAP_ENOENT;
	case EACCES: case EPERM: return CAP_EACCES;
	case EBUSY: return CAP_EBUSY;
	case ENODEV: case ENXIO: return CAP_ENODEV;
	case ENOMEM: return CAP_ENOMEM;
	case ENOTTY: return CAP_ENOTCAP;
	}
	return CAP_EIO;
}

static void fourcc(uint32_t f, char out[5])
{
	for (int i = 0; i < 4; i++) {
		char ch = (char)((f >> (8 * i)) & 0xff);
		out[i] = ch >= 32 && ch < 127 ? ch : '?';
	}
	out[4] = 0;
}

static void v4l2_cleanup(struct v4l2 *v)
{
	if (v->fd >= 0) {
		if (v->streaming) {
			enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
			xioctl(v->fd, VIDIOC_STREAMOFF, &type);
		}
		for (int i = 0; i < v->nbuf; i++)
			if (v->buf[i].start && v->buf[i].start != MAP_FAILED)
				v4l2_munmap(v->buf[i].start, v->buf[i].len);
		if (v->nbuf) {
			struct v4l2_requestbuffers rb = { .count = 0,
				.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP };
			xioctl(v->fd, VIDIOC_REQBUFS, &rb);
		}
		v4l2_close(v->fd);
	}
	img_free(&v->img);
	free(v);
}

static void v4l2_cap_close(struct cap *c)
{
	if (c->priv)
		v4l2_cleanup(c->priv);
	c->priv = NULL;
}

/* 1 when the device lists fmt among its own (not emulated) formats. */
static int has_native(int fd, uint32_t fmt)
{
	for (uint32_t i = 0; i < 64; i++) {
		struct v4l2_fmtdesc d = { .index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
		if (xioctl(fd, VIDIOC_ENUM_FMT, &d) < 0)
			break;
		if (d.pixelformat == fmt && !(d.flags & V4L2_FMT_FLAG_EMULATED))
			return 1;
	}
	return 0;
}

static void list_native(int fd, char *buf, size_t n)
{
	size_t l = 0;
	buf[0] = 0;
	for (uint32_t i = 0; i < 32 && l + 6 < n; i++) {
		struct v4l2_fmtdesc d = { .index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
		if (xioctl(fd, VIDIOC_ENUM_FMT, &d) < 0)
			break;
		if (d.flags & V4L2_FMT_FLAG_EMULATED)
			continue;
		char f[5];
		fourcc(d.pixelformat, f);
		l += (size_t)snprintf(buf + l, n - l, "%s%s", l ? " " : "", f);
	}
	if (!l)
		snprintf(buf, n, "none");
}

static int negotiate(struct v4l2 *v, const struct cap_params *p, char *why, size_t n)
{
	static const uint32_t prefs[] = { V4L2_PIX_FMT_GREY, V4L2_PIX_FMT_YUYV, V4L2_PIX_FMT_YUV420 };
	for (size_t i = 0; i < sizeof prefs / sizeof prefs[0]; i++) {
		if (prefs[i] != V4L2_PIX_FMT_YUV420 && !has_native(v->fd, prefs[i]))
			continue;
		struct v4l2_format f = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
		f.fmt.pix.width = (uint32_t)p->width;
		f.fmt.pix.height = (uint32_t)p->height;
		f.fmt.pix.pixelformat = prefs[i];
		f.fmt.pix.field = V4L2_FIELD_ANY;
		if (xioctl(v->fd, VIDIOC_S_FMT, &f) < 0) {
			int e = errno;
			if (e == EBUSY || e == ENODEV) {
				why_set(why, n, "%s: setting the format: %s", v->path, strerror(e));
				return errno_err(e);
			}
			continue;
		}
		if (f.fmt.pix.pixelformat != prefs[i] || f.fmt.pix.width < 16 ||
		    f.fmt.pix.height < 16 || f.fmt.pix.width > IMG_MAX_SIDE ||
		    f.fmt.pix.height > IMG_MAX_SIDE)
			continue;
		v->pixfmt = prefs[i];
		v->w = (int)f.fmt.pix.width;
		v->h = (int)f.fmt.pix.height;
		uint32_t minbpl = prefs[i] == V4L2_PIX_FMT_YUYV ? 2 * f.fmt.pix.width : f.fmt.pix.width;
		v->bytesperline = f.fmt.pix.bytesperline >= minbpl ? f.fmt.pix.bytesperline : minbpl;
		return 0;
	}
	char fmts[128];
	list_native(v->fd, fmts, sizeof fmts);
	why_set(why, n, "%s: unsupported format: the camera offers %s; none gives gray "
		"frames (GREY, YUYV, or YUV420 through libv4lconvert)", v->path, fmts);
	return CAP_EFORMAT;
}

/* libv4l2's own log and errors go to /dev/null: our messages say what
 * failed (EMOTUNE_V4L2_LOG=1 keeps them). Its plugins print on stderr past
 * this; the terminal UI sends stderr to its log (cmd_ui.c). */
static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;
static void quiet(void)
{
	if (getenv("EMOTUNE_V4L2_LOG"))
		return;
	FILE *f = fopen("/dev/null", "w");
	if (f)
		v4l2_log_file = f;   /* libv4l2's; kept open for the process */
}

static int v4l2_cap_open(struct cap *c, const char *arg, char *why, size_t n)
{
	pthread_once(&quiet_once, quiet);
	if (!*arg) {
		why_set(why, n, "v4l2: needs a device (v4l2:/dev/videoN)");
		return CAP_EINVAL;
	}
	struct v4l2 *v = calloc(1, sizeof *v);
	if (!v)
		return CAP_ENOMEM;
	v->fd = -1;
	snprintf(v->path, sizeof v->path, "%s", arg);
	int err = 0;
	v->fd = v4l2_open(arg, O_RDWR | O_NONBLOCK, 0);
	if (v->fd < 0) {
		int e = errno;
		why_set(why, n, "%s: %s", arg, strerror(e));
		err = errno_err(e);
		if (err == CAP_ENODEV)
			err = CAP_ENOENT;
		goto fail;
	}
	struct v4l2_capability cap;
	memset(&cap, 0, sizeof cap);
	if (xioctl(v->fd, VIDIOC_QUERYCAP, &cap) < 0) {
		int e = errno;
		why_set(why, n, "%s: not a V4L2 device (%s)", arg, strerror(e));
		err = e == ENOTTY || e == EINVAL ? CAP_ENOTCAP : errno_err(e);
		goto fail;
	}
	uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
	snprintf(v->card, sizeof v->card, "%s", (const char *)cap.card);
	if (!(caps & V4L2_CAP_VIDEO_CAPTURE)) {
		why_set(why, n, "%s (%s): not a video capture device", arg, v->card);
		err = CAP_ENOTCAP;
		goto fail;
	}
	if (!(caps & V4L2_CAP_STREAMING)) {
		why_set(why, n, "%s (%s): no streaming I/O", arg, v->card);
		err = CAP_ENOTCAP;
		goto fail;
	}
	err = negotiate(v, &c->p, why, n);
	if (err)
		goto fail;
	/* frame rate, where the driver lets us choose */
	struct v4l2_streamparm parm = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
	if (xioctl(v->fd, VIDIOC_G_PARM, &parm) == 0 &&
	    (parm.parm.capture.capability & V4L2_CAP_TIMEPERFRAME)) {
		parm.parm.capture.timeperframe.numerator = 1000;
		parm.parm.capture.timeperframe.denominator = (uint32_t)(c->p.fps * 1000 + 0.5);
		if (xioctl(v->fd, VIDIOC_S_PARM, &parm) == 0 &&
		    parm.parm.capture.timeperframe.numerator &&
		    parm.parm.capture.timeperframe.denominator)
			c->fps = (double)parm.parm.capture.timeperframe.denominator /
				 parm.parm.capture.timeperframe.numerator;
	}
	struct v4l2_requestbuffers rb = { .count = CAP_V4L2_NBUF,
		.type = V4L2_BUF_TYPE_VIDEO_CAPTURE, .memory = V4L2_MEMORY_MMAP };
	if (xioctl(v->fd, VIDIOC_REQBUFS, &rb) < 0 || rb.count < 1) {
		int e = rb.count < 1 ? ENOMEM : errno;
		why_set(why, n, "%s: requesting buffers: %s", arg, strerror(e));
		err = errno_err(e);
		goto fail;
	}
	if (rb.count > CAP_V4L2_NBUF)
		rb.count = CAP_V4L2_NBUF;
	for (uint32_t i = 0; i < rb.count; i++) {
		struct v4l2_buffer b = { .index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
			.memory = V4L2_MEMORY_MMAP };
		if (xioctl(v->fd, VIDIOC_QUERYBUF, &b) < 0) {
			int e = errno;
			why_set(why, n, "%s: querying buffer %u: %s", arg, i, strerror(e));
			err = errno_err(e);
			goto fail;
		}
		v->buf[i].len = b.length;
		v->buf[i].start = v4l2_mmap(NULL, b.length, PROT_READ | PROT_WRITE, MAP_SHARED,
					    v->fd, b.m.offset);
		v->nbuf = (int)i + 1;
		if (v->buf[i].start == MAP_FAILED) {
			int e = errno;
			v->buf[i].start = NULL;
			why_set(why, n, "%s: mmap: %s", arg, strerror(e));
			err = errno_err(e);
			goto fail;
		}
		if (xioctl(v->fd, VIDIOC_QBUF, &b) < 0) {
			int e = errno;
			why_set(why, n, "%s: queueing buffer: %s", arg, strerror(e));
			err = errno_err(e);
			goto fail;
		}
	}
	enum v4l2_buf_type type = V4L2_BUF_TYPE_VIDEO_CAPTURE;
	if (xioctl(v->fd, VIDIOC_STREAMON, &type) < 0) {
		int e = errno;
		why_set(why, n, "%s: starting the stream: %s", arg, strerror(e));
		err = errno_err(e);
		goto fail;
	}
	v->streaming = 1;
	if (img_alloc(&v->img, v->w, v->h)) {
		err = CAP_ENOMEM;
		goto fail;
	}
	c->priv = v;
	c->live = 1;
	v->t0 = -1;
	return 0;
fail:
	v4l2_cleanup(v);
	return err;
}

static void to_gray(struct v4l2 *v, const uint8_t *src, size_t len)
{
	size_t bpl = v->bytesperline;
	for (int y = 0; y < v->h; y++) {
		uint8_t *d = v->img.px + (size_t)y * (size_t)v->img.stride;
		const uint8_t *s = src + (size_t)y * bpl;
		size_t need = (size_t)y * bpl + (v->pixfmt == V4L2_PIX_FMT_YUYV ? 2u : 1u) * (size_t)v->w;
		if (need > len) {          /* short buffer: keep the last rows */
			memset(d, 0, (size_t)v->w);
			continue;
		}
		if (v->pixfmt == V4L2_PIX_FMT_YUYV)
			for (int x = 0; x < v->w; x++)
				d[x] = s[2 * x];
		else
			memcpy(d, s, (size_t)v->w);
	}
}

static int v4l2_cap_read(struct cap *c, int timeout_ms, char *why, size_t n)
{
	struct v4l2 *v = c->priv;
	double until = cap_now() + timeout_ms / 1000.0;
	for (;;) {
		struct pollfd pfd = { .fd = v->fd, .events = POLLIN };
		int left = (int)((until - cap_now()) * 1000);
		int r = poll(&pfd, 1, left < 0 ? 0 : left);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			why_set(why, n, "%s: poll: %s", v->path, strerror(e));
			return errno_err(e);
		}
		if (r == 0)
			return CAP_EAGAIN;
		struct v4l2_buffer b = { .type = V4L2_BUF_TYPE_VIDEO_CAPTURE,
			.memory = V4L2_MEMORY_MMAP };
		if (xioctl(v->fd, VIDIOC_DQBUF, &b) < 0) {
			int e = errno;
			if (e == EAGAIN) {
				if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
					why_set(why, n, "%s: camera lost", v->path);
					return CAP_ENODEV;
				}
				if (cap_now() >= until)
					return CAP_EAGAIN;
				continue;
			}
			why_set(why, n, "%s: %s", v->path,
				e == ENODEV || e == ENXIO ? "camera lost (unplugged?)" : strerror(e));
			return e == EIO ? CAP_ENODEV : errno_err(e);
		}
		if (b.index >= (uint32_t)v->nbuf) {
			why_set(why, n, "%s: driver returned buffer %u", v->path, b.index);
			return CAP_EIO;
		}
		size_t used = b.bytesused ? b.bytesused : v->buf[b.index].len;
		if (used > v->buf[b.index].len)
			used = v->buf[b.index].len;
		to_gray(v, v->buf[b.index].start, used);
		double ts = (double)b.timestamp.tv_sec + (double)b.timestamp.tv_usec * 1e-6;
		if (ts <= 0)
			ts = cap_now();
		if (v->t0 < 0 || ts < v->t0)
			v->t0 = ts;
		int requeue = xioctl(v->fd, VIDIOC_QBUF, &b);
		int qerr = requeue < 0 ? errno : 0;
		c->frame.img = v->img;
		c->frame.t = ts - v->t0;
		c->frame.seq = v->seq++;
		if (requeue < 0 && qerr != ENODEV && qerr != ENXIO) {
			why_set(why, n, "%s: requeueing: %s", v->path, strerror(qerr));
			return errno_err(qerr);
		}
		return 0;   /* an unplug during QBUF shows at the next read */
	}
}

static void v4l2_describe(const struct cap *c, char *buf, size_t n)
{
	const struct v4l2 *v = c->priv;
	char f[5];
	fourcc(v->pixfmt, f);
	snprintf(buf, n, "%s (%s, %dx%d %s, %.3g fps)", c->spec, v->card, v->w, v->h, f, c->fps);
}

const struct cap_ops cap_v4l2_ops = {
	.name = "v4l2",
	.open = v4l2_cap_open,
	.read = v4l2_cap_read,
	.close = v4l2_cap_close,
	.describe = v4l2_describe,
};

/* ---- listing (plain open/ioctl: the device's own formats) ---- */

static int raw_ioctl(int fd, unsigned long req, void *arg)
{
	int r;
	do
		r = ioctl(fd, req, arg);
	while (r < 0 && errno == EINTR);
	return r;
}

static void list_formats(int fd, struct cap_device *d)
{
	size_t l = 0, n = sizeof d->formats;
	for (uint32_t i = 0; i < 32; i++) {
		struct v4l2_fmtdesc fd_ = { .index = i, .type = V4L2_BUF_TYPE_VIDEO_CAPTURE };
		if (raw_ioctl(fd, VIDIOC_ENUM_FMT, &fd_) < 0)
			break;
		char f[5];
		fourcc(fd_.pixelformat, f);
		if (l + 8 >= n)
			break;
		l += (size_t)snprintf(d->formats + l, n - l, "%s%s", l ? "; " : "", f);
		for (uint32_t j = 0; j < 32 && l + 16 < n; j++) {
			struct v4l2_frmsizeenum fs = { .index = j, .pixel_format = fd_.pixelformat };
			if (raw_ioctl(fd, VIDIOC_ENUM_FRAMESIZES, &fs) < 0)
				break;
			if (fs.type == V4L2_FRMSIZE_TYPE_DISCRETE) {
				l += (size_t)snprintf(d->formats + l, n - l, " %ux%u",
						      fs.discrete.width, fs.discrete.height);
			} else {
				l += (size_t)snprintf(d->formats + l, n - l, " %ux%u-%ux%u",
						      fs.stepwise.min_width, fs.stepwise.min_height,
						      fs.stepwise.max_width, fs.stepwise.max_height);
				break;
			}
		}
		if (l >= n)
			l = n - 1;
	}
}

static int probe(const char *path, struct cap_device *d)
{
	memset(d, 0, sizeof *d);
	snprintf(d->path, sizeof d->path, "%s", path);
	int fd = open(path, O_RDWR | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	struct v4l2_capability cap;
	memset(&cap, 0, sizeof cap);
	if (raw_ioctl(fd, VIDIOC_QUERYCAP, &cap) < 0) {
		int e = errno;
		close(fd);
		return -(e ? e : ENOTTY);
	}
	uint32_t caps = (cap.capabilities & V4L2_CAP_DEVICE_CAPS) ? cap.device_caps : cap.capabilities;
	snprintf(d->card, sizeof d->card, "%s", (const char *)cap.card);
	snprintf(d->driver, sizeof d->driver, "%s", (const char *)cap.driver);
	snprintf(d->bus, sizeof d->bus, "%s", (const char *)cap.bus_info);
	d->capture = (caps & V4L2_CAP_VIDEO_CAPTURE) && (caps & V4L2_CAP_STREAMING);
	if (d->capture)
		list_formats(fd, d);
	close(fd);
	return 0;
}

int cap_list_v4l2(void (*fn)(const struct cap_device *d, void *arg), void *arg)
{
	int found = 0;
	for (int i = 0; i < 64; i++) {
		char path[32];
		struct cap_device d;
		snprintf(path, sizeof path, "/dev/video%d", i);
		int r = probe(path, &d);
		if (r == -ENOENT || r == -ENODEV || r == -ENXIO)
			continue;
		if (r < 0)
			snprintf(d.formats, sizeof d.formats, "(cannot open: %s)", strerror(-r));
		fn(&d, arg);
		found++;
	}
	return found;
}

int cap_find_camera(char *buf, size_t n)
{
	for (int i = 0; i < 64; i++) {
		char path[32];
		struct cap_device d;
		snprintf(path, sizeof path, "/dev/video%d", i);
		if (probe(path, &d) == 0 && d.capture) {
			snprintf(buf, n, "v4l2:%s", path);
			return 0;
		}
	}
	return CAP_ENOENT;
}
