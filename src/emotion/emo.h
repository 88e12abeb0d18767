/*
 * emo: the emotion classifier: face crop -> 7 probabilities, in the order of
 * vocab.h: angry disgust fear happy neutral sad surprise.
 *
 * The same pre-processing (emo_preprocess, then the cfg's input_norm, which
 * dn applies to every input: dn.h) serves training and inference.
 * A struct emo_net is not thread-safe: the vision thread owns its own.
 * Ownership: emo_load() returns a net the caller frees with emo_free().
 */
#ifndef EMOTUNE_EMO_H
#define EMOTUNE_EMO_H

#include <stddef.h>

#include "img.h"

#include "vocab.h"

enum emo_err {
	EMO_OK = 0,
	EMO_ENOMEM = -1,
	EMO_EMODEL = -2,   /* the cfg or weights were refused (see why) */
	EMO_EINVAL = -3,   /* empty image or face box */
};

/* Random changes applied in training only (NULL at inference). */
struct emo_aug {
	float angle;       /* radians */
	float scale;       /* 1: none */
	float dx, dy;      /* shift as a fraction of the crop size */
	int flip;          /* mirror left-right */
	float brightness;  /* added, in [0,1] units */
	float contrast;    /* multiplied around 0.5 */
};

struct emo_net;

/* Loads and checks the model (dn.h); why explains a refusal. */
int emo_load(const char *cfg, const char *weights, struct emo_net **out, char *why, size_t n);
void emo_free(struct emo_net *net);

/* Test-time augmentation: average with the mirrored face (default on). */
void emo_set_tta(struct emo_net *net, int on);

/*
 * Classifies the face at box in frame (box NULL: the whole frame is the
 * crop). probs receives 7 probabilities summing to 1. No allocation.
 */
int emo_classify(struct emo_net *net, const struct img *frame, const struct vocab_box *box,
		 float probs[VOCAB_NCLASSES]);

/*
 * The one pre-processing function: the crop region is the box enlarged by
 * EMO_CROP_SCALE about its centre (box NULL: the whole image, as FER2013
 * images already are face crops), sampled bilinearly (with aug's affine
 * change when aug != NULL) into ow x oh floats in [0,1], then aug's
 * brightness/contrast.
 */
#define EMO_CROP_SCALE 1.04f  /* detected box side is 0.96 of a FER crop (doc/BENCHMARKS.md) */
void emo_preprocess(const struct img *frame, const struct vocab_box *box,
		    const struct emo_aug *aug, float *out, int ow, int oh);

/* Index of the largest of the 7 probabilities. */
int emo_argmax(const float probs[VOCAB_NCLASSES]);

const char *emo_strerror(int err);

#endif
