/* capsim: rendered capture conditions. See capsim.h. */
#include "capsim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[CAPSIM_NCOND] = { "none", "dark", "bright", "flat", "side", "soft" };

int capsim_parse(const char *name, enum capsim_cond *out)
{
	for (int c = 0; c < CAPSIM_NCOND; c++)
		if (name && strcmp(name, names[c]) == 0) {
			*out = (enum capsim_cond)c;
			return 0;
		}
	return CAPSIM_EINVAL;
}

const char *capsim_name(enum capsim_cond c)
{
	return c >= 0 && c < CAPSIM_NCOND ? names[c] : "?";
}

/* xorshift32 and a standard normal deviate from it (Box-Muller). */
static uint32_t rng(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static float normal(uint32_t *s)
{
	float u = ((float)(rng(s) >> 8) + 1.0f) / 16777217.0f, v = (float)(rng(s) >> 8) / 16777216.0f;
	return sqrtf(-2.0f * logf(u)) * cosf(6.2831853f * v);
}

static uint8_t clip(float v)
{
	return v <= 0 ? 0 : v >= 255 ? 255 : (uint8_t)lrintf(v);
}

/* Gaussian blur of im, sigma in pixels, radius ceil(3 sigma), edges
 * clamped (img_blur_plane on a float copy). */
static int blur(struct img *im, float sigma)
{
	int r = (int)ceilf(3 * sigma);
	size_t len = (size_t)im->w * (size_t)im->h;
	float *x = malloc((len + IMG_BLUR_WS(im->w, im->h, r)) * sizeof *x);
	if (!x)
		return CAPSIM_ENOMEM;
	for (int y = 0; y < im->h; y++)
		for (int i = 0; i < im->w; i++)
			x[(size_t)y * (size_t)im->w + (size_t)i] = im->px[(size_t)y * (size_t)im->stride + (size_t)i];
	img_blur_plane(x, im->w, im->h, sigma, r, x + len);
	for (int y = 0; y < im->h; y++)
		for (int i = 0; i < im->w; i++)
			im->px[(size_t)y * (size_t)im->stride + (size_t)i] = clip(x[(size_t)y * (size_t)im->w + (size_t)i]);
	free(x);
	return 0;
}

int capsim_apply(enum capsim_cond c, struct img *im, uint32_t seed)
{
	uint32_t s = seed * 2654435761u ^ 0x9e3779b9u;
	if (!im->px || im->w < 1 || im->h < 1 || c < 0 || c >= CAPSIM_NCOND)
		return CAPSIM_EINVAL;
	if (s == 0)
		s = 1;
	if (c == CAPSIM_SOFT) {
		int err = blur(im, 0.025f * (float)(im->w < im->h ? im->w : im->h));
		if (err)
			return err;
	}
	int fromleft = rng(&s) & 1;
	for (int y = 0; y < im->h; y++) {
		uint8_t *row = im->px + (size_t)y * (size_t)im->stride;
		for (int x = 0; x < im->w; x++) {
			float v = row[x];
			float u = im->w > 1 ? (float)x / (float)(im->w - 1) : 0.5f;
			switch (c) {
			case CAPSIM_DARK: v = 0.3f * v + 2.5f * normal(&s); break;
			case CAPSIM_BRIGHT: v = 1.7f * v + 30; break;
			case CAPSIM_FLAT: v = 100 + 0.4f * v; break;
			case CAPSIM_SIDE: v *= 0.25f + 0.9f * (fromleft ? u : 1 - u); break;
			case CAPSIM_SOFT: v += 5 * normal(&s); break;
			default: break;
			}
			row[x] = clip(v);
		}
	}
	return 0;
}

const char *capsim_strerror(int err)
{
	switch (err) {
	case CAPSIM_OK: return "success";
	case CAPSIM_ENOMEM: return "out of memory";
	case CAPSIM_EINVAL: return "unknown capture condition or empty image";
	default: return "unknown error";
	}
}
