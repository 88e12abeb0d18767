/* Unit tests for calib: bias application, scoring, fitting to a floor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>

#include "calib.h"

#define K VOCAB_NCLASSES

static void apply_normalises(void **state)
{
	(void)state;
	const float p[K] = { 0.1f, 0.2f, 0.3f, 0.1f, 0.1f, 0.1f, 0.1f };
	const float b[K] = { 1.0f, 0, -1.0f, 0, 0, 0, 0.5f };
	float q[K];
	calib_apply(p, b, q);
	double sum = 0, z = 0;
	for (int c = 0; c < K; c++) {
		sum += q[c];
		z += p[c] * exp(b[c]);
	}
	assert_float_equal(sum, 1.0, 1e-6);
	for (int c = 0; c < K; c++)
		assert_float_equal(q[c], p[c] * exp(b[c]) / z, 1e-6);
	calib_apply(p, NULL, q);
	for (int c = 0; c < K; c++)
		assert_float_equal(q[c], p[c], 1e-6);
}

/* A model that under-predicts class 2: its images put 0.30 on class 2 and
 * 0.35 on class 5 for 3 of 4 images; every other class is told right. */
static void synthetic(float *plain, int8_t *label, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int lab = (int)(i % K);
		float *p = plain + i * K;
		for (int c = 0; c < K; c++)
			p[c] = 0.05f;
		if (lab == 2) {
			int hard = (i / K) % 4 != 0;
			p[2] = hard ? 0.30f : 0.60f;
			p[5] = hard ? 0.40f : 0.10f;
		} else if (lab == 5) {
			p[5] = 0.45f;
			p[2] = 0.25f;
		} else {
			p[lab] = 0.70f;
		}
		float s = 0;
		for (int c = 0; c < K; c++)
			s += p[c];
		for (int c = 0; c < K; c++)
			p[c] /= s;
		label[i] = (int8_t)lab;
	}
}

static void fit_meets_floor(void **state)
{
	(void)state;
	enum { N = 700 };
	float *plain = malloc(N * K * sizeof(float));
	int8_t label[N];
	synthetic(plain, label, N);
	struct calib_data d = { .plain = plain, .label = label, .n = N };
	struct calib_score before, after;
	calib_score(&d, NULL, 0.5, &before);
	assert_float_equal(before.sensitivity[2], 0.25, 1e-9);
	assert_float_equal(before.sensitivity[5], 1.0, 1e-9);
	assert_true(before.objective < before.accuracy);
	float bias[K];
	calib_fit(&d, 0.5, bias);
	calib_score(&d, bias, 0.5, &after);
	/* every class at or above the floor: class 2 is now told right, and
	 * class 5 (p 0.45 vs 0.25) can absorb that bias */
	assert_true(after.min_sensitivity >= 0.5);
	assert_float_equal(after.sensitivity[2], 1.0, 1e-9);
	assert_float_equal(after.sensitivity[5], 1.0, 1e-9);
	assert_true(after.accuracy > before.accuracy);
	double sum = 0;
	for (int c = 0; c < K; c++)
		sum += bias[c];
	assert_float_equal(sum, 0.0, 1e-5);
	/* the same with a mirror pass identical to the plain one */
	d.mirror = plain;
	calib_score(&d, bias, 0.5, &after);
	assert_float_equal(after.sensitivity[2], 1.0, 1e-9);
	free(plain);
}

static void rows_subset(void **state)
{
	(void)state;
	enum { N = 70 };
	float plain[N * K];
	int8_t label[N];
	synthetic(plain, label, N);
	size_t rows[K];
	for (int c = 0; c < K; c++)
		rows[c] = (size_t)c; /* the first image of each class: all told right */
	struct calib_data d = { .plain = plain, .label = label, .rows = rows, .n = K };
	struct calib_score s;
	calib_score(&d, NULL, 0.4, &s);
	assert_float_equal(s.accuracy, 1.0, 1e-9);
	assert_float_equal(s.objective, 1.0, 1e-9);
}

static void fit_keeps_a_good_model(void **state)
{
	(void)state;
	enum { N = 140 };
	float plain[N * K];
	int8_t label[N];
	for (size_t i = 0; i < N; i++) {
		label[i] = (int8_t)(i % K);
		for (int c = 0; c < K; c++)
			plain[i * K + c] = c == label[i] ? 0.4f : 0.1f;
	}
	struct calib_data d = { .plain = plain, .label = label, .n = N };
	float bias[K];
	calib_fit(&d, 0.4, bias);
	for (int c = 0; c < K; c++)
		assert_float_equal(bias[c], 0.0, 1e-6);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(apply_normalises),
		cmocka_unit_test(fit_meets_floor),
		cmocka_unit_test(rows_subset),
		cmocka_unit_test(fit_keeps_a_good_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
