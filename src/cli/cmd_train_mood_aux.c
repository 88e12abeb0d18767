/*
 * cmd_train_mood_aux: the --aux glue of `emotune train-mood` (issue 19):
 * tag-derived targets, stacked inputs and their SVRs on the command's clips
 * (cmd_train_mood_priv.h; the models themselves in musicmood_aux.h), the
 * --features list and the --norm quantile transform of a fold's clips.
 */
#include "cmd.h"
#include "cmd_train_mood_priv.h"
#include "musicmood.h"
#include "musicmood_aux.h"

#include <libsvm/svm.h>

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_tm_aux_options(const char *aux, const char *meta, int svm, int quad,
		       const unsigned char *use, int final, struct musicmood_aux_spec *as,
		       struct musicmood_tags **tags)
{
	*tags = NULL;
	if (musicmood_aux_parse(aux, as)) {
		cmd_error("--aux", "'%s': va or signs, tagsK (K 1..%d), soft, cleanT, comma-separated", aux,
			  MUSICMOOD_AUX_MAX);
		return -1;
	}
	if (!svm || (!meta && (as->va == 1 || as->topk || as->soft || as->clean))) {
		cmd_error("--aux", "needs --model svm and, but for signs, --metadata FILE");
		return -1;
	}
	int all = 1;
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		all &= use[i];
	if (final && musicmood_aux_count(as) && (!quad || !all)) {
		cmd_error("--aux", "a model with stacked inputs (va, signs, tagsK) is written for "
			  "--target quad and --features all only (or add --no-final)");
		return -1;
	}
	int err = meta ? musicmood_tags_load(meta, tags) : 0;
	if (err) {
		cmd_error(meta, "%s", musicmood_aux_strerror(err));
		return -1;
	}
	return 0;
}

/* rows[k]: the tag row of clip k, rows[n + k] its quadrant. */
static void tag_rows(const struct musicmood_tags *tags, struct cmd_tm_clip *const *c, size_t n,
		     int *rows)
{
	for (size_t k = 0; k < n; k++) {
		rows[k] = tags ? musicmood_tags_find(tags, c[k]->name) : -1;
		rows[n + k] = c[k]->q;
	}
}

int cmd_tm_aux_train_set(const struct musicmood_tags *tags, const struct musicmood_aux_spec *as,
			 struct cmd_tm_clip **tr, size_t *ntr)
{
	size_t n = *ntr, m = 0;
	int *rows = malloc(sizeof(int) * (n * 2 + 1));
	double *va = malloc(sizeof(double) * (n * 2 + 1));
	unsigned char *keep = malloc(n + 1);
	int err = !rows || !va || !keep ? MUSICMOOD_AUX_ENOMEM : 0;
	if (!err) {
		tag_rows(tags, tr, n, rows);
		err = musicmood_aux_soft(tags, as, rows, rows + n, n, va, keep);
	}
	for (size_t k = 0; !err && k < n; k++) {
		tr[k]->soft[0] = (float)va[2 * k];
		tr[k]->soft[1] = (float)va[2 * k + 1];
		if (keep[k])
			tr[m++] = tr[k];
	}
	if (!err)
		*ntr = m;
	else
		cmd_error("--aux", "%s", musicmood_aux_strerror(err));
	free(rows);
	free(va);
	free(keep);
	return err ? -1 : 0;
}

/* Mean and std of the analysis features over tr[] (std 0: constant), as
 * the command's normalisation computes them. Returns the features used. */
static int aux_stats(struct cmd_tm_clip *const *c, size_t n, float *mean, float *sd)
{
	int used = 0;
	cmd_tm_stats(c, n, ANALYSIS_NFEAT, mean, sd);
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		used += sd[i] > 0;
	return used > 0 ? used : 1;
}

/* Writes the nt SVRs next to the weights path; 0 or MUSICMOOD_AUX_EWRITE. */
static int aux_save(const char *save, struct svm_model **keep, int nt)
{
	int err = 0;
	for (int j = 0; !err && j < nt; j++) {
		char sp[PATH_MAX];
		musicmood_svm_path(save, MUSICMOOD_STACK, j, sp, sizeof sp);
		if (svm_save_model(sp, keep[j]))
			err = MUSICMOOD_AUX_EWRITE;
	}
	return err;
}

int cmd_tm_aux_augment(unsigned seed, const struct musicmood_tags *tags,
		       const struct musicmood_aux_spec *as, struct cmd_tm_clip *const *tr, size_t ntr,
		       struct cmd_tm_clip *const *te, size_t nte, const char *save)
{
	struct svm_model *keep[MUSICMOOD_AUX_MAX] = { NULL };
	int nt = musicmood_aux_count(as), err = MUSICMOOD_AUX_ENOMEM;
	float mean[ANALYSIS_NFEAT], sd[ANALYSIS_NFEAT], v[ANALYSIS_NFEAT];
	int used = aux_stats(tr, ntr, mean, sd);
	size_t n = ntr + nte;
	struct svm_node *nodes = malloc(sizeof *nodes * (n + 1) * (ANALYSIS_NFEAT + 1));
	struct svm_node **x = malloc(sizeof *x * (n + 1));
	int *rows = malloc(sizeof(int) * (ntr * 3 + 1));   /* tag rows, quadrants, groups */
	double *y = malloc(sizeof(double) * (ntr * (size_t)nt + 1));
	float *p = malloc(sizeof(float) * (n * (size_t)nt + 1));
	if (nodes && x && rows && y && p) {
		for (size_t k = 0; k < ntr; k++)
			rows[2 * ntr + k] = tr[k]->group;
		for (size_t k = 0; k < n; k++) {
			memcpy(v, (k < ntr ? tr[k] : te[k - ntr])->f, sizeof v);
			musicmood_normalise(v, mean, sd, ANALYSIS_NFEAT);
			x[k] = nodes + k * (ANALYSIS_NFEAT + 1);
			musicmood_svm_nodes(v, sd, ANALYSIS_NFEAT, x[k]);
		}
		tag_rows(tags, tr, ntr, rows);
		err = musicmood_aux_targets(tags, as, rows, rows + ntr, ntr, y);
		if (!err)
			err = musicmood_aux_stack(x, ntr, y, nt, x + ntr, nte, 1.0 / used, 5, seed,
						  rows + 2 * ntr, p, p + ntr * (size_t)nt, save ? keep : NULL);
		if (!err && save)
			err = aux_save(save, keep, nt);
		for (size_t k = 0; !err && k < n; k++)
			for (int j = 0; j < nt; j++)
				(k < ntr ? tr[k] : te[k - ntr])->f[ANALYSIS_NFEAT + j] = p[k * (size_t)nt + (size_t)j];
	}
	for (int j = 0; j < nt; j++)
		if (keep[j])
			svm_free_and_destroy_model(&keep[j]);
	if (err)
		cmd_error("--aux", "%s", musicmood_aux_strerror(err));
	free(nodes);
	free(x);
	free(rows);
	free(y);
	free(p);
	return err ? -1 : 0;
}

/* --features: comma-separated items applied in order: "all", "none",
 * "base" (the version-1 features, the first 108), "new" (the rest), or a
 * feature name prefix; "-ITEM" disables what ITEM names. */
int cmd_tm_parse_features(const char *spec, unsigned char *use)
{
	memset(use, 0, CMD_TM_NF);
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		int on = 1, hit = 0;
		if (*t == '-') {
			on = 0;
			t++;
		}
		for (int i = 0; i < ANALYSIS_NFEAT; i++) {
			int m = !strcmp(t, "all") || (!strcmp(t, "base") && i < 108) ||
				(!strcmp(t, "new") && i >= 108) ||
				(strcmp(t, "none") && !strncmp(analysis_feature_name(i), t, strlen(t))) ||
				musicmood_group_has(t, analysis_feature_name(i)) == 1;
			if (m || !strcmp(t, "none")) {
				use[i] = m ? (unsigned char)on : 0;
				hit = 1;
			}
		}
		if (!hit || !*t)
			return -1;
	}
	return 0;
}

int cmd_tm_qnorm(struct musicmood_qnorm *q, struct cmd_tm_clip **tr, size_t ntr,
		 struct cmd_tm_clip **te, size_t nte, struct cmd_tm_clip *qc)
{
	const float **rows = malloc(sizeof *rows * (ntr ? ntr : 1));
	if (!rows)
		return -1;
	for (size_t i = 0; i < ntr; i++)
		rows[i] = tr[i]->f;
	int err = musicmood_qnorm_fit(q, rows, ntr, ANALYSIS_NFEAT);
	free(rows);
	if (err)
		return -1;
	for (size_t i = 0; i < ntr + nte; i++) {
		struct cmd_tm_clip **p = i < ntr ? &tr[i] : &te[i - ntr];
		qc[i] = **p;
		musicmood_qnorm_apply(q, qc[i].f);
		*p = &qc[i];
	}
	return 0;
}
