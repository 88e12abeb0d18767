/* musicmood: the music mood network and its normalisation. See musicmood.h. */
#include "musicmood.h"
#include "analysis.h"
#include "config.h"
#include "dn.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct musicmood {
	struct dn_net *net;
	pthread_mutex_t lock;
	float mean[ANALYSIS_NFEAT], std[ANALYSIS_NFEAT];
	char id[17];
};

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

int musicmood_norm_write(const char *path, const float *mean, const float *std, int n,
			 const char *comment)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return MUSICMOOD_EIO;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return MUSICMOOD_EIO;
	fprintf(f, "# emotune music mood model: feature normalisation, input = (x - mean) / std\n");
	if (comment)
		fprintf(f, "# %s\n", comment);
	fprintf(f, "emotune-music-mood-norm 1\nfeatures %d version %d\nmean", n, ANALYSIS_VERSION);
	for (int i = 0; i < n; i++)
		fprintf(f, " %.9g", mean[i]);
	fprintf(f, "\nstd");
	for (int i = 0; i < n; i++)
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

int musicmood_norm_read(const char *path, float *mean, float *std, int n, char *why, size_t wn)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(why, wn, "%s: %s", path, strerror(errno));
		return MUSICMOOD_ENORM;
	}
	char t[64];
	int nf = -1, ver = -1, err = 0;
	if (!token(f, t, sizeof t) || strcmp(t, "emotune-music-mood-norm") != 0 ||
	    !token(f, t, sizeof t) || strcmp(t, "1") != 0) {
		snprintf(why, wn, "%s: not an emotune music mood normalisation file", path);
		err = MUSICMOOD_ENORM;
	} else if (!token(f, t, sizeof t) || strcmp(t, "features") != 0 ||
		   !token(f, t, sizeof t) || (nf = atoi(t)) != n ||
		   !token(f, t, sizeof t) || strcmp(t, "version") != 0 ||
		   !token(f, t, sizeof t) || (ver = atoi(t)) != ANALYSIS_VERSION) {
		snprintf(why, wn, "%s: for %d features of version %d, this build computes %d of version %d",
			 path, nf, ver, n, ANALYSIS_VERSION);
		err = MUSICMOOD_ENORM;
	} else if (read_floats(f, "mean", mean, n) || read_floats(f, "std", std, n)) {
		snprintf(why, wn, "%s: malformed mean/std lines", path);
		err = MUSICMOOD_ENORM;
	}
	for (int i = 0; !err && i < n; i++)
		if (std[i] < 0) {
			snprintf(why, wn, "%s: negative std", path);
			err = MUSICMOOD_ENORM;
		}
	fclose(f);
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
	int err = musicmood_norm_read(norm, m->mean, m->std, ANALYSIS_NFEAT, why, n);
	if (err) {
		free(m);
		return err;
	}
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
		dn_free(m->net);
		free(m);
		return MUSICMOOD_ESHAPE;
	}
	uint64_t hsh = 14695981039346656037ULL;
	if (hash_file(cfg, &hsh) || hash_file(weights, &hsh) || hash_file(norm, &hsh)) {
		snprintf(why, n, "cannot read the model files");
		dn_free(m->net);
		free(m);
		return MUSICMOOD_EMODEL;
	}
	snprintf(m->id, sizeof m->id, "%016" PRIx64, hsh);
	pthread_mutex_init(&m->lock, NULL);
	*out = m;
	return 0;
}

void musicmood_free(struct musicmood *m)
{
	if (!m)
		return;
	dn_free(m->net);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

const char *musicmood_id(const struct musicmood *m)
{
	return m->id;
}

int musicmood_predict(struct musicmood *m, const float *feat, float *v, float *a, float *probs)
{
	float x[ANALYSIS_NFEAT], p[4];
	memcpy(x, feat, sizeof x);
	musicmood_normalise(x, m->mean, m->std, ANALYSIS_NFEAT);
	pthread_mutex_lock(&m->lock);
	const float *y = dn_predict(m->net, x);
	memcpy(p, y, sizeof p);
	pthread_mutex_unlock(&m->lock);
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
