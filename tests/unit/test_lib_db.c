/* Unit tests for lib_db: schema, rows, failures, nearest-mood query. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib_db.h"
#include "test_tmp.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/emotune-libdb-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	/* a sub-folder that does not exist yet: lib_db_open creates it */
	snprintf(path, sizeof path, "%s/sub/library.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
}

static void put(struct lib_db *db, const char *p, float v, float a, int64_t mtime)
{
	float feat[4] = { 1, 2, 3, 4 };
	struct lib_record r = {
		.t = { .path = (char *)p, .title = "T", .artist = "A", .album = "", .trackno = 3,
		       .duration = 12.5, .rate = 44100, .channels = 2, .lufs = -14, .lra = 5,
		       .valence = v, .arousal = a },
		.mtime = mtime, .size = 1000, .features = feat, .nfeat = 4, .feature_version = 1,
		.model = "m1",
	};
	assert_int_equal(lib_db_put(db, &r), 0);
}

static void rows(void **state)
{
	struct lib_db *db;
	assert_int_equal(lib_db_open(path, &db, NULL, 0), 0);
	assert_int_equal(lib_db_begin(db), 0);
	put(db, "/m/b.flac", 0.5f, -0.5f, 1);
	put(db, "/m/a.flac", -0.25f, 0.75f, 2);
	assert_int_equal(lib_db_put_failure(db, "/m/bad.wav", 5, 6, 1, "corrupt"), 0);
	assert_int_equal(lib_db_commit(db), 0);

	struct lib_track *t;
	size_t n;
	assert_int_equal(lib_db_tracks(db, &t, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].path, "/m/a.flac");   /* ordered by path */
	assert_true(fabsf(t[0].valence + 0.25f) < 1e-6f);
	assert_int_equal(t[1].trackno, 3);
	assert_int_equal(t[1].rate, 44100);
	lib_tracks_free(t, n);

	struct lib_track one;
	assert_int_equal(lib_db_find(db, "/m/b.flac", &one), 0);
	assert_string_equal(one.title, "T");
	assert_true(fabs(one.duration - 12.5) < 1e-9);
	float f[4];
	assert_int_equal(lib_db_features(db, one.id, f, 4), 0);
	assert_true(f[3] == 4);
	assert_int_equal(lib_db_features(db, one.id, f, 3), LIB_DB_ENOTFOUND);
	assert_int_equal(lib_db_set_mood(db, one.id, 0.1f, 0.2f, "m2"), 0);
	lib_track_clear(&one);
	assert_int_equal(lib_db_find(db, "/m/b.flac", &one), 0);
	assert_true(fabsf(one.arousal - 0.2f) < 1e-6f);
	lib_track_clear(&one);
	assert_int_equal(lib_db_find(db, "/m/none.flac", &one), LIB_DB_ENOTFOUND);

	struct lib_entry *e;
	assert_int_equal(lib_db_entries(db, &e, &n), 0);
	assert_int_equal(n, 3);
	int failed = 0;
	for (size_t i = 0; i < n; i++)
		if (e[i].failed) {
			failed++;
			assert_string_equal(e[i].path, "/m/bad.wav");
			assert_int_equal(e[i].mtime, 5);
		} else if (strcmp(e[i].path, "/m/b.flac") == 0) {
			assert_string_equal(e[i].model, "m2");
		}
	assert_int_equal(failed, 1);
	lib_entries_free(e, n);

	/* A good analysis replaces the failure; a failure replaces a row. */
	put(db, "/m/bad.wav", 0, 0, 7);
	assert_int_equal(lib_db_put_failure(db, "/m/a.flac", 9, 9, 1, "now broken"), 0);
	assert_int_equal(lib_db_entries(db, &e, &n), 0);
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(e[i].failed, strcmp(e[i].path, "/m/a.flac") == 0);
	lib_entries_free(e, n);
	assert_int_equal(lib_db_remove(db, "/m/a.flac"), 0);
	assert_int_equal(lib_db_remove(db, "/m/bad.wav"), 0);
	size_t cnt;
	assert_int_equal(lib_db_count(db, &cnt), 0);
	assert_int_equal(cnt, 1);
	assert_non_null(lib_db_sqlite(db));
	lib_db_close(db);
	/* Reopen: the data is there. */
	assert_int_equal(lib_db_open(path, &db, NULL, 0), 0);
	assert_int_equal(lib_db_count(db, &cnt), 0);
	assert_int_equal(cnt, 1);
	lib_db_close(db);
}

static void nearest(void **state)
{
	char p[128];
	snprintf(p, sizeof p, "%s/near.db", dir);
	struct lib_db *db;
	assert_int_equal(lib_db_open(p, &db, NULL, 0), 0);
	enum { N = 3000 };
	static float v[N], a[N];
	unsigned s = 3;
	assert_int_equal(lib_db_begin(db), 0);
	for (int i = 0; i < N; i++) {
		char name[32];
		s = s * 1103515245u + 12345u;
		v[i] = (float)((s >> 8) % 20001) / 10000 - 1;
		s = s * 1103515245u + 12345u;
		a[i] = (float)((s >> 8) % 20001) / 10000 - 1;
		/* a cluster in one corner, so that the search box must grow */
		if (i % 3 == 0) {
			v[i] = 0.9f + v[i] * 0.1f;
			a[i] = 0.9f + a[i] * 0.1f;
		}
		snprintf(name, sizeof name, "/n/%05d.flac", i);
		put(db, name, v[i], a[i], i);
	}
	assert_int_equal(lib_db_commit(db), 0);
	const float q[][2] = { { 0, 0 }, { -1, -1 }, { 0.95f, 0.95f }, { -0.99f, 0.99f }, { 0.3f, -0.7f } };
	const size_t ks[] = { 1, 10, 50 };
	for (size_t qi = 0; qi < sizeof q / sizeof q[0]; qi++)
		for (size_t ki = 0; ki < 3; ki++) {
			struct lib_track *t;
			size_t got;
			assert_int_equal(lib_db_nearest(db, q[qi][0], q[qi][1], ks[ki], &t, &got), 0);
			assert_int_equal(got, ks[ki]);
			/* brute force: the k-th smallest distance */
			static double d[N];
			for (int i = 0; i < N; i++)
				d[i] = hypot(v[i] - q[qi][0], a[i] - q[qi][1]);
			for (size_t j = 0; j < got; j++) {
				double dj = hypot(t[j].valence - q[qi][0], t[j].arousal - q[qi][1]);
				size_t closer = 0;
				for (int i = 0; i < N; i++)
					closer += d[i] < dj - 1e-6;
				assert_true(closer <= j);   /* nothing missed */
				if (j)
					assert_true(dj >= hypot(t[j - 1].valence - q[qi][0], t[j - 1].arousal - q[qi][1]) - 1e-6);
			}
			lib_tracks_free(t, got);
		}
	struct lib_track *t;
	size_t got;
	assert_int_equal(lib_db_nearest(db, 0, 0, N + 10, &t, &got), 0);
	assert_int_equal(got, N);
	lib_tracks_free(t, got);
	lib_db_close(db);
}

static void bad_files(void **state)
{
	char p[128];
	struct lib_db *db;
	/* Not a database. */
	snprintf(p, sizeof p, "%s/text.db", dir);
	FILE *f = fopen(p, "w");
	fputs("this is not an sqlite database, it is a long line of text to fill a header.......\n", f);
	fclose(f);
	assert_int_equal(lib_db_open(p, &db, NULL, 0), LIB_DB_ECORRUPT);
	/* A newer schema is refused. */
	snprintf(p, sizeof p, "%s/new.db", dir);
	sqlite3 *s;
	assert_int_equal(sqlite3_open(p, &s), SQLITE_OK);
	assert_int_equal(sqlite3_exec(s, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(s);
	assert_int_equal(lib_db_open(p, &db, NULL, 0), LIB_DB_EVERSION);
	/* A folder that cannot be created. */
	assert_int_equal(lib_db_open("/proc/emotune/no/library.db", &db, NULL, 0), LIB_DB_EOPEN);
	assert_non_null(lib_db_strerror(LIB_DB_ESQL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rows),
		cmocka_unit_test(nearest),
		cmocka_unit_test(bad_files),
	};
	return cmocka_run_group_tests_name("lib_db", tests, setup, teardown);
}
