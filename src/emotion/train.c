/* train: the emotion network trainer. See train.h. */
#include "train.h"

#include "calib.h"
#include "dn.h"
#include "emo.h"
#include "img.h"
#include "train_aug.h"
#include "why.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

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
				emo_preprocess(&im, NULL, pass ? &train_aug_mirror : NULL, x + k * (size_t)wh,
					       v->w, v->h);
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

/* Adds teacher i's outputs for every image of tr and its mirror image to
 * plain and mirror (tr->n * 7 each); x is a batch's input buffer. */
static int teacher_add(const struct train_opts *o, int i, const struct train_set *tr, float *x,
		       float *plain, float *mirror, float *p, float *m, char *why, size_t n)
{
	const char *cfg = o->teacher[i].cfg ? o->teacher[i].cfg : o->cfg;
	char dwhy[512];
	struct dn_net *net = NULL;
	int w, h, c, outputs;
	/* Darknet draws the random initial weights it then overwrites with
	 * rand(), which is random() in glibc: load the teacher on a state of
	 * its own so that the training run's draws (dropout) stay what they
	 * are without a teacher. */
	static char state[256];
	char *saved = initstate(1, state, sizeof state);
	int lrc = dn_load(cfg, o->teacher[i].weights, o->batch, &net, dwhy, sizeof dwhy);
	setstate(saved);
	if (lrc) {
		why_set(why, n, "%s", dwhy);
		return TRAIN_EMODEL;
	}
	dn_shape(net, &w, &h, &c, &outputs);
	if (w != tr->w || h != tr->h || c != 1 || outputs != VOCAB_NCLASSES) {
		why_set(why, n, "%s: the teacher needs a %dx%d gray input and %d outputs", cfg, tr->w,
			tr->h, VOCAB_NCLASSES);
		dn_free(net);
		return TRAIN_EMODEL;
	}
	predict_set(net, tr, x, p, m);
	dn_free(net);
	for (size_t k = 0; k < tr->n * VOCAB_NCLASSES; k++) {
		plain[k] += p[k];
		mirror[k] += m[k];
	}
	return 0;
}

/* The teachers' log-probabilities (their mean with TTA) for every image
 * of tr into *t (tr->n * 7, owned by the caller): from
 * o->out/teacher-train.f32 when its key matches, else predicted and
 * cached ("EMOTCH1\n", key, n, floats). */
static int teacher_outputs(const struct train_opts *o, const struct train_set *tr, float **t,
			   FILE *log, char *why, size_t n)
{
	char path[4096], tmp[4200];
	uint64_t key = 0xcbf29ce484222325ULL, hdr[2];
	const size_t k = tr->n * VOCAB_NCLASSES;
	float *plain = NULL, *mirror = NULL, *p = NULL, *m = NULL, *x = NULL;
	int rc = 0;

	for (int i = 0; i < o->nteacher; i++)
		if (fnv_file(&key, o->teacher[i].cfg ? o->teacher[i].cfg : o->cfg) ||
		    fnv_file(&key, o->teacher[i].weights)) {
			why_set(why, n, "%s: cannot read", o->teacher[i].weights);
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
	plain = calloc(k, sizeof *plain);
	mirror = calloc(k, sizeof *mirror);
	p = malloc(k * sizeof *p);
	m = malloc(k * sizeof *m);
	x = malloc((size_t)o->batch * (size_t)(tr->w * tr->h) * sizeof *x);
	if (!plain || !mirror || !p || !m || !x)
		goto nomem;
	for (int i = 0; i < o->nteacher; i++) {
		fprintf(log, "train: teacher %s predicts the %zu training images and their mirror images ...\n",
			o->teacher[i].weights, tr->n);
		if ((rc = teacher_add(o, i, tr, x, plain, mirror, p, m, why, n)))
			goto out;
	}
	for (size_t i = 0; i < k; i++) {
		plain[i] /= (float)o->nteacher;
		mirror[i] /= (float)o->nteacher;
	}
	struct calib_score one, two;
	score_set(tr, plain, mirror, &one, &two);
	fprintf(log, "train: teacher on the training images: %.4f, with TTA %.4f\n", one.accuracy,
		two.accuracy);
	for (size_t i = 0; i < k; i++) {
		float mean = 0.5f * (plain[i] + mirror[i]);
		(*t)[i] = logf(mean > 1e-30f ? mean : 1e-30f);
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
	why_set(why, n, "out of memory");
	rc = TRAIN_ENOMEM;
out:
	if (rc) {
		free(*t);
		*t = NULL;
	}
	free(plain);
	free(mirror);
	free(p);
	free(m);
	free(x);
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

/* The label smoothing of every training target. */
static const float label_smooth = 0.1f;

/* One training run: the network, the data, the batch buffers. */
struct run {
	const struct train_opts *o;
	FILE *log;
	struct dn_net *net;
	int w, h;                /* the network's input */
	struct train_set tr, va;
	float *teach;            /* teacher log-probabilities, or NULL */
	size_t *order;           /* an epoch's training images, shuffled */
	size_t per_epoch;        /* images per epoch (disgust oversampled) */
	size_t batches;          /* batches per epoch */
	float *x, *y;            /* a batch of inputs and of targets */
	char last[4096], best[4096];
};

/* o->cfg loaded with weights (one input channel, 7 outputs) and both splits
 * of o->data decoded (or read from their cache in o->out). */
static int run_open(struct run *R, const char *weights, char *why, size_t n)
{
	const struct train_opts *o = R->o;
	char dwhy[512];
	int c, outputs, rc;
	if (dn_load(o->cfg, weights, o->batch, &R->net, dwhy, sizeof dwhy)) {
		why_set(why, n, "%s", dwhy);
		return TRAIN_EMODEL;
	}
	dn_shape(R->net, &R->w, &R->h, &c, &outputs);
	if (c != 1 || outputs != VOCAB_NCLASSES) {
		why_set(why, n, "%s: needs 1 input channel and %d outputs", o->cfg, VOCAB_NCLASSES);
		return TRAIN_EMODEL;
	}
	if ((rc = train_load_cached(o->data, "train", o->out, R->w, R->h, &R->tr, R->log))) {
		why_set(why, n, "%s/train: %s", o->data, train_strerror(rc));
		return rc;
	}
	if ((rc = train_load_cached(o->data, "validation", o->out, R->w, R->h, &R->va, R->log))) {
		why_set(why, n, "%s/validation: %s", o->data, train_strerror(rc));
		return rc;
	}
	return 0;
}

/* The epoch's length (every image, disgust o->oversample times) and the
 * buffers of the epoch loop. */
static int run_alloc(struct run *R, char *why, size_t n)
{
	const struct train_opts *o = R->o;
	size_t counts[VOCAB_NCLASSES] = { 0 };
	for (size_t i = 0; i < R->tr.n; i++)
		counts[R->tr.label[i]]++;
	R->per_epoch = R->tr.n + counts[1] * (size_t)(o->oversample > 1 ? o->oversample - 1 : 0);
	R->batches = R->per_epoch / (size_t)o->batch;
	R->order = malloc(R->per_epoch * sizeof *R->order);
	R->x = malloc((size_t)o->batch * (size_t)(R->w * R->h) * sizeof(float));
	R->y = malloc((size_t)o->batch * VOCAB_NCLASSES * sizeof(float));
	if (!R->order || !R->x || !R->y) {
		why_set(why, n, "out of memory");
		return TRAIN_ENOMEM;
	}
	return 0;
}

/* The epoch's order of the training images: each once, disgust
 * o->oversample times, shuffled. */
static void run_order(struct run *R, struct train_aug_rng *r)
{
	size_t k = 0;
	for (size_t i = 0; i < R->tr.n; i++) {
		R->order[k++] = i;
		if (R->tr.label[i] == 1)
			for (int j = 1; j < R->o->oversample; j++)
				R->order[k++] = i;
	}
	train_aug_shuffle(r, R->order, R->per_epoch);
}

/* Batch bi of epoch: augmented inputs and smoothed targets, one SGD step
 * (or a distillation step); its loss added to *loss, its right answers to
 * *right. */
static int run_batch(struct run *R, struct train_aug_rng *r, int epoch, size_t bi, double *loss,
		     size_t *right, char *why, size_t n)
{
	const struct train_opts *o = R->o;
	const int b = o->batch, wh = R->w * R->h;
	const size_t *idx = R->order + bi * (size_t)b;
	for (int s = 0; s < b; s++) {
		size_t i = idx[s];
		float *xs = R->x + (size_t)s * (size_t)wh;
		(o->mirror_only ? train_aug_mirror_only : train_aug_image)(r, &R->tr, i, xs);
		if (o->webcam)
			train_aug_webcam(r, xs, R->w, R->h);
		for (int cl = 0; cl < VOCAB_NCLASSES; cl++)
			R->y[s * VOCAB_NCLASSES + cl] = label_smooth / VOCAB_NCLASSES +
							(cl == R->tr.label[i] ? 1 - label_smooth : 0);
	}
	float lr = schedule(o, epoch + (double)bi / (double)R->batches), bl;
	if (R->teach) {
		struct distill dc = { R->teach, idx, R->tr.label, o->alpha, o->temperature,
				      label_smooth };
		if (dn_train_batch_delta(R->net, R->x, distill_delta, &dc, lr, &bl) != 0) {
			why_set(why, n, "%s: distillation needs a network ending in a softmax", o->cfg);
			return TRAIN_EMODEL;
		}
		*loss += bl;
	} else {
		*loss += dn_train_batch(R->net, R->x, R->y, lr);
	}
	const float *out = dn_train_output(R->net);
	for (int s = 0; s < b; s++)
		*right += emo_argmax(out + s * VOCAB_NCLASSES) == R->tr.label[idx[s]];
	return 0;
}

/* One epoch (number epoch + 1), validated, saved (last, and best when
 * better) and logged. Returns 1 when o->hours is spent, else 0 or an
 * error. t0: when the run would have started without its pauses. */
static int run_epoch(struct run *R, struct state *st, int epoch, double t0, char *why, size_t n)
{
	const struct train_opts *o = R->o;
	struct train_aug_rng r = { ((uint64_t)o->seed << 32) ^ (uint64_t)(epoch + 1) * 0x2545F4914F6CDD1DULL };
	run_order(R, &r);
	double loss = 0, te = now();
	size_t right = 0;
	int rc;
	for (size_t bi = 0; bi < R->batches; bi++)
		if ((rc = run_batch(R, &r, epoch, bi, &loss, &right, why, n)))
			return rc;
	double train_s = now() - te, acc = 0, acc_tta = 0, recall[VOCAB_NCLASSES] = { 0 };
	if (validate(R->net, &R->va, R->x, &acc, &acc_tta, recall) != 0) {
		why_set(why, n, "out of memory");
		return TRAIN_ENOMEM;
	}
	st->epoch = epoch + 1;
	st->elapsed = now() - t0;
	if (dn_save(R->net, R->last) != 0) {
		why_set(why, n, "%s: cannot write", R->last);
		return TRAIN_EIO;
	}
	int improved = acc_tta > st->best;
	if (improved) {
		st->best = acc_tta;
		st->best_epoch = st->epoch;
		if (copy_file(R->last, R->best) != 0) {
			why_set(why, n, "%s: cannot write", R->best);
			return TRAIN_EIO;
		}
	}
	state_save(o->out, st);
	const size_t seen = R->batches * (size_t)o->batch;
	fprintf(R->log, "epoch %3d  lr %.4f  loss %.4f  train %.4f  val %.4f  val+tta %.4f%s  "
		"%.0f img/s  %.1f min  recall",
		st->epoch, schedule(o, epoch + 1.0), loss / (double)R->batches,
		(double)right / (double)seen, acc, acc_tta, improved ? " *" : "  ",
		(double)seen / train_s, st->elapsed / 60);
	print_recall(R->log, recall);
	fflush(R->log);
	if (o->hours > 0 && st->elapsed > o->hours * 3600) {
		fprintf(R->log, "train: time budget reached after epoch %d\n", st->epoch);
		return 1;
	}
	return 0;
}

int train_run(const struct train_opts *o, char *why, size_t n)
{
	struct run R = { .o = o, .log = o->log ? o->log : stderr };
	struct state st = { 0, 0, -1, 0 };
	int rc;

	if (mkdir(o->out, 0755) != 0 && errno != EEXIST) {
		why_set(why, n, "%s: %s", o->out, strerror(errno));
		return TRAIN_EIO;
	}
	snprintf(R.last, sizeof R.last, "%s/last.weights", o->out);
	snprintf(R.best, sizeof R.best, "%s/best.weights", o->out);
	const char *weights = o->init;
	if (o->resume) {
		if (state_load(o->out, &st) != 0) {
			why_set(why, n, "%s/state: no checkpoint to resume from", o->out);
			return TRAIN_EIO;
		}
		weights = R.last;
	}
	srand(o->seed);
	if ((rc = run_open(&R, weights, why, n)) ||
	    (o->nteacher && (rc = teacher_outputs(o, &R.tr, &R.teach, R.log, why, n))) ||
	    (rc = run_alloc(&R, why, n)))
		goto out;
	fprintf(R.log, "train: %zu training images (%zu per epoch with disgust x%d), %zu validation, "
		"%.1f M MAC per image, %lld parameters, epochs %d..%d\n",
		R.tr.n, R.per_epoch, o->oversample, R.va.n, dn_flops(R.net) / 1e6, dn_params(R.net),
		st.epoch + 1, o->epochs);
	if (R.teach) {
		fprintf(R.log, "train: distillation from %s", o->teacher[0].weights);
		for (int i = 1; i < o->nteacher; i++)
			fprintf(R.log, "%s%s", i + 1 < o->nteacher ? ", " : " and ", o->teacher[i].weights);
		fprintf(R.log, ", alpha %.2f, temperature %.2f\n", (double)o->alpha, (double)o->temperature);
	}
	const double t0 = now() - st.elapsed;
	for (int epoch = st.epoch; epoch < o->epochs && rc == 0; epoch++)
		rc = run_epoch(&R, &st, epoch, t0, why, n);
	if (rc > 0)
		rc = 0;
	if (rc == 0)
		fprintf(R.log, "train: best validation accuracy %.4f (with TTA) at epoch %d: %s\n",
			st.best, st.best_epoch, R.best);
out:
	free(R.order);
	free(R.x);
	free(R.y);
	free(R.teach);
	train_set_free(&R.tr);
	train_set_free(&R.va);
	dn_free(R.net);
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
		why_set(why, n, "%s: %s", o->out, strerror(errno));
		return TRAIN_EIO;
	}
	if (dn_load(o->cfg, weights, o->batch, net, dwhy, sizeof dwhy)) {
		why_set(why, n, "%s", dwhy);
		return TRAIN_EMODEL;
	}
	dn_shape(*net, &w, &h, &c, &outputs);
	if (c != 1 || outputs != VOCAB_NCLASSES) {
		why_set(why, n, "%s: needs 1 input channel and %d outputs", o->cfg, VOCAB_NCLASSES);
		rc = TRAIN_EMODEL;
	} else if ((rc = train_load_cached(o->data, "validation", o->out, w, h, va, o->log ? o->log : stderr))) {
		why_set(why, n, "%s/validation: %s", o->data, train_strerror(rc));
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
		why_set(why, n, "out of memory");
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
		why_set(why, n, "%s: the network does not end in a linear layer and a softmax", o->cfg);
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
		why_set(why, n, "baked-in biases give accuracy %.4f, expected %.4f", s2.accuracy, s.accuracy);
		rc = TRAIN_EMODEL;
		goto out;
	}
	if (dn_save(net, weights_out) != 0) {
		rc = TRAIN_EIO;
		why_set(why, n, "%s: cannot write", weights_out);
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
	struct train_aug_rng r;
};

static void restat_fill(float *x, int bi, void *vctx)
{
	struct restat_ctx *c = vctx;
	const int wh = c->tr->w * c->tr->h;
	for (int k = 0; k < c->batch; k++) {
		size_t i = c->order[((size_t)bi * (size_t)c->batch + (size_t)k) % c->tr->n];
		(c->plain ? train_aug_mirror_only : train_aug_image)(&c->r, c->tr, i, x + (size_t)k * (size_t)wh);
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
		why_set(why, n, "no weights to average");
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
			why_set(why, n, "%s", dwhy);
			rc = TRAIN_EMODEL;
			goto out;
		}
		if ((rc = report(other, &va, x, weights[k], log)))
			goto nomem;
		if (dn_mix(net, other, 1.0f / (float)(k + 1)) != 0) { /* cannot fail: same cfg */
			why_set(why, n, "%s: does not fit %s", weights[k], weights[0]);
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
		if ((rc = train_load_cached(o->data, "train", o->out, w, h, &tr, log))) {
			why_set(why, n, "%s/train: %s", o->data, train_strerror(rc));
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
		train_aug_shuffle(&ctx.r, order, tr.n);
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
		why_set(why, n, "%s: cannot write", weights_out);
		goto out;
	}
	fprintf(log, "average: wrote %s\n", weights_out);
	goto out;
nomem:
	why_set(why, n, "out of memory");
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
