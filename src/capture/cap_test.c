/*
 * cap_test: `test[:WxH]`, a synthetic source for demos and tests: a drawn
 * face (skin-toned oval, shaded eye sockets, eyes, brows, nose, mouth) on a
 * shaded background, swaying slowly, that plays a cycle of expressions the
 * shipped emotion network reads: happy, surprise, sad, neutral, 8 s each
 * (EXPR_SECONDS), blended over 0.6 s, with a little sensor noise. Frames at
 * params.fps (media time).
 *
 * The expression parameters were chosen by rendering faces over a grid of
 * parameters and keeping, for each target class, a point whose neighbourhood
 * (random perturbations of 0.15) is classified as that class by the shipped
 * weights: happy ~0.95, neutral ~0.86, surprise ~0.8, sad ~0.6 on a still
 * frame (doc/BENCHMARKS.md, "Demo source"). After retraining the emotion
 * network, check `emotune mood --source test --seconds 40` still reports
 * happy, surprise, sad in that order (tests/cli/mood.sh).
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
			why_set(why, n, "test: bad size '%s' (want WxH, 32..4096)", arg);
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

/* One face expression; 0 is the rest position of each parameter. */
struct expr {
	double smile;      /* mouth corners up (+) or down (-) */
	double open;       /* mouth opening, in units of 30 px at 480 lines */
	double teeth;      /* 0..1: share of the opening showing upper teeth */
	double width;      /* mouth width, 1 = 80 px */
	double brow_y;     /* brows raised (+) or lowered (-) */
	double brow_tilt;  /* inner ends raised (+, sad) or lowered (-) */
	double eye_open;   /* eye height, 1 = 22 px */
	double fold;       /* nasolabial folds (raised cheeks) */
};

#define EXPR_SECONDS 8.0
#define EXPR_BLEND 0.6

/* The cycle, in order (see the comment at the top). */
static const struct expr exprs[] = {
	/* happy */
	{ .smile = 1.0, .open = 0.4, .teeth = 1, .width = 1.3, .brow_y = 1.0,
	  .brow_tilt = -0.5, .eye_open = 0.7, .fold = 1 },
	/* surprise */
	{ .smile = 0.45, .open = 1.2, .teeth = 0, .width = 0.72, .brow_y = 1.3,
	  .brow_tilt = -0.85, .eye_open = 1.45, .fold = 0.6 },
	/* sad */
	{ .smile = -0.65, .open = 0, .teeth = 0, .width = 1.0, .brow_y = -0.3,
	  .brow_tilt = 1.35, .eye_open = 0.6, .fold = 0.7 },
	/* neutral */
	{ .smile = 0, .open = 0, .teeth = 0, .width = 1.0, .brow_y = 0.3,
	  .brow_tilt = -0.5, .eye_open = 1.1, .fold = 0 },
};
#define NEXPR (sizeof exprs / sizeof exprs[0])

/* The expression at media time `time`: the cycle's current entry, blended
 * from the previous one (smoothstep) over the first EXPR_BLEND seconds. */
static struct expr expr_at(double time)
{
	size_t i = (size_t)(time / EXPR_SECONDS) % NEXPR;
	const struct expr *to = &exprs[i], *from = &exprs[(i + NEXPR - 1) % NEXPR];
	double u = fmod(time, EXPR_SECONDS) / EXPR_BLEND;
	if (time < EXPR_SECONDS || u >= 1)
		return *to;
	u = u * u * (3 - 2 * u);
#define MIX(f) .f = from->f + (to->f - from->f) * u
	return (struct expr){ MIX(smile), MIX(open), MIX(teeth), MIX(width),
			      MIX(brow_y), MIX(brow_tilt), MIX(eye_open), MIX(fold) };
#undef MIX
}

/* 1 inside the ellipse centred (cx, cy) with radii (rx, ry). */
static double ell(double x, double y, double cx, double cy, double rx, double ry)
{
	double dx = (x - cx) / rx, dy = (y - cy) / ry;
	return dx * dx + dy * dy;
}

/* The grey level of face pixel (x, y): face centre (cx, cy), radii (fw, fh),
 * scale s (1 at 480 lines). */
static double face_px(double x, double y, double cx, double cy, double fw,
		      double fh, double s, const struct expr *e)
{
	double v = 185 - 25 * ell(x, y, cx, cy, fw, fh) - 12 * (x - cx) / fw;
	if (y < cy - fh * 0.62)
		v = 45;                                           /* hair */
	for (int side = -1; side <= 1; side += 2) {
		double ex = cx + side * 38 * s, ey = cy - 30 * s;
		double so = ell(x, y, ex, ey - 4 * s, 32 * s, 22 * s);
		if (so < 1)
			v -= 25 * (1 - so);                       /* eye socket */
		/* brow: a bar whose inner end is raised by brow_tilt */
		double bx = (x - ex) / (26 * s);
		double by = ey - 24 * s - e->brow_y * 10 * s + e->brow_tilt * 8 * s * side * bx;
		if (fabs(bx) < 1 && fabs(y - by) < 5 * s * (1 - 0.4 * bx * bx))
			v = 60;
		double er = fmax(11 * s * e->eye_open, 1);
		double ee = ell(x, y, ex, ey, 22 * s, er);
		if (ee < 1)
			v = ee < 0.35 ? 25 : 150 - 90 * (1 - ee);    /* eye, pupil */
	}
	/* nose: light bridge, dark nostrils */
	if (fabs(x - cx) < 9 * s && y > cy - 20 * s && y < cy + 25 * s)
		v = 200;
	if (ell(x, y, cx - 10 * s, cy + 28 * s, 6 * s, 4 * s) < 1 ||
	    ell(x, y, cx + 10 * s, cy + 28 * s, 6 * s, 4 * s) < 1)
		v = 90;
	if (e->fold > 0 && y > cy + 20 * s && y < cy + 62 * s)   /* cheek folds */
		for (int side = -1; side <= 1; side += 2)
			if (fabs(x - (cx + side * (26 * s + (y - cy - 20 * s) * 0.35))) < 3 * s)
				v -= 40 * e->fold;
	/* mouth: the upper lip line bent up (smile) or down, the lower one
	 * below it by the opening, dark inside with the upper teeth */
	double mx = (x - cx) / (40 * s * e->width);
	if (fabs(mx) < 1) {
		double up = cy + 62 * s - e->smile * 8 * s + e->smile * 14 * s * (1 - mx * mx);
		double lo = up + e->open * 30 * s * sqrt(1 - mx * mx);
		if (y > up && y < lo)
			v = y < up + (lo - up) * 0.45 * e->teeth ? 225 : 30;
		double d = fmin(fabs(y - up), fabs(y - lo));
		if (d < 4 * s)
			v = 70 + 50 * d / (4 * s);                /* lips */
	}
	return v;
}

static void draw(struct test *t, double time)
{
	struct img *im = &t->img;
	double s = (im->h < im->w ? im->h : im->w) / 480.0;   /* scale */
	double cx = im->w / 2.0 + 40 * s * sin(time * 0.7);
	double cy = im->h / 2.0 + 10 * s * sin(time * 1.1);
	double fw = 95 * s, fh = 125 * s;                     /* face radii */
	struct expr e = expr_at(time);
	for (int y = 0; y < im->h; y++) {
		uint8_t *row = im->px + (size_t)y * (size_t)im->stride;
		for (int x = 0; x < im->w; x++) {
			double v = 70 + 40.0 * y / im->h;             /* background */
			if (ell(x, y, cx, cy, fw, fh) < 1)
				v = face_px(x, y, cx, cy, fw, fh, s, &e);
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
