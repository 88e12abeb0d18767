/*
 * haar: OpenCV cascade classifiers (the `opencv-cascade-classifier` XML
 * format written by opencv_traincascade: BOOST stages of stump or tree weak
 * classifiers over HAAR features, upright and tilted, or LBP features),
 * evaluated in C the way OpenCV 4's CascadeClassifier::detectMultiScale does:
 * the image, not the features, is scaled (bit-exact bilinear resize), integer
 * integral images (sum, squared sum, tilted sum), windows normalised by the
 * standard deviation of the window shrunk by one pixel on each side, stage
 * thresholds lowered by 1e-5, a step of 2 pixels while the scale factor is
 * below 2 and 1 pixel from there on, and raw hits grouped like
 * cv::groupRectangles(min_neighbors, eps = 0.2).
 *
 * Ownership and threads: haar_load() returns a cascade the caller frees with
 * haar_free(); it is immutable and may be shared by any number of threads.
 * A haar_detector holds the per-thread scratch for frames up to max_w x
 * max_h (scaled images, integral images, raw hits, feature offsets): create
 * one per thread and reuse it for every frame; haar_detect() allocates
 * nothing unless a frame produces more raw hits than any frame before.
 * The cascade must outlive the detectors made from it.
 */
#ifndef EMOTUNE_HAAR_H
#define EMOTUNE_HAAR_H

#include <stddef.h>

#include "img.h"
#include "vocab.h"

enum haar_err {
	HAAR_OK = 0,
	HAAR_ENOMEM = -1,     /* out of memory */
	HAAR_EIO = -2,        /* the cascade file cannot be read */
	HAAR_EFORMAT = -3,    /* not a cascade, or malformed (details in why) */
	HAAR_EUNSUPPORTED = -4, /* a feature or stage type we do not evaluate */
	HAAR_EINVAL = -5,     /* bad argument (frame larger than the detector's) */
};

struct haar_cascade;

/* Loads the cascade XML at path. On error returns a negative haar_err and,
 * when why is not NULL, writes a one-line reason into why (size n),
 * e.g. "line 12: <internalNodes>: expected 4 numbers". */
int haar_load(const char *path, struct haar_cascade **out, char *why, size_t n);
/* Same from memory (used by the fuzzer). */
int haar_load_mem(const char *buf, size_t len, struct haar_cascade **out, char *why, size_t n);
void haar_free(struct haar_cascade *c);

/* The training window (24x24 for the frontal-face Haar cascade). */
void haar_window(const struct haar_cascade *c, int *w, int *h);
/* 1 for LBP cascades, 0 for Haar. */
int haar_is_lbp(const struct haar_cascade *c);

/* Search parameters; sizes in pixels of the input frame. */
struct haar_params {
	double scale;         /* scale step between pyramid levels, > 1 */
	int min_neighbors;    /* a face needs more than this many raw hits */
	int min_size;         /* smallest face side searched */
	int max_size;         /* largest face side searched; 0 = no limit */
};
/* 1.1, 5, 40, 0. */
void haar_params_default(struct haar_params *p);

struct haar_rect {
	struct vocab_box box;
	int neighbors;        /* raw hits grouped into this face */
};

struct haar_detector;

/* Scratch for frames up to max_w x max_h. Returns 0 or a haar_err. */
int haar_detector_new(const struct haar_cascade *c, int max_w, int max_h,
		      struct haar_detector **out);
void haar_detector_free(struct haar_detector *d);

/*
 * Finds faces in gray (borrowed, any stride). Writes up to max faces to out
 * and their count to *nfound (which may exceed max: the rest are dropped).
 * Faces come in OpenCV's order, clipped to the frame. Returns 0 or a
 * negative haar_err.
 */
int haar_detect(struct haar_detector *d, const struct img *gray,
		const struct haar_params *p, struct haar_rect *out, int max,
		int *nfound);

/* The raw (ungrouped, unclipped: a window may poke out of the frame by a
 * pixel) hits of the last haar_detect() call: borrowed, valid until the
 * next call. neighbors is 0. */
const struct haar_rect *haar_detector_raw(const struct haar_detector *d, int *n);

/* cv::groupRectangles(rects, min_neighbors, eps) in place; returns the new
 * count; neighbors is set to the size of each group (1 for every rect when
 * min_neighbors <= 0, which groups nothing, as OpenCV). Allocates nothing:
 * work holds HAAR_GROUP_WORK(n) ints. */
#define HAAR_GROUP_WORK(n) ((size_t)(n) * 7)
int haar_group(struct haar_rect *r, int n, int min_neighbors, double eps, int *work);

/* Maps n boxes found in a frame downscaled by f (e.g. 2.0 for 320x240 out
 * of 640x480) back to the full frame: every coordinate times f, rounded. */
void haar_rects_scale(struct haar_rect *r, int n, double f);

/* Default cascade path: OpenCV's frontal-face Haar cascade,
 * /usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml
 * (Debian package opencv-data). 0 or HAAR_ENOMEM (buf too small). */
int haar_default_cascade(char *buf, size_t n);
/* Directory of Debian's OpenCV cascades (opencv-data). */
#define HAAR_CASCADE_DIR "/usr/share/opencv4/haarcascades"
#define HAAR_LBP_CASCADE_DIR "/usr/share/opencv4/lbpcascades"

/*
 * Integral images as OpenCV's cv::integral computes them, exposed for tests
 * and other modules: sum and sq are (w+1) x (h+1) with the given stride (in
 * elements, >= w+1), first row and column zero; sums wrap modulo 2^32, so a
 * difference of four corners is exact for any window whose true sum fits in
 * 32 bits. tilted (may be NULL) is OpenCV's rotated sum:
 * T(X,Y) = sum of I(x,y) for y < Y and |x - X + 1| <= Y - y - 1.
 * scratch must hold 2 * (w + 1) uint32 values when tilted is wanted.
 */
void haar_integral(const struct img *im, unsigned *sum, unsigned *sq,
		   unsigned *tilted, int stride, unsigned *scratch);

const char *haar_strerror(int err);

#endif
