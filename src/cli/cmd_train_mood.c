/*
 * cmd_train_mood: `emotune train-mood`, the music mood trainer.
 *
 * Reads the music4q clips (DIR/Q1..Q4/<clip>), extracts their features in
 * parallel (cached in a text file so that retraining is fast), estimates the
 * 4-quadrant accuracy by stratified k-fold cross-validation (the quadrant is
 * the one given by the signs of valence and arousal, as `emotune tracks`
 * shows), then trains on all clips and writes the weights and the
 * normalisation sidecar (musicmood.h). The clips and their features:
 * cmd_train_mood_clips.c.
 */
#include "analysis.h"
#include "cmd.h"
#include "cmd_train_mood_priv.h"
#include "config.h"
#include "dn.h"
#include "musicmood.h"
#include "musicmood_aux.h"

#include <libsvm/svm.h>

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- training ----------------------------------------------------------- */

#define NF CMD_TM_NF   /* the analysis' features, then the --aux columns */

enum { MODEL_MLP = MUSICMOOD_MLP, MODEL_SVM = MUSICMOOD_SVM, MODEL_ENS = MUSICMOOD_ENSEMBLE };
#define model_names musicmood_model_names
#define target_names musicmood_target_names


/* Standard normal (Box-Muller). */
static float gauss(unsigned *s)
{
	double u = (cmd_tm_rand(s) + 1.0) / 16777218.0, v = cmd_tm_rand(s) / 16777216.0;
	return (float)(sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

/* Mean and std of the n clips; disabled features get std 0. */
static void stats(const struct cmd_tm_hyper *h, struct cmd_tm_clip *const *c, size_t n, float *mean, float *sd)
{
	cmd_tm_stats(c, n, NF, mean, sd);
	for (int i = 0; i < NF; i++) {
		if (!h->use[i])
			sd[i] = 0;
		if (i >= ANALYSIS_NFEAT)
			sd[i] /= h->aux_weight;
	}
}

/* Trains a fresh net on the n clips tr[]; returns it (batch B) or NULL. */
static struct dn_net *train(const struct cmd_tm_hyper *h, struct cmd_tm_clip *const *tr, size_t n,
			    const float *mean, const float *sd, int verbose)
{
	char why[512];
	struct dn_net *net;
	int err = dn_load(h->cfg, NULL, 32, &net, why, sizeof why);
	if (err) {
		cmd_error(h->cfg, "%s", why[0] ? why : dn_strerror(err));
		return NULL;
	}
	int w, hh, c, o;
	dn_shape(net, &w, &hh, &c, &o);
	int B = dn_batch(net);
	if (w * hh * c != ANALYSIS_NFEAT || o != 4) {
		cmd_error(h->cfg, "the network takes %d inputs and gives %d outputs, need %d and 4",
			  w * hh * c, o, ANALYSIS_NFEAT);
		dn_free(net);
		return NULL;
	}
	float *x = malloc(sizeof(float) * ANALYSIS_NFEAT * (size_t)B), *y = malloc(sizeof(float) * 4 * (size_t)B);
	size_t *perm = malloc(sizeof(size_t) * n);
	if (!x || !y || !perm) {
		free(x);
		free(y);
		free(perm);
		dn_free(net);
		return NULL;
	}
	unsigned seed = h->seed;
	for (size_t k = 0; k < n; k++)
		perm[k] = k;
	size_t steps = n / (size_t)B;
	if (steps == 0)
		steps = 1;
	for (int ep = 0; ep < h->epochs; ep++) {
		for (size_t k = n; k > 1; k--) {
			size_t j = cmd_tm_rand(&seed) % k, t = perm[k - 1];
			perm[k - 1] = perm[j];
			perm[j] = t;
		}
		/* Cosine learning-rate decay to 5%. */
		float lr = h->lr * (0.05f + 0.95f * 0.5f * (1 + cosf((float)M_PI * ep / h->epochs)));
		double loss = 0;
		for (size_t st = 0; st < steps; st++) {
			for (int b = 0; b < B; b++) {
				const struct cmd_tm_clip *cl = tr[perm[(st * (size_t)B + (size_t)b) % n]];
				float *xi = x + (size_t)b * ANALYSIS_NFEAT;
				memcpy(xi, cl->f, sizeof(float) * ANALYSIS_NFEAT);
				musicmood_normalise(xi, mean, sd, ANALYSIS_NFEAT);
				if (h->noise > 0)
					for (int i = 0; i < ANALYSIS_NFEAT; i++)
						xi[i] += h->noise * gauss(&seed);
				for (int q = 0; q < 4; q++)
					y[b * 4 + q] = q == cl->q ? 1.0f : 0.0f;
			}
			loss += dn_train_batch(net, x, y, lr);
		}
		if (verbose && (ep + 1) % 50 == 0)
			fprintf(stderr, "train-mood: epoch %d loss %.4f\n", ep + 1, loss / steps);
	}
	free(x);
	free(y);
	free(perm);
	return net;
}

/* Predicts the quadrant probabilities of n clips with a batch net. */
static int predict(struct dn_net *net, struct cmd_tm_clip *const *te, size_t n, const float *mean,
		   const float *sd, float *probs)
{
	int B = dn_batch(net);
	float *x = calloc((size_t)B * ANALYSIS_NFEAT, sizeof(float));
	if (!x)
		return -1;
	for (size_t k0 = 0; k0 < n; k0 += (size_t)B) {
		for (int b = 0; b < B; b++) {
			float *xi = x + (size_t)b * ANALYSIS_NFEAT;
			if (k0 + (size_t)b < n) {
				memcpy(xi, te[k0 + (size_t)b]->f, sizeof(float) * ANALYSIS_NFEAT);
				musicmood_normalise(xi, mean, sd, ANALYSIS_NFEAT);
			} else {
				memset(xi, 0, sizeof(float) * ANALYSIS_NFEAT);
			}
		}
		const float *out = dn_predict_batch(net, x);
		for (int b = 0; b < B && k0 + (size_t)b < n; b++)
			memcpy(probs + (k0 + (size_t)b) * 4, out + b * 4, sizeof(float) * 4);
	}
	free(x);
	return 0;
}

/* --- SVM (libsvm) --------------------------------------------------------- */

struct svmfit {
	struct svm_model *m[2];
	int nm;
	struct svm_node *nodes;   /* the models point into these */
	struct svm_node **x;
	double *y;
};

static void svmfit_free(struct svmfit *s)
{
	for (int i = 0; i < s->nm; i++)
		svm_free_and_destroy_model(&s->m[i]);
	free(s->nodes);
	free(s->x);
	free(s->y);
	memset(s, 0, sizeof *s);
}

static void svm_quiet(const char *s) { (void)s; }

/* Fills nodes[k * (NF + 1) ...] with the normalised clips. */
static void svm_input(struct cmd_tm_clip *const *c, size_t n, const float *mean, const float *sd,
		      struct svm_node *nodes, struct svm_node **x)
{
	float v[NF];
	for (size_t k = 0; k < n; k++) {
		memcpy(v, c[k]->f, sizeof v);
		musicmood_normalise(v, mean, sd, NF);
		x[k] = nodes + k * (NF + 1);
		musicmood_svm_nodes(v, sd, NF, x[k]);
	}
}

/* Trains the SVM(s) of h->target with C and gamma; prob: with probability
 * estimates (libsvm's internal 5-fold CV, seeded). 0 or -1. */
static int svm_fit(const struct cmd_tm_hyper *h, struct cmd_tm_clip *const *tr, size_t n, const float *mean,
		   const float *sd, double C, double gamma, int prob, struct svmfit *s)
{
	memset(s, 0, sizeof *s);
	s->nodes = malloc(sizeof *s->nodes * n * (NF + 1));
	s->x = malloc(sizeof *s->x * n);
	s->y = malloc(sizeof *s->y * n);
	if (!s->nodes || !s->x || !s->y) {
		svmfit_free(s);
		return -1;
	}
	svm_input(tr, n, mean, sd, s->nodes, s->x);
	struct svm_parameter par = {
		.svm_type = h->target == MUSICMOOD_REG ? EPSILON_SVR : C_SVC,
		.kernel_type = RBF, .gamma = gamma, .cache_size = 64, .eps = 1e-3,
		.C = C, .p = 0.5, .shrinking = 1,
		.probability = prob && h->target != MUSICMOOD_REG,
	};
	struct svm_problem pr = { .l = (int)n, .y = s->y, .x = s->x };
	s->nm = h->target == MUSICMOOD_QUAD ? 1 : 2;
	for (int m = 0; m < s->nm; m++) {
		for (size_t k = 0; k < n; k++) {
			int q = tr[k]->q;
			if (h->target == MUSICMOOD_QUAD)
				s->y[k] = q + 1;
			else if (m == 0)
				s->y[k] = q == 0 || q == 3 ? 1 : -1;   /* valence + */
			else
				s->y[k] = q <= 1 ? 1 : -1;             /* arousal + */
			if (h->soft && h->target == MUSICMOOD_REG)
				s->y[k] = tr[k]->soft[m];
		}
		const char *bad = svm_check_parameter(&pr, &par);
		if (bad) {
			cmd_error("train-mood", "libsvm: %s", bad);
			s->nm = m;
			svmfit_free(s);
			return -1;
		}
		srand(h->seed);   /* libsvm's probability CV shuffles with rand() */
		s->m[m] = svm_train(&pr, &par);
	}
	return 0;
}

static int svm_predict_clips(const struct cmd_tm_hyper *h, const struct svmfit *s, struct cmd_tm_clip *const *te,
			     size_t n, const float *mean, const float *sd, float *probs)
{
	struct svm_node *nodes = malloc(sizeof *nodes * (NF + 1));
	if (!nodes)
		return -1;
	float v[NF];
	for (size_t k = 0; k < n; k++) {
		memcpy(v, te[k]->f, sizeof v);
		musicmood_normalise(v, mean, sd, NF);
		musicmood_svm_nodes(v, sd, NF, nodes);
		musicmood_svm_probs(h->target, s->m, nodes, probs + k * 4);
	}
	free(nodes);
	return 0;
}

static int quadrant_of(const float *p)
{
	float v, a;
	musicmood_va(p, &v, &a);
	return musicmood_quadrant(v, a) - 1;
}

/* C and gamma (as a multiple of 1/features) of the SVM grid. */
static const double grid_c[] = { 0.5, 1, 2, 4, 8 };
static const double grid_g[] = { 0.25, 0.5, 1, 2 };
#define NGC (sizeof grid_c / sizeof grid_c[0])
#define NGG (sizeof grid_g / sizeof grid_g[0])

static int n_used(const float *sd)
{
	int k = 0;
	for (int i = 0; i < NF; i++)
		k += sd[i] > 0;
	return k > 0 ? k : 1;
}

/* Chooses C and gamma by a 3-fold stratified CV inside the n clips
 * (quadrant accuracy of hard decisions); only these clips are seen.
 * Returns the number of clips the best point got right, or -1. */
static int svm_grid(const struct cmd_tm_hyper *h, struct cmd_tm_clip *const *c, size_t n, double *bc,
		    double *bg)
{
	int *fold = malloc(sizeof(int) * n);
	struct cmd_tm_clip **tr = malloc(sizeof *tr * n), **te = malloc(sizeof *te * n);
	float *probs = malloc(sizeof(float) * 4 * n);
	int correct[NGC][NGG] = { { 0 } }, err = 0;
	if (!fold || !tr || !te || !probs) {
		err = -1;
		goto out;
	}
	cmd_tm_make_folds(c, n, 3, h->seed * 31u + 5u, fold);
	for (int k = 0; k < 3 && !err; k++) {
		size_t ntr = 0, nte = 0;
		for (size_t a = 0; a < n; a++) {
			if (fold[a] == k) {
				if (!c[a]->is_half)   /* halves train, never score */
					te[nte++] = c[a];
			} else
				tr[ntr++] = c[a];
		}
		float mean[NF], sd[NF];
		stats(h, tr, ntr, mean, sd);
		double g0 = 1.0 / n_used(sd);
		for (size_t i = h->grid1; i < (h->grid1 ? 2 : NGC) && !err; i++)
			for (size_t j = h->grid1; j < (h->grid1 ? 2 : NGG) && !err; j++) {
				struct svmfit s;
				if (svm_fit(h, tr, ntr, mean, sd, grid_c[i], grid_g[j] * g0, 0, &s) ||
				    svm_predict_clips(h, &s, te, nte, mean, sd, probs)) {
					err = -1;
					break;
				}
				for (size_t a = 0; a < nte; a++)
					correct[i][j] += quadrant_of(probs + a * 4) == te[a]->q;
				svmfit_free(&s);
			}
	}
	int best = -1;
	for (size_t i = 0; i < NGC; i++)
		for (size_t j = 0; j < NGG; j++)
			if (correct[i][j] > best) {
				best = correct[i][j];
				*bc = grid_c[i];
				*bg = grid_g[j];
			}
out:
	free(fold);
	free(tr);
	free(te);
	free(probs);
	return err ? -1 : best;
}

/* --select groups: backward elimination of feature groups (musicmood_aux.h)
 * by the 3-fold CV of svm_grid at C 1, gamma 0.5 inside the n training
 * clips: drops the group whose removal helps most while that gains at least
 * 0.5% of the clips. Clears h->use of the dropped groups. */
static int select_groups(struct cmd_tm_hyper *h, struct cmd_tm_clip *const *c, size_t n, int verbose)
{
	struct cmd_tm_hyper hs = *h;
	hs.grid1 = 1;
	double bc, bg;
	int cur = svm_grid(&hs, c, n, &bc, &bg), off[MUSICMOOD_NGROUPS] = { 0 };
	if (cur < 0)
		return -1;
	for (;;) {
		int gbest = -1, best = cur + (int)(n / 200);
		for (int g = 0; g < MUSICMOOD_NGROUPS; g++) {
			struct cmd_tm_hyper hg = hs;
			for (int i = 0; i < ANALYSIS_NFEAT && !off[g]; i++)
				if (musicmood_group_has(musicmood_group_names[g], analysis_feature_name(i)) == 1)
					hg.use[i] = 0;
			int k = off[g] ? -1 : svm_grid(&hg, c, n, &bc, &bg);
			if (k > best) {
				best = k;
				gbest = g;
			}
		}
		if (gbest < 0)
			break;
		off[gbest] = 1;
		cur = best;
		if (verbose)
			fprintf(stderr, "train-mood: --select groups drops %s (inner CV %.4f)\n",
				musicmood_group_names[gbest], (double)best / n);
		for (int i = 0; i < ANALYSIS_NFEAT; i++)
			if (musicmood_group_has(musicmood_group_names[gbest], analysis_feature_name(i)) == 1)
				hs.use[i] = 0;
	}
	memcpy(h->use, hs.use, sizeof h->use);
	return 0;
}

/* A trained model of any kind, with its normalisation. */
struct fitted {
	struct dn_net *net;
	struct svmfit svm;
	double c, g;        /* SVM C and gamma multiple chosen */
	float mean[NF], sd[NF];
};

static void fitted_free(struct fitted *f)
{
	dn_free(f->net);
	f->net = NULL;
	svmfit_free(&f->svm);
}

static int fit(const struct cmd_tm_hyper *h0, struct cmd_tm_clip *const *tr, size_t n, int verbose,
	       struct fitted *f)
{
	struct cmd_tm_hyper hsel = *h0, *h = &hsel;
	memset(f, 0, sizeof *f);
	if (h->select && select_groups(h, tr, n, verbose))
		return -1;
	stats(h, tr, n, f->mean, f->sd);
	if (h->model != MODEL_SVM) {
		f->net = train(h, tr, n, f->mean, f->sd, verbose);
		if (!f->net)
			return -1;
	}
	if (h->model != MODEL_MLP) {
		f->c = h->svm_c;
		f->g = h->svm_gamma;
		if (f->g <= 0 && svm_grid(h, tr, n, &f->c, &f->g) < 0)
			return -1;
		if (svm_fit(h, tr, n, f->mean, f->sd, f->c, f->g / n_used(f->sd), 1, &f->svm))
			return -1;
	}
	return 0;
}

static int fitted_predict(const struct cmd_tm_hyper *h, const struct fitted *f, struct cmd_tm_clip *const *te,
			  size_t n, float *probs)
{
	float *p2 = malloc(sizeof(float) * 4 * (n ? n : 1));
	int err = !p2;
	if (!err && f->net)
		err = predict(f->net, te, n, f->mean, f->sd, probs);
	if (!err && h->model != MODEL_MLP)
		err = svm_predict_clips(h, &f->svm, te, n, f->mean, f->sd, f->net ? p2 : probs);
	if (!err && f->net && h->model == MODEL_ENS)
		for (size_t i = 0; i < 4 * n; i++)
			probs[i] = 0.5f * (probs[i] + p2[i]);
	free(p2);
	return err ? -1 : 0;
}

static int argmax4(const float *p)
{
	int m = 0;
	for (int i = 1; i < 4; i++)
		if (p[i] > p[m])
			m = i;
	return m;
}

/* The clips with features and the working arrays of the cross-validation. */
struct tm_work {
	struct cmd_tm_clip **all, **tr, **te;
	struct cmd_tm_clip *qc;     /* --norm quantile: the fold's transformed copies */
	struct cmd_tm_clip *aug;    /* --augment/--tta halves: naug copies of the halves */
	size_t naug;
	struct musicmood_qnorm *q;  /* ... and the table fitted to its training clips */
	int *fold;
	float *probs;
	size_t n;
	FILE *pred;                 /* --predictions: open during the cross-validation */
};

static int work_alloc(struct tm_work *w, struct cmd_tm_set *s)
{
	w->all = malloc(sizeof *w->all * s->n);
	w->tr = malloc(sizeof *w->tr * s->n * 3);
	w->te = malloc(sizeof *w->te * s->n * 3);
	w->fold = malloc(sizeof(int) * s->n);
	w->probs = malloc(sizeof(float) * 4 * s->n * 3);
	w->qc = malloc(sizeof *w->qc * s->n * 3);
	w->aug = malloc(sizeof *w->aug * s->n * 2);
	w->q = malloc(sizeof *w->q);
	w->n = 0;
	return w->all && w->tr && w->te && w->fold && w->probs && w->qc && w->q && w->aug ? 0 : -1;
}

static void work_free(struct tm_work *w)
{
	free(w->all);
	free(w->tr);
	free(w->te);
	free(w->fold);
	free(w->probs);
	free(w->qc);
	free(w->q);
	free(w->aug);
}

/* Collects the clips with features into w->all and says what will be
 * trained. */
static void announce(const struct cmd_tm_opts *t, struct cmd_tm_set *s, struct tm_work *w)
{
	const struct cmd_tm_hyper *h = &t->h;
	size_t per[4] = { 0 };
	for (size_t k = 0; k < s->n; k++)
		if (s->c[k].ok) {
			s->c[k].group = (int)w->n;
			w->all[w->n++] = &s->c[k];
			per[s->c[k].q]++;
			for (int hf = 0; (t->augment || t->tta) && hf < s->c[k].nhalf; hf++) {
				struct cmd_tm_clip *c = &w->aug[w->naug++];
				*c = s->c[k];
				memcpy(c->f, s->c[k].half[hf], sizeof c->half[hf]);
				c->is_half = 1;
			}
		}
	int nuse = 0;
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		nuse += h->use[i];
	fprintf(stderr, "train-mood: %zu clips (Q1 %zu, Q2 %zu, Q3 %zu, Q4 %zu), %d of %d features, model %s",
		w->n, per[0], per[1], per[2], per[3], nuse, ANALYSIS_NFEAT, model_names[h->model]);
	if (h->model != MODEL_SVM)
		fprintf(stderr, ", %d epochs", h->epochs);
	if (h->model != MODEL_MLP)
		fprintf(stderr, ", target %s", target_names[h->target]);
	if (t->aux)
		fprintf(stderr, ", %d stacked inputs (--aux %s)", musicmood_aux_count(&t->as), t->aux);
	if (t->qnorm)
		fprintf(stderr, ", quantile normalisation");
	if (t->augment)
		fprintf(stderr, ", %zu halves for training", w->naug);
	if (t->tta)
		fprintf(stderr, ", test clips averaged with their halves");
	fputc('\n', stderr);
}

/* Sums over the folds and repeats of the cross-validation. */
struct cv_tally {
	int conf[4][4];
	double rs, rs2, fs, fs2, asum, vsum, arsum;
	size_t good, agood, vgood, argood;   /* this repeat */
};

/* Trains on all folds but k of repeat r, tests on fold k and prints its
 * line; 0 or -1. */
static int cv_fold(const struct cmd_tm_opts *t, struct tm_work *w, int r, int k, struct cv_tally *c)
{
	size_t ntr = 0, nte = 0;
	for (size_t a = 0; a < w->n; a++) {
		if (w->fold[a] == k)
			w->te[nte++] = w->all[a];
		else
			w->tr[ntr++] = w->all[a];
	}
	size_t nwhole = nte;
	for (size_t a = 0; a < w->naug; a++)
		if (w->fold[w->aug[a].group] != k) {
			if (t->augment)
				w->tr[ntr++] = &w->aug[a];
		} else if (t->tta) {
			w->te[nte++] = &w->aug[a];
		}
	struct cmd_tm_hyper hk = t->h;
	hk.seed = t->h.seed + (unsigned)k * 101u + (unsigned)r * 7u;
	struct fitted f = { 0 };
	if ((t->qnorm && cmd_tm_qnorm(w->q, w->tr, ntr, w->te, nte, w->qc)) ||
	    ((t->as.soft || t->as.clean) && cmd_tm_aux_train_set(t->tags, &t->as, w->tr, &ntr)) ||
	    (musicmood_aux_count(&t->as) &&
	     cmd_tm_aux_augment(hk.seed, t->tags, &t->as, w->tr, ntr, w->te, nte, NULL)) ||
	    fit(&hk, w->tr, ntr, 0, &f) || fitted_predict(&hk, &f, w->te, nte, w->probs)) {
		fitted_free(&f);
		return -1;
	}
	fitted_free(&f);
	for (size_t a = 0; a < nwhole; a++) { /* --tta: the mean of the clip and its halves */
		int m = 1;
		for (size_t b = nwhole; b < nte; b++)
			if (w->te[b]->group == w->te[a]->group) {
				for (int q = 0; q < 4; q++)
					w->probs[a * 4 + q] += w->probs[b * 4 + q];
				m++;
			}
		for (int q = 0; q < 4; q++)
			w->probs[a * 4 + q] /= (float)m;
	}
	nte = nwhole;
	size_t fg = 0, fa = 0;
	for (size_t a = 0; a < nte; a++) {
		int q = quadrant_of(w->probs + a * 4), tq = w->te[a]->q;
		fg += q == tq;
		fa += argmax4(w->probs + a * 4) == tq;
		c->vgood += (q == 0 || q == 3) == (tq == 0 || tq == 3);
		c->argood += (q <= 1) == (tq <= 1);
		c->conf[tq][q]++;
		if (w->pred) {
			const float *p = w->probs + a * 4;
			fprintf(w->pred, "%d\t%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\n", r + 1, w->te[a]->name, tq + 1,
				(double)p[0], (double)p[1], (double)p[2], (double)p[3]);
		}
	}
	c->good += fg;
	c->agood += fa;
	double acc = (double)fg / nte;
	c->fs += acc;
	c->fs2 += acc * acc;
	printf("%d\t%zu\t%.4f\t%.4f\n", k + 1, nte, acc, (double)fa / nte);
	fflush(stdout);
	return 0;
}

/* Prints the confusion matrix and the summary line. */
static void cv_summary(const struct cmd_tm_opts *t, const struct cv_tally *c, size_t n)
{
	int nf = t->folds * t->repeats;
	double fm = c->fs / nf, fsd = sqrt(fmax(0, c->fs2 / nf - fm * fm));
	double m = c->rs / t->repeats, rsd = sqrt(fmax(0, c->rs2 / t->repeats - m * m));
	printf("# confusion over all repeats (rows: true Q1..Q4, columns: predicted)\n");
	for (int q = 0; q < 4; q++)
		printf("# Q%d\t%d\t%d\t%d\t%d\n", q + 1, c->conf[q][0], c->conf[q][1], c->conf[q][2],
		       c->conf[q][3]);
	printf("cv_accuracy=%.4f std=%.4f fold_std=%.4f argmax_accuracy=%.4f valence_accuracy=%.4f "
	       "arousal_accuracy=%.4f folds=%d repeats=%d n=%zu\n",
	       m, t->repeats > 1 ? rsd : fsd, fsd, c->asum / t->repeats, c->vsum / t->repeats,
	       c->arsum / t->repeats, t->folds, t->repeats, n);
}

/* The stratified k-fold cross-validation, repeated; 0 or -1. */
static int cross_validate(const struct cmd_tm_opts *t, struct tm_work *w)
{
	struct cv_tally c;
	memset(&c, 0, sizeof c);
	size_t n = w->n;
	for (int r = 0; r < t->repeats; r++) {
		cmd_tm_make_folds(w->all, n, t->folds, t->h.seed * 7919u + 17u + (unsigned)r * 1000003u, w->fold);
		c.good = c.agood = c.vgood = c.argood = 0;
		if (t->repeats > 1)
			printf("# repeat %d\n", r + 1);
		printf("# fold\tn\taccuracy\targmax_accuracy\n");
		for (int k = 0; k < t->folds; k++)
			if (cv_fold(t, w, r, k, &c))
				return -1;
		double acc = (double)c.good / n;
		c.rs += acc;
		c.rs2 += acc * acc;
		c.asum += (double)c.agood / n;
		c.vsum += (double)c.vgood / n;
		c.arsum += (double)c.argood / n;
		if (t->repeats > 1)
			printf("# repeat %d: accuracy %.4f valence %.4f arousal %.4f\n", r + 1, acc,
			       (double)c.vgood / n, (double)c.argood / n);
	}
	cv_summary(t, &c, n);
	return 0;
}

/* Trains on all clips and writes the weights, the SVM models and the
 * normalisation sidecar; 0 or -1. */
static int train_final(const struct cmd_tm_opts *t, struct tm_work *w)
{
	const struct cmd_tm_hyper *h = &t->h;
	struct fitted f = { 0 };
	size_t nfit = w->n;
	memcpy(w->tr, w->all, sizeof *w->tr * w->n);
	for (size_t a = 0; a < w->naug; a++)
		w->tr[nfit++] = &w->aug[a];
	config_mkdirs(t->outbuf);
	if ((t->qnorm && cmd_tm_qnorm(w->q, w->tr, nfit, NULL, 0, w->qc)) ||
	    ((t->as.soft || t->as.clean) && cmd_tm_aux_train_set(t->tags, &t->as, w->tr, &nfit)) ||
	    (musicmood_aux_count(&t->as) &&
	     cmd_tm_aux_augment(h->seed, t->tags, &t->as, w->tr, nfit, NULL, 0, t->outbuf)) ||
	    fit(h, w->tr, nfit, 1, &f)) {
		fitted_free(&f);
		return -1;
	}
	config_mkdirs(t->outbuf);
	int err = 0;
	char comment[512], svmbuf[PATH_MAX], auxs[160] = "";
	if (t->aux)
		snprintf(auxs, sizeof auxs, ", --aux %.100s --aux-weight %g", t->aux, h->aux_weight);
	if (f.net)
		err = dn_save(f.net, t->outbuf);
	for (int m = 0; !err && m < f.svm.nm; m++) {
		musicmood_svm_path(t->out, h->target, m, svmbuf, sizeof svmbuf);
		err = svm_save_model(svmbuf, f.svm.m[m]);
	}
	snprintf(comment, sizeof comment,
		 "trained by emotune train-mood on %zu clips, model %s, features %s, norm %s, excerpt %g s%s",
		 nfit, model_names[h->model], t->features, t->qnorm ? "quantile" : "z", t->excerpt, auxs);
	if (!err)
		err = musicmood_norm_write(t->normbuf, f.mean, f.sd, ANALYSIS_NFEAT,
					     musicmood_aux_count(&t->as), t->qnorm ? w->q : NULL, h->model,
					     h->model == MODEL_SVM ? h->target : MUSICMOOD_QUAD, comment);
	if (h->model != MODEL_MLP)
		fprintf(stderr, "train-mood: svm C %g gamma %g/features\n", f.c, f.g);
	fitted_free(&f);
	if (err) {
		cmd_error(t->outbuf, "cannot write the model: %s", strerror(errno));
		return -1;
	}
	fprintf(stderr, "train-mood: wrote the model next to %s\n", t->normbuf);
	return 0;
}

/* Lists the clips and extracts (or reads from the cache) their features;
 * 0 or -1. */
static int load_clips(struct cmd_ctx *ctx, const struct cmd_tm_opts *t, struct cmd_tm_set *s)
{
	if (cmd_tm_list_clips(t->data, s))
		return -1;
	if (s->n < 8) {
		cmd_error(t->data, "only %zu clips in Q1..Q4", s->n);
		return -1;
	}
	if (t->cache)
		cmd_tm_cache_read(t->cache, s, t->excerpt);
	int jobs = config_get_int(ctx->cfg, "jobs", 0);
	if (jobs <= 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	cmd_tm_extract_all(s, t->excerpt, t->augment || t->tta, jobs, t->cache);
	return 0;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct cmd_tm_opts t;
	int rc = cmd_tm_parse_opts(ctx, argc, argv, &t);
	if (rc >= 0)
		return rc;
	if (cmd_tm_resolve(ctx, &t))
		return CMD_FAIL;
	svm_set_print_string_function(svm_quiet);

	struct cmd_tm_set s = { 0 };
	struct tm_work w = { 0 };
	rc = CMD_FAIL;
	if (t.predictions && !(w.pred = fopen(t.predictions, "w"))) { /* before the long extraction */
		cmd_error(t.predictions, "%s", strerror(errno));
		goto done;
	}
	if (load_clips(ctx, &t, &s))
		goto done;
	if (work_alloc(&w, &s))
		goto done;
	announce(&t, &s, &w);
	if (w.pred)
		fprintf(w.pred, "# repeat\tclip\tquadrant\tp1\tp2\tp3\tp4\n");
	if (t.folds > 0 && cross_validate(&t, &w))
		goto done;
	if (w.pred) {
		int bad = ferror(w.pred);
		bad |= fclose(w.pred);
		w.pred = NULL;
		if (bad) {
			cmd_error(t.predictions, "could not be written");
			goto done;
		}
	}
	if (t.final && train_final(&t, &w))
		goto done;
	rc = CMD_OK;
done:
	if (w.pred)
		fclose(w.pred);
	work_free(&w);
	cmd_tm_set_free(&s);
	musicmood_tags_free(t.tags);
	return rc;
}

const struct cmd cmd_train_mood = {
	.name = "train-mood",
	.summary = "train the music mood network (music4q)",
	.run = run,
	.usage = "train-mood --data DIR [--out FILE] [--folds K] [--repeats R] [--cache FILE] "
		 "[--model mlp|svm|ensemble] [--target quad|heads|reg] [--features SPEC] "
		 "[--svm-c C] [--svm-gamma G] [--epochs N] [--lr X] [--cfg CFG] [--excerpt S] "
		 "[--noise X] [--aux SPEC [--metadata CSV] [--aux-weight W]] "
		 "[--select groups] [--norm z|quantile] [--augment halves] [--tta halves] [--predictions FILE] [--no-final]",
	.help = "Trains the music mood model on the music4q clips (DIR/Q1..Q4/<clip>) after estimating "
		"its 4-quadrant accuracy by stratified k-fold cross-validation (default 5 folds; 0: none), "
		"repeated R times with other folds (mean and spread over the repeats). "
		"--model: the network (mlp, default), an RBF SVM (libsvm) or their average (ensemble); "
		"--target (SVM): one 4-way classifier (quad), two sign classifiers (heads) or two "
		"regressions (reg) of valence and arousal. --svm-gamma 0 (default) chooses C and gamma "
		"by a 3-fold CV inside each training set (nested). --features: all (default), base, new, "
		"feature name prefixes or group names (energy, spectral, bands, tonalframe, mfcc, dmfcc, "
		"contrast, chroma, key, rhythm, texture, blspectrum, segkey, harmony, pitch, dynamics, modulation), "
		"-X to leave out. --aux (SVM), comma-separated: stacking: SVRs fitted in each training "
		"set from the audio features to the valence and arousal signs (signs), to targets "
		"derived from the AllMusic mood tags of --metadata (va: soft valence and arousal; "
		"tagsK: the K most frequent tags) give extra inputs, scaled by --aux-weight "
		"(default 1), to the SVM (the final model keeps the SVRs: FILE.stackN.svr); soft: the "
		"regressions of --target reg learn the tags' soft valence and arousal; cleanT: "
		"training clips whose tags lean against their quadrant by less than T are left out. "
		"--select groups (SVM): inside each training set, drops feature groups one by one "
		"while a 3-fold CV (C 1, gamma 0.5) gains at least 0.5%. --norm quantile: each feature "
		"goes through the quantiles of the training set and the inverse normal CDF before "
		"the z-score (z, default: the z-score alone). --augment halves: the first and the "
		"second half of each training clip's excerpt are extra training clips (kept in their "
		"clip's fold, inner folds included; the cache holds them as NAME#1, NAME#2). "
		"--tta halves: in the cross-validation, each test clip's probabilities are the mean "
		"of its own and its two halves'. --predictions FILE: the cross-validation writes every "
		"test clip's quadrant probabilities there (repeat, clip, true quadrant, p1..p4). "
		"Writes FILE (default music_mood.weights; only for mlp and ensemble), the SVM models "
		"FILE.svm (quad) or FILE.valence.svm/.arousal.svm (heads; .svr for reg), the stacked "
		"SVRs, and the "
		"normalisation sidecar FILE.norm. --cache keeps the extracted features for the next run.",
};
