/* musicmood: the music mood network and its normalisation. See musicmood.h. */
#include "musicmood.h"
#include "regfile.h"
#include "analysis.h"
#include "config.h"
#include "dn.h"

#include <errno.h>
#include <inttypes.h>
#include <libsvm/svm.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct musicmood {
	struct dn_net *net;         /* NULL for an SVM-only model */
	struct svm_model *svm[2];
	struct svm_model *stack[MUSICMOOD_STACK_MAX];   /* the stacked inputs' SVRs */
	int nstack;
	int model, target;
	pthread_mutex_t lock;
	int lock_ok;
	float mean[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX], std[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX];
	struct musicmood_qnorm q;   /* q.n 0: z-scores only (formats 1-3) */
	char id[17];
};

const char *const musicmood_model_names[3] = { "mlp", "svm", "ensemble" };
const char *const musicmood_target_names[3] = { "quad", "heads", "reg" };

static int name_index(const char *const *names, const char *name)
{
	for (int i = 0; i < 3; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

int musicmood_model_index(const char *name) { return name_index(musicmood_model_names, name); }
int musicmood_target_index(const char *name) { return name_index(musicmood_target_names, name); }

void musicmood_svm_path(const char *weights, int target, int h, char *buf, size_t n)
{
	static const char *const ext[3][2] = { { ".svm", ".svm" },
		{ ".valence.svm", ".arousal.svm" }, { ".valence.svr", ".arousal.svr" } };
	snprintf(buf, n, "%s", weights);
	if (target == MUSICMOOD_STACK) {
		char *d = strrchr(buf, '.'), *sl = strrchr(buf, '/');
		if (d && (!sl || d > sl))
			*d = 0;
		size_t l = strlen(buf);
		snprintf(buf + l, n - l, ".stack%d.svr", h);
		return;
	}
	char *dot = strrchr(buf, '.'), *slash = strrchr(buf, '/');
	if (dot && (!slash || dot > slash))
		*dot = 0;
	size_t l = strlen(buf);
	if (target < 0 || target > 2 || h < 0 || h > 1)
		target = h = 0;
	snprintf(buf + l, n - l, "%s", ext[target][h]);
}

const char *musicmood_strerror(int err)
{
	switch (err) {
	case MUSICMOOD_OK: return "success";
	case MUSICMOOD_ENOMEM: return "out of memory";
	case MUSICMOOD_EMODEL: return "music mood network refused";
	case MUSICMOOD_ENORM: return "music mood normalisation file missing or malformed";
	case MUSICMOOD_ESHAPE: return "music mood network does not fit the features";
	case MUSICMOOD_EIO: return "cannot write file";
	}
	return "unknown error";
}

void musicmood_va(const float *p, float *v, float *a)
{
	*v = p[0] + p[3] - p[1] - p[2];
	*a = p[0] + p[1] - p[2] - p[3];
	if (*v > 1) *v = 1;
	if (*v < -1) *v = -1;
	if (*a > 1) *a = 1;
	if (*a < -1) *a = -1;
}

void musicmood_svm_nodes(const float *x, const float *std, int n, struct svm_node *nodes)
{
	int j = 0;
	for (int i = 0; i < n; i++)
		if (std[i] > 0)
			nodes[j++] = (struct svm_node){ .index = i + 1, .value = x[i] };
	nodes[j].index = -1;
}

/* P(label +1) of a two-class C-SVC, or its hard decision. */
static double svm_p_plus(const struct svm_model *m, const struct svm_node *x)
{
	if (!svm_check_probability_model(m))
		return svm_predict(m, x) > 0 ? 1 : 0;
	int lab[2];
	double pe[2];
	svm_get_labels(m, lab);
	svm_predict_probability(m, x, pe);
	return lab[0] > 0 ? pe[0] : pe[1];
}

void musicmood_svm_probs(int target, struct svm_model *const *m, const struct svm_node *x,
			 float *probs)
{
	if (target == MUSICMOOD_QUAD) {
		int lab[4] = { 0 }, nc = svm_get_nr_class(m[0]);
		double pe[4] = { 0 };
		memset(probs, 0, 4 * sizeof *probs);
		if (nc > 4)
			nc = 4;
		if (!svm_check_probability_model(m[0])) {
			int q = (int)svm_predict(m[0], x);
			if (q >= 1 && q <= 4)
				probs[q - 1] = 1;
			return;
		}
		svm_get_labels(m[0], lab);
		svm_predict_probability(m[0], x, pe);
		for (int i = 0; i < nc; i++)
			if (lab[i] >= 1 && lab[i] <= 4)
				probs[lab[i] - 1] = (float)pe[i];
		return;
	}
	double p[2];
	for (int h = 0; h < 2; h++) {
		if (target == MUSICMOOD_HEADS) {
			p[h] = svm_p_plus(m[h], x);
		} else {
			double v = svm_predict(m[h], x);
			p[h] = v > 1 ? 1 : v < -1 ? 0 : (v + 1) / 2;
		}
	}
	probs[0] = (float)(p[0] * p[1]);
	probs[1] = (float)((1 - p[0]) * p[1]);
	probs[2] = (float)((1 - p[0]) * (1 - p[1]));
	probs[3] = (float)(p[0] * (1 - p[1]));
}

int musicmood_quadrant(float v, float a)
{
	if (a >= 0)
		return v >= 0 ? 1 : 2;
	return v < 0 ? 3 : 4;
}

void musicmood_normalise(float *x, const float *mean, const float *std, int n)
{
	for (int i = 0; i < n; i++) {
		float z = std[i] > 0 ? (x[i] - mean[i]) / std[i] : 0;
		if (!(z > -8))   /* also NaN */
			z = z != z ? 0 : -8;
		if (z > 8)
			z = 8;
		x[i] = z;
	}
}

int musicmood_norm_write(const char *path, const float *mean, const float *std, int n, int nstack,
			 const struct musicmood_qnorm *q, int model, int target, const char *comment)
{
	if (model < 0 || model > 2 || target < 0 || target > 2 || (q && q->n != n))
		return MUSICMOOD_EIO;
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return MUSICMOOD_EIO;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return MUSICMOOD_EIO;
	fprintf(f, "# emotune music mood model: feature normalisation, input = (%s - mean) / std\n",
		q ? "probit(quantile position of x among the knots)" : "x");
	if (comment)
		fprintf(f, "# %s\n", comment);
	fprintf(f, "emotune-music-mood-norm %d\nfeatures %d version %d\nmodel %s %s\n",
		q ? 4 : nstack ? 3 : 2, n, ANALYSIS_VERSION, musicmood_model_names[model],
		musicmood_target_names[target]);
	if (nstack || q)
		fprintf(f, "stack %d\n", nstack);
	if (q) {
		fprintf(f, "quantiles %d\nknots", MUSICMOOD_QKNOTS);
		for (int i = 0; i < n; i++) {
			fprintf(f, "\n");
			for (int k = 0; k < MUSICMOOD_QKNOTS; k++)
				fprintf(f, " %.9g", q->knot[i][k]);
		}
		fprintf(f, "\n");
	}
	fprintf(f, "mean");
	for (int i = 0; i < n + nstack; i++)
		fprintf(f, " %.9g", mean[i]);
	fprintf(f, "\nstd");
	for (int i = 0; i < n + nstack; i++)
		fprintf(f, " %.9g", std[i]);
	fprintf(f, "\n");
	int bad = ferror(f);
	if (fclose(f) || bad || rename(tmp, path)) {
		remove(tmp);
		return MUSICMOOD_EIO;
	}
	return 0;
}

/* Reads the next non-comment token. */
static int token(FILE *f, char *buf, size_t n)
{
	int c;
	for (;;) {
		c = fgetc(f);
		if (c == '#') {
			while (c != EOF && c != '\n')
				c = fgetc(f);
		}
		if (c == EOF)
			return 0;
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
	}
	size_t i = 0;
	while (c != EOF && c != ' ' && c != '\t' && c != '\n' && c != '\r') {
		if (i + 1 < n)
			buf[i++] = (char)c;
		c = fgetc(f);
	}
	buf[i] = 0;
	return 1;
}

static int read_floats(FILE *f, const char *name, float *v, int n)
{
	char t[64];
	if (!token(f, t, sizeof t) || strcmp(t, name) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		char *end;
		if (!token(f, t, sizeof t))
			return -1;
		v[i] = strtof(t, &end);
		if (*end || end == t || v[i] != v[i])
			return -1;
	}
	return 0;
}

/* Format 4's "quantiles K" line and knots (K = MUSICMOOD_QKNOTS, each
 * feature's non-decreasing); 0 or -1. */
static int read_knots(FILE *f, struct musicmood_qnorm *q, int n)
{
	char t[64];
	if (!token(f, t, sizeof t) || strcmp(t, "quantiles") != 0 || !token(f, t, sizeof t) ||
	    atoi(t) != MUSICMOOD_QKNOTS || read_floats(f, "knots", &q->knot[0][0], n * MUSICMOOD_QKNOTS))
		return -1;
	for (int i = 0; i < n; i++) {   /* (read_floats refuses NaN) */
		const float *kn = q->knot[i];
		if (isinf(kn[0]) || isinf(kn[MUSICMOOD_QKNOTS - 1]))
			return -1;
		for (int k = 1; k < MUSICMOOD_QKNOTS; k++)
			if (kn[k] < kn[k - 1])
				return -1;
	}
	q->n = n;
	return 0;
}

int musicmood_norm_read(const char *path, float *mean, float *std, int n, int *nstack,
			struct musicmood_qnorm *q, int *model, int *target, char *why, size_t wn)
{
	int mdl = MUSICMOOD_MLP, tgt = MUSICMOOD_QUAD, fmt = 0, ns = 0;
	if (q)
		q->n = 0;
	FILE *f = regfile_fopen(path);
	if (!f) {
		snprintf(why, wn, "%s: %s", path, regfile_strerror(errno));
		return MUSICMOOD_ENORM;
	}
	char t[64];
	int nf = -1, ver = -1, err = 0;
	if (!token(f, t, sizeof t) || strcmp(t, "emotune-music-mood-norm") != 0 ||
	    !token(f, t, sizeof t) || (fmt = atoi(t)) < 1 || fmt > (q ? 4 : nstack ? 3 : 2)) {
		snprintf(why, wn, "%s: not an emotune music mood normalisation file", path);
		err = MUSICMOOD_ENORM;
	} else if (!token(f, t, sizeof t) || strcmp(t, "features") != 0 ||
		   !token(f, t, sizeof t) || (nf = atoi(t)) != n || n > ANALYSIS_NFEAT ||
		   !token(f, t, sizeof t) || strcmp(t, "version") != 0 ||
		   !token(f, t, sizeof t) || (ver = atoi(t)) != ANALYSIS_VERSION) {
		snprintf(why, wn, "%s: for %d features of version %d, this build computes %d of version %d",
			 path, nf, ver, n, ANALYSIS_VERSION);
		err = MUSICMOOD_ENORM;
	} else if (fmt >= 2 && (!token(f, t, sizeof t) || strcmp(t, "model") != 0 ||
				!token(f, t, sizeof t) || (mdl = musicmood_model_index(t)) < 0 ||
				!token(f, t, sizeof t) || (tgt = musicmood_target_index(t)) < 0 ||
				(mdl != MUSICMOOD_SVM && tgt != MUSICMOOD_QUAD))) {
		snprintf(why, wn, "%s: malformed model line (mlp|svm|ensemble quad|heads|reg)", path);
		err = MUSICMOOD_ENORM;
	} else if (fmt >= 3 && (!token(f, t, sizeof t) || strcmp(t, "stack") != 0 ||
				!token(f, t, sizeof t) || (ns = atoi(t)) < (fmt == 3) ||
				ns > MUSICMOOD_STACK_MAX ||
				(ns && (mdl != MUSICMOOD_SVM || tgt != MUSICMOOD_QUAD)))) {
		snprintf(why, wn, "%s: malformed stack line (%d..%d, svm quad)", path, fmt == 3,
			 MUSICMOOD_STACK_MAX);
		err = MUSICMOOD_ENORM;
	} else if (ns && !nstack) {
		snprintf(why, wn, "%s: stacked inputs where none are expected", path);
		err = MUSICMOOD_ENORM;
	} else if (fmt == 4 && read_knots(f, q, n)) {
		snprintf(why, wn, "%s: malformed quantile knots (%d per feature, non-decreasing)", path,
			 MUSICMOOD_QKNOTS);
		err = MUSICMOOD_ENORM;
	} else if (read_floats(f, "mean", mean, n + ns) || read_floats(f, "std", std, n + ns)) {
		snprintf(why, wn, "%s: malformed mean/std lines", path);
		err = MUSICMOOD_ENORM;
	}
	for (int i = 0; !err && i < n + ns; i++)
		if (std[i] < 0) {
			snprintf(why, wn, "%s: negative std", path);
			err = MUSICMOOD_ENORM;
		}
	fclose(f);
	if (err && q)
		q->n = 0;
	if (model)
		*model = mdl;
	if (target)
		*target = tgt;
	if (nstack)
		*nstack = ns;
	return err;
}

/* FNV-1a over a file's bytes. */
static int hash_file(const char *path, uint64_t *h)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	unsigned char buf[8192];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		for (size_t i = 0; i < k; i++) {
			*h ^= buf[i];
			*h *= 1099511628211ULL;
		}
	fclose(f);
	return 0;
}

/* libsvm's loader trusts its input (a truncated file crashes it): checks a
 * model file's structure first. The header names svm_type, kernel_type,
 * nr_class, total_sv, rho (and nr_sv for classifiers), then "SV" and
 * total_sv lines of nr_class - 1 coefficients and increasing index:value
 * pairs with indices 1..nfeat. 0, or -1 with why. */
static int svm_file_check(const char *path, int nfeat, char *why, size_t n)
{
	FILE *f = regfile_fopen(path);
	if (!f) {
		snprintf(why, n, "%s: %s", path, regfile_strerror(errno));
		return -1;
	}
	char line[1 << 16];
	long nclass = 0, total = -1, nrsv = 0, lines = 0;
	int have_type = 0, have_kernel = 0, have_rho = 0, in_sv = 0;
	const char *bad = NULL;
	while (!bad && fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			bad = "line too long";
			break;
		}
		if (!in_sv) {
			char key[32];
			int off = 0;
			if (sscanf(line, "%31s%n", key, &off) != 1)
				continue;
			char *rest = line + off;
			if (!strcmp(key, "svm_type"))
				have_type = 1;
			else if (!strcmp(key, "kernel_type"))
				have_kernel = 1;
			else if (!strcmp(key, "rho"))
				have_rho = 1;
			else if (!strcmp(key, "nr_class"))
				nclass = strtol(rest, NULL, 10);
			else if (!strcmp(key, "total_sv"))
				total = strtol(rest, NULL, 10);
			else if (!strcmp(key, "nr_sv")) {
				char *e;
				for (long v = strtol(rest, &e, 10); e != rest; v = strtol(rest, &e, 10)) {
					nrsv += v;
					rest = e;
				}
			} else if (!strcmp(key, "SV")) {
				in_sv = 1;
				if (!have_type || !have_kernel || !have_rho || nclass < 2 || nclass > 4 ||
				    total < 1 || total > 1000000 || (nrsv && nrsv != total))
					bad = "incomplete header";
			}
			continue;
		}
		char *p = line, *e;
		for (long c = 0; c < nclass - 1 && !bad; c++) {
			double v = strtod(p, &e);
			if (e == p || !isfinite(v))
				bad = "malformed support vector";
			p = e;
		}
		long last = 0;
		while (!bad) {
			while (*p == ' ' || *p == '\t')
				p++;
			if (*p == '\n' || *p == 0)
				break;
			long idx = strtol(p, &e, 10);
			if (e == p || *e != ':' || idx <= last || idx > nfeat) {
				bad = "malformed support vector";
				break;
			}
			p = e + 1;
			double v = strtod(p, &e);
			if (e == p || !isfinite(v))
				bad = "malformed support vector";
			p = e;
			last = idx;
		}
		lines++;
	}
	if (!bad && ferror(f))
		bad = strerror(errno);
	if (!bad && (!in_sv || lines != total))
		bad = "truncated (fewer support vectors than total_sv)";
	fclose(f);
	if (bad)
		snprintf(why, n, "%s: not a usable libsvm model: %s", path, bad);
	return bad ? -1 : 0;
}

/* Only a regular file that passes svm_file_check() is handed to libsvm;
 * its contents go into the model id. 0 or -1 with why. */
static int svm_load_checked(const char *sp, int nfeat, struct svm_model **out, uint64_t *hsh,
			    char *why, size_t n)
{
	struct stat st;
	const char *bad = NULL;
	if (stat(sp, &st))
		bad = strerror(errno);
	else if (!S_ISREG(st.st_mode))
		bad = "not a regular file";
	else if (svm_file_check(sp, nfeat, why, n))
		bad = "";
	else if (!(*out = svm_load_model(sp)) || hash_file(sp, hsh))
		bad = "not a libsvm model";
	if (bad && *bad)
		snprintf(why, n, "%s: %s", sp, bad);
	return bad ? -1 : 0;
}

int musicmood_open(const char *cfg, const char *weights, const char *norm,
		   struct musicmood **out, char *why, size_t n)
{
	char pc[PATH_MAX], pw[PATH_MAX], pn[PATH_MAX];
	*out = NULL;
	why[0] = 0;
	if (!cfg && config_path_share(pc, sizeof pc, MUSICMOOD_CFG) == 0)
		cfg = pc;
	if (!weights && config_path_share(pw, sizeof pw, MUSICMOOD_WEIGHTS) == 0)
		weights = pw;
	if (!norm && config_path_share(pn, sizeof pn, MUSICMOOD_NORM) == 0)
		norm = pn;
	if (!cfg || !weights || !norm) {
		snprintf(why, n, "path too long");
		return MUSICMOOD_ENOMEM;
	}
	struct musicmood *m = calloc(1, sizeof *m);
	if (!m)
		return MUSICMOOD_ENOMEM;
	int err = musicmood_norm_read(norm, m->mean, m->std, ANALYSIS_NFEAT, &m->nstack, &m->q,
				      &m->model, &m->target, why, n);
	if (err) {
		free(m);
		return err;
	}
	uint64_t hsh = 14695981039346656037ULL;
	if (m->model != MUSICMOOD_SVM) {
		char dwhy[512];
		int derr = dn_load(cfg, weights, 1, &m->net, dwhy, sizeof dwhy);
		if (derr) {
			snprintf(why, n, "%s", dwhy[0] ? dwhy : dn_strerror(derr));
			free(m);
			return derr == DN_ENOMEM ? MUSICMOOD_ENOMEM : MUSICMOOD_EMODEL;
		}
		int w, h, c, o;
		dn_shape(m->net, &w, &h, &c, &o);
		if (w * h * c != ANALYSIS_NFEAT || o != 4) {
			snprintf(why, n, "%s: input %dx%dx%d and %d outputs, expected %d inputs and 4 outputs",
				 cfg, w, h, c, o, ANALYSIS_NFEAT);
			musicmood_free(m);
			return MUSICMOOD_ESHAPE;
		}
		if (hash_file(cfg, &hsh) || hash_file(weights, &hsh)) {
			snprintf(why, n, "cannot read the model files");
			musicmood_free(m);
			return MUSICMOOD_EMODEL;
		}
	}
	for (int h = 0; m->model != MUSICMOOD_MLP && h < (m->target == MUSICMOOD_QUAD ? 1 : 2); h++) {
		char sp[PATH_MAX];
		musicmood_svm_path(weights, m->target, h, sp, sizeof sp);
		if (svm_load_checked(sp, ANALYSIS_NFEAT + m->nstack, &m->svm[h], &hsh, why, n)) {
			musicmood_free(m);
			return MUSICMOOD_EMODEL;
		}
		int nc = svm_get_nr_class(m->svm[h]);
		if ((m->target == MUSICMOOD_QUAD && nc != 4) || (m->target == MUSICMOOD_HEADS && nc != 2) ||
		    (m->target != MUSICMOOD_REG && !svm_check_probability_model(m->svm[h]))) {
			snprintf(why, n, "%s: a libsvm model of %d classes%s, not a %s model", sp, nc,
				 svm_check_probability_model(m->svm[h]) ? "" : " without probabilities",
				 musicmood_target_names[m->target]);
			musicmood_free(m);
			return MUSICMOOD_EMODEL;
		}
	}
	for (int h = 0; h < m->nstack; h++) {
		char sp[PATH_MAX];
		musicmood_svm_path(weights, MUSICMOOD_STACK, h, sp, sizeof sp);
		if (svm_load_checked(sp, ANALYSIS_NFEAT, &m->stack[h], &hsh, why, n) ||
		    svm_get_svm_type(m->stack[h]) != EPSILON_SVR) {
			if (m->stack[h])
				snprintf(why, n, "%s: not an epsilon-SVR model", sp);
			musicmood_free(m);
			return MUSICMOOD_EMODEL;
		}
	}
	if (hash_file(norm, &hsh)) {
		snprintf(why, n, "cannot read the model files");
		musicmood_free(m);
		return MUSICMOOD_EMODEL;
	}
	snprintf(m->id, sizeof m->id, "%016" PRIx64, hsh);
	pthread_mutex_init(&m->lock, NULL);
	m->lock_ok = 1;
	*out = m;
	return 0;
}

void musicmood_free(struct musicmood *m)
{
	if (!m)
		return;
	dn_free(m->net);
	for (int h = 0; h < 2; h++)
		if (m->svm[h])
			svm_free_and_destroy_model(&m->svm[h]);
	for (int h = 0; h < MUSICMOOD_STACK_MAX; h++)
		if (m->stack[h])
			svm_free_and_destroy_model(&m->stack[h]);
	if (m->lock_ok)
		pthread_mutex_destroy(&m->lock);
	free(m);
}

const char *musicmood_id(const struct musicmood *m)
{
	return m->id;
}

int musicmood_predict(struct musicmood *m, const float *feat, float *v, float *a, float *probs)
{
	float x[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX], p[4] = { 0 }, ps[4];
	struct svm_node nodes[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX + 1];
	int nx = ANALYSIS_NFEAT + m->nstack;
	memcpy(x, feat, sizeof(float) * ANALYSIS_NFEAT);
	if (m->q.n)
		musicmood_qnorm_apply(&m->q, x);
	musicmood_normalise(x, m->mean, m->std, ANALYSIS_NFEAT);
	if (m->nstack) {
		/* The stacked inputs: the SVRs' predictions from the features. */
		musicmood_svm_nodes(x, m->std, ANALYSIS_NFEAT, nodes);
		for (int j = 0; j < m->nstack; j++)
			x[ANALYSIS_NFEAT + j] = (float)svm_predict(m->stack[j], nodes);
		musicmood_normalise(x + ANALYSIS_NFEAT, m->mean + ANALYSIS_NFEAT,
				    m->std + ANALYSIS_NFEAT, m->nstack);
	}
	if (m->svm[0]) {
		musicmood_svm_nodes(x, m->std, nx, nodes);
		musicmood_svm_probs(m->target, m->svm, nodes, ps);
	}
	if (m->net) {
		pthread_mutex_lock(&m->lock);
		const float *y = dn_predict(m->net, x);
		memcpy(p, y, sizeof p);
		pthread_mutex_unlock(&m->lock);
	}
	for (int i = 0; m->svm[0] && i < 4; i++)
		p[i] = m->net ? 0.5f * (p[i] + ps[i]) : ps[i];
	/* Softmax output, but guard against a net without one. */
	float s = 0;
	for (int i = 0; i < 4; i++) {
		if (!(p[i] >= 0))
			p[i] = 0;
		s += p[i];
	}
	for (int i = 0; i < 4; i++)
		p[i] = s > 0 ? p[i] / s : 0.25f;
	musicmood_va(p, v, a);
	if (probs)
		memcpy(probs, p, sizeof p);
	return 0;
}
