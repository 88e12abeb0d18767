/* haar: OpenCV cascade classifiers in C. See haar.h; the XML loader is
 * haar_load.c, the model both share haar_priv.h. */
#include "haar_priv.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void haar_window(const struct haar_cascade *c, int *w, int *h)
{
	*w = c->win_w;
	*h = c->win_h;
}

int haar_is_lbp(const struct haar_cascade *c)
{
	return c->lbp;
}

void haar_free(struct haar_cascade *c)
{
	if (!c)
		return;
	free(c->stages);
	free(c->weaks);
	free(c->nodes);
	free(c->leaves);
	free(c->subsets);
	free(c->hf);
	free(c->lf);
	free(c);
}

int haar_default_cascade(char *buf, size_t n)
{
	int k = snprintf(buf, n, "%s/haarcascade_frontalface_default.xml", HAAR_CASCADE_DIR);
	return k < 0 || (size_t)k >= n ? HAAR_ENOMEM : 0;
}

void haar_params_default(struct haar_params *p)
{
	p->scale = 1.1;
	p->min_neighbors = 5;
	p->min_size = 40;
	p->max_size = 0;
}

/* ------------------------------------------------------ integral images */

void haar_integral(const struct img *im, unsigned *sum, unsigned *sq,
		   unsigned *tilted, int stride, unsigned *scratch)
{
	const int w = im->w, h = im->h;
	const size_t st = (size_t)stride;
	memset(sum, 0, sizeof *sum * (size_t)(w + 1));
	if (sq)
		memset(sq, 0, sizeof *sq * (size_t)(w + 1));
	for (int y = 0; y < h; y++) {
		const uint8_t *row = im->px + (size_t)y * (size_t)im->stride;
		unsigned *s0 = sum + (size_t)y * st, *s1 = s0 + st;
		unsigned acc = 0;
		s1[0] = 0;
		if (sq) {
			unsigned *q0 = sq + (size_t)y * st, *q1 = q0 + st;
			unsigned qacc = 0;
			q1[0] = 0;
			for (int x = 0; x < w; x++) {
				unsigned v = row[x];
				acc += v;
				qacc += v * v;
				s1[x + 1] = s0[x + 1] + acc;
				q1[x + 1] = q0[x + 1] + qacc;
			}
		} else {
			for (int x = 0; x < w; x++) {
				acc += row[x];
				s1[x + 1] = s0[x + 1] + acc;
			}
		}
	}
	if (!tilted)
		return;
	/*
	 * T(X,Y) = A(X,Y) - B(X-1,Y), with P_y(c) the sum of row y left of
	 * column c (from the upright integral), and
	 *   A(c,Y) = A(min(c+1,w), Y-1) + P_{Y-1}(c)   (right edges)
	 *   B(c,Y) = B(c-1, Y-1) + P_{Y-1}(c), B(0,.) = 0   (left edges)
	 * kept one row at a time in scratch.
	 */
	unsigned *A = scratch, *B = scratch + w + 1;
	memset(A, 0, sizeof *A * (size_t)(w + 1));
	memset(B, 0, sizeof *B * (size_t)(w + 1));
	memset(tilted, 0, sizeof *tilted * (size_t)(w + 1));
	for (int Y = 1; Y <= h; Y++) {
		const unsigned *s0 = sum + (size_t)(Y - 1) * st, *s1 = s0 + st;
		unsigned *t = tilted + (size_t)Y * st;
		for (int c = 0; c <= w; c++)
			A[c] = A[c + 1 <= w ? c + 1 : w] + (s1[c] - s0[c]);
		for (int c = w; c >= 1; c--)
			B[c] = B[c - 1] + (s1[c] - s0[c]);
		t[0] = A[0];
		for (int X = 1; X <= w; X++)
			t[X] = A[X] - B[X - 1];
	}
}

/* ------------------------------------------------------------- detector */

struct lin_tab {
	int ofs;
	uint16_t c0, c1;
};

/* A Haar stump compiled for one integral-image stride. */
struct cstump {
	int ofs[NRECT][4];
	float wt[NRECT];
	float thr, left, right;
	float lo, hi;         /* stage sum still to come: bounds (see bounds()) */
};

/* A Haar feature compiled (trees). */
struct cfeat {
	int ofs[NRECT][4];
	float wt[NRECT];
};

/* An LBP stump compiled. */
struct lstump {
	int ofs[16];
	uint32_t subset[LBP_SUBSET];
	float left, right;
	float lo, hi;
};

struct haar_detector {
	const struct haar_cascade *c;
	int max_w, max_h, stride;
	struct img scaled;
	unsigned *buf;        /* sum, then tilted (tofs further) */
	unsigned *sq;
	unsigned *scratch;
	size_t tofs;
	int nofs[4];          /* normalisation rect corners */
	struct cstump *hs;    /* Haar stumps (c->stumps) */
	struct cfeat *hf;     /* Haar features (trees) */
	struct lstump *ls;    /* LBP stumps */
	int (*lfofs)[16];     /* LBP feature offsets (trees) */
	struct lin_tab *tx, *ty;  /* resize tables */
	uint16_t *rows;       /* two horizontally resized rows */
	struct haar_rect *raw, *grp; /* raw hits; their copy being grouped */
	int *work;            /* HAAR_GROUP_WORK(capraw) ints */
	int nraw, capraw;
};

static void rect_ofs(int o[4], const int r[4], int step, int tilted, int tofs)
{
	const int x = r[0], y = r[1], w = r[2], h = r[3];
	if (tilted) {
		o[0] = x + step * y + tofs;
		o[1] = x - h + step * (y + h) + tofs;
		o[2] = x + w + step * (y + w) + tofs;
		o[3] = x + w - h + step * (y + w + h) + tofs;
	} else {
		o[0] = x + step * y;
		o[1] = x + w + step * y;
		o[2] = x + step * (y + h);
		o[3] = x + w + step * (y + h);
	}
}

static void compile_haar(const struct hfeat *f, int step, int tofs, int ofs[NRECT][4], float wt[NRECT])
{
	for (int k = 0; k < NRECT; k++) {
		rect_ofs(ofs[k], f->r[k], step, f->tilted, tofs);
		wt[k] = f->wt[k];
	}
}

static void compile_lbp(const struct lfeat *f, int step, int ofs[16])
{
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			ofs[i * 4 + j] = f->x + j * f->w + step * (f->y + i * f->h);
}

/*
 * Early stage decisions: after weak classifier i of a stage, the sum of the
 * ones still to come lies in [lo, hi] (sums of their smaller and larger
 * leaves). If the partial sum plus hi is below the threshold the stage
 * fails whatever comes; plus lo at or above it, it passes. A margin far
 * above double rounding keeps every decision the one the full sum makes.
 */
#define BOUND_MARGIN 1e-3f

static void bounds(const struct haar_cascade *c, float *lo, float *hi, size_t stride_bytes)
{
	for (int si = 0; si < c->nstages; si++) {
		const struct stage *st = &c->stages[si];
		double a = 0, b = 0;
		for (int w = st->weak0 + st->nweak - 1; w >= st->weak0; w--) {
			float *l = (float *)((char *)lo + (size_t)w * stride_bytes);
			float *h = (float *)((char *)hi + (size_t)w * stride_bytes);
			*l = (float)a - BOUND_MARGIN;
			*h = (float)b + BOUND_MARGIN;
			const float x = c->leaves[c->weaks[w].leaf0], y = c->leaves[c->weaks[w].leaf0 + 1];
			a += x < y ? x : y;
			b += x < y ? y : x;
		}
	}
}

void haar_detector_free(struct haar_detector *d)
{
	if (!d)
		return;
	img_free(&d->scaled);
	free(d->buf);
	free(d->sq);
	free(d->scratch);
	free(d->hs);
	free(d->hf);
	free(d->ls);
	free(d->lfofs);
	free(d->tx);
	free(d->rows);
	free(d->raw);
	free(d->grp);
	free(d->work);
	free(d);
}

int haar_detector_new(const struct haar_cascade *c, int max_w, int max_h,
		      struct haar_detector **out)
{
	*out = NULL;
	if (!c || max_w < 1 || max_h < 1 || max_w > IMG_MAX_SIDE || max_h > IMG_MAX_SIDE)
		return HAAR_EINVAL;
	struct haar_detector *d = calloc(1, sizeof *d);
	if (!d)
		return HAAR_ENOMEM;
	d->c = c;
	d->max_w = max_w;
	d->max_h = max_h;
	d->stride = max_w + 1;
	const size_t plane = (size_t)(max_w + 1) * (size_t)(max_h + 1);
	const size_t st = (size_t)d->stride;
	d->tofs = c->has_tilted ? plane : 0;
	if (img_alloc(&d->scaled, max_w, max_h) != 0)
		goto nomem;
	d->buf = malloc(sizeof *d->buf * plane * (c->has_tilted ? 2 : 1));
	if (!c->lbp)
		d->sq = malloc(sizeof *d->sq * plane);
	d->scratch = malloc(sizeof *d->scratch * 2 * st);
	d->tx = malloc(sizeof *d->tx * (size_t)(max_w + max_h));
	d->rows = malloc(sizeof *d->rows * 2 * (size_t)max_w);
	if (!d->buf || (!c->lbp && !d->sq) || !d->scratch || !d->tx || !d->rows)
		goto nomem;
	d->ty = d->tx + max_w;
	if (plane * 2 > INT_MAX)
		goto inval;
	const int step = d->stride, tofs = (int)d->tofs;
	/* normalisation rect: the window shrunk by 1 pixel on each side */
	int nr[4] = { 1, 1, c->win_w - 2, c->win_h - 2 };
	rect_ofs(d->nofs, nr, step, 0, 0);
	if (c->lbp) {
		if (c->stumps) {
			d->ls = calloc((size_t)c->nnodes, sizeof *d->ls);
			if (!d->ls)
				goto nomem;
			for (int w = 0; w < c->nweaks; w++) {
				const struct weak *wk = &c->weaks[w];
				const struct node *nd = &c->nodes[wk->node0];
				struct lstump *s = &d->ls[w];
				compile_lbp(&c->lf[nd->feature], step, s->ofs);
				for (int b = 0; b < LBP_SUBSET; b++)
					s->subset[b] = (uint32_t)c->subsets[(size_t)wk->node0 * LBP_SUBSET + (size_t)b];
				s->left = c->leaves[wk->leaf0];
				s->right = c->leaves[wk->leaf0 + 1];
			}
			bounds(c, &d->ls[0].lo, &d->ls[0].hi, sizeof *d->ls);
		} else {
			d->lfofs = calloc((size_t)c->nfeat, sizeof *d->lfofs);
			if (!d->lfofs)
				goto nomem;
			for (int i = 0; i < c->nfeat; i++)
				compile_lbp(&c->lf[i], step, d->lfofs[i]);
		}
	} else if (c->stumps) {
		d->hs = calloc((size_t)c->nweaks, sizeof *d->hs);
		if (!d->hs)
			goto nomem;
		for (int w = 0; w < c->nweaks; w++) {
			const struct weak *wk = &c->weaks[w];
			const struct node *nd = &c->nodes[wk->node0];
			struct cstump *s = &d->hs[w];
			compile_haar(&c->hf[nd->feature], step, tofs, s->ofs, s->wt);
			s->thr = nd->thr;
			s->left = c->leaves[wk->leaf0];
			s->right = c->leaves[wk->leaf0 + 1];
		}
		bounds(c, &d->hs[0].lo, &d->hs[0].hi, sizeof *d->hs);
	} else {
		d->hf = calloc((size_t)c->nfeat, sizeof *d->hf);
		if (!d->hf)
			goto nomem;
		for (int i = 0; i < c->nfeat; i++)
			compile_haar(&c->hf[i], step, tofs, d->hf[i].ofs, d->hf[i].wt);
	}
	*out = d;
	return 0;
nomem:
	haar_detector_free(d);
	return HAAR_ENOMEM;
inval:
	haar_detector_free(d);
	return HAAR_EINVAL;
}

const struct haar_rect *haar_detector_raw(const struct haar_detector *d, int *n)
{
	*n = d->nraw;
	return d->raw;
}

#define SUM4(p, o) ((int32_t)((p)[(o)[0]] - (p)[(o)[1]] - (p)[(o)[2]] + (p)[(o)[3]]))

static inline float haar_value(const unsigned *p, const int ofs[NRECT][4], const float wt[NRECT])
{
	float r = wt[0] * (float)SUM4(p, ofs[0]) + wt[1] * (float)SUM4(p, ofs[1]);
	if (wt[2] != 0.0f)
		r += wt[2] * (float)SUM4(p, ofs[2]);
	return r;
}

static inline int lbp_code(const unsigned *p, const int o[16])
{
	int32_t cv = (int32_t)(p[o[5]] - p[o[6]] - p[o[9]] + p[o[10]]);
#define CELL(a, b, c, e) ((int32_t)(p[o[a]] - p[o[b]] - p[o[c]] + p[o[e]]) >= cv)
	return (CELL(0, 1, 4, 5) ? 128 : 0) | (CELL(1, 2, 5, 6) ? 64 : 0) |
		(CELL(2, 3, 6, 7) ? 32 : 0) | (CELL(6, 7, 10, 11) ? 16 : 0) |
		(CELL(10, 11, 14, 15) ? 8 : 0) | (CELL(9, 10, 13, 14) ? 4 : 0) |
		(CELL(8, 9, 12, 13) ? 2 : 0) | (CELL(4, 5, 8, 9) ? 1 : 0);
#undef CELL
}

static inline int in_subset(const uint32_t *subset, int c)
{
	return (subset[c >> 5] >> (c & 31)) & 1u;
}

/* Variance normalisation (HaarEvaluator::setWindow): 0 rejects the window. */
static inline int haar_norm(const struct haar_detector *d, size_t at, float *nf)
{
	const unsigned *p = d->buf + at, *q = d->sq + at;
	int valsum = SUM4(p, d->nofs);
	unsigned valsq = (unsigned)(q[d->nofs[0]] - q[d->nofs[1]] - q[d->nofs[2]] + q[d->nofs[3]]);
	const double area = (double)(d->c->win_w - 2) * (double)(d->c->win_h - 2);
	double v = area * valsq - (double)valsum * valsum;
	if (v > 0.) {
		float f = (float)(1. / sqrt(v));
		*nf = f;
		return area * f < 1e-1;
	}
	return 0;
}

/* The cascade at one window: 1 accepted, -k rejected at stage k (0: the
 * first stage), -1 for a flat window (as OpenCV's runAt). */
static int run_haar_stumps(const struct haar_detector *d, size_t at)
{
	float nf;
	if (!haar_norm(d, at, &nf))
		return -1;
	const unsigned *p = d->buf + at;
	const struct haar_cascade *c = d->c;
	const struct cstump *s = d->hs;
	for (int si = 0; si < c->nstages; si++) {
		const int n = c->stages[si].nweak;
		double t = 0;
		const float thr = c->stages[si].thr;
		for (int i = 0; i < n; i++) {
			float v = haar_value(p, s[i].ofs, s[i].wt) * nf;
			t += v < s[i].thr ? s[i].left : s[i].right;
			if (t + s[i].hi < thr)
				return -si;
			if (t + s[i].lo >= thr)
				goto pass;
		}
		if (t < thr) /* the full sum lies within the margin: compare it */
			return -si;
pass:
		s += n;
	}
	return 1;
}

static int run_haar_trees(const struct haar_detector *d, size_t at)
{
	float nf;
	if (!haar_norm(d, at, &nf))
		return -1;
	const unsigned *p = d->buf + at;
	const struct haar_cascade *c = d->c;
	for (int si = 0; si < c->nstages; si++) {
		const struct stage *st = &c->stages[si];
		double t = 0;
		for (int w = st->weak0; w < st->weak0 + st->nweak; w++) {
			const struct weak *wk = &c->weaks[w];
			const struct node *nodes = c->nodes + wk->node0;
			int idx = 0;
			do {
				const struct node *nd = &nodes[idx];
				const struct cfeat *f = &d->hf[nd->feature];
				float v = haar_value(p, f->ofs, f->wt) * nf;
				idx = v < nd->thr ? nd->left : nd->right;
			} while (idx > 0);
			t += c->leaves[wk->leaf0 - idx];
		}
		if (t < st->thr)
			return -si;
	}
	return 1;
}

static int run_lbp_stumps(const struct haar_detector *d, size_t at)
{
	const unsigned *p = d->buf + at;
	const struct haar_cascade *c = d->c;
	const struct lstump *s = d->ls;
	for (int si = 0; si < c->nstages; si++) {
		const int n = c->stages[si].nweak;
		double t = 0;
		const float thr = c->stages[si].thr;
		for (int i = 0; i < n; i++) {
			int code = lbp_code(p, s[i].ofs);
			t += in_subset(s[i].subset, code) ? s[i].left : s[i].right;
			if (t + s[i].hi < thr)
				return -si;
			if (t + s[i].lo >= thr)
				goto pass;
		}
		if (t < thr) /* the full sum lies within the margin: compare it */
			return -si;
pass:
		s += n;
	}
	return 1;
}

static int run_lbp_trees(const struct haar_detector *d, size_t at)
{
	const unsigned *p = d->buf + at;
	const struct haar_cascade *c = d->c;
	for (int si = 0; si < c->nstages; si++) {
		const struct stage *st = &c->stages[si];
		double t = 0;
		for (int w = st->weak0; w < st->weak0 + st->nweak; w++) {
			const struct weak *wk = &c->weaks[w];
			int idx = 0;
			do {
				const int k = wk->node0 + idx;
				const struct node *nd = &c->nodes[k];
				int code = lbp_code(p, d->lfofs[nd->feature]);
				const uint32_t *sub = (const uint32_t *)c->subsets + (size_t)k * LBP_SUBSET;
				idx = in_subset(sub, code) ? nd->left : nd->right;
			} while (idx > 0);
			t += c->leaves[wk->leaf0 - idx];
		}
		if (t < st->thr)
			return -si;
	}
	return 1;
}

/*
 * OpenCV's resize(INTER_LINEAR_EXACT) for 8-bit gray (resize_bitExact with
 * ufixedpoint16 coefficients): 8 fractional bits per axis, horizontal pass
 * exact in 16 bits, vertical pass rounded from 16 fractional bits.
 * Integer 2x reductions are the same as INTER_AREA, which OpenCV uses.
 */

static void lin_coeffs(int src, int dst, struct lin_tab *t)
{
	const double inv = (double)dst / (double)src;
	const double scale = 1.0 / inv;
	for (int v = 0; v < dst; v++) {
		double f = scale * ((double)v + 0.5) - 0.5;
		int i = (int)floor(f);
		if (i >= 0 && src > 1 && i < src - 1) {
			double frac = f - (double)i;
			long c1 = lrint(frac * 256.0);
			if (c1 < 0)
				c1 = 0;
			if (c1 > 256)
				c1 = 256;
			t[v].ofs = i;
			t[v].c1 = (uint16_t)c1;
			t[v].c0 = (uint16_t)(256 - c1);
		} else {
			t[v].ofs = i < 0 || src <= 1 ? 0 : src - 1;
			t[v].c0 = 256;
			t[v].c1 = 0;
		}
	}
}

static void hrow(const struct img *src, int sy, const struct lin_tab *tx, int w, uint16_t *o)
{
	const uint8_t *s = src->px + (size_t)sy * (size_t)src->stride;
	for (int x = 0; x < w; x++) {
		const struct lin_tab *t = &tx[x];
		int o1 = t->ofs + 1 < src->w ? t->ofs + 1 : t->ofs;
		o[x] = (uint16_t)(s[t->ofs] * t->c0 + s[o1] * t->c1);
	}
}

/* tx, ty: dst->w and dst->h entries; r0, r1: dst->w each */
static void resize_exact(const struct img *src, struct img *dst, struct lin_tab *tx,
			 struct lin_tab *ty, uint16_t *r0, uint16_t *r1)
{
	lin_coeffs(src->w, dst->w, tx);
	lin_coeffs(src->h, dst->h, ty);
	int have = -1; /* r0, r1 hold the rows have and have+1 (clamped) */
	for (int y = 0; y < dst->h; y++) {
		int sy = ty[y].ofs, sy1 = sy + 1 < src->h ? sy + 1 : sy;
		if (sy != have) {
			if (have >= 0 && sy == have + 1) {
				uint16_t *t = r0;
				r0 = r1;
				r1 = t;
			} else {
				hrow(src, sy, tx, dst->w, r0);
			}
			hrow(src, sy1, tx, dst->w, r1);
			have = sy;
		}
		uint8_t *out = dst->px + (size_t)y * (size_t)dst->stride;
		const uint32_t c0 = ty[y].c0, c1 = ty[y].c1;
		for (int x = 0; x < dst->w; x++)
			out[x] = (uint8_t)(((uint32_t)r0[x] * c0 + (uint32_t)r1[x] * c1 + (1u << 15)) >> 16);
	}
}

static int push_raw(struct haar_detector *d, int x, int y, int w, int h)
{
	if (d->nraw == d->capraw) {
		if (d->capraw > INT_MAX / 16)
			return HAAR_ENOMEM;
		int cap = d->capraw ? d->capraw * 2 : 1024;
		struct haar_rect *p = realloc(d->raw, (size_t)cap * sizeof *p);
		if (!p)
			return HAAR_ENOMEM;
		d->raw = p;
		p = realloc(d->grp, (size_t)cap * sizeof *p);
		if (!p)
			return HAAR_ENOMEM;
		d->grp = p;
		int *wk = realloc(d->work, HAAR_GROUP_WORK(cap) * sizeof *wk);
		if (!wk)
			return HAAR_ENOMEM;
		d->work = wk;
		d->capraw = cap;
	}
	d->raw[d->nraw++] = (struct haar_rect){ { x, y, w, h }, 0 };
	return 0;
}

/* Rounding as cvRound: to nearest, ties to even (the FPU's mode). */
static int roundf_even(float v)
{
	return (int)lrintf(v);
}

static int detect_scale(struct haar_detector *d, const struct img *gray, float factor,
			int nstripes)
{
	const struct haar_cascade *c = d->c;
	int sw = roundf_even((float)gray->w / factor), sh = roundf_even((float)gray->h / factor);
	if (sw < 1 || sh < 1 || sw > d->max_w || sh > d->max_h)
		return 0;
	struct img *s = &d->scaled;
	s->w = sw;
	s->h = sh;
	s->stride = sw;
	const struct img *use = s;
	if (sw == gray->w && sh == gray->h)
		use = gray;
	else
		resize_exact(gray, s, d->tx, d->ty, d->rows, d->rows + d->max_w);
	haar_integral(use, d->buf, d->sq, c->has_tilted ? d->buf + d->tofs : NULL,
		      d->stride, d->scratch);

	const int ystep = factor >= 2.f ? 1 : 2;
	const int ww = sw + 1 - c->win_w;
	int wh = sh + 1 - c->win_h;
	/* OpenCV cuts the rows into nstripes stripes of
	 * max((wh / ystep + nstripes - 1) / nstripes, 1) * ystep rows; the
	 * integer division leaves out the last row when wh / ystep is odd
	 * and nstripes divides it evenly: search exactly the rows it does */
	if (wh > 0) {
		int stripe = ((wh / ystep + nstripes - 1) / nstripes);
		if (stripe < 1)
			stripe = 1;
		if (stripe * ystep * nstripes < wh)
			wh = stripe * ystep * nstripes;
	}
	const int winw = roundf_even((float)c->win_w * factor);
	const int winh = roundf_even((float)c->win_h * factor);
	int (*run)(const struct haar_detector *, size_t) =
		c->lbp ? (c->stumps ? run_lbp_stumps : run_lbp_trees)
		       : (c->stumps ? run_haar_stumps : run_haar_trees);
	for (int y = 0; y < wh; y += ystep) {
		size_t row = (size_t)y * (size_t)d->stride;
		for (int x = 0; x < ww; x += ystep) {
			int r = run(d, row + (size_t)x);
			if (r > 0) {
				if (push_raw(d, roundf_even((float)x * factor),
					     roundf_even((float)y * factor), winw, winh) != 0)
					return HAAR_ENOMEM;
			} else if (r == 0) {
				x += ystep;
			}
		}
	}
	return 0;
}

int haar_detect(struct haar_detector *d, const struct img *gray,
		const struct haar_params *p, struct haar_rect *out, int max,
		int *nfound)
{
	*nfound = 0;
	d->nraw = 0;
	if (!gray || !gray->px || gray->w < 1 || gray->h < 1 || !p || !(p->scale > 1.0) ||
	    max < 0 || (max > 0 && !out))
		return HAAR_EINVAL;
	if (gray->w > d->max_w || gray->h > d->max_h)
		return HAAR_EINVAL;
	const struct haar_cascade *c = d->c;
	int maxw = p->max_size > 0 ? p->max_size : gray->w;
	int maxh = p->max_size > 0 ? p->max_size : gray->h;
	int nstripes = -1; /* from the first scale's width, as OpenCV */
	for (double factor = 1;; factor *= p->scale) {
		int ww = (int)lrint(c->win_w * factor), wh = (int)lrint(c->win_h * factor);
		if (ww > maxw || wh > maxh || ww > gray->w || wh > gray->h)
			break;
		if (ww < p->min_size || wh < p->min_size)
			continue;
		if (nstripes < 0) {
			int w0 = (int)lrintf((float)gray->w / (float)factor) + 1 - c->win_w;
			nstripes = w0 > 0 ? (w0 + 31) / 32 : 0;
		}
		if (nstripes == 0) /* OpenCV searches nothing then */
			break;
		int err = detect_scale(d, gray, (float)factor, nstripes);
		if (err)
			return err;
	}
	/* group a copy: the raw hits stay available */
	int n = d->nraw, k = 0;
	if (n > 0) {
		memcpy(d->grp, d->raw, (size_t)n * sizeof *d->grp);
		int g = haar_group(d->grp, n, p->min_neighbors, 0.2, d->work);
		/* then OpenCV clips the faces to the frame (clipObjects): a
		 * rounded window may poke out by a pixel or so */
		for (int i = 0; i < g; i++) {
			struct haar_rect r = d->grp[i];
			struct vocab_box *b = &r.box;
			int x1 = b->x + b->w < gray->w ? b->x + b->w : gray->w;
			int y1 = b->y + b->h < gray->h ? b->y + b->h : gray->h;
			b->x = b->x > 0 ? b->x : 0;
			b->y = b->y > 0 ? b->y : 0;
			b->w = x1 - b->x;
			b->h = y1 - b->y;
			if (b->w <= 0 || b->h <= 0)
				continue;
			if (k < max)
				out[k] = r;
			k++;
		}
	}
	*nfound = k;
	return 0;
}

/* ------------------------------------------------------------- grouping */

static int similar(const struct haar_rect *ra, const struct haar_rect *rb, double eps)
{
	const struct vocab_box *a = &ra->box, *b = &rb->box;
	int mw = a->w < b->w ? a->w : b->w, mh = a->h < b->h ? a->h : b->h;
	double delta = eps * (mw + mh) * 0.5;
	return abs(a->x - b->x) <= delta && abs(a->y - b->y) <= delta &&
		abs(a->x + a->w - b->x - b->w) <= delta &&
		abs(a->y + a->h - b->y - b->h) <= delta;
}

static int find_root(int *parent, int i)
{
	while (parent[i] >= 0)
		i = parent[i];
	return i;
}

static int sat_round(float v)
{
	if (!(v > (float)INT_MIN))
		return INT_MIN;
	if (!(v < (float)INT_MAX))
		return INT_MAX;
	return (int)lrintf(v);
}

int haar_group(struct haar_rect *r, int n, int min_neighbors, double eps, int *work)
{
	if (min_neighbors <= 0 || n <= 0) {
		for (int i = 0; i < n; i++)
			r[i].neighbors = 1;
		return n;
	}
	int *parent = work, *label = work + n;
	for (int i = 0; i < n; i++)
		parent[i] = -1;
	/* cv::partition: connected components of the similarity relation */
	for (int i = 0; i < n; i++) {
		int ri = find_root(parent, i);
		for (int j = i + 1; j < n; j++) {
			if (!similar(&r[i], &r[j], eps))
				continue;
			int rj = find_root(parent, j);
			if (rj != ri) {
				if (ri < rj)
					parent[rj] = ri;
				else {
					parent[ri] = rj;
					ri = rj;
				}
			}
		}
	}
	/* classes numbered in the order of their first member */
	int ncls = 0;
	for (int i = 0; i < n; i++) {
		int root = find_root(parent, i);
		if (root == i)
			label[i] = ncls++;
		else
			label[i] = label[root];
	}
	/* per class: sums of x, y, w, h (int, as OpenCV), then the means */
	int (*g)[5] = (int (*)[5])(work + 2 * (size_t)n);
	memset(g, 0, sizeof *g * (size_t)ncls);
	for (int i = 0; i < n; i++) {
		int *a = g[label[i]];
		a[0] += r[i].box.x;
		a[1] += r[i].box.y;
		a[2] += r[i].box.w;
		a[3] += r[i].box.h;
		a[4]++;
	}
	for (int k = 0; k < ncls; k++) {
		/* OpenCV scales the int sums by a float 1/n, rounds half to even */
		float s = 1.f / (float)g[k][4];
		for (int j = 0; j < 4; j++)
			g[k][j] = sat_round((float)g[k][j] * s);
	}
	int out = 0;
	for (int i = 0; i < ncls; i++) {
		const int *r1 = g[i];
		int n1 = r1[4];
		if (n1 <= min_neighbors)
			continue;
		int j;
		for (j = 0; j < ncls; j++) {
			const int *r2 = g[j];
			int n2 = r2[4];
			if (j == i || n2 <= min_neighbors)
				continue;
			int dx = sat_round((float)(r2[2] * eps)), dy = sat_round((float)(r2[3] * eps));
			if (r1[0] >= r2[0] - dx && r1[1] >= r2[1] - dy &&
			    r1[0] + r1[2] <= r2[0] + r2[2] + dx &&
			    r1[1] + r1[3] <= r2[1] + r2[3] + dy &&
			    (n2 > (n1 > 3 ? n1 : 3) || n1 < 3))
				break;
		}
		if (j == ncls)
			r[out++] = (struct haar_rect){ { r1[0], r1[1], r1[2], r1[3] }, n1 };
	}
	return out;
}

void haar_rects_scale(struct haar_rect *r, int n, double f)
{
	for (int i = 0; i < n; i++) {
		r[i].box.x = (int)lround(r[i].box.x * f);
		r[i].box.y = (int)lround(r[i].box.y * f);
		r[i].box.w = (int)lround(r[i].box.w * f);
		r[i].box.h = (int)lround(r[i].box.h * f);
	}
}

const char *haar_strerror(int err)
{
	switch (err) {
	case HAAR_OK: return "success";
	case HAAR_ENOMEM: return "out of memory";
	case HAAR_EIO: return "cannot read the cascade file";
	case HAAR_EFORMAT: return "malformed cascade";
	case HAAR_EUNSUPPORTED: return "unsupported cascade";
	case HAAR_EINVAL: return "invalid argument";
	}
	return "unknown error";
}
