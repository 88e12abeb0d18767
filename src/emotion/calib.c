/* calib: per-class output biases fitted on held-out predictions (calib.h). */
#include "calib.h"

#include <math.h>

/* Weight of a sensitivity shortfall: one point below the floor costs ten
 * points of accuracy, so the floor acts as a constraint wherever it can be met. */
#define CALIB_PENALTY 10.0

void calib_apply(const float p[VOCAB_NCLASSES], const float bias[VOCAB_NCLASSES],
		 float out[VOCAB_NCLASSES])
{
	double e[VOCAB_NCLASSES], sum = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		e[c] = (double)p[c] * exp(bias ? (double)bias[c] : 0.0);
		sum += e[c];
	}
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		out[c] = sum > 0 ? (float)(e[c] / sum) : 1.0f / VOCAB_NCLASSES;
}

static int predict(const struct calib_data *d, size_t row, const float *bias)
{
	float a[VOCAB_NCLASSES], m[VOCAB_NCLASSES];
	calib_apply(d->plain + row * VOCAB_NCLASSES, bias, a);
	if (d->mirror) {
		calib_apply(d->mirror + row * VOCAB_NCLASSES, bias, m);
		for (int c = 0; c < VOCAB_NCLASSES; c++)
			a[c] += m[c];
	}
	int best = 0;
	for (int c = 1; c < VOCAB_NCLASSES; c++)
		if (a[c] > a[best])
			best = c;
	return best;
}

void calib_score(const struct calib_data *d, const float *bias, double floor,
		 struct calib_score *s)
{
	size_t hit[VOCAB_NCLASSES] = { 0 }, cnt[VOCAB_NCLASSES] = { 0 }, ok = 0;
	for (size_t i = 0; i < d->n; i++) {
		size_t row = d->rows ? d->rows[i] : i;
		int lab = d->label[row];
		if (lab < 0 || lab >= VOCAB_NCLASSES)
			continue;
		int p = predict(d, row, bias);
		cnt[lab]++;
		hit[lab] += p == lab;
		ok += p == lab;
	}
	s->accuracy = d->n ? (double)ok / (double)d->n : 0;
	s->min_sensitivity = 1;
	double shortfall = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		s->sensitivity[c] = cnt[c] ? (double)hit[c] / (double)cnt[c] : 0;
		if (!cnt[c])
			continue;
		if (s->sensitivity[c] < s->min_sensitivity)
			s->min_sensitivity = s->sensitivity[c];
		if (s->sensitivity[c] < floor)
			shortfall += floor - s->sensitivity[c];
	}
	s->objective = s->accuracy - CALIB_PENALTY * shortfall;
}

void calib_fit(const struct calib_data *d, double floor, float bias[VOCAB_NCLASSES])
{
	static const float steps[] = { 0.4f, 0.2f, 0.1f, 0.05f, 0.025f };
	struct calib_score s;
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		bias[c] = 0;
	calib_score(d, bias, floor, &s);
	double best = s.objective;
	for (size_t k = 0; k < sizeof steps / sizeof steps[0]; k++) {
		for (int round = 0, moved = 1; moved && round < 40; round++) {
			moved = 0;
			for (int c = 0; c < VOCAB_NCLASSES; c++) {
				for (int dir = -1; dir <= 1; dir += 2) {
					float keep = bias[c];
					bias[c] = keep + (float)dir * steps[k];
					calib_score(d, bias, floor, &s);
					if (s.objective > best + 1e-12) {
						best = s.objective;
						moved = 1;
						break;
					}
					bias[c] = keep;
				}
			}
		}
	}
	double mean = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		mean += bias[c];
	mean /= VOCAB_NCLASSES;
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		bias[c] -= (float)mean;
}
