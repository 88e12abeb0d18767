/* Unit tests for train's distillation loss: value and gradient (finite
 * differences on the student's logits), and its limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "emo.h"
#include "train.h"

#define K VOCAB_NCLASSES

static void softmax(const double *z, float *p)
{
	double m = z[0], s = 0, e[K];
	for (int c = 1; c < K; c++)
		m = z[c] > m ? z[c] : m;
	for (int c = 0; c < K; c++)
		s += e[c] = exp(z[c] - m);
	for (int c = 0; c < K; c++)
		p[c] = (float)(e[c] / s);
}

/* L as a function of the student's logits z. */
static double loss_at(const double *z, const float *t, const float *y, float a, float temp)
{
	float p[K], d[K];
	softmax(z, p);
	return train_distill_loss(p, t, y, a, temp, d);
}

/* delta is minus the gradient of L, for several mixes and temperatures. */
static void gradient_matches_finite_differences(void **state)
{
	(void)state;
	const double z[K] = { 0.3, -1.2, 0.8, 2.0, -0.4, 0.1, -2.5 };
	const double tz[K] = { -0.5, -2.0, 1.1, 1.5, 0.2, 0.4, -1.0 };
	const float y[K] = { 0.1f / K, 0.1f / K, 0.9f + 0.1f / K, 0.1f / K, 0.1f / K, 0.1f / K, 0.1f / K };
	float q[K], t[K], p[K], d[K];
	softmax(tz, q);
	for (int c = 0; c < K; c++)
		t[c] = logf(q[c]);
	softmax(z, p);
	const float alphas[] = { 0, 0.5f, 0.9f, 1 }, temps[] = { 1, 2, 4 };
	for (size_t ai = 0; ai < 4; ai++) {
		for (size_t ti = 0; ti < 3; ti++) {
			train_distill_loss(p, t, y, alphas[ai], temps[ti], d);
			for (int c = 0; c < K; c++) {
				const double h = 1e-3;
				double zp[K], zm[K];
				for (int k = 0; k < K; k++)
					zp[k] = zm[k] = z[k];
				zp[c] += h;
				zm[c] -= h;
				double g = (loss_at(zp, t, y, alphas[ai], temps[ti]) -
					    loss_at(zm, t, y, alphas[ai], temps[ti])) / (2 * h);
				assert_float_equal(d[c], -g, 2e-3);
			}
		}
	}
}

/* alpha 0: cross entropy and darknet's own delta (target - output);
 * alpha 1 with the teacher equal to the student: zero loss and gradient. */
static void limits(void **state)
{
	(void)state;
	const double z[K] = { 0.5, -0.2, 0.1, 1.0, -1.0, 0.0, 0.3 };
	const float y[K] = { 0, 0, 0, 1, 0, 0, 0 };
	float p[K], t[K], d[K];
	softmax(z, p);
	for (int c = 0; c < K; c++)
		t[c] = logf(p[c]);
	double l = train_distill_loss(p, t, y, 0, 2, d);
	assert_float_equal(l, -log(p[3]), 1e-6);
	for (int c = 0; c < K; c++)
		assert_float_equal(d[c], y[c] - p[c], 1e-7);
	for (int ti = 1; ti <= 4; ti++) {
		l = train_distill_loss(p, t, y, 1, (float)ti, d);
		assert_float_equal(l, 0, 1e-6);
		for (int c = 0; c < K; c++)
			assert_float_equal(d[c], 0, 1e-6);
	}
	/* a zero probability (float underflow) stays finite */
	float p0[K] = { 0, 0, 0, 1, 0, 0, 0 };
	l = train_distill_loss(p0, t, y, 0.5f, 2, d);
	assert_true(isfinite(l));
	for (int c = 0; c < K; c++)
		assert_true(isfinite(d[c]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(gradient_matches_finite_differences),
		cmocka_unit_test(limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
