/* train_aug: the trainer's random image changes. See train_aug.h. */
#include "train_aug.h"

#include "img.h"

#include <math.h>
#include <stdint.h>
#include <stddef.h>

/* splitmix64. */
static uint64_t rng_next(struct train_aug_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static float rng_uniform(struct train_aug_rng *r, float lo, float hi)
{
	return lo + (hi - lo) * (float)((double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0));
}

/* The mirror image, nothing else: the second pass of test-time augmentation. */
const struct emo_aug train_aug_mirror = { .scale = 1, .contrast = 1, .flip = 1 };

/* Fisher-Yates shuffle of a[0..n-1]. */
void train_aug_shuffle(struct train_aug_rng *r, size_t *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(rng_next(r) % i), t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Training image i of s, randomly augmented, into x (s->w * s->h floats). */
void train_aug_image(struct train_aug_rng *r, const struct train_set *s, size_t i, float *x)
{
	const int w = s->w, h = s->h;
	struct img im = { .w = w, .h = h, .stride = w, .px = s->px + i * (size_t)(w * h) };
	struct emo_aug aug = {
		.angle = rng_uniform(r, -0.2f, 0.2f),
		.scale = rng_uniform(r, 0.9f, 1.12f),
		.dx = rng_uniform(r, -0.08f, 0.08f),
		.dy = rng_uniform(r, -0.08f, 0.08f),
		.flip = (int)(rng_next(r) & 1),
		.brightness = rng_uniform(r, -0.12f, 0.12f),
		.contrast = rng_uniform(r, 0.75f, 1.3f),
	};
	emo_preprocess(&im, NULL, &aug, x, w, h);
	if (rng_next(r) & 1) { /* random erasing */
		int ew = 8 + (int)(rng_next(r) % 13), eh = 8 + (int)(rng_next(r) % 13);
		int ex = (int)(rng_next(r) % (uint64_t)(w - ew)), ey = (int)(rng_next(r) % (uint64_t)(h - eh));
		float fill = rng_uniform(r, 0.f, 1.f);
		for (int yy = ey; yy < ey + eh; yy++)
			for (int xx = ex; xx < ex + ew; xx++)
				x[yy * w + xx] = fill;
	}
}

/* Training image i of s as inference sees it, mirrored at random, into x. */
void train_aug_mirror_only(struct train_aug_rng *r, const struct train_set *s, size_t i, float *x)
{
	struct img im = { .w = s->w, .h = s->h, .stride = s->w, .px = s->px + i * (size_t)(s->w * s->h) };
	emo_preprocess(&im, NULL, rng_next(r) & 1 ? &train_aug_mirror : NULL, x, s->w, s->h);
}

/* A standard normal deviate (Box-Muller). */
static float rng_normal(struct train_aug_rng *r)
{
	float u = rng_uniform(r, 1e-7f, 1.f), v = rng_uniform(r, 0.f, 1.f);
	return sqrtf(-2.f * logf(u)) * cosf(2.f * (float)M_PI * v);
}

/* Webcam-like changes to an augmented image x (w x h, values in [0,1]),
 * each at random: gamma, Gaussian blur, sensor noise, and the mouth area
 * hidden by a flat patch (a hand). */
void train_aug_webcam(struct train_aug_rng *r, float *x, int w, int h)
{
	const size_t wh = (size_t)w * (size_t)h;
	if (rng_next(r) % 2 == 0) { /* gamma 0.6..1.6, log-uniform */
		float g = expf(rng_uniform(r, logf(0.6f), logf(1.6f)));
		for (size_t i = 0; i < wh; i++)
			x[i] = powf(x[i] > 0 ? x[i] : 0, g);
	}
	if (rng_next(r) % 10 < 3) { /* separable Gaussian blur, sigma 0.5..1.5 */
		float sigma = rng_uniform(r, 0.5f, 1.5f), ws[IMG_BLUR_WS(64, 64, 3)];
		if (w <= 64 && h <= 64)
			img_blur_plane(x, w, h, sigma, 3, ws);
	}
	if (rng_next(r) % 2 == 0) { /* noise, sigma up to 0.05 */
		float sd = rng_uniform(r, 0.f, 0.05f);
		for (size_t i = 0; i < wh; i++) {
			float v = x[i] + sd * rng_normal(r);
			x[i] = v < 0 ? 0 : v > 1 ? 1 : v;
		}
	}
	if (rng_next(r) % 10 < 2) { /* a hand over the mouth: lower middle of the crop */
		int ow = w / 3 + (int)(rng_next(r) % (uint64_t)(w / 3 + 1));
		int oh = h / 5 + (int)(rng_next(r) % (uint64_t)(h / 5 + 1));
		int ox = (w - ow) / 2 + (int)(rng_next(r) % 7) - 3;
		int oy = h * 3 / 5 + (int)(rng_next(r) % (uint64_t)(h / 8 + 1));
		float fill = rng_uniform(r, 0.3f, 0.9f);
		for (int yy = oy; yy < oy + oh && yy < h; yy++)
			for (int xx = ox < 0 ? 0 : ox; xx < ox + ow && xx < w; xx++)
				x[(size_t)yy * (size_t)w + (size_t)xx] = fill;
	}
}
