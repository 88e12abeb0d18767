/* Unit tests for recommend_lib: the picks from the index's nearest
 * candidates are those of recommend_plan() over the whole index, for every
 * strategy, with a play history, feedback, tracks without a mood and the
 * caller's exclusions; a small K is widened when it must be. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "feedback.h"
#include "lib_db.h"
#include "recommend_lib.h"
#include "test_tmp.h"

#define N 3000

static char dir[64];
static char path[128];
static struct lib_db *db;

static float frand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (float)((*s >> 8) & 0xffff) / 65535.0f * 2 - 1;
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/emotune-reclib-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof path, "%s/library.db", dir);
	if (lib_db_open(path, &db, NULL, 0) || lib_db_begin(db))
		return -1;
	unsigned s = 7;
	for (int i = 0; i < N; i++) {
		char p[64], artist[32], album[32];
		float v = frand(&s), a = frand(&s);
		snprintf(p, sizeof p, "/m/%04d.flac", (i * 7919) % N);
		snprintf(artist, sizeof artist, "artist %d", i % 40);
		snprintf(album, sizeof album, "album %d", i % 300);
		if (i % 50 == 0)
			v = a = NAN;  /* silence: no mood */
		struct lib_record r = {
			.t = { .path = p, .title = "T", .artist = artist, .album = album,
			       .valence = v, .arousal = a },
			.mtime = 1, .size = 1, .feature_version = 1, .model = "m",
		};
		if (lib_db_put(db, &r))
			return -1;
	}
	if (lib_db_commit(db))
		return -1;
	/* likes and dislikes in a sad mood, strong enough to move tracks */
	for (int i = 0; i < 200; i++) {
		char p[64];
		snprintf(p, sizeof p, "/m/%04d.flac", (i * 37) % N);
		struct feedback_event ev = { .path = p, .kind = i % 2 ? FEEDBACK_LIKE : FEEDBACK_DISLIKE,
					     .mood = 5, .point = recommend_emotion_point(5) };
		if (feedback_record(lib_db_sqlite(db), &ev))
			return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lib_db_close(db);
	return test_tmp_remove(dir);
}

static int skip_some(void *ctx, const struct lib_track *t)
{
	(void)ctx;
	return t->id % 7 == 0;
}

/* recommend_plan over every track with a mood that skip keeps. */
static void full_scan(const struct recommend_lib_query *q, size_t n, char **paths, float *scores,
		      size_t *got)
{
	struct lib_track *t;
	size_t nt, k = 0;
	assert_int_equal(lib_db_tracks(db, &t, &nt), 0);
	struct recommend_track *tr = calloc(nt, sizeof *tr);
	struct recommend_pick *pk = calloc(n, sizeof *pk);
	assert_non_null(tr);
	assert_non_null(pk);
	size_t *map = calloc(nt, sizeof *map);
	assert_non_null(map);
	for (size_t i = 0; i < nt; i++) {
		if (!isfinite(t[i].valence) || (q->exclude && q->exclude(q->exclude_ctx, &t[i])))
			continue;
		tr[k] = (struct recommend_track){ .path = t[i].path, .artist = t[i].artist,
			.album = t[i].album, .valence = t[i].valence, .arousal = t[i].arousal };
		map[k++] = i;
	}
	assert_int_equal(feedback_terms(lib_db_sqlite(db), recommend_mood_point(q->probs), tr, k), 0);
	assert_int_equal(recommend_plan(q->probs, tr, k, q->history, q->nh, &q->par, pk, n, got), 0);
	for (size_t i = 0; i < *got; i++) {
		paths[i] = strdup(t[map[pk[i].track]].path);
		scores[i] = pk[i].score;
	}
	free(map);
	free(pk);
	free(tr);
	lib_tracks_free(t, nt);
}

static int compare(struct recommend_lib_query *q, size_t n)
{
	char *want[64];
	float score[64];
	size_t got;
	struct recommend_lib_picks r;
	assert_true(n <= 64);
	full_scan(q, n, want, score, &got);
	assert_int_equal(recommend_lib_pick(db, q, n, &r), 0);
	assert_int_equal(r.n, got);
	for (size_t i = 0; i < got; i++) {
		assert_string_equal(r.rows[r.picks[i].track].path, want[i]);
		assert_true(r.picks[i].score == score[i]);
		free(want[i]);
	}
	int rounds = r.rounds;
	assert_true(r.nrows < (size_t)N);  /* never a full copy here */
	recommend_lib_picks_free(&r);
	return rounds;
}

static void same_as_full_scan(void **state)
{
	(void)state;
	int one_round = 0, widened = 0;
	for (int st = 0; st < VOCAB_NSTRATEGIES; st++)
		for (int cls = 0; cls < VOCAB_NCLASSES; cls++) {
			struct recommend_lib_query q = { .k = 24 };
			recommend_onehot(cls, q.probs);
			recommend_params_default(&q.par);
			q.par.strategy = (enum vocab_strategy)st;
			q.par.step = cls % 3;
			q.par.seed = (uint64_t)cls + 11;
			if (compare(&q, 12) == 1)
				one_round++;
			else
				widened++;
			q.exclude = skip_some;  /* the app's exclusions */
			compare(&q, 12);
		}
	assert_true(one_round > 0);
	(void)widened;
}

/* A history of the tracks nearest the target: they come last, the picks
 * are still those of a full scan. */
static void history_near_target(void **state)
{
	(void)state;
	struct recommend_lib_query q = { .k = 16 };
	recommend_onehot(5, q.probs);
	recommend_params_default(&q.par);
	struct recommend_point m = recommend_mood_point(q.probs);
	struct lib_track *t;
	size_t got;
	assert_int_equal(lib_db_nearest(db, m.valence, m.arousal, 40, &t, &got), 0);
	const char *hist[40];
	for (size_t i = 0; i < got; i++)
		hist[i] = t[got - 1 - i].path;  /* the nearest played last */
	q.history = hist;
	q.nh = got;
	q.par.no_repeat = (int)got;
	compare(&q, 10);
	lib_tracks_free(t, got);
}

static int near_sad(void *ctx, const struct lib_track *t)
{
	(void)ctx;
	struct recommend_point m = recommend_emotion_point(5);
	return hypot(t->valence - m.valence, t->arousal - m.arousal) < 0.4;
}

/* Exclusions that eat every nearest candidate: K is widened until the
 * picks are proven. */
static void exclusions_eat_candidates(void **state)
{
	(void)state;
	struct recommend_lib_query q = { .k = 16, .exclude = near_sad };
	recommend_onehot(5, q.probs);
	recommend_params_default(&q.par);
	assert_true(compare(&q, 10) > 1);
}

/* More picks than tracks near the target, and more than the whole index
 * holds with a tiny K. */
static void many_picks(void **state)
{
	(void)state;
	struct recommend_lib_query q = { .k = 4 };
	recommend_onehot(3, q.probs);
	recommend_params_default(&q.par);
	q.par.strategy = VOCAB_UPLIFT;
	compare(&q, 64);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(same_as_full_scan),
		cmocka_unit_test(history_near_target),
		cmocka_unit_test(exclusions_eat_candidates),
		cmocka_unit_test(many_picks),
	};
	return cmocka_run_group_tests_name("recommend_lib", tests, setup, teardown);
}
