/* Unit tests for musicmood: normalisation sidecar, valence/arousal mapping,
 * the shipped model, broken models refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "analysis.h"
#include "config.h"
#include "musicmood.h"

static char dir[] = "/tmp/emotune-mm-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void mapping(void **state)
{
	float v, a;
	const float p1[4] = { 1, 0, 0, 0 }, p3[4] = { 0, 0, 1, 0 }, even[4] = { .25f, .25f, .25f, .25f };
	musicmood_va(p1, &v, &a);
	assert_true(v == 1 && a == 1);
	musicmood_va(p3, &v, &a);
	assert_true(v == -1 && a == -1);
	musicmood_va(even, &v, &a);
	assert_true(fabsf(v) < 1e-6f && fabsf(a) < 1e-6f);
	assert_int_equal(musicmood_quadrant(0, 0), 1);
	assert_int_equal(musicmood_quadrant(-0.1f, 0.5f), 2);
	assert_int_equal(musicmood_quadrant(-0.1f, -0.5f), 3);
	assert_int_equal(musicmood_quadrant(0.1f, -0.5f), 4);
	float x[3] = { 5, 1000, NAN };
	const float mean[3] = { 1, 0, 0 }, sd[3] = { 2, 1, 1 };
	musicmood_normalise(x, mean, sd, 3);
	assert_true(x[0] == 2 && x[1] == 8 && x[2] == 0);
}

static void norm_file(void **state)
{
	char p[128], why[256];
	float mean[ANALYSIS_NFEAT], sd[ANALYSIS_NFEAT], m2[ANALYSIS_NFEAT], s2[ANALYSIS_NFEAT];
	for (int i = 0; i < ANALYSIS_NFEAT; i++) {
		mean[i] = i * 0.5f - 3;
		sd[i] = 1.0f / (i + 1);
	}
	snprintf(p, sizeof p, "%s/x.norm", dir);
	assert_int_equal(musicmood_norm_write(p, mean, sd, ANALYSIS_NFEAT, "test"), 0);
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT, why, sizeof why), 0);
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		assert_true(m2[i] == mean[i] && s2[i] == sd[i]);
	/* Wrong feature count. */
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT - 1, why, sizeof why), MUSICMOOD_ENORM);
	assert_non_null(strstr(why, "features"));
	/* Truncated. */
	FILE *f = fopen(p, "r+");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 200), 0);
	fclose(f);
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT, why, sizeof why), MUSICMOOD_ENORM);
	/* Missing. */
	snprintf(p, sizeof p, "%s/none.norm", dir);
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT, why, sizeof why), MUSICMOOD_ENORM);
	assert_non_null(strstr(why, "none.norm"));
}

static void shipped_model(void **state)
{
	char why[512];
	struct musicmood *m;
	/* EMOTUNE_DATADIR (set by make check) points at the source tree. */
	int err = musicmood_open(NULL, NULL, NULL, &m, why, sizeof why);
	if (err)
		fail_msg("shipped model refused: %s", why);
	assert_int_equal(strlen(musicmood_id(m)), 16);
	float f[ANALYSIS_NFEAT] = { 0 }, v, a, p[4];
	assert_int_equal(musicmood_predict(m, f, &v, &a, p), 0);
	assert_true(v >= -1 && v <= 1 && a >= -1 && a <= 1);
	assert_true(fabsf(p[0] + p[1] + p[2] + p[3] - 1) < 1e-4f);
	musicmood_free(m);
}

static void copy(const char *from, const char *to, long keep)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	assert_non_null(a);
	assert_non_null(b);
	int c;
	long n = 0;
	while ((c = fgetc(a)) != EOF && (keep < 0 || n < keep)) {
		fputc(c, b);
		n++;
	}
	fclose(a);
	fclose(b);
}

static void broken_models(void **state)
{
	char cfg[PATH_MAX], w[PATH_MAX], nm[PATH_MAX], p[PATH_MAX], why[512];
	struct musicmood *m;
	assert_int_equal(config_path_share(cfg, sizeof cfg, MUSICMOOD_CFG), 0);
	assert_int_equal(config_path_share(w, sizeof w, MUSICMOOD_WEIGHTS), 0);
	assert_int_equal(config_path_share(nm, sizeof nm, MUSICMOOD_NORM), 0);
	/* Truncated weights. */
	snprintf(p, sizeof p, "%s/short.weights", dir);
	copy(w, p, 100);
	assert_int_equal(musicmood_open(cfg, p, nm, &m, why, sizeof why), MUSICMOOD_EMODEL);
	assert_non_null(strstr(why, "short.weights"));
	/* A cfg that is not one. */
	snprintf(p, sizeof p, "%s/bad.cfg", dir);
	FILE *f = fopen(p, "w");
	fputs("[net]\nwidth=108\nheight=1\nchannels=1\n[frobnicate]\n", f);
	fclose(f);
	assert_int_equal(musicmood_open(p, w, nm, &m, why, sizeof why), MUSICMOOD_EMODEL);
	/* A network of the wrong shape (no weights: fresh). */
	f = fopen(p, "w");
	fputs("[net]\nwidth=10\nheight=1\nchannels=1\n[connected]\noutput=4\nactivation=linear\n[softmax]\n", f);
	fclose(f);
	assert_int_equal(musicmood_open(p, w, nm, &m, why, sizeof why), MUSICMOOD_EMODEL);
	/* Missing normalisation. */
	snprintf(p, sizeof p, "%s/none.norm", dir);
	assert_int_equal(musicmood_open(cfg, w, p, &m, why, sizeof why), MUSICMOOD_ENORM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mapping),
		cmocka_unit_test(norm_file),
		cmocka_unit_test(shipped_model),
		cmocka_unit_test(broken_models),
	};
	return cmocka_run_group_tests_name("musicmood", tests, setup, teardown);
}
