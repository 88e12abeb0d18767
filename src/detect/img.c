/* img: grayscale images. See img.h. */
#include "img.h"
#include "regfile.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <stb_image.h>

int img_alloc(struct img *im, int w, int h)
{
	im->w = im->h = im->stride = 0;
	im->px = NULL;
	if (w <= 0 || h <= 0 || w > IMG_MAX_SIDE || h > IMG_MAX_SIDE)
		return IMG_EINVAL;
	im->px = malloc((size_t)w * (size_t)h);
	if (!im->px)
		return IMG_ENOMEM;
	im->w = w;
	im->h = h;
	im->stride = w;
	return 0;
}

void img_free(struct img *im)
{
	if (!im)
		return;
	free(im->px);
	im->px = NULL;
	im->w = im->h = im->stride = 0;
}

static int from_stb(unsigned char *data, int w, int h, int n, struct img *out)
{
	if (!data)
		return IMG_EDECODE;
	int err = img_alloc(out, w, h);
	if (err) {
		stbi_image_free(data);
		return err;
	}
	size_t count = (size_t)w * (size_t)h;
	if (n == 1 || n == 2) {
		for (size_t i = 0; i < count; i++)
			out->px[i] = data[i * (size_t)n];
	} else {
		for (size_t i = 0; i < count; i++) {
			const unsigned char *p = data + i * (size_t)n;
			out->px[i] = (uint8_t)((299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000);
		}
	}
	stbi_image_free(data);
	return 0;
}

static int check_size(int ok, int w, int h)
{
	if (!ok)
		return IMG_EDECODE;
	if (w <= 0 || h <= 0 || w > IMG_MAX_SIDE || h > IMG_MAX_SIDE ||
	    (long)w * (long)h > IMG_MAX_PIXELS)
		return IMG_EINVAL;
	return 0;
}

int img_load(const char *path, struct img *out)
{
	int w = 0, h = 0, n = 0, err;
	FILE *f = regfile_fopen(path);
	out->px = NULL;
	if (!f)
		return IMG_EIO;
	/* stb fills w, h only when it succeeds: call it before reading them */
	int ok = stbi_info_from_file(f, &w, &h, &n);
	if ((err = check_size(ok, w, h)) != 0) {
		fclose(f);
		return err;
	}
	unsigned char *data = stbi_load_from_file(f, &w, &h, &n, 0);
	fclose(f);
	return from_stb(data, w, h, n, out);
}

int img_load_mem(const uint8_t *buf, size_t len, struct img *out)
{
	int w = 0, h = 0, n = 0, err;
	out->px = NULL;
	if (len > (size_t)0x7fffffff)
		return IMG_EINVAL;
	int ok = stbi_info_from_memory(buf, (int)len, &w, &h, &n);
	if ((err = check_size(ok, w, h)) != 0)
		return err;
	unsigned char *data = stbi_load_from_memory(buf, (int)len, &w, &h, &n, 0);
	return from_stb(data, w, h, n, out);
}

void img_resize(const struct img *src, struct img *dst)
{
	const float sx = (float)src->w / (float)dst->w, sy = (float)src->h / (float)dst->h;
	for (int y = 0; y < dst->h; y++) {
		float fy = ((float)y + 0.5f) * sy - 0.5f;
		if (fy < 0)
			fy = 0;
		int y0 = (int)fy;
		if (y0 > src->h - 1)
			y0 = src->h - 1;
		int y1 = y0 + 1 < src->h ? y0 + 1 : y0;
		float wy = fy - (float)y0;
		const uint8_t *r0 = src->px + (size_t)y0 * (size_t)src->stride;
		const uint8_t *r1 = src->px + (size_t)y1 * (size_t)src->stride;
		uint8_t *out = dst->px + (size_t)y * (size_t)dst->stride;
		for (int x = 0; x < dst->w; x++) {
			float fx = ((float)x + 0.5f) * sx - 0.5f;
			if (fx < 0)
				fx = 0;
			int x0 = (int)fx;
			if (x0 > src->w - 1)
				x0 = src->w - 1;
			int x1 = x0 + 1 < src->w ? x0 + 1 : x0;
			float wx = fx - (float)x0;
			float top = (float)r0[x0] + wx * (float)(r0[x1] - r0[x0]);
			float bot = (float)r1[x0] + wx * (float)(r1[x1] - r1[x0]);
			out[x] = (uint8_t)(top + wy * (bot - top) + 0.5f);
		}
	}
}

int img_crop(const struct img *src, int x, int y, int w, int h, struct img *dst)
{
	int err = img_alloc(dst, w, h);
	if (err)
		return err;
	for (int j = 0; j < h; j++) {
		int sy = y + j < 0 ? 0 : (y + j >= src->h ? src->h - 1 : y + j);
		const uint8_t *row = src->px + (size_t)sy * (size_t)src->stride;
		for (int i = 0; i < w; i++) {
			int sx = x + i < 0 ? 0 : (x + i >= src->w ? src->w - 1 : x + i);
			dst->px[(size_t)j * (size_t)dst->stride + (size_t)i] = row[sx];
		}
	}
	return 0;
}

void img_flip(struct img *im)
{
	for (int y = 0; y < im->h; y++) {
		uint8_t *row = im->px + (size_t)y * (size_t)im->stride;
		for (int a = 0, b = im->w - 1; a < b; a++, b--) {
			uint8_t t = row[a];
			row[a] = row[b];
			row[b] = t;
		}
	}
}

void img_equalize(struct img *im)
{
	unsigned hist[256] = { 0 };
	uint8_t lut[256];
	size_t total = (size_t)im->w * (size_t)im->h;
	for (int y = 0; y < im->h; y++)
		for (int x = 0; x < im->w; x++)
			hist[im->px[(size_t)y * (size_t)im->stride + (size_t)x]]++;
	int first = 0;
	while (first < 255 && hist[first] == 0)
		first++;
	if (hist[first] == total) { /* flat image: OpenCV leaves it as is */
		return;
	}
	float scale = 255.0f / (float)(total - hist[first]);
	unsigned sum = 0;
	lut[first] = 0;
	for (int i = first + 1; i < 256; i++) {
		sum += hist[i];
		int v = (int)((float)sum * scale + 0.5f);
		lut[i] = (uint8_t)(v > 255 ? 255 : v);
	}
	for (int i = 0; i < first; i++)
		lut[i] = 0;
	for (int y = 0; y < im->h; y++)
		for (int x = 0; x < im->w; x++) {
			uint8_t *p = &im->px[(size_t)y * (size_t)im->stride + (size_t)x];
			*p = lut[*p];
		}
}

void img_blur_plane(float *x, int w, int h, float sigma, int r, float *ws)
{
	float *k = ws, *line = ws + 2 * r + 1, sum = 0;
	for (int j = -r; j <= r; j++)
		sum += k[j + r] = expf(-(float)(j * j) / (2 * sigma * sigma));
	for (int j = 0; j <= 2 * r; j++)
		k[j] /= sum;
	for (int pass = 0; pass < 2; pass++) { /* rows, then columns */
		int len = pass ? h : w, lines = pass ? w : h;
		size_t step = pass ? (size_t)w : 1, next = pass ? 1 : (size_t)w;
		for (int l = 0; l < lines; l++) {
			float *v = x + (size_t)l * next;
			for (int i = 0; i < len; i++) {
				float a = 0;
				for (int j = -r; j <= r; j++) {
					int q = i + j < 0 ? 0 : i + j >= len ? len - 1 : i + j;
					a += k[j + r] * v[(size_t)q * step];
				}
				line[i] = a;
			}
			for (int i = 0; i < len; i++)
				v[(size_t)i * step] = line[i];
		}
	}
}

/* stb's reason for the last failure in this thread, or a plain one where
 * stb gives none we can print: an empty string (a PNG cut inside its last
 * chunk reads as a chunk of type 0), raw bytes of a damaged chunk type, or
 * its terse "outofdata". */
static const char *decode_reason(void)
{
	const char *r = stbi_failure_reason();
	if (!r || !*r || !strcmp(r, "outofdata"))
		return "truncated or damaged image";
	for (const unsigned char *p = (const unsigned char *)r; *p; p++)
		if (*p < 0x20 || *p >= 0x7f)
			return "truncated or damaged image";
	return r;
}

const char *img_strerror(int err)
{
	switch (err) {
	case IMG_OK: return "success";
	case IMG_ENOMEM: return "out of memory";
	case IMG_EIO: return regfile_strerror(errno);
	case IMG_EDECODE: return decode_reason();
	case IMG_EINVAL: return "image size out of range";
	}
	return "unknown error";
}
