/*
 * musicmood_aux: auxiliary targets from the AllMusic mood tags, stacking
 * SVRs and feature groups for `emotune train-mood` (see musicmood_aux.h).
 */
#include "musicmood_aux.h"

#include <libsvm/svm.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct musicmood_tags {
	size_t n;          /* rows */
	char (*id)[32];    /* sorted song ids */
	int **tag;         /* tag indices of each row */
	int *ntag;
	int ntags;         /* distinct tags */
};

/* --- metadata.csv ---------------------------------------------------------- */

/* Splits one CSV line in place (RFC 4180 quotes); returns the field count. */
static int csv_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		char *w = p;
		f[n++] = w;
		if (*p == '"') {
			p++;
			for (;;) {
				if (!*p)
					break;
				if (*p == '"' && p[1] == '"') {
					*w++ = '"';
					p += 2;
				} else if (*p == '"') {
					p++;
					break;
				} else {
					*w++ = *p++;
				}
			}
			while (*p && *p != ',')
				p++;
		} else {
			while (*p && *p != ',' && *p != '\n' && *p != '\r')
				*w++ = *p++;
		}
		int more = *p == ',';
		if (*p)
			p++;
		*w = 0;
		if (!more)
			break;
	}
	return n;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t l = strlen(s);
	while (l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\n' || s[l - 1] == '\r'))
		s[--l] = 0;
	return s;
}

struct row {
	char id[32];
	int *tag, ntag;
};

static int cmp_row(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->id, ((const struct row *)b)->id);
}

/* Index of tag name s in names[*n], added when new. */
static int tag_index(char ***names, int *n, int *cap, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp((*names)[i], s))
			return i;
	if (*n == *cap) {
		int nc = *cap ? *cap * 2 : 256;
		char **nv = realloc(*names, sizeof *nv * (size_t)nc);
		if (!nv)
			return -1;
		*names = nv;
		*cap = nc;
	}
	if (!((*names)[*n] = strdup(s)))
		return -1;
	return (*n)++;
}

static int parse_moods(char *moods, char ***names, int *nn, int *cap, struct row *r)
{
	for (char *save = NULL, *t = strtok_r(moods, ";", &save); t; t = strtok_r(NULL, ";", &save)) {
		t = trim(t);
		if (!*t)
			continue;
		int k = tag_index(names, nn, cap, t);
		int *nv = k < 0 ? NULL : realloc(r->tag, sizeof *nv * (size_t)(r->ntag + 1));
		if (!nv)
			return -1;
		r->tag = nv;
		r->tag[r->ntag++] = k;
	}
	return 0;
}

int musicmood_tags_load(const char *path, struct musicmood_tags **out)
{
	*out = NULL;
	FILE *f = fopen(path, "r");
	if (!f)
		return MUSICMOOD_AUX_EOPEN;
	char line[4096], *fld[32];
	int csong = -1, cmood = -1, err = 0, nn = 0, cap = 0;
	char **names = NULL;
	struct row *rows = NULL;
	size_t n = 0, rcap = 0;
	if (fgets(line, sizeof line, f)) {
		int nf = csv_split(line, fld, 32);
		for (int i = 0; i < nf; i++) {
			char *h = trim(fld[i]);
			if (!strcmp(h, "song"))
				csong = i;
			else if (!strcmp(h, "moods"))
				cmood = i;
		}
	}
	if (csong < 0 || cmood < 0)
		err = MUSICMOOD_AUX_EFORMAT;
	while (!err && fgets(line, sizeof line, f)) {
		int nf = csv_split(line, fld, 32);
		if (nf <= csong || nf <= cmood || !*trim(fld[csong]))
			continue;   /* skipped: a short line */
		if (n == rcap) {
			rcap = rcap ? rcap * 2 : 1024;
			struct row *nv = realloc(rows, sizeof *nv * rcap);
			if (!nv) {
				err = MUSICMOOD_AUX_ENOMEM;
				break;
			}
			rows = nv;
		}
		struct row *r = &rows[n++];
		memset(r, 0, sizeof *r);
		snprintf(r->id, sizeof r->id, "%s", trim(fld[csong]));
		if (parse_moods(fld[cmood], &names, &nn, &cap, r))
			err = MUSICMOOD_AUX_ENOMEM;
	}
	fclose(f);
	for (int i = 0; i < nn; i++)
		free(names[i]);
	free(names);
	struct musicmood_tags *t = err ? NULL : calloc(1, sizeof *t);
	if (t) {
		t->id = malloc(sizeof *t->id * (n ? n : 1));
		t->tag = malloc(sizeof *t->tag * (n ? n : 1));
		t->ntag = malloc(sizeof *t->ntag * (n ? n : 1));
	}
	if (!t || !t->id || !t->tag || !t->ntag) {
		for (size_t k = 0; k < n; k++)
			free(rows[k].tag);
		free(rows);
		if (t) {
			free(t->id);
			free(t->tag);
			free(t->ntag);
			free(t);
		}
		return err ? err : MUSICMOOD_AUX_ENOMEM;
	}
	if (n)
		qsort(rows, n, sizeof *rows, cmp_row);
	for (size_t k = 0; k < n; k++) {
		memcpy(t->id[k], rows[k].id, sizeof t->id[k]);
		t->tag[k] = rows[k].tag;
		t->ntag[k] = rows[k].ntag;
	}
	t->n = n;
	t->ntags = nn;
	free(rows);
	*out = t;
	return 0;
}

void musicmood_tags_free(struct musicmood_tags *t)
{
	if (!t)
		return;
	for (size_t k = 0; k < t->n; k++)
		free(t->tag[k]);
	free(t->tag);
	free(t->ntag);
	free(t->id);
	free(t);
}

int musicmood_tags_find(const struct musicmood_tags *t, const char *clip)
{
	const char *b = strrchr(clip, '/');
	b = b ? b + 1 : clip;
	char key[32];
	snprintf(key, sizeof key, "%s", b);
	char *dot = strchr(key, '.');
	if (dot)
		*dot = 0;
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(t->id[mid], key);
		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* --- targets ------------------------------------------------------------- */

int musicmood_aux_parse(const char *spec, struct musicmood_aux_spec *s)
{
	memset(s, 0, sizeof *s);
	char buf[256];
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		char *end;
		if (!strcmp(t, "va") || !strcmp(t, "signs")) {
			if (s->va)
				return -1;
			s->va = t[0] == 'v' ? 1 : 2;
		} else if (!strcmp(t, "soft")) {
			s->soft = 1;
		} else if (!strncmp(t, "clean", 5)) {
			s->clean_t = strtod(t + 5, &end);
			if (end == t + 5 || *end || !(s->clean_t >= -1 && s->clean_t <= 1))
				return -1;
			s->clean = 1;
		} else if (!strncmp(t, "tags", 4)) {
			long k = strtol(t + 4, &end, 10);
			if (end == t + 4 || *end || k < 1 || k > MUSICMOOD_AUX_MAX)
				return -1;
			s->topk = (int)k;
		} else {
			return -1;
		}
	}
	return (musicmood_aux_count(s) >= 1 || s->soft || s->clean) &&
	       musicmood_aux_count(s) <= MUSICMOOD_AUX_MAX ? 0 : -1;
}

int musicmood_aux_count(const struct musicmood_aux_spec *s)
{
	return 2 * !!s->va + s->topk;
}

static double vsign(int q) { return q == 0 || q == 3 ? 1 : -1; }
static double asign(int q) { return q <= 1 ? 1 : -1; }

/* The soft valence and arousal (leave-one-out tag scores). */
static int targets_va(const struct musicmood_tags *t, const int *rows, const int *q, size_t n,
		      double *y, int nt)
{
	int m = t->ntags ? t->ntags : 1;
	double *sv = calloc((size_t)m, sizeof *sv), *sa = calloc((size_t)m, sizeof *sa);
	int *cnt = calloc((size_t)m, sizeof *cnt);
	if (!sv || !sa || !cnt) {
		free(sv);
		free(sa);
		free(cnt);
		return MUSICMOOD_AUX_ENOMEM;
	}
	for (size_t k = 0; k < n; k++)
		for (int i = 0; rows[k] >= 0 && i < t->ntag[rows[k]]; i++) {
			int g = t->tag[rows[k]][i];
			sv[g] += vsign(q[k]);
			sa[g] += asign(q[k]);
			cnt[g]++;
		}
	for (size_t k = 0; k < n; k++) {
		double v = 0, a = 0;
		int used = 0;
		for (int i = 0; rows[k] >= 0 && i < t->ntag[rows[k]]; i++) {
			int g = t->tag[rows[k]][i];
			if (cnt[g] < 2)
				continue;
			v += (sv[g] - vsign(q[k])) / (cnt[g] - 1);
			a += (sa[g] - asign(q[k])) / (cnt[g] - 1);
			used++;
		}
		y[k * (size_t)nt] = used ? v / used : vsign(q[k]);
		y[k * (size_t)nt + 1] = used ? a / used : asign(q[k]);
	}
	free(sv);
	free(sa);
	free(cnt);
	return 0;
}

/* The topk most frequent tags of these clips as +1/-1 targets from column j0. */
static int targets_top(const struct musicmood_tags *t, int topk, const int *rows, size_t n,
		       double *y, int nt, int j0)
{
	int m = t->ntags ? t->ntags : 1, top[MUSICMOOD_AUX_MAX];
	int *cnt = calloc((size_t)m, sizeof *cnt);
	if (!cnt)
		return MUSICMOOD_AUX_ENOMEM;
	for (size_t k = 0; k < n; k++)
		for (int i = 0; rows[k] >= 0 && i < t->ntag[rows[k]]; i++)
			cnt[t->tag[rows[k]][i]]++;
	for (int j = 0; j < topk; j++) {
		int best = 0;
		for (int g = 1; g < m; g++)
			if (cnt[g] > cnt[best])
				best = g;
		top[j] = best;
		cnt[best] = -1;   /* ties: the lower index, then out of the race */
	}
	for (size_t k = 0; k < n; k++)
		for (int j = 0; j < topk; j++) {
			int has = 0;
			for (int i = 0; rows[k] >= 0 && i < t->ntag[rows[k]]; i++)
				has |= t->tag[rows[k]][i] == top[j];
			y[k * (size_t)nt + (size_t)(j0 + j)] = has ? 1 : -1;
		}
	free(cnt);
	return 0;
}

int musicmood_aux_targets(const struct musicmood_tags *t, const struct musicmood_aux_spec *s,
			  const int *rows, const int *q, size_t n, double *y)
{
	int nt = musicmood_aux_count(s), err = 0;
	if (s->va == 1)
		err = targets_va(t, rows, q, n, y, nt);
	for (size_t k = 0; s->va == 2 && k < n; k++) {
		y[k * (size_t)nt] = vsign(q[k]);
		y[k * (size_t)nt + 1] = asign(q[k]);
	}
	if (!err && s->topk)
		err = targets_top(t, s->topk, rows, n, y, nt, 2 * !!s->va);
	return err;
}

int musicmood_aux_soft(const struct musicmood_tags *t, const struct musicmood_aux_spec *s,
		       const int *rows, const int *q, size_t n, double *va, unsigned char *keep)
{
	int err = targets_va(t, rows, q, n, va, 2);
	for (size_t k = 0; !err && k < n; k++)
		keep[k] = !s->clean || (va[2 * k] * vsign(q[k]) >= s->clean_t &&
					va[2 * k + 1] * asign(q[k]) >= s->clean_t);
	return err;
}

/* --- stacking ------------------------------------------------------------- */

static unsigned lcg(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xFFFFFF;
}

/* Fits target j on the rows of x[] whose fold differs from `skip` (all if
 * skip < 0) and predicts the rows of fold `skip` (or xte[]) into out. */
static int svr_fit_predict(struct svm_node *const *x, size_t n, const double *y, int nt, int j,
			   const int *fold, int skip, struct svm_node *const *xo, size_t no,
			   double gamma, float *out, struct svm_model **keep)
{
	struct svm_node **xs = malloc(sizeof *xs * (n ? n : 1));
	double *ys = malloc(sizeof *ys * (n ? n : 1));
	if (!xs || !ys) {
		free(xs);
		free(ys);
		return MUSICMOOD_AUX_ENOMEM;
	}
	int l = 0;
	for (size_t k = 0; k < n; k++)
		if (skip < 0 || fold[k] != skip) {
			xs[l] = x[k];
			ys[l++] = y[k * (size_t)nt + (size_t)j];
		}
	struct svm_parameter par = {
		.svm_type = EPSILON_SVR, .kernel_type = RBF, .gamma = gamma, .cache_size = 64,
		.eps = 1e-3, .C = 1, .p = 0.1, .shrinking = 1,
	};
	struct svm_problem pr = { .l = l, .y = ys, .x = xs };
	if (svm_check_parameter(&pr, &par)) {
		free(xs);
		free(ys);
		return MUSICMOOD_AUX_ELIBSVM;
	}
	struct svm_model *m = svm_train(&pr, &par);
	if (skip < 0) {
		for (size_t k = 0; k < no; k++)
			out[k * (size_t)nt + (size_t)j] = (float)svm_predict(m, xo[k]);
	} else {
		for (size_t k = 0; k < n; k++)
			if (fold[k] == skip)
				out[k * (size_t)nt + (size_t)j] = (float)svm_predict(m, x[k]);
	}
	if (keep && skip < 0)
		*keep = m;
	else
		svm_free_and_destroy_model(&m);
	free(xs);
	free(ys);
	return 0;
}

int musicmood_aux_stack(struct svm_node *const *xtr, size_t ntr, const double *y, int nt,
			struct svm_node *const *xte, size_t nte, double gamma, int folds,
			unsigned seed, const int *group, float *ptr, float *pte, struct svm_model **keep)
{
	int *fold = malloc(sizeof *fold * (ntr ? ntr : 1));
	size_t *idx = malloc(sizeof *idx * (ntr ? ntr : 1));
	int err = !fold || !idx ? MUSICMOOD_AUX_ENOMEM : 0;
	if (!err) {
		for (size_t k = 0; k < ntr; k++)
			idx[k] = k;
		for (size_t k = ntr; k > 1; k--) {
			size_t r = lcg(&seed) % k, tmp = idx[k - 1];
			idx[k - 1] = idx[r];
			idx[r] = tmp;
		}
		/* Round robin over the shuffled rows; a row of a group already
		 * placed joins that group's fold (quadratic, a few thousand rows). */
		size_t next = 0;
		for (size_t k = 0; k < ntr; k++) {
			size_t i = idx[k], j = 0;
			for (; group && j < k && group[idx[j]] != group[i]; j++)
				;
			fold[i] = group && j < k ? fold[idx[j]] : (int)(next++ % (size_t)folds);
		}
	}
	for (int j = 0; !err && j < nt; j++) {
		for (int f = 0; !err && f < folds; f++)
			err = svr_fit_predict(xtr, ntr, y, nt, j, fold, f, NULL, 0, gamma, ptr, NULL);
		if (!err)
			err = svr_fit_predict(xtr, ntr, y, nt, j, fold, -1, xte, nte, gamma, pte,
					      keep ? &keep[j] : NULL);
	}
	free(fold);
	free(idx);
	return err;
}

/* --- feature groups ------------------------------------------------------- */

const char *const musicmood_group_names[MUSICMOOD_NGROUPS] = {
	"energy", "spectral", "bands", "tonalframe", "mfcc", "dmfcc", "contrast", "chroma",
	"key", "rhythm", "texture", "blspectrum", "segkey", "harmony", "pitch", "dynamics",
	"modulation",
};

/* Name prefixes of each group, '|'-separated (the order of the names). */
static const char *const group_prefixes[MUSICMOOD_NGROUPS] = {
	"rms_db|crest|lufs|lra|peak_to_loudness|low_energy|dynamic_range",
	"zcr|centroid|spread|rolloff|flatness|flux",
	"band_", "tonal", "mfcc", "dmfcc", "contrast", "chroma", "key_|mode",
	"tempo|onset_rate|pulse_clarity|ioi_", "texture_", "roughness|peaks|bl_",
	"seg_mode|seg_key|seg_major", "chord_|hcdf|tension", "pitch_|voiced",
	"dyn_slope|seg_loudness_range|attack|decay", "mod_",
};

int musicmood_group_has(const char *group, const char *name)
{
	for (int g = 0; g < MUSICMOOD_NGROUPS; g++) {
		if (strcmp(group, musicmood_group_names[g]))
			continue;
		for (const char *p = group_prefixes[g]; *p;) {
			size_t l = strcspn(p, "|");
			if (!strncmp(name, p, l))
				return 1;
			p += l + (p[l] == '|');
		}
		return 0;
	}
	return -1;
}

const char *musicmood_aux_strerror(int err)
{
	switch (err) {
	case MUSICMOOD_AUX_OK: return "success";
	case MUSICMOOD_AUX_ENOMEM: return "out of memory";
	case MUSICMOOD_AUX_EOPEN: return "cannot open the metadata file";
	case MUSICMOOD_AUX_EFORMAT: return "no \"song\" and \"moods\" columns in the header";
	case MUSICMOOD_AUX_ELIBSVM: return "libsvm refused the parameters";
	case MUSICMOOD_AUX_EWRITE: return "cannot write a stacked SVR model";
	}
	return "unknown error";
}
