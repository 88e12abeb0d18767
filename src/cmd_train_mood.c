/*
 * cmd_train_mood: `emotune train-mood`, the music mood trainer.
 *
 * Reads the music4q clips (DIR/Q1..Q4/<clip>), extracts their features in
 * parallel (cached in a text file so that retraining is fast), estimates the
 * 4-quadrant accuracy by stratified k-fold cross-validation (the quadrant is
 * the one given by the signs of valence and arousal, as `emotune tracks`
 * shows), then trains on all clips and writes the weights and the
 * normalisation sidecar (musicmood.h).
 */
#include "analysis.h"
#include "cmd.h"
#include "config.h"
#include "dn.h"
#include "musicmood.h"
#include "musicmood_aux.h"

#include <libsvm/svm.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Features of a clip: the analysis' then the --aux columns (stacking). */
#define NF (ANALYSIS_NFEAT + MUSICMOOD_AUX_MAX)

struct clip {
	char *path;      /* DIR/Qn/name */
	char *name;      /* Qn/name, the cache key */
	int q;           /* 0..3 */
	int ok;
	float f[NF];
	float soft[2];   /* --aux soft: tag-derived valence, arousal (training set) */
};

struct set {
	struct clip *c;
	size_t n, cap;
};

static int cmp_clip(const void *a, const void *b)
{
	return strcmp(((const struct clip *)a)->name, ((const struct clip *)b)->name);
}

static int list_clips(const char *dir, struct set *s)
{
	for (int q = 0; q < 4; q++) {
		char sub[PATH_MAX];
		snprintf(sub, sizeof sub, "%s/Q%d", dir, q + 1);
		DIR *d = opendir(sub);
		if (!d) {
			cmd_error(sub, "%s", strerror(errno));
			return -1;
		}
		struct dirent *de;
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			if (s->n == s->cap) {
				size_t nc = s->cap ? s->cap * 2 : 1024;
				struct clip *nv = realloc(s->c, nc * sizeof *nv);
				if (!nv) {
					closedir(d);
					return -1;
				}
				s->c = nv;
				s->cap = nc;
			}
			struct clip *c = &s->c[s->n];
			memset(c, 0, sizeof *c);
			size_t ln = strlen(sub) + strlen(de->d_name) + 2;
			c->path = malloc(ln);
			c->name = malloc(ln);
			if (!c->path || !c->name) {
				free(c->path);
				free(c->name);
				closedir(d);
				return -1;
			}
			snprintf(c->path, ln, "%s/%s", sub, de->d_name);
			snprintf(c->name, ln, "Q%d/%s", q + 1, de->d_name);
			c->q = q;
			s->n++;
		}
		closedir(d);
	}
	qsort(s->c, s->n, sizeof *s->c, cmp_clip);
	return 0;
}

/* Cache: "# emotune-music-features version=V nfeat=N excerpt=S" then
 * "name<TAB>f0<TAB>f1..." per clip. */
static void cache_read(const char *path, struct set *s, double excerpt)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char want[128], line[8192];
	snprintf(want, sizeof want, "# emotune-music-features version=%d nfeat=%d excerpt=%g\n",
		 ANALYSIS_VERSION, ANALYSIS_NFEAT, excerpt);
	if (!fgets(line, sizeof line, f) || strcmp(line, want) != 0) {
		fclose(f);
		return;
	}
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (!tab)
			continue;
		*tab = 0;
		struct clip key = { .name = line };
		struct clip *c = bsearch(&key, s->c, s->n, sizeof *s->c, cmp_clip);
		if (!c)
			continue;
		char *p = tab + 1, *end;
		int i;
		for (i = 0; i < ANALYSIS_NFEAT; i++) {
			c->f[i] = strtof(p, &end);
			if (end == p)
				break;
			p = end;
		}
		c->ok = i == ANALYSIS_NFEAT;
	}
	fclose(f);
}

static int cache_write(const char *path, const struct set *s, double excerpt)
{
	char tmp[PATH_MAX];
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	config_mkdirs(path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return -1;
	fprintf(f, "# emotune-music-features version=%d nfeat=%d excerpt=%g\n", ANALYSIS_VERSION,
		ANALYSIS_NFEAT, excerpt);
	for (size_t k = 0; k < s->n; k++) {
		if (!s->c[k].ok)
			continue;
		fputs(s->c[k].name, f);
		for (int i = 0; i < ANALYSIS_NFEAT; i++)
			fprintf(f, "\t%.9g", s->c[k].f[i]);
		fputc('\n', f);
	}
	int bad = ferror(f);
	if (fclose(f) || bad || rename(tmp, path)) {
		remove(tmp);
		return -1;
	}
	return 0;
}

struct extract {
	struct set *s;
	double excerpt;
	pthread_mutex_t lock;
	size_t next, end, done, todo;
	int tty;
};

static void *extract_worker(void *arg)
{
	struct extract *e = arg;
	for (;;) {
		pthread_mutex_lock(&e->lock);
		while (e->next < e->end && e->s->c[e->next].ok)
			e->next++;
		size_t k = e->next++;
		pthread_mutex_unlock(&e->lock);
		if (k >= e->end)
			break;
		struct clip *c = &e->s->c[k];
		struct analysis_result r;
		struct analysis_opts o = { .excerpt_s = e->excerpt };
		char why[256];
		int err = analysis_file(c->path, &o, &r, why, sizeof why);
		pthread_mutex_lock(&e->lock);
		if (err) {
			cmd_error(c->path, "%s (skipped)", why);
		} else {
			memcpy(c->f, r.feat, sizeof r.feat);
			c->ok = 1;
		}
		e->done++;
		if (e->tty)
			fprintf(stderr, "\rfeatures: %zu/%zu", e->done, e->todo);
		pthread_mutex_unlock(&e->lock);
	}
	return NULL;
}

/* Extracts the missing features, saving the cache every 64 clips so that an
 * interrupted run loses little. */
static void extract_all(struct set *s, double excerpt, int jobs, const char *cache)
{
	struct extract e = { .s = s, .excerpt = excerpt, .tty = isatty(2) };
	pthread_mutex_init(&e.lock, NULL);
	for (size_t k = 0; k < s->n; k++)
		e.todo += !s->c[k].ok;
	if (e.todo)
		fprintf(stderr, "train-mood: extracting features of %zu clips with %d threads\n", e.todo, jobs);
	for (size_t start = 0; e.todo && start < s->n; start += 64) {
		e.next = start;
		e.end = start + 64 < s->n ? start + 64 : s->n;
		size_t before = e.done;
		pthread_t t[64];
		int nt = 0;
		for (int i = 0; i < jobs && i < 64; i++)
			if (pthread_create(&t[nt], NULL, extract_worker, &e) == 0)
				nt++;
		if (nt == 0)
			extract_worker(&e);
		for (int i = 0; i < nt; i++)
			pthread_join(t[i], NULL);
		if (cache && e.done > before && cache_write(cache, s, excerpt))
			cmd_error(cache, "cannot write the feature cache: %s", strerror(errno));
	}
	if (e.todo && e.tty)
		fputc('\n', stderr);
	pthread_mutex_destroy(&e.lock);
}

/* --- training ----------------------------------------------------------- */

enum { MODEL_MLP = MUSICMOOD_MLP, MODEL_SVM = MUSICMOOD_SVM, MODEL_ENS = MUSICMOOD_ENSEMBLE };
#define model_names musicmood_model_names
#define target_names musicmood_target_names

struct hyper {
	const char *cfg;
	int epochs;
	float lr;
	float noise;     /* std of Gaussian noise added to the normalised inputs */
	unsigned seed;
	int model;       /* MODEL_* */
	int target;      /* enum musicmood_target, for the SVM */
	double svm_c, svm_gamma;   /* svm_gamma <= 0: chosen by an inner CV */
	unsigned char use[NF];   /* 0: feature disabled (std 0) */
	float aux_weight;        /* scale of the --aux columns in the kernel */
	int select;              /* --select groups: nested backward group elimination */
	int grid1;               /* svm_grid tries C 1, gamma 0.5 only */
	int soft;                /* --aux soft: regression targets from the tags */
};

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xFFFFFF;
}

/* Standard normal (Box-Muller). */
static float gauss(unsigned *s)
{
	double u = (rnd(s) + 1.0) / 16777218.0, v = rnd(s) / 16777216.0;
	return (float)(sqrt(-2 * log(u)) * cos(2 * M_PI * v));
}

/* Mean and std of the n clips; disabled features get std 0. */
static void stats(const struct hyper *h, struct clip *const *c, size_t n, float *mean, float *sd)
{
	for (int i = 0; i < NF; i++) {
		double s = 0, ss = 0;
		for (size_t k = 0; k < n; k++) {
			s += c[k]->f[i];
			ss += (double)c[k]->f[i] * c[k]->f[i];
		}
		double m = n ? s / n : 0, v = n ? ss / n - m * m : 0;
		mean[i] = (float)m;
		sd[i] = v > 1e-12 && h->use[i] ? (float)sqrt(v) : 0;
		if (i >= ANALYSIS_NFEAT)
			sd[i] /= h->aux_weight;
	}
}

/* Trains a fresh net on the n clips tr[]; returns it (batch B) or NULL. */
static struct dn_net *train(const struct hyper *h, struct clip *const *tr, size_t n,
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
			size_t j = rnd(&seed) % k, t = perm[k - 1];
			perm[k - 1] = perm[j];
			perm[j] = t;
		}
		/* Cosine learning-rate decay to 5%. */
		float lr = h->lr * (0.05f + 0.95f * 0.5f * (1 + cosf((float)M_PI * ep / h->epochs)));
		double loss = 0;
		for (size_t st = 0; st < steps; st++) {
			for (int b = 0; b < B; b++) {
				const struct clip *cl = tr[perm[(st * (size_t)B + (size_t)b) % n]];
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
static int predict(struct dn_net *net, struct clip *const *te, size_t n, const float *mean,
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
static void svm_input(struct clip *const *c, size_t n, const float *mean, const float *sd,
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
static int svm_fit(const struct hyper *h, struct clip *const *tr, size_t n, const float *mean,
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

static int svm_predict_clips(const struct hyper *h, const struct svmfit *s, struct clip *const *te,
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

/* Stratified folds: within each quadrant, a seeded shuffle dealt round-robin. */
static void make_folds(struct clip *const *all, size_t n, int folds, unsigned fseed, int *fold)
{
	size_t *idx = malloc(sizeof *idx * n);
	if (!idx)
		return;
	for (int q = 0; q < 4; q++) {
		size_t m = 0;
		for (size_t k = 0; k < n; k++)
			if (all[k]->q == q)
				idx[m++] = k;
		for (size_t k = m; k > 1; k--) {
			size_t j = rnd(&fseed) % k, t = idx[k - 1];
			idx[k - 1] = idx[j];
			idx[j] = t;
		}
		for (size_t k = 0; k < m; k++)
			fold[idx[k]] = folds > 0 ? (int)(k % (size_t)folds) : 0;
	}
	free(idx);
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
static int svm_grid(const struct hyper *h, struct clip *const *c, size_t n, double *bc,
		    double *bg)
{
	int *fold = malloc(sizeof(int) * n);
	struct clip **tr = malloc(sizeof *tr * n), **te = malloc(sizeof *te * n);
	float *probs = malloc(sizeof(float) * 4 * n);
	int correct[NGC][NGG] = { { 0 } }, err = 0;
	if (!fold || !tr || !te || !probs) {
		err = -1;
		goto out;
	}
	make_folds(c, n, 3, h->seed * 31u + 5u, fold);
	for (int k = 0; k < 3 && !err; k++) {
		size_t ntr = 0, nte = 0;
		for (size_t a = 0; a < n; a++) {
			if (fold[a] == k)
				te[nte++] = c[a];
			else
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

/* rows[k]: the tag row of clip k, rows[n + k] its quadrant. */
static void tag_rows(const struct musicmood_tags *tags, struct clip *const *c, size_t n, int *rows)
{
	for (size_t k = 0; k < n; k++) {
		rows[k] = tags ? musicmood_tags_find(tags, c[k]->name) : -1;
		rows[n + k] = c[k]->q;
	}
}

/* --aux soft and cleanT: the training clips' tag-derived valence and
 * arousal (clip.soft); cleanT drops from tr[] those whose tags lean
 * against their label (musicmood_aux_soft). */
static int aux_train_set(const struct musicmood_tags *tags, const struct musicmood_aux_spec *as,
			 struct clip **tr, size_t *ntr)
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

/* --aux: the tag-derived targets of the training clips fitted from all
 * audio features by SVRs (musicmood_aux.h); their out-of-fold predictions
 * fill the training clips' aux columns, the full-fit ones the test clips'. */
static int aux_augment(const struct hyper *h, const struct musicmood_tags *tags,
		       const struct musicmood_aux_spec *as, struct clip *const *tr, size_t ntr,
		       struct clip *const *te, size_t nte, const char *save)
{
	struct svm_model *keep[MUSICMOOD_AUX_MAX] = { NULL };
	int nt = musicmood_aux_count(as), err = MUSICMOOD_AUX_ENOMEM;
	struct hyper ha = *h;
	memset(ha.use, 1, ANALYSIS_NFEAT);
	memset(ha.use + ANALYSIS_NFEAT, 0, MUSICMOOD_AUX_MAX);
	float mean[NF], sd[NF];
	stats(&ha, tr, ntr, mean, sd);
	struct svm_node *nodes = malloc(sizeof *nodes * (ntr + nte) * (NF + 1));
	struct svm_node **x = malloc(sizeof *x * (ntr + nte));
	int *rows = malloc(sizeof(int) * ntr * 2);
	double *y = malloc(sizeof(double) * ntr * (size_t)nt);
	float *p = malloc(sizeof(float) * (ntr + nte) * (size_t)nt);
	if (nodes && x && rows && y && p) {
		svm_input(tr, ntr, mean, sd, nodes, x);
		svm_input(te, nte, mean, sd, nodes + ntr * (NF + 1), x + ntr);
		tag_rows(tags, tr, ntr, rows);
		err = musicmood_aux_targets(tags, as, rows, rows + ntr, ntr, y);
		if (!err)
			err = musicmood_aux_stack(x, ntr, y, nt, x + ntr, nte, 1.0 / n_used(sd), 5,
						  h->seed, p, p + ntr * (size_t)nt, save ? keep : NULL);
		for (int j = 0; !err && save && j < nt; j++) {
			char sp[PATH_MAX];
			musicmood_svm_path(save, MUSICMOOD_STACK, j, sp, sizeof sp);
			if (svm_save_model(sp, keep[j]))
				err = MUSICMOOD_AUX_EWRITE;
		}
		for (int j = 0; save && j < nt; j++)
			if (keep[j])
				svm_free_and_destroy_model(&keep[j]);
		for (size_t k = 0; !err && k < ntr + nte; k++)
			for (int j = 0; j < nt; j++)
				(k < ntr ? tr[k] : te[k - ntr])->f[ANALYSIS_NFEAT + j] = p[k * (size_t)nt + (size_t)j];
	}
	if (err)
		cmd_error("--aux", "%s", musicmood_aux_strerror(err));
	free(nodes);
	free(x);
	free(rows);
	free(y);
	free(p);
	return err ? -1 : 0;
}

/* --select groups: backward elimination of feature groups (musicmood_aux.h)
 * by the 3-fold CV of svm_grid at C 1, gamma 0.5 inside the n training
 * clips: drops the group whose removal helps most while that gains at least
 * 0.5% of the clips. Clears h->use of the dropped groups. */
static int select_groups(struct hyper *h, struct clip *const *c, size_t n, int verbose)
{
	struct hyper hs = *h;
	hs.grid1 = 1;
	double bc, bg;
	int cur = svm_grid(&hs, c, n, &bc, &bg), off[16] = { 0 };
	if (cur < 0)
		return -1;
	for (;;) {
		int gbest = -1, best = cur + (int)(n / 200);
		for (int g = 0; g < 16; g++) {
			struct hyper hg = hs;
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

static int fit(const struct hyper *h0, struct clip *const *tr, size_t n, int verbose, struct fitted *f)
{
	struct hyper hsel = *h0, *h = &hsel;
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

static int fitted_predict(const struct hyper *h, const struct fitted *f, struct clip *const *te,
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

static void norm_path(const char *weights, char *buf, size_t n)
{
	snprintf(buf, n, "%s", weights);
	char *dot = strrchr(buf, '.');
	char *slash = strrchr(buf, '/');
	if (dot && (!slash || dot > slash))
		*dot = 0;
	size_t l = strlen(buf);
	snprintf(buf + l, n - l, ".norm");
}

/* --features: comma-separated items applied in order: "all", "none",
 * "base" (the version-1 features, the first 108), "new" (the rest), or a
 * feature name prefix; "-ITEM" disables what ITEM names. */
static int parse_features(const char *spec, unsigned char *use)
{
	memset(use, 0, NF);
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

/* Checks --aux and --metadata and loads the tags; enables the aux columns. */
static int aux_options(const char *aux, const char *meta, struct hyper *h, int final,
		       struct musicmood_aux_spec *as, struct musicmood_tags **tags)
{
	if (musicmood_aux_parse(aux, as)) {
		cmd_error("--aux", "'%s': va or signs, tagsK (K 1..%d), soft, cleanT, comma-separated", aux,
			  MUSICMOOD_AUX_MAX);
		return -1;
	}
	if (h->model != MODEL_SVM || (!meta && (as->va == 1 || as->topk || as->soft || as->clean))) {
		cmd_error("--aux", "needs --model svm and, but for signs, --metadata FILE");
		return -1;
	}
	int all = 1;
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		all &= h->use[i];
	if (final && musicmood_aux_count(as) && (h->target != MUSICMOOD_QUAD || !all)) {
		cmd_error("--aux", "a model with stacked inputs (va, signs, tagsK) is written for "
			  "--target quad and --features all only (or add --no-final)");
		return -1;
	}
	h->soft = as->soft;
	int err = meta ? musicmood_tags_load(meta, tags) : 0;
	if (err) {
		cmd_error(meta, "%s", musicmood_aux_strerror(err));
		return -1;
	}
	memset(h->use + ANALYSIS_NFEAT, 1, (size_t)musicmood_aux_count(as));
	return 0;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum { O_DATA = 1, O_OUT, O_FOLDS, O_CACHE, O_EPOCHS, O_LR, O_CFG, O_EXCERPT, O_NOFINAL,
	       O_NOISE, O_REPEATS, O_MODEL, O_TARGET, O_C, O_GAMMA, O_FEATURES, O_AUX, O_META,
	       O_AUXW, O_SELECT };
	static const struct option own[] = {
		{ "data", 1, NULL, O_DATA }, { "out", 1, NULL, O_OUT },
		{ "folds", 1, NULL, O_FOLDS }, { "cache", 1, NULL, O_CACHE },
		{ "epochs", 1, NULL, O_EPOCHS }, { "lr", 1, NULL, O_LR },
		{ "cfg", 1, NULL, O_CFG }, { "excerpt", 1, NULL, O_EXCERPT },
		{ "no-final", 0, NULL, O_NOFINAL }, { "noise", 1, NULL, O_NOISE },
		{ "repeats", 1, NULL, O_REPEATS }, { "model", 1, NULL, O_MODEL },
		{ "target", 1, NULL, O_TARGET }, { "svm-c", 1, NULL, O_C },
		{ "svm-gamma", 1, NULL, O_GAMMA }, { "features", 1, NULL, O_FEATURES },
		{ "aux", 1, NULL, O_AUX }, { "metadata", 1, NULL, O_META },
		{ "aux-weight", 1, NULL, O_AUXW }, { "select", 1, NULL, O_SELECT },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *out = NULL, *cache = NULL, *cfg = NULL, *features = "all";
	const char *aux = NULL, *meta = NULL;
	struct musicmood_aux_spec as = { 0 };
	struct musicmood_tags *tags = NULL;
	int folds = 5, final = 1, repeats = 1;
	struct hyper h = { .epochs = 200, .lr = 0.01f, .seed = 1, .svm_c = 1, .svm_gamma = 0,
			   .aux_weight = 1 };
	double excerpt = ANALYSIS_EXCERPT_S;
	int o;
	while ((o = cmd_getopt(ctx, &cmd_train_mood, argc, argv, NULL, own)) != -1) {
		char *end = NULL;
		switch (o) {
		case CMD_HELP: return CMD_OK;
		case O_DATA: data = optarg; break;
		case O_OUT: out = optarg; break;
		case O_CACHE: cache = optarg; break;
		case O_CFG: cfg = optarg; break;
		case O_NOFINAL: final = 0; break;
		case O_FEATURES: features = optarg; break;
		case O_AUX: aux = optarg; break;
		case O_META: meta = optarg; break;
		case O_SELECT:
			if (strcmp(optarg, "groups")) {
				cmd_error("--select", "'%s': groups", optarg);
				return CMD_USAGE;
			}
			h.select = 1;
			break;
		case O_AUXW:
			h.aux_weight = strtof(optarg, &end);
			if (*end || !(h.aux_weight > 0 && h.aux_weight <= 100)) {
				cmd_error("--aux-weight", "'%s': a positive number up to 100", optarg);
				return CMD_USAGE;
			}
			break;
		case O_FOLDS:
			folds = (int)strtol(optarg, &end, 10);
			if (*end || folds < 0 || folds == 1 || folds > 50) {
				cmd_error("--folds", "'%s': 0 (none) or 2..50", optarg);
				return CMD_USAGE;
			}
			break;
		case O_REPEATS:
			repeats = (int)strtol(optarg, &end, 10);
			if (*end || repeats < 1 || repeats > 100) {
				cmd_error("--repeats", "'%s': 1..100", optarg);
				return CMD_USAGE;
			}
			break;
		case O_EPOCHS:
			h.epochs = (int)strtol(optarg, &end, 10);
			if (*end || h.epochs < 1 || h.epochs > 100000) {
				cmd_error("--epochs", "'%s': 1..100000", optarg);
				return CMD_USAGE;
			}
			break;
		case O_LR:
			h.lr = strtof(optarg, &end);
			if (*end || !(h.lr > 0 && h.lr < 10)) {
				cmd_error("--lr", "'%s': a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		case O_NOISE:
			h.noise = strtof(optarg, &end);
			if (*end || !(h.noise >= 0 && h.noise < 10)) {
				cmd_error("--noise", "'%s': 0..10", optarg);
				return CMD_USAGE;
			}
			break;
		case O_C:
			h.svm_c = strtod(optarg, &end);
			if (*end || !(h.svm_c > 0 && h.svm_c < 1e6)) {
				cmd_error("--svm-c", "'%s': a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		case O_GAMMA:
			h.svm_gamma = strtod(optarg, &end);
			if (*end || !(h.svm_gamma >= 0 && h.svm_gamma < 1e6)) {
				cmd_error("--svm-gamma", "'%s': 0 (grid) or a multiple of 1/features", optarg);
				return CMD_USAGE;
			}
			break;
		case O_MODEL:
		case O_TARGET: {
			int k = o == O_MODEL ? musicmood_model_index(optarg) : musicmood_target_index(optarg);
			if (k < 0) {
				cmd_error(o == O_MODEL ? "--model" : "--target", "'%s': %s", optarg,
					  o == O_MODEL ? "mlp, svm or ensemble" : "quad, heads or reg");
				return CMD_USAGE;
			}
			if (o == O_MODEL)
				h.model = k;
			else
				h.target = k;
			break;
		}
		case O_EXCERPT:
			excerpt = strtod(optarg, &end);
			if (*end || !(excerpt >= 0)) {
				cmd_error("--excerpt", "'%s': seconds, 0 for whole tracks", optarg);
				return CMD_USAGE;
			}
			break;
		default:
			return CMD_USAGE;
		}
	}
	if (!data || optind < argc) {
		cmd_print_usage(&cmd_train_mood, stderr);
		return CMD_USAGE;
	}
	if (parse_features(features, h.use)) {
		cmd_error("--features", "'%s': all, none, base, new or feature name prefixes, - to remove",
			  features);
		return CMD_USAGE;
	}
	if (h.model == MODEL_ENS && h.target != MUSICMOOD_QUAD) {
		cmd_error("--target", "the ensemble averages 4-way probabilities: --target quad");
		return CMD_USAGE;
	}
	if (h.select && h.model != MODEL_SVM) {
		cmd_error("--select", "the group selection is for --model svm");
		return CMD_USAGE;
	}
	if (h.model == MODEL_MLP && h.target != MUSICMOOD_QUAD) {
		cmd_error("--target", "the network gives 4-way probabilities: --target quad");
		return CMD_USAGE;
	}
	if (aux && aux_options(aux, meta, &h, final, &as, &tags))
		return CMD_USAGE;
	const char *sd_seed = config_get(ctx->cfg, "seed");
	if (sd_seed)
		h.seed = (unsigned)strtoul(sd_seed, NULL, 10);
	char cfgbuf[PATH_MAX], outbuf[PATH_MAX], normbuf[PATH_MAX];
	if (!cfg) {
		if (config_path_share(cfgbuf, sizeof cfgbuf, MUSICMOOD_CFG))
			return CMD_FAIL;
		cfg = cfgbuf;
	}
	h.cfg = cfg;
	if (!out)
		out = "music_mood.weights";
	norm_path(out, normbuf, sizeof normbuf);
	snprintf(outbuf, sizeof outbuf, "%s", out);
	char why[512];
	if (dn_check_cfg(cfg, why, sizeof why)) {
		cmd_error("train-mood", "%s", why);
		return CMD_FAIL;
	}
	svm_set_print_string_function(svm_quiet);

	struct set s = { 0 };
	int rc = CMD_FAIL;
	if (list_clips(data, &s))
		goto done;
	if (s.n < 8) {
		cmd_error(data, "only %zu clips in Q1..Q4", s.n);
		goto done;
	}
	if (cache)
		cache_read(cache, &s, excerpt);
	int jobs = config_get_int(ctx->cfg, "jobs", 0);
	if (jobs <= 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs < 1)
		jobs = 1;
	extract_all(&s, excerpt, jobs, cache);
	/* The clips with features. */
	struct clip **all = malloc(sizeof *all * s.n), **tr = malloc(sizeof *tr * s.n),
		    **te = malloc(sizeof *te * s.n);
	int *fold = malloc(sizeof(int) * s.n);
	float *probs = malloc(sizeof(float) * 4 * s.n);
	if (!all || !tr || !te || !fold || !probs)
		goto free_out;
	size_t n = 0, per[4] = { 0 };
	for (size_t k = 0; k < s.n; k++)
		if (s.c[k].ok) {
			all[n++] = &s.c[k];
			per[s.c[k].q]++;
		}
	int nuse = 0;
	for (int i = 0; i < ANALYSIS_NFEAT; i++)
		nuse += h.use[i];
	fprintf(stderr, "train-mood: %zu clips (Q1 %zu, Q2 %zu, Q3 %zu, Q4 %zu), %d of %d features, model %s",
		n, per[0], per[1], per[2], per[3], nuse, ANALYSIS_NFEAT, model_names[h.model]);
	if (h.model != MODEL_SVM)
		fprintf(stderr, ", %d epochs", h.epochs);
	if (h.model != MODEL_MLP)
		fprintf(stderr, ", target %s", target_names[h.target]);
	if (aux)
		fprintf(stderr, ", %d stacked inputs (--aux %s)", musicmood_aux_count(&as), aux);
	fputc('\n', stderr);
	if (folds > 0) {
		int conf[4][4] = { { 0 } };
		double rs = 0, rs2 = 0, fs = 0, fs2 = 0, asum = 0, vsum = 0, arsum = 0;
		for (int r = 0; r < repeats; r++) {
			make_folds(all, n, folds, h.seed * 7919u + 17u + (unsigned)r * 1000003u, fold);
			size_t good = 0, agood = 0, vgood = 0, argood = 0;
			if (repeats > 1)
				printf("# repeat %d\n", r + 1);
			printf("# fold\tn\taccuracy\targmax_accuracy\n");
			for (int k = 0; k < folds; k++) {
				size_t ntr = 0, nte = 0;
				for (size_t a = 0; a < n; a++) {
					if (fold[a] == k)
						te[nte++] = all[a];
					else
						tr[ntr++] = all[a];
				}
				struct hyper hk = h;
				hk.seed = h.seed + (unsigned)k * 101u + (unsigned)r * 7u;
				struct fitted f = { 0 };
				if (((as.soft || as.clean) && aux_train_set(tags, &as, tr, &ntr)) ||
				    (musicmood_aux_count(&as) &&
				     aux_augment(&hk, tags, &as, tr, ntr, te, nte, NULL)) ||
				    fit(&hk, tr, ntr, 0, &f) || fitted_predict(&hk, &f, te, nte, probs)) {
					fitted_free(&f);
					goto free_out;
				}
				fitted_free(&f);
				size_t fg = 0, fa = 0;
				for (size_t a = 0; a < nte; a++) {
					int q = quadrant_of(probs + a * 4), t = te[a]->q;
					fg += q == t;
					fa += argmax4(probs + a * 4) == t;
					vgood += (q == 0 || q == 3) == (t == 0 || t == 3);
					argood += (q <= 1) == (t <= 1);
					conf[t][q]++;
				}
				good += fg;
				agood += fa;
				double acc = (double)fg / nte;
				fs += acc;
				fs2 += acc * acc;
				printf("%d\t%zu\t%.4f\t%.4f\n", k + 1, nte, acc, (double)fa / nte);
				fflush(stdout);
			}
			double acc = (double)good / n;
			rs += acc;
			rs2 += acc * acc;
			asum += (double)agood / n;
			vsum += (double)vgood / n;
			arsum += (double)argood / n;
			if (repeats > 1)
				printf("# repeat %d: accuracy %.4f valence %.4f arousal %.4f\n", r + 1, acc,
				       (double)vgood / n, (double)argood / n);
		}
		int nf = folds * repeats;
		double fm = fs / nf, fsd = sqrt(fmax(0, fs2 / nf - fm * fm));
		double m = rs / repeats, rsd = sqrt(fmax(0, rs2 / repeats - m * m));
		printf("# confusion over all repeats (rows: true Q1..Q4, columns: predicted)\n");
		for (int q = 0; q < 4; q++)
			printf("# Q%d\t%d\t%d\t%d\t%d\n", q + 1, conf[q][0], conf[q][1], conf[q][2], conf[q][3]);
		printf("cv_accuracy=%.4f std=%.4f fold_std=%.4f argmax_accuracy=%.4f valence_accuracy=%.4f "
		       "arousal_accuracy=%.4f folds=%d repeats=%d n=%zu\n",
		       m, repeats > 1 ? rsd : fsd, fsd, asum / repeats, vsum / repeats, arsum / repeats,
		       folds, repeats, n);
	}
	if (final) {
		struct fitted f;
		size_t nfit = n;
		memcpy(tr, all, sizeof *tr * n);
		if (((as.soft || as.clean) && aux_train_set(tags, &as, tr, &nfit)) ||
		    (musicmood_aux_count(&as) &&
		     (config_mkdirs(outbuf), aux_augment(&h, tags, &as, tr, nfit, NULL, 0, outbuf))) ||
		    fit(&h, tr, nfit, 1, &f)) {
			fitted_free(&f);
			goto free_out;
		}
		config_mkdirs(outbuf);
		int err = 0;
		char comment[512], svmbuf[PATH_MAX], auxs[160] = "";
		if (aux)
			snprintf(auxs, sizeof auxs, ", --aux %.100s --aux-weight %g", aux, h.aux_weight);
		if (f.net)
			err = dn_save(f.net, outbuf);
		for (int m = 0; !err && m < f.svm.nm; m++) {
			musicmood_svm_path(out, h.target, m, svmbuf, sizeof svmbuf);
			err = svm_save_model(svmbuf, f.svm.m[m]);
		}
		snprintf(comment, sizeof comment,
			 "trained by emotune train-mood on %zu clips, model %s, features %s, excerpt %g s%s",
			 nfit, model_names[h.model], features, excerpt, auxs);
		if (!err)
			err = musicmood_norm_write_stack(normbuf, f.mean, f.sd, ANALYSIS_NFEAT,
							 musicmood_aux_count(&as), h.model,
							 h.model == MODEL_SVM ? h.target : MUSICMOOD_QUAD,
							 comment);
		if (h.model != MODEL_MLP)
			fprintf(stderr, "train-mood: svm C %g gamma %g/features\n", f.c, f.g);
		fitted_free(&f);
		if (err) {
			cmd_error(outbuf, "cannot write the model: %s", strerror(errno));
			goto free_out;
		}
		fprintf(stderr, "train-mood: wrote the model next to %s\n", normbuf);
	}
	rc = CMD_OK;
free_out:
	free(all);
	free(tr);
	free(te);
	free(fold);
	free(probs);
done:
	for (size_t k = 0; k < s.n; k++) {
		free(s.c[k].path);
		free(s.c[k].name);
	}
	free(s.c);
	musicmood_tags_free(tags);
	return rc;
}

const struct cmd cmd_train_mood = {
	.name = "train-mood",
	.run = run,
	.usage = "train-mood --data DIR [--out FILE] [--folds K] [--repeats R] [--cache FILE] "
		 "[--model mlp|svm|ensemble] [--target quad|heads|reg] [--features SPEC] "
		 "[--svm-c C] [--svm-gamma G] [--epochs N] [--lr X] [--cfg CFG] [--excerpt S] "
		 "[--noise X] [--aux SPEC [--metadata CSV] [--aux-weight W]] "
		 "[--select groups] [--no-final]",
	.help = "Trains the music mood model on the music4q clips (DIR/Q1..Q4/<clip>) after estimating "
		"its 4-quadrant accuracy by stratified k-fold cross-validation (default 5 folds; 0: none), "
		"repeated R times with other folds (mean and spread over the repeats). "
		"--model: the network (mlp, default), an RBF SVM (libsvm) or their average (ensemble); "
		"--target (SVM): one 4-way classifier (quad), two sign classifiers (heads) or two "
		"regressions (reg) of valence and arousal. --svm-gamma 0 (default) chooses C and gamma "
		"by a 3-fold CV inside each training set (nested). --features: all (default), base, new, "
		"feature name prefixes or group names (energy, spectral, bands, tonalframe, mfcc, dmfcc, "
		"contrast, chroma, key, rhythm, texture, blspectrum, segkey, harmony, pitch, dynamics), "
		"-X to leave out. --aux (SVM), comma-separated: stacking: SVRs fitted in each training "
		"set from the audio features to the valence and arousal signs (signs), to targets "
		"derived from the AllMusic mood tags of --metadata (va: soft valence and arousal; "
		"tagsK: the K most frequent tags) give extra inputs, scaled by --aux-weight "
		"(default 1), to the SVM (the final model keeps the SVRs: FILE.stackN.svr); soft: the "
		"regressions of --target reg learn the tags' soft valence and arousal; cleanT: "
		"training clips whose tags lean against their quadrant by less than T are left out. "
		"--select groups (SVM): inside each training set, drops feature groups one by one "
		"while a 3-fold CV (C 1, gamma 0.5) gains at least 0.5%. "
		"Writes FILE (default music_mood.weights; only for mlp and ensemble), the SVM models "
		"FILE.svm (quad) or FILE.valence.svm/.arousal.svm (heads; .svr for reg), the stacked "
		"SVRs, and the "
		"normalisation sidecar FILE.norm. --cache keeps the extracted features for the next run.",
};
