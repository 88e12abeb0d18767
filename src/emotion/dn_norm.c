/*
 * dn_norm: the input normalisations of dn (dn.h, enum dn_norm): per image,
 * to mean 0.5 and standard deviation 0.25, over the whole image (crop) or
 * over a Gaussian window around each pixel (local). No state and no
 * allocation (dn.c passes its net's workspace); any thread.
 */
#include "dn.h"

#include <math.h>

#define DN_NORM_MEAN 0.5f
#define DN_NORM_SD 0.25f
#define DN_NORM_FLOOR (1.0f / 64.0f)

static void plane_stats(const float *x, size_t len, float *mean, float *sd)
{
	double s = 0, s2 = 0;
	for (size_t i = 0; i < len; i++) {
		s += x[i];
		s2 += (double)x[i] * x[i];
	}
	double m = s / (double)len, v = s2 / (double)len - m * m;
	*mean = (float)m;
	*sd = v > 0 ? (float)sqrt(v) : 0;
}

/* One separable pass of the truncated Gaussian k (radius r) along lines of
 * len values step apart, lines next apart; each output is divided by the
 * weights that fell inside the plane, so borders average what is there. */
static void blur_pass(const float *in, float *out, int len, int lines, size_t step, size_t next,
		      const float *k, int r)
{
	for (int l = 0; l < lines; l++) {
		const float *a = in + (size_t)l * next;
		float *b = out + (size_t)l * next;
		for (int i = 0; i < len; i++) {
			float acc = 0, wsum = 0;
			int j0 = i - r < 0 ? -i : -r, j1 = i + r >= len ? len - 1 - i : r;
			for (int j = j0; j <= j1; j++) {
				acc += k[j + r] * a[(size_t)(i + j) * step];
				wsum += k[j + r];
			}
			b[(size_t)i * step] = acc / wsum;
		}
	}
}

/* Local normalisation of one w x h plane; tmp holds DN_NORM_WS(w, h) floats. */
static void norm_local(float *x, int w, int h, float *tmp)
{
	const size_t len = (size_t)w * (size_t)h;
	float k[2 * DN_NORM_LOCAL_MAXSIDE + 1], sigma = (float)w / 6.0f, gm, gsd;
	int r = (int)ceilf(3 * sigma);
	if (r > DN_NORM_LOCAL_MAXSIDE)
		r = DN_NORM_LOCAL_MAXSIDE;
	for (int j = -r; j <= r; j++)
		k[j + r] = expf(-(float)(j * j) / (2 * sigma * sigma));
	plane_stats(x, len, &gm, &gsd);
	float *m = tmp, *q = tmp + len, *t = tmp + 2 * len;
	for (size_t i = 0; i < len; i++)
		q[i] = x[i] * x[i];
	blur_pass(x, t, w, h, 1, (size_t)w, k, r);
	blur_pass(t, m, h, w, (size_t)w, 1, k, r);
	blur_pass(q, t, w, h, 1, (size_t)w, k, r);
	blur_pass(t, q, h, w, (size_t)w, 1, k, r);
	float floor = 0.5f * gsd > DN_NORM_FLOOR ? 0.5f * gsd : DN_NORM_FLOOR;
	for (size_t i = 0; i < len; i++) {
		float v = q[i] - m[i] * m[i], sd = v > 0 ? sqrtf(v) : 0;
		x[i] = DN_NORM_MEAN + DN_NORM_SD * (x[i] - m[i]) / (sd > floor ? sd : floor);
	}
}

void dn_normalize(enum dn_norm norm, float *x, int n, int w, int h, int c, float *ws)
{
	const size_t len = (size_t)w * (size_t)h;
	if (norm == DN_NORM_NONE || len == 0)
		return;
	for (long p = 0; p < (long)n * c; p++) {
		float *plane = x + (size_t)p * len, mean, sd;
		if (norm == DN_NORM_LOCAL) {
			norm_local(plane, w, h, ws);
			continue;
		}
		plane_stats(plane, len, &mean, &sd);
		float inv = DN_NORM_SD / (sd > DN_NORM_FLOOR ? sd : DN_NORM_FLOOR);
		for (size_t i = 0; i < len; i++)
			plane[i] = DN_NORM_MEAN + (plane[i] - mean) * inv;
	}
}
