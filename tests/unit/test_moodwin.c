/* Unit tests for moodwin: window, frequency ranking, means, threshold,
 * hysteresis, group mood. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "moodwin.h"

enum { ANGRY, DISGUST, FEAR, HAPPY, NEUTRAL, SAD, SURPRISE };

static void onehot(float p[VOCAB_NCLASSES], int c, float v)
{
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		p[i] = (1 - v) / 6;
	p[c] = v;
}

static struct moodwin w;   /* big: not on the stack */

static void params(double win, double hyst, double thr)
{
	struct moodwin_params p;
	moodwin_params_default(&p);
	p.window_s = win;
	p.hysteresis_s = hyst;
	p.threshold = thr;
	moodwin_init(&w, &p);
}

static void empty_is_uncertain(void **state)
{
	struct moodwin_result r;
	params(3, 1, 0.4);
	moodwin_update(&w, 0, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.mood, -1);
	assert_int_equal(r.candidate, -1);
	assert_true(r.probs[0] == 0);
	/* no data, no top class (issue 16: angry led every empty window) */
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		assert_int_equal(r.ranking[c], -1);
	assert_true(r.confidence == 0);
	/* ... also once the samples have left the window */
	float p[VOCAB_NCLASSES];
	onehot(p, HAPPY, 0.9f);
	moodwin_add(&w, 0, p);
	moodwin_update(&w, 0, &r);
	assert_int_equal(r.ranking[0], HAPPY);
	moodwin_update(&w, 10, &r);
	assert_int_equal(r.n, 0);
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		assert_int_equal(r.ranking[c], -1);
	/* the result published before the first frame */
	memset(&r, 0, sizeof r);
	moodwin_result_empty(&r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.mood, -1);
	assert_int_equal(r.candidate, -1);
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		assert_int_equal(r.ranking[c], -1);
}

static void ranking_by_frequency(void **state)
{
	struct moodwin_result r;
	float p[VOCAB_NCLASSES];
	params(3, 0, 0.0);
	/* happy top in 3 samples (weakly), sad top in 2 (strongly): frequency wins */
	for (int i = 0; i < 3; i++) {
		for (int c = 0; c < VOCAB_NCLASSES; c++)
			p[c] = 0.06f;
		p[HAPPY] = 0.4f;
		p[SAD] = 0.3f;
		moodwin_add(&w, i * 0.1, p);
	}
	for (int i = 3; i < 5; i++) {
		onehot(p, SAD, 0.95f);
		moodwin_add(&w, i * 0.1, p);
	}
	moodwin_update(&w, 0.5, &r);
	assert_int_equal(r.n, 5);
	assert_int_equal(r.counts[HAPPY], 3);
	assert_int_equal(r.counts[SAD], 2);
	assert_int_equal(r.ranking[0], HAPPY);
	assert_int_equal(r.ranking[1], SAD);
	/* the means favour sad */
	assert_true(r.probs[SAD] > r.probs[HAPPY]);
	/* ties among never-top classes: by mean, then index */
	float sum = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		sum += r.probs[c];
	assert_true(sum > 0.999f && sum < 1.001f);
	int seen = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		seen |= 1 << r.ranking[c];
	assert_int_equal(seen, 0x7f);
	assert_int_equal(r.mood, HAPPY);   /* hysteresis 0, threshold 0 */
}

static void window_drops_old(void **state)
{
	struct moodwin_result r;
	float p[VOCAB_NCLASSES];
	params(3, 0, 0.0);
	onehot(p, ANGRY, 0.9f);
	for (int i = 0; i < 30; i++)
		moodwin_add(&w, i * 0.1, p);          /* 0 .. 2.9 s */
	onehot(p, FEAR, 0.9f);
	for (int i = 30; i < 60; i++)
		moodwin_add(&w, i * 0.1, p);          /* 3.0 .. 5.9 s */
	moodwin_update(&w, 5.95, &r);   /* keeps 2.95 .. 5.95 */
	assert_int_equal(r.counts[ANGRY], 0);
	assert_int_equal(r.counts[FEAR], 30);
	assert_int_equal(r.ranking[0], FEAR);
	/* nothing for more than the window: empty, uncertain */
	moodwin_update(&w, 9.0, &r);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.candidate, -1);
	assert_int_equal(r.mood, -1);
}

static void threshold_uncertain(void **state)
{
	struct moodwin_result r;
	float p[VOCAB_NCLASSES];
	params(3, 0, 0.4);
	onehot(p, NEUTRAL, 0.3f);   /* leads, but weakly */
	moodwin_add(&w, 0, p);
	moodwin_update(&w, 0, &r);
	assert_int_equal(r.ranking[0], NEUTRAL);
	assert_int_equal(r.candidate, -1);
	assert_int_equal(r.mood, -1);
	assert_true(r.confidence < 0.4f);
}

/* 3 s of happy then 3 s of sad at 30 fps, noisy frames: one change each,
 * after the hysteresis delay, no flapping. */
static void hysteresis_switches_once(void **state)
{
	struct moodwin_result r;
	float p[VOCAB_NCLASSES];
	params(3, 1, 0.4);
	int changes = 0, prev = -1;
	double t_happy = -1, t_sad = -1;
	for (int i = 0; i < 180; i++) {
		double t = i / 30.0;
		int c = i < 90 ? HAPPY : SAD;
		/* every 4th frame is misclassified */
		onehot(p, (i % 4 == 3) ? NEUTRAL : c, 0.8f);
		moodwin_add(&w, t, p);
		moodwin_update(&w, t, &r);
		if (r.mood != prev) {
			changes++;
			if (r.mood == HAPPY)
				t_happy = t;
			if (r.mood == SAD)
				t_sad = t;
			prev = r.mood;
			assert_true(r.changed);
		} else {
			assert_false(r.changed);
		}
	}
	assert_int_equal(changes, 2);                  /* uncertain -> happy -> sad */
	assert_true(t_happy >= 1.0 && t_happy < 1.1);  /* after the 1 s hysteresis */
	/* sad leads by frequency ~1.5 s after the cut, + 1 s hysteresis */
	assert_true(t_sad > 3.0 + 1.0 + 1.0 && t_sad < 3.0 + 3.0);
}

/* A leader that flickers never outlasts the hysteresis: the mood holds. */
static void flicker_holds(void **state)
{
	struct moodwin_result r;
	float p[VOCAB_NCLASSES];
	params(0.2, 1, 0.0);
	onehot(p, HAPPY, 0.9f);
	for (int i = 0; i < 60; i++) {
		moodwin_add(&w, i / 30.0, p);
		moodwin_update(&w, i / 30.0, &r);
	}
	assert_int_equal(r.mood, HAPPY);
	for (int i = 60; i < 200; i++) {
		onehot(p, (i / 12) % 2 ? SURPRISE : HAPPY, 0.9f);   /* 0.4 s each */
		moodwin_add(&w, i / 30.0, p);
		moodwin_update(&w, i / 30.0, &r);
		assert_int_equal(r.mood, HAPPY);
	}
}

static void time_back_restarts(void **state)
{
	struct moodwin_result r;
	float p[VOCAB_NCLASSES];
	params(3, 0, 0);
	onehot(p, HAPPY, 0.9f);
	moodwin_add(&w, 10, p);
	onehot(p, SAD, 0.9f);
	moodwin_add(&w, 1, p);   /* a looped file */
	moodwin_update(&w, 1, &r);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.ranking[0], SAD);
}

static void ring_overflow(void **state)
{
	struct moodwin_result r;
	float p[VOCAB_NCLASSES];
	params(1000, 0, 0);
	onehot(p, DISGUST, 0.9f);
	for (int i = 0; i < MOODWIN_CAP + 100; i++)
		moodwin_add(&w, i * 0.01, p);
	moodwin_update(&w, (MOODWIN_CAP + 100) * 0.01, &r);
	assert_int_equal(r.n, MOODWIN_CAP);
	assert_int_equal(r.counts[DISGUST], MOODWIN_CAP);
}

static void group_mood(void **state)
{
	float p[3][VOCAB_NCLASSES], g[VOCAB_NCLASSES];
	onehot(p[0], HAPPY, 0.9f);
	onehot(p[1], SAD, 0.6f);
	onehot(p[2], SAD, 0.6f);
	float sizes[3] = { 10000, 100, 100 };   /* one big face, two small */
	assert_int_equal(moodwin_group(MOODWIN_GROUP_MEAN, (const float (*)[VOCAB_NCLASSES])p, sizes, 3, g), 0);
	assert_int_equal(moodwin_argmax(g), SAD);
	assert_int_equal(moodwin_group(MOODWIN_GROUP_WEIGHTED, (const float (*)[VOCAB_NCLASSES])p, sizes, 3, g), 0);
	assert_int_equal(moodwin_argmax(g), HAPPY);
	float s = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		s += g[c];
	assert_true(s > 0.999f && s < 1.001f);
	assert_int_equal(moodwin_group(MOODWIN_GROUP_MEAN, (const float (*)[VOCAB_NCLASSES])p, NULL, 0, g), -1);
	assert_int_equal(moodwin_group_parse("mean"), MOODWIN_GROUP_MEAN);
	assert_int_equal(moodwin_group_parse("weighted"), MOODWIN_GROUP_WEIGHTED);
	assert_int_equal(moodwin_group_parse("median"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_is_uncertain),
		cmocka_unit_test(ranking_by_frequency),
		cmocka_unit_test(window_drops_old),
		cmocka_unit_test(threshold_uncertain),
		cmocka_unit_test(hysteresis_switches_once),
		cmocka_unit_test(flicker_holds),
		cmocka_unit_test(time_back_restarts),
		cmocka_unit_test(ring_overflow),
		cmocka_unit_test(group_mood),
	};
	return cmocka_run_group_tests_name("moodwin", tests, NULL, NULL);
}
