/*
 * train_aug: the trainer's random image changes (train.c): a splitmix64
 * generator, the Fisher-Yates shuffle of an epoch, training augmentation
 * (rotation, scale, shift, mirror, brightness, contrast, random erasing),
 * mirroring alone, and webcam-like changes (gamma, blur, noise, a hand over
 * the mouth). Every draw comes from the caller's generator: a run is
 * reproducible from its seed.
 *
 * Ownership and threads: no state of its own; a struct train_aug_rng is
 * the caller's, used by one thread at a time. Images are written into the
 * caller's buffers.
 */
#ifndef EMOTUNE_TRAIN_AUG_H
#define EMOTUNE_TRAIN_AUG_H

#include "emo.h"
#include "train.h"

#include <stddef.h>
#include <stdint.h>

/* splitmix64: small, fast, reproducible; seed s with any value. */
struct train_aug_rng {
	uint64_t s;
};

/* The mirror image, nothing else: the second pass of test-time augmentation. */
extern const struct emo_aug train_aug_mirror;

/* Fisher-Yates shuffle of a[0..n-1]. */
void train_aug_shuffle(struct train_aug_rng *r, size_t *a, size_t n);

/* Training image i of s, randomly augmented, into x (s->w * s->h floats). */
void train_aug_image(struct train_aug_rng *r, const struct train_set *s, size_t i, float *x);

/* Training image i of s as inference sees it, mirrored at random, into x. */
void train_aug_mirror_only(struct train_aug_rng *r, const struct train_set *s, size_t i, float *x);

/* Webcam-like changes to an augmented image x (w x h, values in [0,1]),
 * each at random: gamma, Gaussian blur (images up to 64 x 64), sensor
 * noise, and the mouth area hidden by a flat patch (a hand). */
void train_aug_webcam(struct train_aug_rng *r, float *x, int w, int h);

#endif
