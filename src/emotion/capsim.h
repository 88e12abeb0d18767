/*
 * capsim: rendered capture conditions: what a webcam in a poor room makes of
 * a face image. `emotune eval --capture COND` applies one to every image
 * before detection and classification, so the emotion network can be
 * measured on faces under lighting and optics that FER2013's crops rarely
 * show (doc/BENCHMARKS.md). The same image and seed always give the same
 * result. Stateless: any thread, on its own image.
 *
 *   none    as given
 *   dark    under-exposed room: 0.3 x the light, sensor noise (sd 2.5/255)
 *   bright  over-exposed: 1.7 x + 30, clipped at white
 *   flat    low contrast (haze, a cheap lens): 100 + 0.4 x
 *   side    light from one side: x 0.25 at one edge rising to x 1.15 at the
 *           other (the side picked by the seed)
 *   soft    out of focus and noisy: Gaussian blur (sigma 2.5% of the shorter
 *           side, 1.2 px on a 48x48 crop), then noise sd 5/255
 */
#ifndef EMOTUNE_CAPSIM_H
#define EMOTUNE_CAPSIM_H

#include <stdint.h>

#include "img.h"

enum capsim_cond { CAPSIM_NONE, CAPSIM_DARK, CAPSIM_BRIGHT, CAPSIM_FLAT, CAPSIM_SIDE, CAPSIM_SOFT,
		   CAPSIM_NCOND };

enum capsim_err {
	CAPSIM_OK = 0,
	CAPSIM_ENOMEM = -1,
	CAPSIM_EINVAL = -2,  /* unknown condition name, or empty image */
};

/* The condition called name (the names above) into *out. */
int capsim_parse(const char *name, enum capsim_cond *out);
const char *capsim_name(enum capsim_cond c);

/* Applies c to im in place; seed draws the noise and the side. */
int capsim_apply(enum capsim_cond c, struct img *im, uint32_t seed);

const char *capsim_strerror(int err);

#endif
