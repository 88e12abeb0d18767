/*
 * cmd_train_mood_clips: the clips of `emotune train-mood` (DIR/Q1..Q4/<clip>)
 * and their features, extracted in parallel and cached in a text file so
 * that retraining is fast. See cmd_train_mood_priv.h.
 */
#include "analysis.h"
#include "cmd.h"
#include "cmd_train_mood_priv.h"
#include "config.h"
#include "vec.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int cmp_clip(const void *a, const void *b)
{
	return strcmp(((const struct cmd_tm_clip *)a)->name, ((const struct cmd_tm_clip *)b)->name);
}

int cmd_tm_list_clips(const char *dir, struct cmd_tm_set *s)
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
			if (vec_grow(&s->c, &s->cap, s->n + 1, sizeof *s->c, 1024)) {
				closedir(d);
				return -1;
			}
			struct cmd_tm_clip *c = &s->c[s->n];
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
void cmd_tm_cache_read(const char *path, struct cmd_tm_set *s, double excerpt)
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
		char *hash = strrchr(line, '#');
		int h = hash && (!strcmp(hash, "#1") || !strcmp(hash, "#2")) ? hash[1] - '0' : 0;
		if (h)
			*hash = 0;
		struct cmd_tm_clip key = { .name = line };
		struct cmd_tm_clip *c = bsearch(&key, s->c, s->n, sizeof *s->c, cmp_clip);
		if (!c)
			continue;
		float *dst = h ? c->half[h - 1] : c->f;
		char *p = tab + 1, *end;
		int i;
		for (i = 0; i < ANALYSIS_NFEAT; i++) {
			dst[i] = strtof(p, &end);
			if (end == p)
				break;
			p = end;
		}
		if (!h)
			c->ok = i == ANALYSIS_NFEAT;
		else   /* both halves, the second after the first */
			c->nhalf = i == ANALYSIS_NFEAT && (h == 1 || c->nhalf == 1) ? h : 0;
	}
	fclose(f);
}

static int cache_write(const char *path, const struct cmd_tm_set *s, double excerpt)
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
		for (int h = 0; h <= s->c[k].nhalf; h++) {
			fputs(s->c[k].name, f);
			if (h)
				fprintf(f, "#%d", h);
			for (int i = 0; i < ANALYSIS_NFEAT; i++)
				fprintf(f, "\t%.9g", h ? s->c[k].half[h - 1][i] : s->c[k].f[i]);
			fputc('\n', f);
		}
	}
	int bad = ferror(f);
	if (fclose(f) || bad || rename(tmp, path)) {
		remove(tmp);
		return -1;
	}
	return 0;
}

struct extract {
	struct cmd_tm_set *s;
	double excerpt;
	int halves;   /* also the halves' features */
	pthread_mutex_t lock;
	size_t next, end, done, todo;
	int tty;
};

static void *extract_worker(void *arg)
{
	struct extract *e = arg;
	for (;;) {
		pthread_mutex_lock(&e->lock);
		while (e->next < e->end && e->s->c[e->next].ok && (!e->halves || e->s->c[e->next].nhalf == 2))
			e->next++;
		size_t k = e->next++;
		pthread_mutex_unlock(&e->lock);
		if (k >= e->end)
			break;
		struct cmd_tm_clip *c = &e->s->c[k];
		struct analysis_result r;
		struct analysis_opts o = { .excerpt_s = e->excerpt };
		char why[256];
		float half[2][ANALYSIS_NFEAT];
		int err = analysis_file_halves(c->path, &o, &r, e->halves ? half : NULL, why, sizeof why);
		pthread_mutex_lock(&e->lock);
		if (err) {
			cmd_error(c->path, "%s (skipped)", why);
			c->ok = 0;
		} else {
			memcpy(c->f, r.feat, sizeof r.feat);
			c->ok = 1;
			if (e->halves) {
				memcpy(c->half, half, sizeof half);
				c->nhalf = 2;
			}
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
void cmd_tm_extract_all(struct cmd_tm_set *s, double excerpt, int halves, int jobs,
			const char *cache)
{
	struct extract e = { .s = s, .excerpt = excerpt, .halves = halves, .tty = isatty(2) };
	pthread_mutex_init(&e.lock, NULL);
	for (size_t k = 0; k < s->n; k++)
		e.todo += !s->c[k].ok || (halves && s->c[k].nhalf != 2);
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

void cmd_tm_set_free(struct cmd_tm_set *s)
{
	for (size_t k = 0; k < s->n; k++) {
		free(s->c[k].path);
		free(s->c[k].name);
	}
	free(s->c);
}

void cmd_tm_stats(struct cmd_tm_clip *const *c, size_t n, int nf, float *mean, float *sd)
{
	for (int i = 0; i < nf; i++) {
		double s = 0, ss = 0;
		for (size_t k = 0; k < n; k++) {
			s += c[k]->f[i];
			ss += (double)c[k]->f[i] * c[k]->f[i];
		}
		double m = n ? s / n : 0, v = n ? ss / n - m * m : 0;
		mean[i] = (float)m;
		sd[i] = v > 1e-12 ? (float)sqrt(v) : 0;
	}
}

unsigned cmd_tm_rand(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 8) & 0xFFFFFF;
}

/* Stratified folds: within each quadrant, a seeded shuffle dealt round-robin. */
void cmd_tm_make_folds(struct cmd_tm_clip *const *all, size_t n, int folds, unsigned fseed, int *fold)
{
	size_t *idx = malloc(sizeof *idx * (n ? n : 1));
	int ng = 0;
	for (size_t k = 0; k < n; k++)
		ng = all[k]->group >= ng ? all[k]->group + 1 : ng;
	int *gfold = malloc(sizeof *gfold * (size_t)(ng ? ng : 1));
	if (!idx || !gfold) {
		free(idx);
		free(gfold);
		return;
	}
	for (int q = 0; q < 4; q++) {
		size_t m = 0;
		for (size_t k = 0; k < n; k++)
			if (all[k]->q == q && !all[k]->is_half)
				idx[m++] = k;
		for (size_t k = m; k > 1; k--) {
			size_t j = cmd_tm_rand(&fseed) % k, t = idx[k - 1];
			idx[k - 1] = idx[j];
			idx[j] = t;
		}
		for (size_t k = 0; k < m; k++)
			fold[idx[k]] = folds > 0 ? (int)(k % (size_t)folds) : 0;
	}
	/* A half goes with its clip (never on the other side of a fold). */
	for (size_t k = 0; k < n; k++)
		if (!all[k]->is_half)
			gfold[all[k]->group] = fold[k];
	for (size_t k = 0; k < n; k++)
		if (all[k]->is_half)
			fold[k] = gfold[all[k]->group];
	free(idx);
	free(gfold);
}
