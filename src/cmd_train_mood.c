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

struct clip {
	char *path;      /* DIR/Qn/name */
	char *name;      /* Qn/name, the cache key */
	int q;           /* 0..3 */
	int ok;
	float f[ANALYSIS_NFEAT];
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
			memcpy(c->f, r.feat, sizeof c->f);
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

struct hyper {
	const char *cfg;
	int epochs;
	float lr;
	float noise;     /* std of Gaussian noise added to the normalised inputs */
	unsigned seed;
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

static void stats(float *const *x, size_t n, float *mean, float *sd)
{
	for (int i = 0; i < ANALYSIS_NFEAT; i++) {
		double s = 0, ss = 0;
		for (size_t k = 0; k < n; k++) {
			s += x[k][i];
			ss += (double)x[k][i] * x[k][i];
		}
		double m = n ? s / n : 0, v = n ? ss / n - m * m : 0;
		mean[i] = (float)m;
		sd[i] = v > 1e-12 ? (float)sqrt(v) : 0;
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
				memcpy(xi, cl->f, sizeof cl->f);
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

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum { O_DATA = 1, O_OUT, O_FOLDS, O_CACHE, O_EPOCHS, O_LR, O_CFG, O_EXCERPT, O_NOFINAL, O_NOISE };
	static const struct option own[] = {
		{ "data", 1, NULL, O_DATA }, { "out", 1, NULL, O_OUT },
		{ "folds", 1, NULL, O_FOLDS }, { "cache", 1, NULL, O_CACHE },
		{ "epochs", 1, NULL, O_EPOCHS }, { "lr", 1, NULL, O_LR },
		{ "cfg", 1, NULL, O_CFG }, { "excerpt", 1, NULL, O_EXCERPT },
		{ "no-final", 0, NULL, O_NOFINAL }, { "noise", 1, NULL, O_NOISE },
		{ NULL, 0, NULL, 0 },
	};
	const char *data = NULL, *out = NULL, *cache = NULL, *cfg = NULL;
	int folds = 5, final = 1;
	struct hyper h = { .epochs = 200, .lr = 0.01f, .seed = 1 };
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
		case O_FOLDS:
			folds = (int)strtol(optarg, &end, 10);
			if (*end || folds < 0 || folds == 1 || folds > 50) {
				cmd_error("--folds", "'%s': 0 (none) or 2..50", optarg);
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
	float **fx = malloc(sizeof *fx * s.n);
	int *fold = malloc(sizeof(int) * s.n);
	float *probs = malloc(sizeof(float) * 4 * s.n);
	if (!all || !tr || !te || !fx || !fold || !probs)
		goto free_out;
	size_t n = 0, per[4] = { 0 };
	for (size_t k = 0; k < s.n; k++)
		if (s.c[k].ok)
			all[n++] = &s.c[k];
	/* Stratified folds: within each quadrant, a seeded shuffle dealt round-robin. */
	unsigned fseed = h.seed * 7919u + 17u;
	for (int q = 0; q < 4; q++) {
		size_t m = 0;
		for (size_t k = 0; k < n; k++)
			if (all[k]->q == q)
				te[m++] = all[k];
		per[q] = m;
		for (size_t k = m; k > 1; k--) {
			size_t j = rnd(&fseed) % k;
			struct clip *t = te[k - 1];
			te[k - 1] = te[j];
			te[j] = t;
		}
		for (size_t k = 0; k < m; k++)
			for (size_t a = 0; a < n; a++)
				if (all[a] == te[k])
					fold[a] = folds > 0 ? (int)(k % (size_t)folds) : 0;
	}
	fprintf(stderr, "train-mood: %zu clips (Q1 %zu, Q2 %zu, Q3 %zu, Q4 %zu), %d features, %d epochs\n",
		n, per[0], per[1], per[2], per[3], ANALYSIS_NFEAT, h.epochs);
	float mean[ANALYSIS_NFEAT], sd[ANALYSIS_NFEAT];
	if (folds > 0) {
		int conf[4][4] = { { 0 } };
		double sum = 0, sum2 = 0, asum = 0;
		printf("# fold\tn\taccuracy\targmax_accuracy\n");
		for (int k = 0; k < folds; k++) {
			size_t ntr = 0, nte = 0;
			for (size_t a = 0; a < n; a++) {
				if (fold[a] == k)
					te[nte++] = all[a];
				else
					tr[ntr++] = all[a];
			}
			for (size_t a = 0; a < ntr; a++)
				fx[a] = tr[a]->f;
			stats(fx, ntr, mean, sd);
			struct hyper hk = h;
			hk.seed = h.seed + (unsigned)k * 101u;
			struct dn_net *net = train(&hk, tr, ntr, mean, sd, 0);
			if (!net || predict(net, te, nte, mean, sd, probs)) {
				dn_free(net);
				goto free_out;
			}
			dn_free(net);
			size_t good = 0, agood = 0;
			for (size_t a = 0; a < nte; a++) {
				float v, ar;
				musicmood_va(probs + a * 4, &v, &ar);
				int q = musicmood_quadrant(v, ar) - 1;
				good += q == te[a]->q;
				agood += argmax4(probs + a * 4) == te[a]->q;
				conf[te[a]->q][q]++;
			}
			double acc = (double)good / nte;
			sum += acc;
			sum2 += acc * acc;
			asum += (double)agood / nte;
			printf("%d\t%zu\t%.4f\t%.4f\n", k + 1, nte, acc, (double)agood / nte);
			fflush(stdout);
		}
		double m = sum / folds, sdv = sqrt(fmax(0, sum2 / folds - m * m));
		printf("# confusion (rows: true Q1..Q4, columns: predicted)\n");
		for (int q = 0; q < 4; q++)
			printf("# Q%d\t%d\t%d\t%d\t%d\n", q + 1, conf[q][0], conf[q][1], conf[q][2], conf[q][3]);
		printf("cv_accuracy=%.4f std=%.4f argmax_accuracy=%.4f folds=%d n=%zu\n", m, sdv,
		       asum / folds, folds, n);
	}
	if (final) {
		for (size_t a = 0; a < n; a++)
			fx[a] = all[a]->f;
		stats(fx, n, mean, sd);
		struct dn_net *net = train(&h, all, n, mean, sd, 1);
		if (!net)
			goto free_out;
		config_mkdirs(outbuf);
		int err = dn_save(net, outbuf);
		dn_free(net);
		char comment[256];
		snprintf(comment, sizeof comment, "trained by emotune train-mood on %zu clips, %d epochs, excerpt %g s",
			 n, h.epochs, excerpt);
		if (err || musicmood_norm_write(normbuf, mean, sd, ANALYSIS_NFEAT, comment)) {
			cmd_error(outbuf, "cannot write the model: %s", strerror(errno));
			goto free_out;
		}
		fprintf(stderr, "train-mood: wrote %s and %s\n", outbuf, normbuf);
	}
	rc = CMD_OK;
free_out:
	free(all);
	free(tr);
	free(te);
	free(fx);
	free(fold);
	free(probs);
done:
	for (size_t k = 0; k < s.n; k++) {
		free(s.c[k].path);
		free(s.c[k].name);
	}
	free(s.c);
	return rc;
}

const struct cmd cmd_train_mood = {
	.name = "train-mood",
	.run = run,
	.usage = "train-mood --data DIR [--out FILE] [--folds K] [--cache FILE] [--epochs N] [--lr X] [--cfg CFG] [--excerpt S] [--noise X] [--no-final]",
	.help = "Trains the music mood network on the music4q clips (DIR/Q1..Q4/<clip>) after estimating "
		"its 4-quadrant accuracy by stratified k-fold cross-validation (default 5 folds; 0: none). "
		"Writes FILE (default music_mood.weights) and its normalisation sidecar FILE.norm. "
		"--cache keeps the extracted features for the next run.",
};
