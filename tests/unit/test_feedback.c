/* Unit tests for feedback: the table, weights, per-mood terms, history, and
 * the ranking effect (a disliked track drops, a liked one rises). Runs on
 * an in-memory SQLite database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "feedback.h"
#include "recommend.h"

enum { ANGRY, DISGUST, FEAR, HAPPY, NEUTRAL, SAD, SURPRISE };

static sqlite3 *open_db(void)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	return db;
}

static void record(sqlite3 *db, const char *path, enum feedback_kind k, double pos, int mood)
{
	struct feedback_event ev = { .path = path, .kind = k, .position = pos, .mood = mood,
				     .point = recommend_emotion_point(mood) };
	assert_int_equal(feedback_record(db, &ev), 0);
}

static void table_and_weights(void **state)
{
	sqlite3 *db = open_db();
	sqlite3_stmt *st;
	(void)state;
	assert_int_equal(feedback_init(db), 0);
	assert_int_equal(feedback_init(db), 0); /* idempotent */
	record(db, "/m/a.flac", FEEDBACK_LIKE, 12, SAD);
	record(db, "/m/a.flac", FEEDBACK_SKIP, 5, HAPPY);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT kind, position, mood, valence FROM feedback_events ORDER BY id",
					    -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "like");
	assert_int_equal(sqlite3_column_int(st, 2), SAD);
	assert_float_equal(sqlite3_column_double(st, 3), recommend_emotion_point(SAD).valence, 1e-6);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "skip");
	assert_float_equal(sqlite3_column_double(st, 1), 5, 1e-9);
	assert_int_equal(sqlite3_step(st), SQLITE_DONE);
	sqlite3_finalize(st);

	assert_float_equal(feedback_weight(FEEDBACK_LIKE, 0), 1, 0);
	assert_float_equal(feedback_weight(FEEDBACK_DISLIKE, 200), -1, 0);
	assert_true(feedback_weight(FEEDBACK_SKIP, 29.9) < 0);
	assert_float_equal(feedback_weight(FEEDBACK_SKIP, 30), 0, 0);
	assert_float_equal(feedback_weight(FEEDBACK_PLAY, 0), 0, 0);
	assert_int_equal(feedback_kind_parse("dislike"), FEEDBACK_DISLIKE);
	assert_int_equal(feedback_kind_parse("meh"), -1);
	assert_string_equal(feedback_kind_name(FEEDBACK_SKIP), "skip");

	struct feedback_event bad = { .path = NULL };
	assert_int_equal(feedback_record(db, &bad), FEEDBACK_EINVAL);
	assert_int_equal(feedback_record(NULL, &bad), FEEDBACK_EINVAL);
	sqlite3_close(db);
}

/* Feedback counts for the mood it was given in, hardly in a far one. */
static void per_mood(void **state)
{
	sqlite3 *db = open_db();
	struct recommend_track t[4] = { { .path = "/m/a" }, { .path = "/m/b" }, { .path = "/m/c" }, { .path = NULL } };
	(void)state;
	record(db, "/m/a", FEEDBACK_LIKE, 60, SAD);
	record(db, "/m/b", FEEDBACK_DISLIKE, 60, SAD);
	record(db, "/m/c", FEEDBACK_SKIP, 100, SAD); /* a late skip is not held against */
	record(db, "/m/zzz", FEEDBACK_LIKE, 60, SAD); /* not in the library */
	assert_int_equal(feedback_terms(db, recommend_emotion_point(SAD), t, 4), 0);
	assert_float_equal(t[0].feedback, tanh(1.0), 1e-5);
	assert_float_equal(t[1].feedback, -tanh(1.0), 1e-5);
	assert_float_equal(t[2].feedback, 0, 1e-9);
	assert_float_equal(t[3].feedback, 0, 1e-9);
	assert_int_equal(feedback_terms(db, recommend_emotion_point(HAPPY), t, 4), 0);
	assert_true(fabsf(t[0].feedback) < 0.01f);
	assert_true(fabsf(t[1].feedback) < 0.01f);
	/* an early skip counts against */
	record(db, "/m/c", FEEDBACK_SKIP, 4, HAPPY);
	assert_int_equal(feedback_terms(db, recommend_emotion_point(HAPPY), t, 3), 0);
	assert_true(t[2].feedback < -0.3f);
	/* likes add up, and saturate below 1 */
	for (int i = 0; i < 5; i++)
		record(db, "/m/a", FEEDBACK_LIKE, 60, SAD);
	assert_int_equal(feedback_terms(db, recommend_emotion_point(SAD), t, 3), 0);
	assert_true(t[0].feedback > 0.99f && t[0].feedback <= 1.0f);
	assert_true(feedback_similarity(recommend_emotion_point(SAD), recommend_emotion_point(SAD)) == 1.0);
	sqlite3_close(db);
}

/* The test: for the same mood, a disliked track drops and a liked
 * one rises, through the database and the ranking. */
#define GRID 20
#define NT (GRID * GRID)
static void ranking_moves(void **state)
{
	static char paths[NT][32], artists[NT][16];
	static struct recommend_track lib[NT];
	struct recommend_params par;
	struct recommend_pick before[NT], after[NT];
	float p[VOCAB_NCLASSES];
	size_t got;
	sqlite3 *db = open_db();
	(void)state;
	for (int i = 0; i < NT; i++) {
		snprintf(paths[i], sizeof paths[i], "/m/t%03d.flac", i);
		snprintf(artists[i], sizeof artists[i], "artist%d", i % 37);
		lib[i] = (struct recommend_track){ .path = paths[i], .artist = artists[i],
			.valence = -0.95f + 0.1f * (float)(i % GRID), .arousal = -0.95f + 0.1f * (float)(i / GRID) };
	}
	recommend_params_default(&par);
	recommend_onehot(SAD, p);
	struct recommend_point m = recommend_mood_point(p);
	assert_int_equal(feedback_terms(db, m, lib, NT), 0);
	assert_int_equal(recommend_plan(p, lib, NT, NULL, 0, &par, before, NT, &got), 0);
	assert_int_equal(got, NT);
	size_t disliked = before[0].track, liked = before[7].track;

	struct feedback_event ev = { .path = paths[disliked], .kind = FEEDBACK_DISLIKE, .position = 50,
				     .mood = SAD, .point = m };
	assert_int_equal(feedback_record(db, &ev), 0);
	ev.path = paths[liked];
	ev.kind = FEEDBACK_LIKE;
	assert_int_equal(feedback_record(db, &ev), 0);

	assert_int_equal(feedback_terms(db, m, lib, NT), 0);
	assert_int_equal(recommend_plan(p, lib, NT, NULL, 0, &par, after, NT, &got), 0);
	int rd = -1, rl = -1;
	for (int k = 0; k < NT; k++) {
		if (after[k].track == disliked)
			rd = k;
		if (after[k].track == liked)
			rl = k;
	}
	print_message("disliked: rank 1 -> %d, liked: rank 8 -> %d\n", rd + 1, rl + 1);
	assert_true(rd > 10);
	assert_true(rl == 0);
	assert_non_null(strstr(after[0].reason, "liked before"));

	/* in a far mood the ranking is as without feedback */
	struct recommend_pick h0[10], h1[10];
	recommend_onehot(HAPPY, p);
	for (int i = 0; i < NT; i++)
		lib[i].feedback = 0;
	assert_int_equal(recommend_plan(p, lib, NT, NULL, 0, &par, h0, 10, &got), 0);
	assert_int_equal(feedback_terms(db, recommend_mood_point(p), lib, NT), 0);
	assert_int_equal(recommend_plan(p, lib, NT, NULL, 0, &par, h1, 10, &got), 0);
	for (int k = 0; k < 10; k++)
		assert_int_equal(h0[k].track, h1[k].track);
	sqlite3_close(db);
}

static void history(void **state)
{
	sqlite3 *db = open_db();
	char **h = NULL;
	size_t n = 9;
	char path[16];
	(void)state;
	assert_int_equal(feedback_history(db, 5, &h, &n), 0);
	assert_int_equal(n, 0);
	feedback_history_free(h, n);
	/* readers leave a database without the table as it was */
	struct recommend_track t[1] = { { .path = "/m/p1", .feedback = 0.5f } };
	assert_int_equal(feedback_terms(db, recommend_emotion_point(SAD), t, 1), 0);
	assert_float_equal(t[0].feedback, 0, 0);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	for (int i = 1; i <= 6; i++) {
		snprintf(path, sizeof path, "/m/p%d", i);
		struct feedback_event ev = { .path = path, .kind = FEEDBACK_PLAY, .mood = -1, .t = 1000 + i };
		assert_int_equal(feedback_record(db, &ev), 0);
		record(db, path, FEEDBACK_LIKE, 10, SAD); /* not a play */
	}
	assert_int_equal(feedback_history(db, 3, &h, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(h[0], "/m/p4");
	assert_string_equal(h[1], "/m/p5");
	assert_string_equal(h[2], "/m/p6");
	feedback_history_free(h, n);
	assert_int_equal(feedback_history(db, 0, &h, &n), 0);
	assert_int_equal(n, 0);
	sqlite3_close(db);
}

/* A foreign table of the same name is an error, not a crash. */
static void broken_table(void **state)
{
	sqlite3 *db = open_db();
	struct recommend_track t[1] = { { .path = "/m/a" } };
	char **h = NULL;
	size_t n = 0;
	(void)state;
	assert_int_equal(sqlite3_exec(db, "CREATE TABLE feedback_events(x)", NULL, NULL, NULL), SQLITE_OK);
	struct feedback_event ev = { .path = "/m/a", .kind = FEEDBACK_LIKE };
	assert_int_equal(feedback_record(db, &ev), FEEDBACK_EDB);
	assert_int_equal(feedback_terms(db, recommend_emotion_point(SAD), t, 1), FEEDBACK_EDB);
	assert_float_equal(t[0].feedback, 0, 0);
	assert_int_equal(feedback_history(db, 3, &h, &n), FEEDBACK_EDB);
	assert_null(h);
	assert_string_equal(feedback_strerror(FEEDBACK_EDB), "database error");
	sqlite3_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_and_weights),
		cmocka_unit_test(per_mood),
		cmocka_unit_test(ranking_moves),
		cmocka_unit_test(history),
		cmocka_unit_test(broken_table),
	};
	return cmocka_run_group_tests_name("feedback", tests, NULL, NULL);
}
