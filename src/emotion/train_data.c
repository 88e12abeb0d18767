/* train_data: the labelled image folders of the trainer, decoded, and their
 * raw cache. See train.h. */
#include "train.h"

#include "img.h"
#include "vec.h"
#include "vocab.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void train_set_free(struct train_set *s)
{
	if (!s)
		return;
	if (s->path)
		for (size_t i = 0; i < s->n; i++)
			free(s->path[i]);
	free(s->path);
	free(s->px);
	free(s->label);
	memset(s, 0, sizeof *s);
}

static int push(struct train_set *s, size_t *cap, const struct img *im, int label,
		const char *path, int keep_paths)
{
	size_t wh = (size_t)s->w * (size_t)s->h;
	if (s->n == *cap) {
		/* three arrays of *cap elements: each grown from it, *cap set when all are */
		size_t c = *cap, c_label = *cap, c_path = *cap;
		if (vec_grow(&s->px, &c, s->n + 1, wh, 1024) ||
		    vec_grow(&s->label, &c_label, s->n + 1, sizeof *s->label, 1024) ||
		    (keep_paths && vec_grow(&s->path, &c_path, s->n + 1, sizeof *s->path, 1024)))
			return TRAIN_ENOMEM;
		*cap = c;
	}
	uint8_t *dst = s->px + s->n * wh;
	if (im->w == s->w && im->h == s->h && im->stride == s->w) {
		memcpy(dst, im->px, wh);
	} else {
		struct img out = { .w = s->w, .h = s->h, .stride = s->w, .px = dst };
		img_resize(im, &out);
	}
	s->label[s->n] = (int8_t)label;
	if (keep_paths && !(s->path[s->n] = strdup(path)))
		return TRAIN_ENOMEM;
	s->n++;
	return 0;
}

void train_list_free(char **paths, int8_t *labels, size_t n)
{
	for (size_t i = 0; paths && i < n; i++)
		free(paths[i]);
	free(paths);
	free(labels);
}

int train_list(const char *dir, char ***paths, int8_t **labels, size_t *n)
{
	char **p = NULL;
	int8_t *l = NULL;
	size_t cnt = 0, cap = 0;
	*paths = NULL;
	*labels = NULL;
	*n = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		char sub[4096];
		if (snprintf(sub, sizeof sub, "%s/%s", dir, vocab_class_name(c)) >= (int)sizeof sub)
			continue;
		DIR *d = opendir(sub);
		if (!d)
			continue;
		size_t first = cnt;
		struct dirent *de;
		while ((de = readdir(d))) {
			char path[4096];
			if (de->d_name[0] == '.')
				continue;
			if (snprintf(path, sizeof path, "%s/%s", sub, de->d_name) >= (int)sizeof path)
				continue;
			size_t cap_l = cap;
			if (vec_grow(&p, &cap, cnt + 1, sizeof *p, 1024) ||
			    vec_grow(&l, &cap_l, cnt + 1, sizeof *l, 1024)) {
				closedir(d);
				train_list_free(p, l, cnt);
				return TRAIN_ENOMEM;
			}
			if (!(p[cnt] = strdup(path))) {
				closedir(d);
				train_list_free(p, l, cnt);
				return TRAIN_ENOMEM;
			}
			l[cnt++] = (int8_t)c;
		}
		closedir(d);
		if (cnt > first)  /* p may still be NULL: qsort wants a pointer */
			qsort(p + first, cnt - first, sizeof *p, cmp_str);
	}
	if (!cnt) {
		train_list_free(p, l, 0);
		return TRAIN_EDATA;
	}
	*paths = p;
	*labels = l;
	*n = cnt;
	return 0;
}

int train_set_load(const char *dir, int w, int h, int keep_paths, struct train_set *s, FILE *err)
{
	char **paths;
	int8_t *labels;
	size_t n, cap = 0;
	int rc = train_list(dir, &paths, &labels, &n);
	memset(s, 0, sizeof *s);
	s->w = w;
	s->h = h;
	if (rc) {
		if (err && rc == TRAIN_EDATA)
			fprintf(err, "emotune: %s: no files in class folders (%s, %s, ...)\n",
				dir, vocab_class_name(0), vocab_class_name(1));
		return rc;
	}
	for (size_t i = 0; i < n && !rc; i++) {
		struct img im;
		int e = img_load(paths[i], &im);
		if (e) {
			s->skipped++;
			if (err)
				fprintf(err, "emotune: %s: %s (skipped)\n", paths[i], img_strerror(e));
			continue;
		}
		rc = push(s, &cap, &im, labels[i], paths[i], keep_paths);
		img_free(&im);
	}
	train_list_free(paths, labels, n);
	if (!rc && !s->n) {
		if (err)
			fprintf(err, "emotune: %s: no readable images\n", dir);
		rc = TRAIN_EDATA;
	}
	if (rc)
		train_set_free(s);
	return rc;
}

/* Raw cache of a decoded set: "EMOSET1\n" w h n, labels, pixels. */
static int cache_save(const struct train_set *s, const char *path)
{
	char tmp[4200];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return TRAIN_EIO;
	FILE *f = fopen(tmp, "wb");
	if (!f)
		return TRAIN_EIO;
	uint64_t hdr[3] = { (uint64_t)s->w, (uint64_t)s->h, (uint64_t)s->n };
	int ok = fwrite("EMOSET1\n", 1, 8, f) == 8 && fwrite(hdr, sizeof hdr, 1, f) == 1 &&
		 fwrite(s->label, 1, s->n, f) == s->n &&
		 fwrite(s->px, (size_t)s->w * (size_t)s->h, s->n, f) == s->n;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		remove(tmp);
		return TRAIN_EIO;
	}
	return 0;
}

static int cache_load(struct train_set *s, const char *path, int w, int h)
{
	FILE *f = fopen(path, "rb");
	char magic[8];
	uint64_t hdr[3];
	memset(s, 0, sizeof *s);
	if (!f)
		return TRAIN_EIO;
	if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "EMOSET1\n", 8) ||
	    fread(hdr, sizeof hdr, 1, f) != 1 || hdr[0] != (uint64_t)w || hdr[1] != (uint64_t)h ||
	    hdr[2] == 0 || hdr[2] > 10000000) {
		fclose(f);
		return TRAIN_EDATA;
	}
	s->w = w;
	s->h = h;
	s->n = (size_t)hdr[2];
	s->label = malloc(s->n);
	s->px = malloc(s->n * (size_t)w * (size_t)h);
	int ok = s->label && s->px && fread(s->label, 1, s->n, f) == s->n &&
		 fread(s->px, (size_t)w * (size_t)h, s->n, f) == s->n;
	fclose(f);
	for (size_t i = 0; ok && i < s->n; i++)
		ok = s->label[i] >= 0 && s->label[i] < VOCAB_NCLASSES;
	if (!ok) {
		train_set_free(s);
		return TRAIN_EDATA;
	}
	return 0;
}

int train_load_cached(const char *data, const char *split, const char *out, int w, int h,
		      struct train_set *s, FILE *log)
{
	char cache[4096], dir[4096];
	snprintf(cache, sizeof cache, "%s/%s-%dx%d.u8", out, split, w, h);
	if (cache_load(s, cache, w, h) == 0)
		return 0;
	snprintf(dir, sizeof dir, "%s/%s", data, split);
	fprintf(log, "train: decoding %s ...\n", dir);
	int rc = train_set_load(dir, w, h, 0, s, log);
	if (!rc && cache_save(s, cache) != 0)
		fprintf(log, "train: warning: could not write cache %s\n", cache);
	return rc;
}
