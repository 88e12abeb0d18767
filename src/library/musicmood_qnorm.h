/*
 * musicmood_qnorm: the quantile normalisation of the music mood model's
 * features (issue 19; train-mood --norm quantile, norm format 4).
 *
 * Each feature is mapped through the empirical distribution of the training
 * clips and then the inverse standard normal CDF ("rank-Gauss"), before the
 * usual (x - mean) / std. The table holds, per feature, K knots: the
 * training values' quantiles at levels k / (K - 1) (linear interpolation
 * between order statistics). A value x lies at knot position t in [0, K-1]
 * (linear between the neighbouring knots; x equal to a run of equal knots:
 * the run's middle; below the first knot 0, above the last K - 1), and maps
 * to probit((t + 0.5) / K), so every output lies within +-probit(1 - 0.5/K)
 * (+-2.58 for K = 101). Outliers and long tails (an inter-onset interval of
 * minutes, a crest factor spike) no longer dominate the SVM's distances,
 * and a track unlike any training clip is held at the edge.
 *
 * Pure functions on caller-owned tables; no state, any thread.
 */
#ifndef EMOTUNE_MUSICMOOD_QNORM_H
#define EMOTUNE_MUSICMOOD_QNORM_H

#include "analysis.h"

#include <stddef.h>

#define MUSICMOOD_QKNOTS 101

struct musicmood_qnorm {
	int n;   /* features (<= ANALYSIS_NFEAT) */
	float knot[ANALYSIS_NFEAT][MUSICMOOD_QKNOTS];   /* per feature, non-decreasing */
};

/* Fits the table to nrows rows of n features (rows[r][0..n-1]); NaN values
 * are left out (a feature with no value gets knots of 0). 0, or -1 when out
 * of memory. */
int musicmood_qnorm_fit(struct musicmood_qnorm *q, const float *const *rows, size_t nrows, int n);
/* Maps x[0..q->n-1] in place; NaN stays NaN. */
void musicmood_qnorm_apply(const struct musicmood_qnorm *q, float *x);
/* The inverse of the standard normal CDF, p in (0, 1). */
double musicmood_qnorm_probit(double p);

#endif
