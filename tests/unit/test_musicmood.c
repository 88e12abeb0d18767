/* Unit tests for musicmood: normalisation sidecar, valence/arousal mapping,
 * the shipped model, broken models refused, SVM models (4-way and heads),
 * the quantile normalisation (norm format 4);
 * musicmood_aux: mood tags, tag-derived targets, stacking, feature groups. */
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
#include <sys/stat.h>
#include <unistd.h>

#include <libsvm/svm.h>

#include "analysis.h"
#include "config.h"
#include "dn.h"
#include "musicmood.h"
#include "musicmood_aux.h"
#include "musicmood_qnorm.h"
#include "test_tmp.h"

static char dir[] = "/tmp/emotune-mm-XXXXXX";

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return test_tmp_remove(dir);
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
	int kind = -1, target = -1;
	for (int i = 0; i < ANALYSIS_NFEAT; i++) {
		mean[i] = i * 0.5f - 3;
		sd[i] = 1.0f / (i + 1);
	}
	snprintf(p, sizeof p, "%s/x.norm", dir);
	assert_int_equal(musicmood_norm_write(p, mean, sd, ANALYSIS_NFEAT, 0, NULL, MUSICMOOD_SVM, MUSICMOOD_HEADS, "test"), 0);
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT, NULL, NULL, &kind, &target, why, sizeof why), 0);
	assert_int_equal(kind, MUSICMOOD_SVM);
	assert_int_equal(target, MUSICMOOD_HEADS);
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		assert_true(m2[i] == mean[i] && s2[i] == sd[i]);
	/* Wrong feature count. */
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT - 1, NULL, NULL, NULL, NULL, why, sizeof why), MUSICMOOD_ENORM);
	assert_non_null(strstr(why, "features"));
	/* Truncated. */
	FILE *f = fopen(p, "r+");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), 200), 0);
	fclose(f);
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT, NULL, NULL, NULL, NULL, why, sizeof why), MUSICMOOD_ENORM);
	/* Missing. */
	snprintf(p, sizeof p, "%s/none.norm", dir);
	assert_int_equal(musicmood_norm_read(p, m2, s2, ANALYSIS_NFEAT, NULL, NULL, NULL, NULL, why, sizeof why), MUSICMOOD_ENORM);
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
	/* A network model: the shipped cfg, fresh weights, an mlp norm file
	 * (the shipped model is an SVM). */
	assert_int_equal(config_path_share(cfg, sizeof cfg, MUSICMOOD_CFG), 0);
	snprintf(w, sizeof w, "%s/fresh.weights", dir);
	snprintf(nm, sizeof nm, "%s/mlp.norm", dir);
	struct dn_net *net;
	assert_int_equal(dn_load(cfg, NULL, 1, &net, why, sizeof why), 0);
	assert_int_equal(dn_save(net, w), 0);
	dn_free(net);
	float mean[ANALYSIS_NFEAT] = { 0 }, sd[ANALYSIS_NFEAT];
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		sd[i] = 1;
	assert_int_equal(musicmood_norm_write(nm, mean, sd, ANALYSIS_NFEAT, 0, NULL, MUSICMOOD_MLP,
					      MUSICMOOD_QUAD, NULL), 0);
	assert_int_equal(musicmood_open(cfg, w, nm, &m, why, sizeof why), 0);
	musicmood_free(m);
	/* Truncated weights. */
	snprintf(p, sizeof p, "%s/short.weights", dir);
	copy(w, p, 100);
	assert_int_equal(musicmood_open(cfg, p, nm, &m, why, sizeof why), MUSICMOOD_EMODEL);
	assert_non_null(strstr(why, "short.weights"));
	/* A cfg that is not one. */
	snprintf(p, sizeof p, "%s/bad.cfg", dir);
	FILE *f = fopen(p, "w");
	fputs("[net]\nwidth=143\nheight=1\nchannels=1\n[frobnicate]\n", f);
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

/* Trains a small RBF SVM on points around (+-1, +-1) in features 0 and 1:
 * labels 1..4 by quadrant (quad), or the sign of feature h (heads). */
static void write_svm(const char *path, int target, int h)
{
	enum { N = 40 };
	struct svm_node nodes[N][3], *x[N];
	double y[N];
	for (int i = 0; i < N; i++) {
		int q = i % 4;
		double v = (q == 0 || q == 3) ? 1 : -1, a = q <= 1 ? 1 : -1;
		double jit = 0.1 * ((i * 7) % 5 - 2);
		nodes[i][0] = (struct svm_node){ 1, v + jit };
		nodes[i][1] = (struct svm_node){ 2, a - jit };
		nodes[i][2] = (struct svm_node){ -1, 0 };
		x[i] = nodes[i];
		y[i] = target == MUSICMOOD_QUAD ? q + 1 : (h == 0 ? v : a);
	}
	struct svm_problem pr = { N, y, x };
	struct svm_parameter par = { .svm_type = C_SVC, .kernel_type = RBF, .gamma = 0.5,
		.cache_size = 8, .eps = 1e-3, .C = 1, .shrinking = 1, .probability = 1 };
	srand(1);
	struct svm_model *m = svm_train(&pr, &par);
	assert_non_null(m);
	assert_int_equal(svm_save_model(path, m), 0);
	svm_free_and_destroy_model(&m);
}

static void svm_quiet(const char *s) { (void)s; }

static void svm_models(void **state)
{
	char w[PATH_MAX], nm[PATH_MAX], sp[PATH_MAX], why[512];
	float mean[ANALYSIS_NFEAT] = { 0 }, sd[ANALYSIS_NFEAT] = { 0 };
	sd[0] = sd[1] = 1;   /* two features used, the rest disabled */
	svm_set_print_string_function(svm_quiet);
	for (int target = MUSICMOOD_QUAD; target <= MUSICMOOD_HEADS; target++) {
		snprintf(w, sizeof w, "%s/svm%d.weights", dir, target);   /* never read */
		snprintf(nm, sizeof nm, "%s/svm%d.norm", dir, target);
		assert_int_equal(musicmood_norm_write(nm, mean, sd, ANALYSIS_NFEAT, 0, NULL, MUSICMOOD_SVM,
						      target, NULL), 0);
		struct musicmood *m;
		/* Model files missing: refused, naming the file. */
		assert_int_equal(musicmood_open("/nonexistent.cfg", w, nm, &m, why, sizeof why),
				 MUSICMOOD_EMODEL);
		musicmood_svm_path(w, target, 0, sp, sizeof sp);
		assert_non_null(strstr(why, sp));
		for (int h = 0; h < (target == MUSICMOOD_QUAD ? 1 : 2); h++) {
			musicmood_svm_path(w, target, h, sp, sizeof sp);
			write_svm(sp, target, h);
		}
		/* No cfg or weights needed for an SVM-only model. */
		int err = musicmood_open("/nonexistent.cfg", w, nm, &m, why, sizeof why);
		if (err)
			fail_msg("svm model refused: %s", why);
		assert_int_equal(strlen(musicmood_id(m)), 16);
		for (int q = 1; q <= 4; q++) {
			float f[ANALYSIS_NFEAT] = { 0 }, v, a, p[4];
			f[0] = (q == 1 || q == 4) ? 1 : -1;
			f[1] = q <= 2 ? 1 : -1;
			f[5] = 1000;   /* disabled: ignored */
			assert_int_equal(musicmood_predict(m, f, &v, &a, p), 0);
			assert_true(fabsf(p[0] + p[1] + p[2] + p[3] - 1) < 1e-3f);
			assert_int_equal(musicmood_quadrant(v, a), q);
		}
		musicmood_free(m);
	}
	/* A file that is not a libsvm model. */
	musicmood_svm_path(w, MUSICMOOD_HEADS, 1, sp, sizeof sp);
	FILE *f = fopen(sp, "w");
	assert_non_null(f);
	fputs("svm_type frobnicate\n", f);
	fclose(f);
	struct musicmood *m;
	assert_int_equal(musicmood_open(NULL, w, nm, &m, why, sizeof why), MUSICMOOD_EMODEL);
	assert_non_null(strstr(why, "arousal.svm"));
	/* A directory in its place. */
	assert_int_equal(unlink(sp), 0);
	assert_int_equal(mkdir(sp, 0700), 0);
	assert_int_equal(musicmood_open(NULL, w, nm, &m, why, sizeof why), MUSICMOOD_EMODEL);
	assert_non_null(strstr(why, "not a regular file"));
	/* A model line that does not parse. */
	f = fopen(nm, "w");
	fprintf(f, "emotune-music-mood-norm 2\nfeatures %d version %d\nmodel mlp heads\n", ANALYSIS_NFEAT,
		ANALYSIS_VERSION);
	fclose(f);
	assert_int_equal(musicmood_open(NULL, w, nm, &m, why, sizeof why), MUSICMOOD_ENORM);
	assert_non_null(strstr(why, "model line"));
}

/* Norm format 3: stacked inputs (issue 19). */
static void norm_stack(void **state)
{
	(void)state;
	char path[PATH_MAX], why[512];
	snprintf(path, sizeof path, "%s/stack.norm", dir);
	float mean[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX], sd[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX];
	for (int i = 0; i < ANALYSIS_NFEAT + 2; i++) {
		mean[i] = (float)i;
		sd[i] = 1.0f + (float)i;
	}
	assert_int_equal(musicmood_norm_write(path, mean, sd, ANALYSIS_NFEAT, 2, NULL, MUSICMOOD_SVM,
						    MUSICMOOD_QUAD, "t"), 0);
	float m2[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX], s2[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX];
	int ns = -1, model, target;
	assert_int_equal(musicmood_norm_read(path, m2, s2, ANALYSIS_NFEAT, &ns, NULL, &model, &target,
						   why, sizeof why), 0);
	assert_int_equal(ns, 2);
	assert_true(m2[ANALYSIS_NFEAT + 1] == mean[ANALYSIS_NFEAT + 1] && s2[ANALYSIS_NFEAT] == sd[ANALYSIS_NFEAT]);
	/* A reader without room for stacked inputs (nstack NULL) refuses it. */
	assert_int_equal(musicmood_norm_read(path, m2, s2, ANALYSIS_NFEAT, NULL, NULL, NULL, NULL, why, sizeof why),
			 MUSICMOOD_ENORM);
	/* Without stacked inputs the file stays format 2. */
	assert_int_equal(musicmood_norm_write(path, mean, sd, ANALYSIS_NFEAT, 0, NULL, MUSICMOOD_SVM,
						    MUSICMOOD_QUAD, NULL), 0);
	assert_int_equal(musicmood_norm_read(path, m2, s2, ANALYSIS_NFEAT, &ns, NULL, NULL, NULL, why,
						   sizeof why), 0);
	assert_int_equal(ns, 0);
	char p2[PATH_MAX];
	musicmood_svm_path("/x/music_mood.weights", MUSICMOOD_STACK, 1, p2, sizeof p2);
	assert_string_equal(p2, "/x/music_mood.stack1.svr");
}

/* metadata.csv with quoted fields; the tag-derived targets of issue 19. */
static void aux_tags(void **state)
{
	(void)state;
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/metadata.csv", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("song,artist,title,quadrant,genres,moods\n"
	      "MT02,\"Bobby \"\"Blue\"\" Bland\",\"a, b\",Q1,Blues,Joyous; Happy\n"
	      "MT01,x,y,Q4,Pop,Calm; Joyous\n"
	      "MT03,x,y,Q3,Pop,Sad; Calm\n"
	      "short line\n"
	      "MT04,x,y,Q2,Pop,Angry\n", f);
	fclose(f);
	struct musicmood_tags *t;
	assert_int_equal(musicmood_tags_load(path, &t), 0);
	assert_int_equal(musicmood_tags_find(t, "Q4/MT01.opus"), 0);
	assert_int_equal(musicmood_tags_find(t, "MT04"), 3);
	assert_int_equal(musicmood_tags_find(t, "Q1/MT99.opus"), -1);
	struct musicmood_aux_spec s;
	assert_int_equal(musicmood_aux_parse("va,tags2", &s), 0);
	assert_int_equal(musicmood_aux_count(&s), 4);
	assert_int_equal(musicmood_aux_parse("tags0", &s), -1);
	assert_int_equal(musicmood_aux_parse("tags17", &s), -1);
	assert_int_equal(musicmood_aux_parse("va,frob", &s), -1);
	assert_int_equal(musicmood_aux_parse("soft,clean0.1", &s), 0);
	assert_true(s.soft && s.clean && fabs(s.clean_t - 0.1) < 1e-12);
	assert_int_equal(musicmood_aux_count(&s), 0);
	assert_int_equal(musicmood_aux_parse("clean2", &s), -1);
	assert_int_equal(musicmood_aux_parse("clean", &s), -1);
	assert_int_equal(musicmood_aux_parse("", &s), -1);
	assert_int_equal(musicmood_aux_parse("va,signs", &s), -1);
	assert_int_equal(musicmood_aux_parse("signs", &s), 0);
	assert_int_equal(musicmood_aux_count(&s), 2);
	int r2[2] = { 0, 1 }, q2[2] = { 1, 3 };
	double y2[4];
	assert_int_equal(musicmood_aux_targets(t, &s, r2, q2, 2, y2), 0);
	assert_true(y2[0] == -1 && y2[1] == 1 && y2[2] == 1 && y2[3] == -1);
	assert_int_equal(musicmood_aux_parse("va,tags2", &s), 0);
	/* Clips MT02 (Q1), MT01 (Q4), MT03 (Q3), MT04 (Q2), one without tags (Q2). */
	int rows[5] = { 1, 0, 2, 3, -1 }, q[5] = { 0, 3, 2, 1, 1 };
	double y[5 * 4];
	assert_int_equal(musicmood_aux_targets(t, &s, rows, q, 5, y), 0);
	/* MT02: Joyous (other carrier MT01: v+ a-), Happy (none): v 1, a -1. */
	assert_true(fabs(y[0] - 1) < 1e-9 && fabs(y[1] + 1) < 1e-9);
	/* MT01: Calm (MT03: v- a-), Joyous (MT02: v+ a+): v 0, a 0. */
	assert_true(fabs(y[4]) < 1e-9 && fabs(y[5]) < 1e-9);
	/* MT03: Calm (MT01: v+ a-): its own label is not in its target. */
	assert_true(fabs(y[8] - 1) < 1e-9 && fabs(y[9] + 1) < 1e-9);
	/* MT04: Angry has no other carrier, and the untagged clip: own signs. */
	assert_true(fabs(y[12] + 1) < 1e-9 && fabs(y[13] - 1) < 1e-9);
	assert_true(fabs(y[16] + 1) < 1e-9 && fabs(y[17] - 1) < 1e-9);
	/* Top 2 tags: Joyous (2), Calm (2). */
	assert_true(y[2] == 1 && y[3] == -1 && y[6] == 1 && y[7] == 1 && y[10] == -1 && y[11] == 1);
	assert_true(y[14] == -1 && y[15] == -1 && y[18] == -1 && y[19] == -1);
	/* The soft targets alone; clean0.5 drops MT02 (its tags lean to low
	 * arousal), MT01 (0, 0) and MT03 (to positive valence), keeps the
	 * clips that fall back on their own signs. */
	double va[5 * 2];
	unsigned char keep[5];
	assert_int_equal(musicmood_aux_parse("clean0.5", &s), 0);
	assert_int_equal(musicmood_aux_soft(t, &s, rows, q, 5, va, keep), 0);
	assert_true(fabs(va[0] - 1) < 1e-9 && fabs(va[3]) < 1e-9);
	assert_true(!keep[0] && !keep[1] && !keep[2] && keep[3] && keep[4]);
	assert_int_equal(musicmood_aux_parse("soft", &s), 0);
	assert_int_equal(musicmood_aux_soft(t, &s, rows, q, 5, va, keep), 0);
	assert_true(keep[0] && keep[1] && keep[2] && keep[3] && keep[4]);
	musicmood_tags_free(t);
	snprintf(path, sizeof path, "%s/nomoods.csv", dir);
	f = fopen(path, "w");
	fputs("song,quadrant\nMT01,Q1\n", f);
	fclose(f);
	assert_int_equal(musicmood_tags_load(path, &t), MUSICMOOD_AUX_EFORMAT);
	assert_null(t);
	assert_int_equal(musicmood_tags_load("/nonexistent/x.csv", &t), MUSICMOOD_AUX_EOPEN);
}

/* Every feature in exactly one group; stacking predicts a learnable target. */
static void aux_groups_stack(void **state)
{
	(void)state;
	for (int i = 0; i < ANALYSIS_NFEAT; i++) {
		int in = 0;
		for (int g = 0; g < MUSICMOOD_NGROUPS; g++)
			in += musicmood_group_has(musicmood_group_names[g], analysis_feature_name(i));
		assert_int_equal(in, 1);
	}
	assert_int_equal(musicmood_group_has("frob", "mfcc0_mean"), -1);
	assert_int_equal(musicmood_group_has("dmfcc", "mfcc0_mean"), 0);
	/* y = x0 on 60 training points, tested at -0.5 and 0.5. */
	enum { N = 60 };
	struct svm_node nodes[N + 2][2], *x[N + 2];
	double y[N];
	for (int k = 0; k < N + 2; k++) {
		double v = k < N ? -1 + 2.0 * k / (N - 1) : k == N ? -0.5 : 0.5;
		nodes[k][0] = (struct svm_node){ .index = 1, .value = v };
		nodes[k][1] = (struct svm_node){ .index = -1 };
		x[k] = nodes[k];
		if (k < N)
			y[k] = v;
	}
	svm_set_print_string_function(svm_quiet);
	float ptr[N], pte[2];
	assert_int_equal(musicmood_aux_stack(x, N, y, 1, x + N, 2, 1.0, 5, 7, NULL, ptr, pte, NULL), 0);
	assert_true(fabs(pte[0] + 0.5) < 0.15 && fabs(pte[1] - 0.5) < 0.15);
	for (int k = 5; k < N - 5; k++)   /* out-of-fold, inside the range */
		assert_true(fabs(ptr[k] - y[k]) < 0.25);
	/* Groups: 30 pairs of twin rows (same input, same random +-1 target).
	 * Split apart, a row's out-of-fold prediction copies its twin's target;
	 * kept in one inner fold (--augment halves), it cannot. */
	double yt[N];
	int group[N];
	unsigned r = 12345;
	for (int k = 0; k < N; k++) {
		int pair = k / 2;
		nodes[k][0].value = -1 + 2.0 * pair / (N / 2 - 1);
		if (k % 2 == 0) {
			r = r * 1103515245u + 12345u;
			yt[k] = (r >> 16) & 1 ? 1 : -1;
		} else {
			yt[k] = yt[k - 1];
		}
		group[k] = pair;
	}
	double agree[2] = { 0, 0 };
	for (int g = 0; g < 2; g++) {
		assert_int_equal(musicmood_aux_stack(x, N, yt, 1, x + N, 2, 2000.0, 5, 7, g ? group : NULL,
						     ptr, pte, NULL), 0);
		for (int k = 0; k < N; k++)
			agree[g] += ptr[k] * yt[k];
		agree[g] /= N;
	}
	assert_true(agree[0] > 0.5);    /* twins apart: the target leaks (0.78) */
	assert_true(fabs(agree[1]) < 0.3);   /* together: chance (-0.03) */
}

/* The quantile table: knots, positions, ties, edges, NaN (issue 19). */
static void qnorm_table(void **state)
{
	(void)state;
	enum { R = 101 };
	static float data[R][3];
	const float *rows[R];
	for (int r = 0; r < R; r++) {
		data[r][0] = (float)(R - 1 - r);   /* 0..100, in any order */
		data[r][1] = 5;                    /* constant */
		data[r][2] = r % 2 ? NAN : (float)r;   /* even numbers, NaN between */
		rows[r] = data[r];
	}
	static struct musicmood_qnorm q;
	assert_int_equal(musicmood_qnorm_fit(&q, rows, R, 3), 0);
	assert_int_equal(q.n, 3);
	for (int k = 0; k < MUSICMOOD_QKNOTS; k++) {
		assert_true(fabsf(q.knot[0][k] - (float)k) < 1e-4f);
		assert_true(q.knot[1][k] == 5);
		assert_true(fabsf(q.knot[2][k] - (float)k) < 1e-3f);   /* 51 even values 0..100 */
	}
	double edge = musicmood_qnorm_probit(0.5 / MUSICMOOD_QKNOTS);
	assert_true(fabs(edge + 2.58) < 0.01);
	assert_true(fabs(musicmood_qnorm_probit(0.975) - 1.959964) < 1e-5);
	assert_true(fabs(musicmood_qnorm_probit(0.01) + 2.326348) < 1e-5);
	float x[3] = { 50, 5, NAN };
	musicmood_qnorm_apply(&q, x);
	assert_true(fabsf(x[0]) < 1e-6f);     /* the median */
	assert_true(fabsf(x[1]) < 1e-6f);     /* the middle of a run of equal knots */
	assert_true(x[2] != x[2]);            /* NaN stays NaN */
	float lo[3] = { -1e30f, 4, 0 }, hi[3] = { 1e30f, 6, 100 };
	musicmood_qnorm_apply(&q, lo);
	musicmood_qnorm_apply(&q, hi);
	assert_true(fabs(lo[0] - edge) < 1e-5 && fabs(hi[0] + edge) < 1e-5);   /* held at the edges */
	assert_true(fabs(lo[1] - edge) < 1e-5 && fabs(hi[1] + edge) < 1e-5);
	assert_true(fabs(lo[2] - edge) < 1e-5 && fabs(hi[2] + edge) < 1e-5);
	float prev = -10;
	for (float v = -5; v <= 105; v += 0.25f) {   /* non-decreasing, symmetric */
		float y[3] = { v, 5, 0 }, z[3] = { 100 - v, 5, 0 };   /* q.n values */
		musicmood_qnorm_apply(&q, y);
		musicmood_qnorm_apply(&q, z);
		assert_true(y[0] >= prev);
		assert_true(fabsf(y[0] + z[0]) < 1e-4f);
		prev = y[0];
	}
}

/* Norm format 4: the table in the sidecar, refused where malformed, and
 * applied by musicmood_predict(). */
static void norm_quantile(void **state)
{
	(void)state;
	enum { R = 1001 };
	char path[PATH_MAX], w[PATH_MAX], sp[PATH_MAX], why[512];
	snprintf(path, sizeof path, "%s/q.norm", dir);
	snprintf(w, sizeof w, "%s/q.weights", dir);
	/* Features 0 and 1: 1000 + 100 z for z standard normal, so the table
	 * maps 1000 +- 100 to about +-1 (the SVM's training points). */
	static float data[R][ANALYSIS_NFEAT];
	const float *rows[R];
	for (int r = 0; r < R; r++) {
		for (int j = 0; j < ANALYSIS_NFEAT; j++)
			data[r][j] = (float)(1000 + 100 * musicmood_qnorm_probit((r + 0.5) / R));
		rows[r] = data[r];
	}
	static struct musicmood_qnorm q, q2;
	assert_int_equal(musicmood_qnorm_fit(&q, rows, R, ANALYSIS_NFEAT), 0);
	float mean[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX] = { 0 }, sd[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX] = { 0 };
	sd[0] = sd[1] = 1;
	assert_int_equal(musicmood_norm_write(path, mean, sd, ANALYSIS_NFEAT, 0, &q, MUSICMOOD_SVM,
						MUSICMOOD_QUAD, "t"), 0);
	float m2[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX], s2[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX];
	int ns = -1;
	assert_int_equal(musicmood_norm_read(path, m2, s2, ANALYSIS_NFEAT, &ns, &q2, NULL, NULL, why,
					       sizeof why), 0);
	assert_int_equal(ns, 0);
	assert_int_equal(q2.n, ANALYSIS_NFEAT);
	assert_memory_equal(q.knot, q2.knot, sizeof q.knot);   /* %.9g round-trips floats */
	/* A reader without room for the table (q NULL) refuses format 4. */
	assert_int_equal(musicmood_norm_read(path, m2, s2, ANALYSIS_NFEAT, &ns, NULL, NULL, NULL, why,
						   sizeof why), MUSICMOOD_ENORM);
	/* The model runs the table first: 1000 +- 100 land in their quadrants. */
	musicmood_svm_path(w, MUSICMOOD_QUAD, 0, sp, sizeof sp);
	svm_set_print_string_function(svm_quiet);
	write_svm(sp, MUSICMOOD_QUAD, 0);
	struct musicmood *m;
	if (musicmood_open("/nonexistent.cfg", w, path, &m, why, sizeof why))
		fail_msg("format 4 refused: %s", why);
	for (int k = 1; k <= 4; k++) {
		float f[ANALYSIS_NFEAT] = { 0 }, v, a;
		f[0] = (k == 1 || k == 4) ? 1100 : 900;
		f[1] = k <= 2 ? 1100 : 900;
		assert_int_equal(musicmood_predict(m, f, &v, &a, NULL), 0);
		assert_int_equal(musicmood_quadrant(v, a), k);
		assert_true(fabsf(v) > 0.3f && fabsf(a) > 0.3f);
	}
	musicmood_free(m);
	/* A format 3/2 file read with a table: no transform. */
	assert_int_equal(musicmood_norm_write(path, mean, sd, ANALYSIS_NFEAT, 0, NULL, MUSICMOOD_SVM,
						    MUSICMOOD_QUAD, NULL), 0);
	assert_int_equal(musicmood_norm_read(path, m2, s2, ANALYSIS_NFEAT, &ns, &q2, NULL, NULL, why,
					       sizeof why), 0);
	assert_int_equal(q2.n, 0);
	/* Knots out of order, and too few of them: refused by name. */
	q.knot[7][50] = q.knot[7][49] - 1;
	assert_int_equal(musicmood_norm_write(path, mean, sd, ANALYSIS_NFEAT, 0, &q, MUSICMOOD_SVM,
						MUSICMOOD_QUAD, NULL), 0);
	assert_int_equal(musicmood_norm_read(path, m2, s2, ANALYSIS_NFEAT, &ns, &q2, NULL, NULL, why,
					       sizeof why), MUSICMOOD_ENORM);
	assert_non_null(strstr(why, "quantile knots"));
	assert_int_equal(q2.n, 0);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "emotune-music-mood-norm 4\nfeatures %d version %d\nmodel svm quad\nstack 0\n"
		   "quantiles %d\nknots 1 2 3\n", ANALYSIS_NFEAT, ANALYSIS_VERSION, MUSICMOOD_QKNOTS);
	fclose(f);
	assert_int_equal(musicmood_open("/nonexistent.cfg", w, path, &m, why, sizeof why),
			 MUSICMOOD_ENORM);
	assert_non_null(strstr(why, "quantile knots"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(mapping),
		cmocka_unit_test(norm_file),
		cmocka_unit_test(shipped_model),
		cmocka_unit_test(broken_models),
		cmocka_unit_test(svm_models),
		cmocka_unit_test(norm_stack),
		cmocka_unit_test(aux_tags),
		cmocka_unit_test(aux_groups_stack),
		cmocka_unit_test(qnorm_table),
		cmocka_unit_test(norm_quantile),
	};
	return cmocka_run_group_tests_name("musicmood", tests, setup, teardown);
}
