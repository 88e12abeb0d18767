/*
 * cap: frame sources. A source is opened from a spec string and yields 8-bit
 * grayscale frames (the luma plane) with a timestamp.
 *
 *   v4l2:/dev/videoN   a camera through libv4l2 (cap_v4l2.c)
 *   file:PATH          a still image repeated at a rate, a folder of images
 *                      in name order, or a .y4m video (cap_file.c)
 *   test[:WxH]         a synthetic drawn face (cap_test.c)
 *
 * Backends are a struct cap_ops filled with designated initialisers; the
 * struct cap they share is private to cap.c and the backends (cap_priv.h).
 *
 * Timestamps: t is in seconds from the first frame. Cameras use the buffer
 * time (CLOCK_MONOTONIC); files and the test source use their media time
 * (frame index / rate), whether or not they are paced (params.realtime).
 *
 * Ownership: cap_open() returns a source freed by cap_close(). The frame
 * cap_read() fills is borrowed: its pixels stay valid until the next
 * cap_read() or cap_close(). No allocation per frame in cap_read(), except
 * the image decoder's when a folder of images is read.
 * A struct cap is used by one thread at a time.
 */
#ifndef EMOTUNE_CAP_H
#define EMOTUNE_CAP_H

#include <stddef.h>
#include <stdint.h>

#include "img.h"

enum cap_err {
	CAP_OK = 0,
	CAP_ENOMEM = -1,
	CAP_EINVAL = -2,    /* bad spec or argument */
	CAP_ENOENT = -3,    /* no such file or device */
	CAP_EBUSY = -4,     /* device in use by another program */
	CAP_EACCES = -5,    /* permission denied */
	CAP_ENOTCAP = -6,   /* not a video capture device */
	CAP_EFORMAT = -7,   /* no pixel format or size we can use */
	CAP_EIO = -8,       /* read or ioctl failed */
	CAP_EDECODE = -9,   /* bad file contents (header, image) */
	CAP_ENODEV = -10,   /* the camera went away (unplugged) */
	CAP_EOF = -11,      /* end of the file source */
	CAP_EAGAIN = -12,   /* no frame within the timeout */
	CAP_ESKIP = -13,    /* not fatal: a bad file or frame was skipped (why
			     * says which); read again */
};

struct cap_params {
	int width, height;  /* wanted camera size (default 640x480) */
	double fps;         /* camera rate / still-image and folder rate (30) */
	int loop;           /* files: start again at the end */
	int realtime;       /* files/test: pace frames at their rate */
};

struct cap_frame {
	struct img img;     /* borrowed: 8-bit gray */
	double t;           /* seconds since the first frame */
	uint64_t seq;       /* 0, 1, 2, ... */
};

struct cap;

struct cap_ops {
	const char *name;                   /* "v4l2", "file", "test" */
	/* arg is the spec after "name:" ("" when none); why gets a reason. */
	int (*open)(struct cap *c, const char *arg, char *why, size_t n);
	/* Next frame into c->frame (c->frame.t from the backend). */
	int (*read)(struct cap *c, int timeout_ms, char *why, size_t n);
	void (*close)(struct cap *c);
	/* A short description: "v4l2:/dev/video0 640x480 YUYV 30 fps". */
	void (*describe)(const struct cap *c, char *buf, size_t n);
};

extern const struct cap_ops cap_v4l2_ops, cap_file_ops, cap_test_ops;

void cap_params_default(struct cap_params *p);

/* Opens spec (see above). p NULL: defaults. On failure *out is NULL and
 * why (size n) says what went wrong in words. */
int cap_open(const char *spec, const struct cap_params *p, struct cap **out,
	     char *why, size_t n);

/* Reads the next frame, waiting at most timeout_ms (cameras). Returns 0,
 * CAP_EOF at the end of a file source, CAP_EAGAIN on a timeout,
 * CAP_ENODEV when the camera went away, CAP_ESKIP when a bad image in a
 * folder or a truncated last Y4M frame was skipped (not fatal: read again),
 * or another error (why filled). */
int cap_read(struct cap *c, struct cap_frame *f, int timeout_ms, char *why, size_t n);

/* The rate frames come at (files: their own; cameras: negotiated). */
double cap_fps(const struct cap *c);
const char *cap_spec(const struct cap *c);   /* borrowed */
void cap_describe(const struct cap *c, char *buf, size_t n);
void cap_close(struct cap *c);

/* Called by cap_list_v4l2 once per capture device found. */
struct cap_device {
	char path[64];
	char card[64];
	char driver[32];
	char bus[64];
	int capture;        /* 0: a V4L2 node that is not a capture device */
	char formats[512];  /* "YUYV 640x480 320x240; MJPG 1280x720 640x480" */
};
/* Tries /dev/video0 .. /dev/video63; calls fn for each node that opens. */
int cap_list_v4l2(void (*fn)(const struct cap_device *d, void *arg), void *arg);

/* First working capture camera among /dev/video0..63 as "v4l2:PATH" into
 * buf; CAP_ENOENT when there is none. */
int cap_find_camera(char *buf, size_t n);

const char *cap_strerror(int err);

#endif
