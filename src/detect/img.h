/*
 * img: 8-bit grayscale images: load (JPEG, PNG, PGM/PPM, BMP through stb),
 * resize, crop, flip, histogram equalisation; a Gaussian blur of float
 * planes (the emotion area's rendered captures and training changes).
 *
 * Ownership: a struct img owns its pixels; img_alloc()/img_load() fill one,
 * img_free() releases them (and leaves the struct empty). Functions taking a
 * const struct img * borrow it.
 */
#ifndef EMOTUNE_IMG_H
#define EMOTUNE_IMG_H

#include <stddef.h>
#include <stdint.h>

enum img_err {
	IMG_OK = 0,
	IMG_ENOMEM = -1,    /* out of memory */
	IMG_EIO = -2,       /* the file could not be read (see errno) */
	IMG_EDECODE = -3,   /* not an image stb can decode, or corrupt */
	IMG_EINVAL = -4,    /* bad size or arguments */
};

struct img {
	int w, h;
	int stride;         /* bytes between rows (>= w) */
	uint8_t *px;        /* owned; row y starts at px + y * stride */
};

/* Largest side and pixel count accepted from a file (bigger images are
 * refused before anything is decoded: a forged header cannot make the
 * decoder allocate gigabytes). */
#define IMG_MAX_SIDE 16384
#define IMG_MAX_PIXELS (40L * 1000 * 1000)

int img_alloc(struct img *im, int w, int h);
void img_free(struct img *im);

/* Decodes an image file to grayscale (ITU-R BT.601 luma for colour). */
int img_load(const char *path, struct img *out);
int img_load_mem(const uint8_t *buf, size_t len, struct img *out);

/* Bilinear resize of src into dst, which must already be allocated at the
 * target size (no allocation: usable per frame). */
void img_resize(const struct img *src, struct img *dst);

/* Copies the rectangle (x, y, w, h) of src into a new image dst; parts
 * outside src are filled with the nearest edge pixel. */
int img_crop(const struct img *src, int x, int y, int w, int h, struct img *dst);

/* Mirrors left-right in place. */
void img_flip(struct img *im);

/* Histogram equalisation in place (OpenCV's equalizeHist). */
void img_equalize(struct img *im);

/* Separable Gaussian blur of the w x h float plane x in place: the kernel
 * exp(-j^2 / (2 sigma^2)) for |j| <= r, normalised to sum 1; beyond the
 * edges the nearest pixel repeats. ws holds IMG_BLUR_WS(w, h, r) floats
 * (no allocation); any thread. */
#define IMG_BLUR_WS(w, h, r) ((size_t)((w) > (h) ? (w) : (h)) + 2 * (size_t)(r) + 1)
void img_blur_plane(float *x, int w, int h, float sigma, int r, float *ws);

const char *img_strerror(int err);

#endif
