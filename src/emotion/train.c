/* train: the emotion network trainer. See train.h. */
#include "train.h"

#include "calib.h"
#include "dn.h"
#include "emo.h"
#include "img.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
		size_t c = *cap ? *cap * 2 : 1024;
		uint8_t *px = realloc(s->px, c * wh);
		if (!px)
			return TRAIN_ENOMEM;
		s->px = px;
		int8_t *lb = realloc(s->label, c);
		if (!lb)
			return TRAIN_ENOMEM;
		s->label = lb;
		if (keep_paths) {
			char **p = realloc(s->path, c * sizeof *p);
			if (!p)
				return TRAIN_ENOMEM;
			s->path = p;
		}
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
			if (cnt == cap) {
				cap = cap ? cap * 2 : 1024;
				char **tp = realloc(p, cap * sizeof *tp);
				int8_t *tl = tp ? realloc(l, cap) : NULL;
				if (tp)
					p = tp;
				if (!tp || !tl) {
					closedir(d);
					train_list_free(p, l, cnt);
					return TRAIN_ENOMEM;
				}
				l = tl;
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

static int load_cached(const char *data, const char *split, const char *out, int w, int h,
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

/* splitmix64: small, fast, reproducible. */
struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static float rng_uniform(struct rng *r, float lo, float hi)
{
	return lo + (hi - lo) * (float)((double)(rng_next(r) >> 11) * (1.0 / 9007199254740992.0));
}

/* The mirror image, nothing else: the second pass of test-time augmentation. */
static const struct emo_aug mirror_aug = { .scale = 1, .contrast = 1, .flip = 1 };

/* Fisher-Yates shuffle of a[0..n-1]. */
static void shuffle(struct rng *r, size_t *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(rng_next(r) % i), t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Training image i of s, randomly augmented, into x (s->w * s->h floats). */
static void augment(struct rng *r, const struct train_set *s, size_t i, float *x)
{
	const int w = s->w, h = s->h;
	struct img im = { .w = w, .h = h, .stride = w, .px = s->px + i * (size_t)(w * h) };
	struct emo_aug aug = {
		.angle = rng_uniform(r, -0.2f, 0.2f),
		.scale = rng_uniform(r, 0.9f, 1.12f),
		.dx = rng_uniform(r, -0.08f, 0.08f),
		.dy = rng_uniform(r, -0.08f, 0.08f),
		.flip = (int)(rng_next(r) & 1),
		.brightness = rng_uniform(r, -0.12f, 0.12f),
		.contrast = rng_uniform(r, 0.75f, 1.3f),
	};
	emo_preprocess(&im, NULL, &aug, x, w, h);
	if (rng_next(r) & 1) { /* random erasing */
		int ew = 8 + (int)(rng_next(r) % 13), eh = 8 + (int)(rng_next(r) % 13);
		int ex = (int)(rng_next(r) % (uint64_t)(w - ew)), ey = (int)(rng_next(r) % (uint64_t)(h - eh));
		float fill = rng_uniform(r, 0.f, 1.f);
		for (int yy = ey; yy < ey + eh; yy++)
			for (int xx = ex; xx < ex + ew; xx++)
				x[yy * w + xx] = fill;
	}
}

/* Training image i of s as inference sees it, mirrored at random, into x. */
static void mirror_only(struct rng *r, const struct train_set *s, size_t i, float *x)
{
	struct img im = { .w = s->w, .h = s->h, .stride = s->w, .px = s->px + i * (size_t)(s->w * s->h) };
	emo_preprocess(&im, NULL, rng_next(r) & 1 ? &mirror_aug : NULL, x, s->w, s->h);
}

/* A standard normal deviate (Box-Muller). */
static float rng_normal(struct rng *r)
{
	float u = rng_uniform(r, 1e-7f, 1.f), v = rng_uniform(r, 0.f, 1.f);
	return sqrtf(-2.f * logf(u)) * cosf(2.f * (float)M_PI * v);
}

/* Webcam-like changes to an augmented image x (w x h, values in [0,1]),
 * each at random: gamma, Gaussian blur, sensor noise, and the mouth area
 * hidden by a flat patch (a hand). */
static void webcam(struct rng *r, float *x, int w, int h)
{
	const size_t wh = (size_t)w * (size_t)h;
	if (rng_next(r) % 2 == 0) { /* gamma 0.6..1.6, log-uniform */
		float g = expf(rng_uniform(r, logf(0.6f), logf(1.6f)));
		for (size_t i = 0; i < wh; i++)
			x[i] = powf(x[i] > 0 ? x[i] : 0, g);
	}
	if (rng_next(r) % 10 < 3) { /* separable Gaussian blur, sigma 0.5..1.5 */
		float sigma = rng_uniform(r, 0.5f, 1.5f), k[7], sum = 0, row[64];
		for (int j = -3; j <= 3; j++)
			sum += k[j + 3] = expf(-(float)(j * j) / (2 * sigma * sigma));
		for (int j = 0; j < 7; j++)
			k[j] /= sum;
		for (int pass = 0; pass < 2 && w <= 64 && h <= 64; pass++) {
			int len = pass ? h : w, lines = pass ? w : h;
			size_t step = pass ? (size_t)w : 1, next = pass ? 1 : (size_t)w;
			for (int l = 0; l < lines; l++) {
				float *line = x + (size_t)l * next;
				for (int i = 0; i < len; i++) {
					float a = 0;
					for (int j = -3; j <= 3; j++) {
						int q = i + j < 0 ? 0 : i + j >= len ? len - 1 : i + j;
						a += k[j + 3] * line[(size_t)q * step];
					}
					row[i] = a;
				}
				for (int i = 0; i < len; i++)
					line[(size_t)i * step] = row[i];
			}
		}
	}
	if (rng_next(r) % 2 == 0) { /* noise, sigma up to 0.05 */
		float sd = rng_uniform(r, 0.f, 0.05f);
		for (size_t i = 0; i < wh; i++) {
			float v = x[i] + sd * rng_normal(r);
			x[i] = v < 0 ? 0 : v > 1 ? 1 : v;
		}
	}
	if (rng_next(r) % 10 < 2) { /* a hand over the mouth: lower middle of the crop */
		int ow = w / 3 + (int)(rng_next(r) % (uint64_t)(w / 3 + 1));
		int oh = h / 5 + (int)(rng_next(r) % (uint64_t)(h / 5 + 1));
		int ox = (w - ow) / 2 + (int)(rng_next(r) % 7) - 3;
		int oy = h * 3 / 5 + (int)(rng_next(r) % (uint64_t)(h / 8 + 1));
		float fill = rng_uniform(r, 0.3f, 0.9f);
		for (int yy = oy; yy < oy + oh && yy < h; yy++)
			for (int xx = ox < 0 ? 0 : ox; xx < ox + ow && xx < w; xx++)
				x[(size_t)yy * (size_t)w + (size_t)xx] = fill;
	}
}

/* " angry 0.59 disgust 0.71 ..." then the end of the line. */
static void print_recall(FILE *log, const double recall[VOCAB_NCLASSES])
{
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		fprintf(log, " %s %.2f", vocab_class_name(c), recall[c]);
	fputc('\n', log);
}

static float schedule(const struct train_opts *o, double epoch)
{
	const double warm = 1.0, floor = 0.01;
	if (epoch < warm)
		return (float)(o->lr * (0.1 + 0.9 * epoch / warm));
	double t = o->epochs > warm ? (epoch - warm) / (o->epochs - warm) : 1;
	if (t > 1)
		t = 1;
	return (float)(o->lr * (floor + (1 - floor) * 0.5 * (1 + cos(M_PI * t))));
}

struct state {
	int epoch;            /* epochs completed */
	double best;
	int best_epoch;
	double elapsed;
};

static int state_save(const char *out, const struct state *st)
{
	char path[4096], tmp[4200];
	snprintf(path, sizeof path, "%s/state", out);
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return TRAIN_EIO;
	FILE *f = fopen(tmp, "w");
	if (!f)
		return TRAIN_EIO;
	fprintf(f, "epoch=%d\nbest=%.6f\nbest_epoch=%d\nelapsed=%.1f\n", st->epoch, st->best,
		st->best_epoch, st->elapsed);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		return TRAIN_EIO;
	return 0;
}

static int state_load(const char *out, struct state *st)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/state", out);
	FILE *f = fopen(path, "r");
	if (!f)
		return TRAIN_EIO;
	int ok = fscanf(f, "epoch=%d\nbest=%lf\nbest_epoch=%d\nelapsed=%lf\n", &st->epoch, &st->best,
			&st->best_epoch, &st->elapsed) == 4;
	fclose(f);
	return ok ? 0 : TRAIN_EDATA;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Validation accuracy (plain and with mirror TTA) and per-class recall. */
/* Network outputs for every image of v: plain[i*7..] for the image as it is,
 * mirror[i*7..] for its mirror image (the two passes of test-time
 * augmentation). x holds dn_batch(net) inputs. */
static void predict_set(struct dn_net *net, const struct train_set *v, float *x, float *plain,
			float *mirror)
{
	const int b = dn_batch(net), wh = v->w * v->h;
	for (size_t i0 = 0; i0 < v->n; i0 += (size_t)b) {
		size_t m = v->n - i0 < (size_t)b ? v->n - i0 : (size_t)b;
		for (int pass = 0; pass < 2; pass++) {
			for (size_t k = 0; k < (size_t)b; k++) {
				size_t i = i0 + (k < m ? k : 0);
				struct img im = { .w = v->w, .h = v->h, .stride = v->w,
						  .px = v->px + i * (size_t)wh };
				emo_preprocess(&im, NULL, pass ? &mirror_aug : NULL, x + k * (size_t)wh, v->w, v->h);
			}
			const float *out = dn_predict_batch(net, x);
			memcpy((pass ? mirror : plain) + i0 * VOCAB_NCLASSES, out,
			       m * VOCAB_NCLASSES * sizeof(float));
		}
	}
}

/* Scores of predict_set's outputs for v: one pass and with TTA. */
static void score_set(const struct train_set *v, const float *plain, const float *mirror,
		      struct calib_score *one, struct calib_score *two)
{
	struct calib_data d = { .plain = plain, .label = v->label, .n = v->n };
	calib_score(&d, NULL, 0, one);
	d.mirror = mirror;
	calib_score(&d, NULL, 0, two);
}

/* Validation accuracy without and with TTA, and per-class sensitivity with
 * TTA. Returns -1 when out of memory. */
static int validate(struct dn_net *net, const struct train_set *v, float *x, double *acc,
		    double *acc_tta, double recall[VOCAB_NCLASSES])
{
	float *plain = malloc(v->n * VOCAB_NCLASSES * sizeof(float));
	float *mirror = malloc(v->n * VOCAB_NCLASSES * sizeof(float));
	if (!plain || !mirror) {
		free(plain);
		free(mirror);
		return -1;
	}
	predict_set(net, v, x, plain, mirror);
	struct calib_score one, two;
	score_set(v, plain, mirror, &one, &two);
	*acc = one.accuracy;
	*acc_tta = two.accuracy;
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		recall[c] = two.sensitivity[c];
	free(plain);
	free(mirror);
	return 0;
}

static void set_why(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_why(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

static int copy_file(const char *from, const char *to)
{
	char tmp[4200];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", to) >= (int)sizeof tmp)
		return TRAIN_EIO;
	FILE *in = fopen(from, "rb"), *out = in ? fopen(tmp, "wb") : NULL;
	char buf[65536];
	size_t k;
	int ok = in && out;
	while (ok && (k = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, k, out) == k;
	if (in)
		fclose(in);
	if (out)
		ok = (fclose(out) == 0) && ok;
	if (!ok || rename(tmp, to) != 0) {
		remove(tmp);
		return TRAIN_EIO;
	}
	return 0;
}

double train_distill_loss(const float *p, const float *t, const float *y, float alpha,
			  float temperature, float *delta)
{
	double lp[VOCAB_NCLASSES], ps[VOCAB_NCLASSES], qs[VOCAB_NCLASSES], mp = -HUGE_VAL, mq = -HUGE_VAL;
	double sp = 0, sq = 0, ce = 0, kl = 0;
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		lp[c] = log(p[c] > 1e-30f ? (double)p[c] : 1e-30);
		ps[c] = lp[c] / temperature; /* the student's logits / T, up to a constant */
		qs[c] = (double)t[c] / temperature;
		mp = ps[c] > mp ? ps[c] : mp;
		mq = qs[c] > mq ? qs[c] : mq;
	}
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		sp += ps[c] = exp(ps[c] - mp);
		sq += qs[c] = exp(qs[c] - mq);
	}
	for (int c = 0; c < VOCAB_NCLASSES; c++) {
		ps[c] /= sp;
		qs[c] /= sq;
		ce -= (double)y[c] * lp[c];
		if (qs[c] > 0)
			kl += qs[c] * (log(qs[c]) - log(ps[c] > 1e-300 ? ps[c] : 1e-300));
		delta[c] = (float)((1 - alpha) * ((double)y[c] - (double)p[c]) +
				   alpha * temperature * (qs[c] - ps[c]));
	}
	return (1 - alpha) * ce + alpha * (double)temperature * temperature * kl;
}

/* FNV-1a, 64 bits, continued from h. */
static uint64_t fnv(uint64_t h, const void *data, size_t n)
{
	const unsigned char *b = data;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return h;
}

static int fnv_file(uint64_t *h, const char *path)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t k;
	if (!f)
		return TRAIN_EIO;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		*h = fnv(*h, buf, k);
	int bad = ferror(f);
	fclose(f);
	return bad ? TRAIN_EIO : 0;
}

/* The teacher's log-probabilities (TTA) for every image of tr into *t
 * (tr->n * 7, owned by the caller): from o->out/teacher-train.f32 when its
 * key matches, else predicted and cached ("EMOTCH1\n", key, n, floats). */
static int teacher_outputs(const struct train_opts *o, const struct train_set *tr, float **t,
			   FILE *log, char *why, size_t n)
{
	const char *cfg = o->teacher_cfg ? o->teacher_cfg : o->cfg;
	char path[4096], tmp[4200], dwhy[512];
	uint64_t key = 0xcbf29ce484222325ULL, hdr[2];
	const size_t k = tr->n * VOCAB_NCLASSES;
	float *plain = NULL, *mirror = NULL, *x = NULL;
	struct dn_net *net = NULL;
	int rc = 0, w, h, c, outputs;

	if (fnv_file(&key, cfg) || fnv_file(&key, o->teacher)) {
		set_why(why, n, "%s: cannot read", o->teacher);
		return TRAIN_EIO;
	}
	key = fnv(key, tr->label, tr->n);
	key = fnv(key, tr->px, tr->n * (size_t)tr->w * (size_t)tr->h);
	snprintf(path, sizeof path, "%s/teacher-train.f32", o->out);
	if (!(*t = malloc(k * sizeof **t)))
		goto nomem;
	FILE *f = fopen(path, "rb");
	char magic[8];
	if (f) {
		int ok = fread(magic, 1, 8, f) == 8 && !memcmp(magic, "EMOTCH1\n", 8) &&
			 fread(hdr, sizeof hdr, 1, f) == 1 && hdr[0] == key && hdr[1] == tr->n &&
			 fread(*t, sizeof **t, k, f) == k;
		fclose(f);
		for (size_t i = 0; ok && i < k; i++)
			ok = isfinite((*t)[i]);
		if (ok) {
			fprintf(log, "train: teacher outputs from %s\n", path);
			return 0;
		}
	}
	fprintf(log, "train: teacher %s predicts the %zu training images and their mirror images ...\n",
		o->teacher, tr->n);
	/* Darknet draws the random initial weights it then overwrites with
	 * rand(), which is random() in glibc: load the teacher on a state of
	 * its own so that the training run's draws (dropout) stay what they
	 * are without a teacher. */
	static char state[256];
	char *saved = initstate(1, state, sizeof state);
	int lrc = dn_load(cfg, o->teacher, o->batch, &net, dwhy, sizeof dwhy);
	setstate(saved);
	if (lrc) {
		set_why(why, n, "%s", dwhy);
		rc = TRAIN_EMODEL;
		goto out;
	}
	dn_shape(net, &w, &h, &c, &outputs);
	if (w != tr->w || h != tr->h || c != 1 || outputs != VOCAB_NCLASSES) {
		set_why(why, n, "%s: the teacher needs a %dx%d gray input and %d outputs", cfg,
			tr->w, tr->h, VOCAB_NCLASSES);
		rc = TRAIN_EMODEL;
		goto out;
	}
	plain = malloc(k * sizeof *plain);
	mirror = malloc(k * sizeof *mirror);
	x = malloc((size_t)o->batch * (size_t)(w * h) * sizeof *x);
	if (!plain || !mirror || !x)
		goto nomem;
	predict_set(net, tr, x, plain, mirror);
	struct calib_score one, two;
	score_set(tr, plain, mirror, &one, &two);
	fprintf(log, "train: teacher on the training images: %.4f, with TTA %.4f\n", one.accuracy,
		two.accuracy);
	for (size_t i = 0; i < k; i++) {
		float m = 0.5f * (plain[i] + mirror[i]);
		(*t)[i] = logf(m > 1e-30f ? m : 1e-30f);
	}
	hdr[0] = key;
	hdr[1] = tr->n;
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	f = fopen(tmp, "wb");
	int ok = f && fwrite("EMOTCH1\n", 1, 8, f) == 8 && fwrite(hdr, sizeof hdr, 1, f) == 1 &&
		 fwrite(*t, sizeof **t, k, f) == k;
	if (f)
		ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		remove(tmp);
		fprintf(log, "train: warning: could not write %s\n", path);
	}
	goto out;
nomem:
	set_why(why, n, "out of memory");
	rc = TRAIN_ENOMEM;
out:
	if (rc) {
		free(*t);
		*t = NULL;
	}
	free(plain);
	free(mirror);
	free(x);
	dn_free(net);
	return rc;
}

/* dn_train_batch_delta's loss: distillation for the batch's samples. */
struct distill {
	const float *t;          /* teacher log-probabilities, 7 per training image */
	const size_t *idx;       /* the batch's training images */
	const int8_t *label;
	float alpha, temperature, smooth;
};

static float distill_delta(const float *out, float *d, int batch, void *vctx)
{
	const struct distill *c = vctx;
	double loss = 0;
	for (int s = 0; s < batch; s++) {
		size_t i = c->idx[s];
		float y[VOCAB_NCLASSES];
		for (int cl = 0; cl < VOCAB_NCLASSES; cl++)
			y[cl] = c->smooth / VOCAB_NCLASSES + (cl == c->label[i] ? 1 - c->smooth : 0);
		loss += train_distill_loss(out + s * VOCAB_NCLASSES, c->t + i * VOCAB_NCLASSES, y, c->alpha,
					   c->temperature, d + s * VOCAB_NCLASSES);
	}
	return (float)loss;
}

int train_run(const struct train_opts *o, char *why, size_t n)
{
	struct train_set tr, va;
	struct dn_net *net = NULL;
	struct state st = { 0, 0, -1, 0 };
	char last[4096], best[4096], dwhy[512];
	float *x = NULL, *y = NULL, *teach = NULL;
	size_t *order = NULL;
	int rc = 0, w, h, c, outputs;
	FILE *log = o->log ? o->log : stderr;

	if (mkdir(o->out, 0755) != 0 && errno != EEXIST) {
		set_why(why, n, "%s: %s", o->out, strerror(errno));
		return TRAIN_EIO;
	}
	snprintf(last, sizeof last, "%s/last.weights", o->out);
	snprintf(best, sizeof best, "%s/best.weights", o->out);
	const char *weights = o->init;
	if (o->resume) {
		if (state_load(o->out, &st) != 0) {
			set_why(why, n, "%s/state: no checkpoint to resume from", o->out);
			return TRAIN_EIO;
		}
		weights = last;
	}
	srand(o->seed);
	if (dn_load(o->cfg, weights, o->batch, &net, dwhy, sizeof dwhy)) {
		set_why(why, n, "%s", dwhy);
		return TRAIN_EMODEL;
	}
	dn_shape(net, &w, &h, &c, &outputs);
	if (c != 1 || outputs != VOCAB_NCLASSES) {
		set_why(why, n, "%s: needs 1 input channel and %d outputs", o->cfg, VOCAB_NCLASSES);
		dn_free(net);
		return TRAIN_EMODEL;
	}
	if ((rc = load_cached(o->data, "train", o->out, w, h, &tr, log))) {
		set_why(why, n, "%s/train: %s", o->data, train_strerror(rc));
		dn_free(net);
		return rc;
	}
	if ((rc = load_cached(o->data, "validation", o->out, w, h, &va, log))) {
		set_why(why, n, "%s/validation: %s", o->data, train_strerror(rc));
		train_set_free(&tr);
		dn_free(net);
		return rc;
	}
	if (o->teacher && (rc = teacher_outputs(o, &tr, &teach, log, why, n)))
		goto out;
	size_t counts[VOCAB_NCLASSES] = { 0 };
	for (size_t i = 0; i < tr.n; i++)
		counts[tr.label[i]]++;
	size_t per_epoch = tr.n + counts[1] * (size_t)(o->oversample > 1 ? o->oversample - 1 : 0);
	const int b = o->batch, wh = w * h;
	size_t batches = per_epoch / (size_t)b;
	order = malloc(per_epoch * sizeof *order);
	x = malloc((size_t)b * (size_t)wh * sizeof(float));
	y = malloc((size_t)b * VOCAB_NCLASSES * sizeof(float));
	if (!order || !x || !y) {
		rc = TRAIN_ENOMEM;
		set_why(why, n, "out of memory");
		goto out;
	}
	fprintf(log, "train: %zu training images (%zu per epoch with disgust x%d), %zu validation, "
		"%.1f M MAC per image, %lld parameters, epochs %d..%d\n",
		tr.n, per_epoch, o->oversample, va.n, dn_flops(net) / 1e6, dn_params(net), st.epoch + 1, o->epochs);
	if (teach)
		fprintf(log, "train: distillation from %s, alpha %.2f, temperature %.2f\n", o->teacher,
			(double)o->alpha, (double)o->temperature);
	const double t0 = now() - st.elapsed;
	const float smooth = 0.1f;
	for (int epoch = st.epoch; epoch < o->epochs; epoch++) {
		struct rng r = { ((uint64_t)o->seed << 32) ^ (uint64_t)(epoch + 1) * 0x2545F4914F6CDD1DULL };
		size_t k = 0;
		for (size_t i = 0; i < tr.n; i++) {
			order[k++] = i;
			if (tr.label[i] == 1)
				for (int j = 1; j < o->oversample; j++)
					order[k++] = i;
		}
		shuffle(&r, order, per_epoch);
		double loss = 0, te = now();
		size_t right = 0;
		for (size_t bi = 0; bi < batches; bi++) {
			for (int s = 0; s < b; s++) {
				size_t i = order[bi * (size_t)b + (size_t)s];
				(o->mirror_only ? mirror_only : augment)(&r, &tr, i, x + (size_t)s * (size_t)wh);
				if (o->webcam)
					webcam(&r, x + (size_t)s * (size_t)wh, w, h);
				for (int cl = 0; cl < VOCAB_NCLASSES; cl++)
					y[s * VOCAB_NCLASSES + cl] = smooth / VOCAB_NCLASSES +
								   (cl == tr.label[i] ? 1 - smooth : 0);
			}
			float lr = schedule(o, epoch + (double)bi / (double)batches), bl;
			if (teach) {
				struct distill dc = { teach, order + bi * (size_t)b, tr.label, o->alpha,
						      o->temperature, smooth };
				if (dn_train_batch_delta(net, x, distill_delta, &dc, lr, &bl) != 0) {
					rc = TRAIN_EMODEL;
					set_why(why, n, "%s: distillation needs a network ending in a softmax", o->cfg);
					goto out;
				}
				loss += bl;
			} else {
				loss += dn_train_batch(net, x, y, lr);
			}
			const float *out = dn_train_output(net);
			for (int s = 0; s < b; s++)
				right += emo_argmax(out + s * VOCAB_NCLASSES) == tr.label[order[bi * (size_t)b + (size_t)s]];
		}
		double train_s = now() - te, acc = 0, acc_tta = 0, recall[VOCAB_NCLASSES] = { 0 };
		if (validate(net, &va, x, &acc, &acc_tta, recall) != 0) {
			rc = TRAIN_ENOMEM;
			set_why(why, n, "out of memory");
			goto out;
		}
		st.epoch = epoch + 1;
		st.elapsed = now() - t0;
		if (dn_save(net, last) != 0) {
			rc = TRAIN_EIO;
			set_why(why, n, "%s: cannot write", last);
			goto out;
		}
		int improved = acc_tta > st.best;
		if (improved) {
			st.best = acc_tta;
			st.best_epoch = st.epoch;
			if (copy_file(last, best) != 0) {
				rc = TRAIN_EIO;
				set_why(why, n, "%s: cannot write", best);
				goto out;
			}
		}
		state_save(o->out, &st);
		fprintf(log, "epoch %3d  lr %.4f  loss %.4f  train %.4f  val %.4f  val+tta %.4f%s  "
			"%.0f img/s  %.1f min  recall",
			st.epoch, schedule(o, epoch + 1.0), loss / (double)batches,
			(double)right / (double)(batches * (size_t)b), acc, acc_tta, improved ? " *" : "  ",
			(double)(batches * (size_t)b) / train_s, st.elapsed / 60);
		print_recall(log, recall);
		fflush(log);
		if (o->hours > 0 && st.elapsed > o->hours * 3600) {
			fprintf(log, "train: time budget reached after epoch %d\n", st.epoch);
			break;
		}
	}
	fprintf(log, "train: best validation accuracy %.4f (with TTA) at epoch %d: %s\n", st.best,
		st.best_epoch, best);
out:
	free(order);
	free(x);
	free(y);
	free(teach);
	train_set_free(&tr);
	train_set_free(&va);
	dn_free(net);
	return rc;
}

static void print_score(FILE *log, const char *what, const struct calib_score *s)
{
	fprintf(log, "calibrate: %-28s accuracy %.4f  min sensitivity %.4f  sensitivity", what,
		s->accuracy, s->min_sensitivity);
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		fprintf(log, " %s %.3f", vocab_class_name(c), s->sensitivity[c]);
	fputc('\n', log);
}

static void print_bias(FILE *log, const char *what, const float bias[VOCAB_NCLASSES])
{
	fprintf(log, "calibrate: %s", what);
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		fprintf(log, " %s %+.3f", vocab_class_name(c), (double)bias[c]);
	fputc('\n', log);
}

/* For calibrate and average: o->out created, o->cfg loaded with weights
 * (7 outputs, one channel) into *net, the validation split into *va. On
 * error nothing is left allocated. */
static int open_net(const struct train_opts *o, const char *weights, struct dn_net **net,
		    struct train_set *va, char *why, size_t n)
{
	char dwhy[512];
	int w, h, c, outputs, rc;
	if (mkdir(o->out, 0755) != 0 && errno != EEXIST) {
		set_why(why, n, "%s: %s", o->out, strerror(errno));
		return TRAIN_EIO;
	}
	if (dn_load(o->cfg, weights, o->batch, net, dwhy, sizeof dwhy)) {
		set_why(why, n, "%s", dwhy);
		return TRAIN_EMODEL;
	}
	dn_shape(*net, &w, &h, &c, &outputs);
	if (c != 1 || outputs != VOCAB_NCLASSES) {
		set_why(why, n, "%s: needs 1 input channel and %d outputs", o->cfg, VOCAB_NCLASSES);
		rc = TRAIN_EMODEL;
	} else if ((rc = load_cached(o->data, "validation", o->out, w, h, va, o->log ? o->log : stderr))) {
		set_why(why, n, "%s/validation: %s", o->data, train_strerror(rc));
	}
	if (rc) {
		dn_free(*net);
		*net = NULL;
	}
	return rc;
}

int train_calibrate(const struct train_opts *o, const char *weights_out, double floor,
		    char *why, size_t n)
{
	struct train_set va = { 0 };
	struct dn_net *net = NULL;
	float *x = NULL, *plain = NULL, *mirror = NULL;
	size_t *rows = NULL;
	int rc = 0, w, h, c, outputs;
	FILE *log = o->log ? o->log : stderr;

	if ((rc = open_net(o, o->init, &net, &va, why, n)))
		return rc;
	dn_shape(net, &w, &h, &c, &outputs);
	size_t k = va.n * VOCAB_NCLASSES;
	x = malloc((size_t)o->batch * (size_t)(w * h) * sizeof(float));
	plain = malloc(k * sizeof(float));
	mirror = malloc(k * sizeof(float));
	rows = malloc(va.n * sizeof *rows);
	if (!x || !plain || !mirror || !rows) {
		rc = TRAIN_ENOMEM;
		set_why(why, n, "out of memory");
		goto out;
	}
	predict_set(net, &va, x, plain, mirror);
	struct calib_data all = { .plain = plain, .mirror = mirror, .label = va.label, .n = va.n };
	struct calib_score s;
	float bias[VOCAB_NCLASSES];
	calib_score(&all, NULL, floor, &s);
	print_score(log, "as trained (TTA):", &s);

	/* 2-fold cross-fitting: alternate images of each class to halves A, B. */
	size_t seen[VOCAB_NCLASSES] = { 0 }, na = 0, nb = 0;
	for (size_t i = 0; i < va.n; i++)
		if (seen[va.label[i]]++ % 2 == 0)
			rows[na++] = i;
	memset(seen, 0, sizeof seen);
	for (size_t i = 0; i < va.n; i++)
		if (seen[va.label[i]]++ % 2 == 1)
			rows[na + nb++] = i;
	for (int f = 0; f < 2; f++) {
		struct calib_data fit = all, test = all;
		fit.rows = f ? rows + na : rows;
		fit.n = f ? nb : na;
		test.rows = f ? rows : rows + na;
		test.n = f ? na : nb;
		calib_fit(&fit, floor, bias);
		calib_score(&test, NULL, floor, &s);
		print_score(log, f ? "half A as trained:" : "half B as trained:", &s);
		calib_score(&test, bias, floor, &s);
		print_score(log, f ? "half A, biases fitted on B:" : "half B, biases fitted on A:", &s);
	}

	calib_fit(&all, floor, bias);
	print_bias(log, "biases fitted on the whole split:", bias);
	calib_score(&all, bias, floor, &s);
	print_score(log, "whole split, calibrated:", &s);
	if (dn_shift_logits(net, bias, VOCAB_NCLASSES) != 0) {
		set_why(why, n, "%s: the network does not end in a linear layer and a softmax", o->cfg);
		rc = TRAIN_EMODEL;
		goto out;
	}
	/* The baked-in biases must give what the fit scored (the predictions
	 * as trained are no longer needed: their arrays take the new ones). */
	predict_set(net, &va, x, plain, mirror);
	struct calib_score s2;
	calib_score(&all, NULL, floor, &s2);
	print_score(log, "whole split, baked in:", &s2);
	if (fabs(s2.accuracy - s.accuracy) > 2.0 / (double)va.n) {
		set_why(why, n, "baked-in biases give accuracy %.4f, expected %.4f", s2.accuracy, s.accuracy);
		rc = TRAIN_EMODEL;
		goto out;
	}
	if (dn_save(net, weights_out) != 0) {
		rc = TRAIN_EIO;
		set_why(why, n, "%s: cannot write", weights_out);
		goto out;
	}
	fprintf(log, "calibrate: wrote %s\n", weights_out);
out:
	free(x);
	free(plain);
	free(mirror);
	free(rows);
	train_set_free(&va);
	dn_free(net);
	return rc;
}

struct restat_ctx {
	const struct train_set *tr;
	const size_t *order;
	int batch;
	int plain;            /* images as inference sees them (mirrored at random) */
	struct rng r;
};

static void restat_fill(float *x, int bi, void *vctx)
{
	struct restat_ctx *c = vctx;
	const int wh = c->tr->w * c->tr->h;
	for (int k = 0; k < c->batch; k++) {
		size_t i = c->order[((size_t)bi * (size_t)c->batch + (size_t)k) % c->tr->n];
		(c->plain ? mirror_only : augment)(&c->r, c->tr, i, x + (size_t)k * (size_t)wh);
	}
}

static int report(struct dn_net *net, const struct train_set *va, float *x, const char *what,
		  FILE *log)
{
	double acc, acc_tta, recall[VOCAB_NCLASSES];
	if (validate(net, va, x, &acc, &acc_tta, recall) != 0)
		return TRAIN_ENOMEM;
	fprintf(log, "average: %-26s val %.4f  val+tta %.4f  recall", what, acc, acc_tta);
	print_recall(log, recall);
	return 0;
}

int train_average(const struct train_opts *o, const char *const *weights, int nweights,
		  int restat, int restat_plain, const char *weights_out, char *why, size_t n)
{
	struct train_set va = { 0 }, tr = { 0 };
	struct dn_net *net = NULL, *other = NULL;
	float *x = NULL;
	size_t *order = NULL;
	char dwhy[512], what[64];
	int rc = 0, w, h, c, outputs;
	FILE *log = o->log ? o->log : stderr;

	if (nweights < 1) {
		set_why(why, n, "no weights to average");
		return TRAIN_EMODEL;
	}
	if ((rc = open_net(o, weights[0], &net, &va, why, n)))
		return rc;
	dn_shape(net, &w, &h, &c, &outputs);
	if (!(x = malloc((size_t)o->batch * (size_t)(w * h) * sizeof(float)))) {
		rc = TRAIN_ENOMEM;
		goto nomem;
	}
	if ((rc = report(net, &va, x, weights[0], log)))
		goto nomem;
	for (int k = 1; k < nweights; k++) {
		if (dn_load(o->cfg, weights[k], o->batch, &other, dwhy, sizeof dwhy)) {
			set_why(why, n, "%s", dwhy);
			rc = TRAIN_EMODEL;
			goto out;
		}
		if ((rc = report(other, &va, x, weights[k], log)))
			goto nomem;
		if (dn_mix(net, other, 1.0f / (float)(k + 1)) != 0) { /* cannot fail: same cfg */
			set_why(why, n, "%s: does not fit %s", weights[k], weights[0]);
			rc = TRAIN_EMODEL;
			goto out;
		}
		dn_free(other);
		other = NULL;
	}
	snprintf(what, sizeof what, "mean of %d:", nweights);
	if ((rc = report(net, &va, x, what, log)))
		goto nomem;
	if (restat > 0) {
		if ((rc = load_cached(o->data, "train", o->out, w, h, &tr, log))) {
			set_why(why, n, "%s/train: %s", o->data, train_strerror(rc));
			goto out;
		}
		if (!(order = malloc(tr.n * sizeof *order))) {
			rc = TRAIN_ENOMEM;
			goto nomem;
		}
		struct restat_ctx ctx = { .tr = &tr, .order = order, .batch = o->batch,
					  .plain = restat_plain, .r = { (uint64_t)o->seed * 0x9E3779B97F4A7C15ULL } };
		for (size_t i = 0; i < tr.n; i++)
			order[i] = i;
		shuffle(&ctx.r, order, tr.n);
		if (dn_bn_restat(net, restat, restat_fill, &ctx) != 0) {
			rc = TRAIN_ENOMEM;
			goto nomem;
		}
		snprintf(what, sizeof what, "batch norm re-estimated%s:", restat_plain ? " (plain)" : "");
		if ((rc = report(net, &va, x, what, log)))
			goto nomem;
	}
	if (dn_save(net, weights_out) != 0) {
		rc = TRAIN_EIO;
		set_why(why, n, "%s: cannot write", weights_out);
		goto out;
	}
	fprintf(log, "average: wrote %s\n", weights_out);
	goto out;
nomem:
	set_why(why, n, "out of memory");
out:
	free(x);
	free(order);
	train_set_free(&va);
	train_set_free(&tr);
	dn_free(other);
	dn_free(net);
	return rc;
}

const char *train_strerror(int err)
{
	switch (err) {
	case TRAIN_OK: return "success";
	case TRAIN_ENOMEM: return "out of memory";
	case TRAIN_EIO: return "input/output error";
	case TRAIN_EDATA: return "no usable labelled images";
	case TRAIN_EMODEL: return "model refused";
	}
	return "unknown error";
}
