/* Unit tests for recommend: mood point, strategies, ranking,
 * refill, on a synthetic library with known valence/arousal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "recommend.h"

enum { ANGRY, DISGUST, FEAR, HAPPY, NEUTRAL, SAD, SURPRISE };

/* A 20 x 20 grid over [-0.95, 0.95]^2, 37 artists, albums of 10. */
#define GRID 20
#define NT (GRID * GRID)
static char paths[NT][32], artists[NT][16], albums[NT][16];
static struct recommend_track lib[NT];

static void make_library(void)
{
	for (int i = 0; i < NT; i++) {
		snprintf(paths[i], sizeof paths[i], "/m/t%03d.flac", i);
		snprintf(artists[i], sizeof artists[i], "artist%d", i % 37);
		snprintf(albums[i], sizeof albums[i], "album%d", i / 10);
		lib[i] = (struct recommend_track){
			.path = paths[i], .artist = artists[i], .album = albums[i],
			.valence = -0.95f + 0.1f * (float)(i % GRID),
			.arousal = -0.95f + 0.1f * (float)(i / GRID),
		};
	}
}

static int setup(void **state)
{
	(void)state;
	make_library();
	return 0;
}

static void names_and_points(void **state)
{
	(void)state;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		struct recommend_point p = recommend_emotion_point(c);
		assert_int_equal(recommend_quadrant(p.valence, p.arousal), recommend_match_quadrant(c));
		assert_true(fabsf(p.valence) <= 1 && fabsf(p.arousal) <= 1);
	}
	/* the table of cli.md */
	assert_int_equal(recommend_match_quadrant(HAPPY), 1);
	assert_int_equal(recommend_match_quadrant(SURPRISE), 1);
	assert_int_equal(recommend_match_quadrant(ANGRY), 2);
	assert_int_equal(recommend_match_quadrant(FEAR), 2);
	assert_int_equal(recommend_match_quadrant(DISGUST), 2);
	assert_int_equal(recommend_match_quadrant(SAD), 3);
	assert_int_equal(recommend_match_quadrant(NEUTRAL), 4);
	assert_int_equal(recommend_quadrant(0, 0), 1);
	assert_int_equal(recommend_quadrant(-0.1f, 0), 2);
	assert_int_equal(recommend_quadrant(-0.1f, -0.1f), 3);
	assert_int_equal(recommend_quadrant(0, -0.1f), 4);
}

static void parse_probs(void **state)
{
	float p[VOCAB_NCLASSES];
	(void)state;
	assert_int_equal(recommend_parse_probs("0,0,0,2,0,2,0", p), 0);
	assert_float_equal(p[HAPPY], 0.5, 1e-6);
	assert_float_equal(p[SAD], 0.5, 1e-6);
	assert_int_equal(recommend_parse_probs(".1, .1, .1, .1, .1, .1, .4", p), 0);
	assert_float_equal(p[SURPRISE], 0.4, 1e-6);
	assert_int_equal(recommend_parse_probs("0,0,0,0,0,0,0", p), RECOMMEND_EINVAL);
	assert_int_equal(recommend_parse_probs("1,2,3", p), RECOMMEND_EINVAL);
	assert_int_equal(recommend_parse_probs("1,2,3,4,5,6,7,8", p), RECOMMEND_EINVAL);
	assert_int_equal(recommend_parse_probs("1,-2,3,4,5,6,7", p), RECOMMEND_EINVAL);
	assert_int_equal(recommend_parse_probs("1,x,3,4,5,6,7", p), RECOMMEND_EINVAL);
	assert_int_equal(recommend_parse_probs("1,nan,3,4,5,6,7", p), RECOMMEND_EINVAL);
	assert_int_equal(recommend_parse_probs("", p), RECOMMEND_EINVAL);
	assert_int_equal(recommend_parse_probs(NULL, p), RECOMMEND_EINVAL);
}

static void mood_point_and_ranking(void **state)
{
	float p[VOCAB_NCLASSES] = { 0 };
	int r[VOCAB_NCLASSES];
	struct recommend_point h = recommend_emotion_point(HAPPY), s = recommend_emotion_point(SAD), m;
	(void)state;
	p[HAPPY] = 0.25f;
	p[SAD] = 0.75f;
	m = recommend_mood_point(p);
	assert_float_equal(m.valence, 0.25 * h.valence + 0.75 * s.valence, 1e-5);
	assert_float_equal(m.arousal, 0.25 * h.arousal + 0.75 * s.arousal, 1e-5);
	/* unnormalised input gives the same point */
	p[HAPPY] = 1;
	p[SAD] = 3;
	m = recommend_mood_point(p);
	assert_float_equal(m.valence, 0.25 * h.valence + 0.75 * s.valence, 1e-5);
	recommend_ranking(p, r);
	assert_int_equal(r[0], SAD);
	assert_int_equal(r[1], HAPPY);
	assert_int_equal(r[2], ANGRY); /* ties: lower index first */
	assert_int_equal(recommend_top(p), SAD);
}

static int in_quadrant(const struct recommend_track *t, int q)
{
	return recommend_quadrant(t->valence, t->arousal) == q;
}

static void plan(const float *probs, const struct recommend_params *par, const char *const *hist,
		 size_t nh, struct recommend_pick *out, size_t n)
{
	size_t got = 0;
	assert_int_equal(recommend_plan(probs, lib, NT, hist, nh, par, out, n, &got), 0);
	assert_int_equal(got, n);
}

/* match: every emotion's top 10 fall in its quadrant of cli.md. */
static void match_region(void **state)
{
	struct recommend_params par;
	struct recommend_pick pk[10];
	float p[VOCAB_NCLASSES];
	(void)state;
	recommend_params_default(&par);
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		recommend_onehot(c, p);
		plan(p, &par, NULL, 0, pk, 10);
		for (int k = 0; k < 10; k++) {
			assert_true(in_quadrant(&lib[pk[k].track], recommend_match_quadrant(c)));
			assert_true(pk[k].distance < 0.35f);
			if (k)
				assert_true(pk[k].score <= pk[0].score + 1e-6);
		}
	}
}

/* calm: low arousal, positive valence whatever the mood. */
static void calm_region(void **state)
{
	struct recommend_params par;
	struct recommend_pick pk[10];
	float p[VOCAB_NCLASSES];
	(void)state;
	recommend_params_default(&par);
	par.strategy = VOCAB_CALM;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		recommend_onehot(c, p);
		plan(p, &par, NULL, 0, pk, 10);
		for (int k = 0; k < 10; k++) {
			const struct recommend_track *t = &lib[pk[k].track];
			assert_true(t->valence > 0.2f && t->arousal < -0.3f);
		}
	}
}

/* uplift: starts at the mood, valence rises pick by pick, ends positive. */
static void uplift_monotone(void **state)
{
	struct recommend_params par;
	struct recommend_pick pk[8];
	float p[VOCAB_NCLASSES];
	(void)state;
	recommend_params_default(&par);
	par.strategy = VOCAB_UPLIFT;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		struct recommend_point m = recommend_emotion_point(c), prev = m;
		for (int step = 0; step < 12; step++) {
			struct recommend_point t = recommend_target(VOCAB_UPLIFT, m, step);
			assert_true(t.valence >= prev.valence - 1e-6);
			prev = t;
		}
		assert_float_equal(recommend_target(VOCAB_UPLIFT, m, 0).valence, m.valence, 1e-6);
		if (m.valence < 0.7f)
			assert_float_equal(prev.valence, 0.7, 1e-5);
	}
	/* picks from the library follow the target */
	int moods[] = { SAD, ANGRY, FEAR, DISGUST };
	for (size_t i = 0; i < sizeof moods / sizeof moods[0]; i++) {
		recommend_onehot(moods[i], p);
		plan(p, &par, NULL, 0, pk, 8);
		struct recommend_point m = recommend_emotion_point(moods[i]);
		const struct recommend_track *first = &lib[pk[0].track];
		assert_true(in_quadrant(first, recommend_match_quadrant(moods[i])));
		assert_true(hypotf(first->valence - m.valence, first->arousal - m.arousal) < 0.15f);
		/* rising while the target moves (steps 0..4), then staying near the goal */
		for (int k = 1; k <= 4; k++)
			assert_true(lib[pk[k].track].valence > lib[pk[k - 1].track].valence);
		for (int k = 4; k < 8; k++)
			assert_true(lib[pk[k].track].valence > 0.5f);
		/* a refill continues where the plan left off */
		struct recommend_params later = par;
		struct recommend_pick more[1];
		later.step = 8;
		plan(p, &later, NULL, 0, more, 1);
		assert_true(lib[more[0].track].valence > 0.5f);
	}
}

/* No track played in the last no_repeat plays comes back, over a long
 * simulated session on a small library. */
static void no_repeat_window(void **state)
{
	struct recommend_params par;
	struct recommend_pick pk[10];
	float p[VOCAB_NCLASSES];
	const char *hist[200];
	size_t nh = 0;
	(void)state;
	recommend_params_default(&par);
	recommend_onehot(SAD, p);

	/* the 20 closest are the history: none of them is picked */
	plan(p, &par, NULL, 0, pk, 10);
	struct recommend_pick first20[20];
	plan(p, &par, NULL, 0, first20, 20);
	for (int i = 0; i < 20; i++)
		hist[i] = lib[first20[i].track].path;
	plan(p, &par, hist, 20, pk, 10);
	for (int k = 0; k < 10; k++) {
		for (int i = 0; i < 20; i++)
			assert_string_not_equal(lib[pk[k].track].path, hist[i]);
		assert_false(pk[k].flags & RECOMMEND_F_REPEAT);
	}
	/* with a window of 5 only the last 5 plays are held back */
	par.no_repeat = 5;
	plan(p, &par, hist, 20, pk, 1);
	assert_string_equal(lib[pk[0].track].path, hist[0]);

	/* session: 120 plays, one pick at a time, over 60 tracks of the library */
	par.no_repeat = 20;
	size_t small = 60;
	for (int play = 0; play < 120; play++) {
		size_t got = 0;
		assert_int_equal(recommend_plan(p, lib + 170, small, hist, nh, &par, pk, 1, &got), 0);
		assert_int_equal(got, 1);
		const char *path = lib[170 + pk[0].track].path;
		for (size_t b = nh >= 20 ? nh - 20 : 0; b < nh; b++)
			assert_string_not_equal(path, hist[b]);
		if (nh == 200)
			break;
		hist[nh++] = path;
	}

	/* a library smaller than the window still plays: repeats come last, flagged */
	size_t got = 0;
	assert_int_equal(recommend_plan(p, lib, 3, (const char *const[]){ lib[0].path, lib[1].path }, 2,
					&par, pk, 3, &got), 0);
	assert_int_equal(got, 3);
	assert_int_equal(pk[0].track, 2);
	assert_true(pk[1].flags & RECOMMEND_F_REPEAT);
	assert_non_null(strstr(pk[1].reason, "played recently"));
}

/* Same artist as the track before costs; a third in a row costs more. */
static void artist_runs(void **state)
{
	struct recommend_track t[3] = {
		{ .path = "a", .artist = "X", .valence = -0.7f, .arousal = -0.45f },
		{ .path = "b", .artist = "Y", .valence = -0.65f, .arousal = -0.45f },
		{ .path = "c", .artist = "X", .valence = 0.9f, .arousal = 0.9f },
	};
	struct recommend_params par;
	struct recommend_pick pk[2];
	float p[VOCAB_NCLASSES];
	size_t got;
	(void)state;
	recommend_params_default(&par);
	par.jitter = 0;
	recommend_onehot(SAD, p);
	/* no history: the exact fit wins */
	assert_int_equal(recommend_plan(p, t, 2, NULL, 0, &par, pk, 1, &got), 0);
	assert_int_equal(pk[0].track, 0);
	/* X just played: Y's track, 0.05 further, wins */
	assert_int_equal(recommend_plan(p, t, 3, (const char *const[]){ "c" }, 1, &par, pk, 2, &got), 0);
	assert_int_equal(pk[0].track, 1);
	assert_int_equal(pk[1].track, 0);
	/* without the penalty the closer one wins again */
	par.w_artist = 0;
	assert_int_equal(recommend_plan(p, t, 3, (const char *const[]){ "c" }, 1, &par, pk, 1, &got), 0);
	assert_int_equal(pk[0].track, 0);
}

/* The learned term moves tracks: disliked down, liked up. */
static void feedback_term(void **state)
{
	struct recommend_params par;
	struct recommend_pick before[20], after[20];
	float p[VOCAB_NCLASSES];
	(void)state;
	recommend_params_default(&par);
	recommend_onehot(SAD, p);
	plan(p, &par, NULL, 0, before, 20);
	size_t top = before[0].track, tenth = before[9].track;
	lib[top].feedback = -0.76f;   /* tanh(-1): one dislike in this mood */
	lib[tenth].feedback = 0.76f;  /* one like */
	plan(p, &par, NULL, 0, after, 20);
	int rank_top = -1, rank_tenth = -1;
	for (int k = 0; k < 20; k++) {
		if (after[k].track == top)
			rank_top = k;
		if (after[k].track == tenth)
			rank_tenth = k;
	}
	assert_true(rank_top == -1 || rank_top > 5);
	assert_int_equal(rank_tenth, 0);
	assert_true(after[0].flags & RECOMMEND_F_LIKED);
	assert_non_null(strstr(after[0].reason, "liked before"));
	lib[top].feedback = 0;
	lib[tenth].feedback = 0;
}

/* Near-identical tracks of one album do not fill the top picks. */
static void diversity(void **state)
{
	struct recommend_track t[12];
	char pth[12][8];
	struct recommend_params par;
	struct recommend_pick pk[4];
	float p[VOCAB_NCLASSES];
	size_t got;
	(void)state;
	for (int i = 0; i < 12; i++) {
		snprintf(pth[i], sizeof pth[i], "d%d", i);
		t[i] = (struct recommend_track){ .path = pth[i], .artist = i < 6 ? "A" : pth[i],
			.album = i < 6 ? "one" : pth[i],
			.valence = -0.70f + (i < 6 ? 0 : 0.03f * (float)(i - 5)),
			.arousal = -0.45f };
	}
	recommend_params_default(&par);
	recommend_onehot(SAD, p);
	assert_int_equal(recommend_plan(p, t, 12, NULL, 0, &par, pk, 4, &got), 0);
	int from_one = 0;
	for (int k = 0; k < 4; k++)
		from_one += pk[k].track < 6;
	assert_true(from_one <= 2);
	par.w_diversity = 0;
	par.w_artist = 0;
	assert_int_equal(recommend_plan(p, t, 12, NULL, 0, &par, pk, 4, &got), 0);
	from_one = 0;
	for (int k = 0; k < 4; k++)
		from_one += pk[k].track < 6;
	assert_int_equal(from_one, 4);
}

static void deterministic(void **state)
{
	struct recommend_params par;
	struct recommend_pick a[15], b[15];
	float p[VOCAB_NCLASSES];
	int differs = 0;
	(void)state;
	recommend_params_default(&par);
	assert_int_equal(recommend_parse_probs("0.1,0.05,0.05,0.3,0.2,0.25,0.05", p), 0);
	for (uint64_t seed = 1; seed < 20; seed++) {
		par.seed = seed;
		plan(p, &par, NULL, 0, a, 15);
		plan(p, &par, NULL, 0, b, 15);
		for (int k = 0; k < 15; k++) {
			assert_int_equal(a[k].track, b[k].track);
			assert_string_equal(a[k].reason, b[k].reason);
		}
		par.seed = seed + 1000;
		plan(p, &par, NULL, 0, b, 15);
		for (int k = 0; k < 15; k++)
			differs |= a[k].track != b[k].track;
	}
	assert_true(differs); /* the seed does something among near ties */
}

static void reasons(void **state)
{
	float p[VOCAB_NCLASSES] = { 0.05f, 0, 0.05f, 0.08f, 0.2f, 0.62f, 0 };
	char buf[192];
	(void)state;
	recommend_reason(buf, sizeof buf, p, VOCAB_CALM, 0, RECOMMEND_F_LIKED);
	assert_string_equal(buf, "you look sad (62%), calm strategy: low arousal, positive valence; liked before");
	recommend_reason(buf, sizeof buf, p, VOCAB_UPLIFT, 1, 0);
	assert_string_equal(buf, "you look sad (62%), uplift strategy step 2: from your mood toward positive valence");
	/* no face seen (all 0): no emotion on top (issue 16: "you look angry (0%)") */
	const float none[VOCAB_NCLASSES] = { 0 };
	recommend_reason(buf, sizeof buf, none, VOCAB_MATCH, 0, 0);
	assert_string_equal(buf, "no emotion seen, match strategy: music that fits your mood");
	recommend_reason(buf, sizeof buf, p, VOCAB_MATCH, 0, RECOMMEND_F_DISLIKED);
	assert_non_null(strstr(buf, "match strategy"));
	assert_non_null(strstr(buf, "disliked before"));
	/* the longest reason fits the UI's 192 bytes whole */
	float q[VOCAB_NCLASSES] = { 0, 0, 0, 0, 0, 0, 1 };
	recommend_reason(buf, sizeof buf, q, VOCAB_UPLIFT, 2, RECOMMEND_F_DISLIKED |
			 RECOMMEND_F_REPEAT | RECOMMEND_F_SAME_ARTIST);
	assert_non_null(strstr(buf, "; same artist again (closest fit)"));
	assert_true(strlen(buf) < sizeof buf - 1);
	recommend_reason(buf, 10, p, VOCAB_MATCH, 0, 0);
	assert_int_equal(strlen(buf), 9);
}

static void refill(void **state)
{
	struct recommend_refill_in in = {
		.now = 100, .playing = 1, .remaining = 120, .queued = 5,
		.mood = SAD, .mood_since = 50, .strategy = VOCAB_MATCH,
		.queue_mood = SAD, .queue_strategy = VOCAB_MATCH,
	};
	(void)state;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_KEEP);
	/* the mood changes: not before it held for `hold` seconds */
	in.mood = HAPPY;
	in.mood_since = 96;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_KEEP);
	in.now = 104;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_REPLACE);
	/* uncertain never replaces */
	in.mood = -1;
	in.mood_since = 0;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_KEEP);
	in.mood = SAD;
	/* the user changed the strategy */
	in.strategy = VOCAB_CALM;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_REPLACE);
	in.strategy = VOCAB_MATCH;
	/* near the end with a short queue: append */
	in.queued = 1;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_KEEP);
	in.remaining = 10;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_APPEND);
	in.queued = 3;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_KEEP);
	/* nothing playing, nothing queued */
	in.playing = 0;
	in.queued = 0;
	assert_int_equal(recommend_refill(&in, NULL), RECOMMEND_APPEND);
	/* custom parameters */
	struct recommend_refill_params rp;
	recommend_refill_default(&rp);
	assert_true(rp.near_end > 0 && rp.hold > 0 && rp.low > 0);
	rp.hold = 1;
	in.playing = 1;
	in.queued = 5;
	in.remaining = 100;
	in.mood = FEAR;
	in.mood_since = in.now - 2;
	assert_int_equal(recommend_refill(&in, &rp), RECOMMEND_REPLACE);
}

static void bad_input(void **state)
{
	struct recommend_pick pk[3];
	float p[VOCAB_NCLASSES];
	size_t got = 99;
	struct recommend_track t[2] = {
		{ .path = NULL, .valence = NAN, .arousal = INFINITY, .feedback = NAN },
		{ .path = "x", .artist = NULL, .valence = 0.1f, .arousal = -0.2f },
	};
	(void)state;
	recommend_onehot(NEUTRAL, p);
	assert_int_equal(recommend_plan(p, t, 2, NULL, 0, NULL, pk, 3, &got), 0);
	assert_int_equal(got, 2);
	assert_int_equal(pk[0].track, 1);
	assert_int_equal(recommend_plan(p, NULL, 0, NULL, 0, NULL, pk, 3, &got), 0);
	assert_int_equal(got, 0);
	assert_int_equal(recommend_plan(NULL, t, 2, NULL, 0, NULL, pk, 3, &got), RECOMMEND_EINVAL);
	assert_int_equal(recommend_plan(p, t, 2, NULL, 1, NULL, pk, 3, &got), RECOMMEND_EINVAL);
	assert_string_equal(recommend_strerror(RECOMMEND_ENOMEM), "out of memory");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(names_and_points),
		cmocka_unit_test(parse_probs),
		cmocka_unit_test(mood_point_and_ranking),
		cmocka_unit_test(match_region),
		cmocka_unit_test(calm_region),
		cmocka_unit_test(uplift_monotone),
		cmocka_unit_test(no_repeat_window),
		cmocka_unit_test(artist_runs),
		cmocka_unit_test(feedback_term),
		cmocka_unit_test(diversity),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(reasons),
		cmocka_unit_test(refill),
		cmocka_unit_test(bad_input),
	};
	return cmocka_run_group_tests_name("recommend", tests, setup, NULL);
}
