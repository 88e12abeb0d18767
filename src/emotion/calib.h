/*
 * calib: per-class output biases for the emotion network ("logit
 * adjustment"), fitted on held-out predictions.
 *
 * A network trained on unbalanced classes under-predicts the classes it saw
 * less often (fear, disgust). Adding a bias b[c] to logit c before the
 * softmax turns probabilities p into p'[c] = p[c] e^b[c] / sum_k p[k] e^b[k].
 * dn_shift_logits() bakes such biases into the last layer, so inference
 * needs no extra step. calib_fit() chooses them on validation predictions:
 * it maximises accuracy minus a penalty for every class whose sensitivity is
 * below a floor, by coordinate search over a shrinking step, small biases
 * preferred on ties. Pure functions on plain arrays; no allocation except
 * where stated.
 *
 * Predictions come as one or two passes (plain and mirrored: the network's
 * test-time augmentation averages the two adjusted probability vectors, so
 * calib scores exactly what inference will do).
 */
#ifndef EMOTUNE_CALIB_H
#define EMOTUNE_CALIB_H

#include <stddef.h>
#include <stdint.h>

#include "vocab.h"

/* Held-out predictions, borrowed: n rows of VOCAB_NCLASSES probabilities. */
struct calib_data {
	const float *plain;    /* first pass */
	const float *mirror;   /* second pass, or NULL (no TTA) */
	const int8_t *label;   /* true class of each row */
	const size_t *rows;    /* the rows to use (NULL: 0..n-1) */
	size_t n;              /* rows used */
};

struct calib_score {
	double accuracy;
	double sensitivity[VOCAB_NCLASSES];
	double min_sensitivity;
	double objective;      /* accuracy - penalty below the floor */
};

/* p'[c] = p[c] e^bias[c], normalised to sum 1. */
void calib_apply(const float p[VOCAB_NCLASSES], const float bias[VOCAB_NCLASSES],
		 float out[VOCAB_NCLASSES]);

/* Scores predictions adjusted by bias (NULL: none) against the labels. */
void calib_score(const struct calib_data *d, const float *bias, double floor,
		 struct calib_score *s);

/* Fits bias (out) on d for the sensitivity floor; bias[] sums to 0. */
void calib_fit(const struct calib_data *d, double floor, float bias[VOCAB_NCLASSES]);

#endif
