/* Unit tests for capsim: the rendered capture conditions of `eval --capture`. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capsim.h"

#define W 48
#define H 48

/* A face-sized test card: a horizontal ramp 40..220 with a checker. */
static void card(struct img *im)
{
	assert_int_equal(img_alloc(im, W, H), 0);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			im->px[y * im->stride + x] = (uint8_t)(40 + 180 * x / (W - 1) + (((x / 4 + y / 4) & 1) ? 10 : -10));
}

static void stats(const struct img *im, int x0, int x1, double *mean, double *sd)
{
	double s = 0, s2 = 0, n = 0;
	for (int y = 0; y < im->h; y++)
		for (int x = x0; x < x1; x++) {
			double v = im->px[y * im->stride + x];
			s += v;
			s2 += v * v;
			n++;
		}
	*mean = s / n;
	*sd = sqrt(s2 / n - *mean * *mean);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int c = 0; c < CAPSIM_NCOND; c++) {
		enum capsim_cond got;
		assert_int_equal(capsim_parse(capsim_name((enum capsim_cond)c), &got), 0);
		assert_int_equal(got, c);
	}
	enum capsim_cond got = CAPSIM_DARK;
	assert_int_equal(capsim_parse("foggy", &got), CAPSIM_EINVAL);
	assert_int_equal(capsim_parse(NULL, &got), CAPSIM_EINVAL);
	assert_int_equal(got, CAPSIM_DARK);
	assert_non_null(strstr(capsim_strerror(CAPSIM_EINVAL), "unknown"));
}

/* Each condition does what its name says, and only that. */
static void conditions_change_light_and_optics(void **state)
{
	(void)state;
	struct img ref, im;
	double m0, s0, m, s, ml, mr, sl, sr;
	card(&ref);
	stats(&ref, 0, W, &m0, &s0);
	for (int c = 0; c < CAPSIM_NCOND; c++) {
		card(&im);
		assert_int_equal(capsim_apply((enum capsim_cond)c, &im, 7), 0);
		stats(&im, 0, W, &m, &s);
		switch (c) {
		case CAPSIM_NONE:
			assert_memory_equal(im.px, ref.px, (size_t)W * H);
			break;
		case CAPSIM_DARK: /* 0.3 x the light, a little noise */
			assert_true(fabs(m - 0.3 * m0) < 1.0);
			assert_true(s > 0.3 * s0 - 1 && s < 0.3 * s0 + 2);
			break;
		case CAPSIM_BRIGHT: /* brighter, the top of the ramp clipped */
			assert_true(m > 1.5 * m0);
			assert_int_equal(im.px[10 * im.stride + W - 1], 255);
			break;
		case CAPSIM_FLAT: /* 0.4 x the contrast */
			assert_true(fabs(s - 0.4 * s0) < 1.0);
			assert_true(fabs(m - (100 + 0.4 * m0)) < 1.0);
			break;
		case CAPSIM_SIDE: /* one half much darker than the other */
			stats(&im, 0, W / 2, &ml, &sl);
			stats(&im, W / 2, W, &mr, &sr);
			assert_true(fabs(ml - mr) > 60);
			break;
		case CAPSIM_SOFT: { /* the checker's edges are blurred */
			int edge0 = abs(ref.px[20 * ref.stride + 23] - ref.px[20 * ref.stride + 24]);
			int edge = abs(im.px[20 * im.stride + 23] - im.px[20 * im.stride + 24]);
			assert_true(edge < edge0);
			assert_true(fabs(m - m0) < 3.0);
			break;
		}
		default:
			fail();
		}
		img_free(&im);
	}
	img_free(&ref);
}

/* Same image, same seed: same picture; the seed picks the noise and side. */
static void seeded(void **state)
{
	(void)state;
	struct img a, b;
	card(&a);
	card(&b);
	assert_int_equal(capsim_apply(CAPSIM_DARK, &a, 11), 0);
	assert_int_equal(capsim_apply(CAPSIM_DARK, &b, 11), 0);
	assert_memory_equal(a.px, b.px, (size_t)W * H);
	img_free(&b);
	card(&b);
	assert_int_equal(capsim_apply(CAPSIM_DARK, &b, 12), 0);
	assert_memory_not_equal(a.px, b.px, (size_t)W * H);
	int sides = 0;
	for (uint32_t seed = 0; seed < 16; seed++) {
		double ml, mr, sd;
		img_free(&a);
		card(&a);
		for (int y = 0; y < H; y++) /* flat grey: only the light varies */
			memset(a.px + y * a.stride, 128, W);
		assert_int_equal(capsim_apply(CAPSIM_SIDE, &a, seed), 0);
		stats(&a, 0, W / 2, &ml, &sd);
		stats(&a, W / 2, W, &mr, &sd);
		sides |= ml < mr ? 1 : 2;
	}
	assert_int_equal(sides, 3); /* lit from either side */
	img_free(&a);
	img_free(&b);
	struct img empty = { 0 };
	assert_int_equal(capsim_apply(CAPSIM_DARK, &empty, 1), CAPSIM_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_round_trip),
		cmocka_unit_test(conditions_change_light_and_optics),
		cmocka_unit_test(seeded),
	};
	return cmocka_run_group_tests_name("capsim", tests, NULL, NULL);
}
