/*
 * cap_test: `test[:WxH]`, a synthetic source for demos and tests: a drawn
 * face (skin-toned oval, eyes, brows, nose, mouth) on a shaded background,
 * swaying slowly, whose mouth changes between a smile and a frown every
 * 4 seconds, with a little sensor noise. Frames at params.fps (media time).
 */
#include "cap_priv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct test {
	struct img img;
	uint64_t seq;
	uint32_t rng;
};

static int test_open(struct cap *c, const char *arg, char *why, size_t n)
{
	int w = 640, h = 480;
	if (*arg) {
		char tail;
		if (sscanf(arg, "%dx%d%c", &w, &h, &tail) != 2 || w < 32 || h < 32 ||
		    w > 4096 || h > 4096) {
			cap_why(why, n, "test: bad size '%s' (want WxH, 32..4096)", arg);
			return CAP_EINVAL;
		}
	}
	struct test *t = calloc(1, sizeof *t);
	if (!t)
		return CAP_ENOMEM;
	if (img_alloc(&t->img, w, h)) {
		free(t);
		return CAP_ENOMEM;
	}
	t->rng = 12345;
	c->priv = t;
	return 0;
}

static void test_close(struct cap *c)
{
	struct test *t = c->priv;
	if (!t)
		return;
	img_free(&t->img);
	free(t);
	c->priv = NULL;
}

/* 1 inside the ellipse centred (cx, cy) with radii (rx, ry). */
static double ell(double x, double y, double cx, double cy, double rx, double ry)
{
	double dx = (x - cx) / rx, dy = (y - cy) / ry;
	return dx * dx + dy * dy;
}

static void draw(struct test *t, double time)
{
	struct img *im = &t->img;
	double s = (im->h < im->w ? im->h : im->w) / 480.0;   /* scale */
	double cx = im->w / 2.0 + 40 * s * sin(time * 0.7);
	double cy = im->h / 2.0 + 10 * s * sin(time * 1.1);
	double fw = 95 * s, fh = 125 * s;                     /* face radii */
	/* smile (+1) for 4 s, frown (-1) for 4 s, with a short blend */
	double phase = fmod(time, 8.0);
	double smile = phase < 4 ? 1 : -1;
	double edge = fmod(time, 4.0);
	if (edge < 0.3)
		smile *= edge / 0.3;
	for (int y = 0; y < im->h; y++) {
		uint8_t *row = im->px + (size_t)y * (size_t)im->stride;
		for (int x = 0; x < im->w; x++) {
			double v = 70 + 40.0 * y / im->h;             /* background */
			double fe = ell(x, y, cx, cy, fw, fh);
			if (fe < 1) {
				v = 185 - 25 * fe;                        /* face, darker at the rim */
				/* hair */
				if (y < cy - fh * 0.62)
					v = 45;
				/* brows */
				for (int side = -1; side <= 1; side += 2) {
					double ex = cx + side * 38 * s, ey = cy - 30 * s;
					if (ell(x, y, ex, ey - 24 * s, 26 * s, 6 * s) < 1)
						v = 60;
					double e = ell(x, y, ex, ey, 22 * s, 11 * s);
					if (e < 1)
						v = e < 0.35 ? 25 : 150 - 90 * (1 - e);   /* eye, pupil */
				}
				/* nose: light bridge, dark nostrils */
				if (fabs(x - cx) < 9 * s && y > cy - 20 * s && y < cy + 25 * s)
					v = 200;
				if (ell(x, y, cx - 10 * s, cy + 28 * s, 6 * s, 4 * s) < 1 ||
				    ell(x, y, cx + 10 * s, cy + 28 * s, 6 * s, 4 * s) < 1)
					v = 90;
				/* mouth: a parabola bent up (smile) or down (frown) */
				double mx = (x - cx) / (40 * s);
				if (fabs(mx) < 1) {
					double my = cy + 62 * s - smile * 16 * s * (1 - mx * mx) +
						    smile * 8 * s;
					double d = fabs(y - my);
					if (d < 5 * s)
						v = 50 + 60 * d / (5 * s);
				}
			}
			t->rng = t->rng * 1103515245u + 12345u;
			v += (double)((t->rng >> 16) & 7) - 3.5;
			row[x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
		}
	}
}

static int test_read(struct cap *c, int timeout_ms, char *why, size_t n)
{
	struct test *t = c->priv;
	double time = (double)t->seq / c->fps;
	draw(t, time);
	c->frame.img = t->img;
	c->frame.t = time;
	c->frame.seq = t->seq++;
	return 0;
}

static void test_describe(const struct cap *c, char *buf, size_t n)
{
	const struct test *t = c->priv;
	snprintf(buf, n, "test (synthetic face %dx%d, %.3g fps)", t->img.w, t->img.h, c->fps);
}

const struct cap_ops cap_test_ops = {
	.name = "test",
	.open = test_open,
	.read = test_read,
	.close = test_close,
	.describe = test_describe,
};
