/*
 * dn: the only user of libdarknet. See dn.h.
 *
 * Darknet's parser exits on errors and its weight loader reads blindly, so
 * every cfg is first parsed with a strict grammar (dn_cfg.c: known sections
 * and keys, integer/float values, shapes that fit), then written back to a
 * temporary file with the wanted batch size and handed to darknet. Weights
 * are checked for size (against the parameter count computed from the cfg)
 * and for plausible values (finite, within +-1e4, batch-norm variances not
 * negative) before load_weights() sees them.
 *
 * libdarknet (built with OpenCV: ~270 shared libraries) and OpenBLAS are
 * not linked but opened with dlopen() by the first dn_load(), so commands
 * that run no network never map them. The kernels below still replace
 * darknet's: the program exports them (-rdynamic) and the dynamic linker
 * searches the executable first, also for a library opened later. At the
 * same time OpenBLAS is set to one thread: every thread that runs a network
 * computes its own products (its default pool spins in sched_yield).
 */
#include "dn_priv.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <darknet.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#ifndef DN_DARKNET_SO
#define DN_DARKNET_SO "/usr/lib/darknet/libdarknet.so"
#endif
#ifndef DN_OPENBLAS_SO
#define DN_OPENBLAS_SO "libopenblas.so.0"
#endif

/* ---- the libraries, opened once on first use ----------------------------- */

static struct {
	__typeof__(parse_network_cfg) *parse_network_cfg;
	__typeof__(load_weights) *load_weights;
	__typeof__(save_weights) *save_weights;
	__typeof__(free_network) *free_network;
	__typeof__(network_predict) *network_predict;
	__typeof__(train_network_datum) *train_network_datum;
	__typeof__(forward_network) *forward_network;
	__typeof__(backward_network) *backward_network;
	__typeof__(update_network) *update_network;
	__typeof__(cblas_sgemm) *sgemm;
	__typeof__(activate_array) *activate_array;   /* darknet's own, for */
	__typeof__(gradient_array) *gradient_array;   /* other activations */
	int err;
	char why[320];
} lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void *lib_sym(void *h, const char *so, const char *name)
{
	void *p = h ? dlsym(h, name) : NULL;
	if (!p && !lib.err) {
		lib.err = DN_ELIB;
		if (h)
			snprintf(lib.why, sizeof lib.why, "%s: no symbol %s", so, name);
		else   /* dlerror() names the file and the reason */
			snprintf(lib.why, sizeof lib.why, "%s", dlerror());
	}
	return p;
}

static void lib_open(void)
{
	void *blas = dlopen(DN_OPENBLAS_SO, RTLD_NOW | RTLD_LOCAL);
	lib.sgemm = lib_sym(blas, DN_OPENBLAS_SO, "cblas_sgemm");
	__typeof__(openblas_set_num_threads) *threads =
		lib_sym(blas, DN_OPENBLAS_SO, "openblas_set_num_threads");
	if (threads)
		threads(1);
	if (lib.err)
		return;
	void *dn = dlopen(DN_DARKNET_SO, RTLD_NOW | RTLD_LOCAL);
	lib.parse_network_cfg = lib_sym(dn, DN_DARKNET_SO, "parse_network_cfg");
	lib.load_weights = lib_sym(dn, DN_DARKNET_SO, "load_weights");
	lib.save_weights = lib_sym(dn, DN_DARKNET_SO, "save_weights");
	lib.free_network = lib_sym(dn, DN_DARKNET_SO, "free_network");
	lib.network_predict = lib_sym(dn, DN_DARKNET_SO, "network_predict");
	lib.train_network_datum = lib_sym(dn, DN_DARKNET_SO, "train_network_datum");
	lib.forward_network = lib_sym(dn, DN_DARKNET_SO, "forward_network");
	lib.backward_network = lib_sym(dn, DN_DARKNET_SO, "backward_network");
	lib.update_network = lib_sym(dn, DN_DARKNET_SO, "update_network");
	lib.activate_array = lib_sym(dn, DN_DARKNET_SO, "activate_array");
	lib.gradient_array = lib_sym(dn, DN_DARKNET_SO, "gradient_array");
}

/* 0, or DN_ELIB with the reason in why. */
static int lib_ready(char *why, size_t n)
{
	pthread_once(&lib_once, lib_open);
	if (lib.err && why && n)
		snprintf(why, n, "%s", lib.why);
	return lib.err;
}

/* ---- faster kernels for libdarknet (resolved through its PLT) ----------
 * These keep darknet's names on purpose: the dynamic linker binds
 * libdarknet's calls to the definitions exported by the program (-rdynamic).
 */

void gemm(int TA, int TB, int M, int N, int K, float ALPHA, float *A, int lda,
	  float *B, int ldb, float BETA, float *C, int ldc)
{
	if (lib_ready(NULL, 0) == 0) {
		lib.sgemm(CblasRowMajor, TA ? CblasTrans : CblasNoTrans,
			  TB ? CblasTrans : CblasNoTrans, M, N, K, ALPHA, A, lda, B, ldb, BETA,
			  C, ldc);
		return;
	}
	/* no OpenBLAS (only reachable by calling gemm directly): plain loops */
	for (int i = 0; i < M; i++)
		for (int j = 0; j < N; j++) {
			float sum = 0;
			for (int k = 0; k < K; k++)
				sum += (TA ? A[k * lda + i] : A[i * lda + k]) *
				       (TB ? B[j * ldb + k] : B[k * ldb + j]);
			C[i * ldc + j] = ALPHA * sum + BETA * C[i * ldc + j];
		}
}

void im2col_cpu(float *data_im, int channels, int height, int width, int ksize,
		int stride, int pad, float *data_col)
{
	const int hc = (height + 2 * pad - ksize) / stride + 1;
	const int wc = (width + 2 * pad - ksize) / stride + 1;
	const int cc = channels * ksize * ksize;
	for (int c = 0; c < cc; c++) {
		const int woff = c % ksize, hoff = (c / ksize) % ksize, cim = c / ksize / ksize;
		const float *im = data_im + (size_t)cim * (size_t)height * (size_t)width;
		float *col = data_col + (size_t)c * (size_t)hc * (size_t)wc;
		/* output columns whose input column is inside the image */
		int w0 = 0, w1 = wc;
		if (stride == 1) {
			w0 = pad - woff > 0 ? pad - woff : 0;
			w1 = width + pad - woff < wc ? width + pad - woff : wc;
			if (w1 < w0)
				w1 = w0;
		}
		for (int h = 0; h < hc; h++) {
			const int row = hoff + h * stride - pad;
			float *out = col + (size_t)h * (size_t)wc;
			if (row < 0 || row >= height) {
				memset(out, 0, (size_t)wc * sizeof(float));
				continue;
			}
			const float *in = im + (size_t)row * (size_t)width;
			if (stride == 1) {
				for (int w = 0; w < w0; w++)
					out[w] = 0;
				if (w1 > w0)
					memcpy(out + w0, in + w0 + woff - pad, (size_t)(w1 - w0) * sizeof(float));
				for (int w = w1; w < wc; w++)
					out[w] = 0;
			} else {
				for (int w = 0; w < wc; w++) {
					const int x = woff + w * stride - pad;
					out[w] = (x < 0 || x >= width) ? 0 : in[x];
				}
			}
		}
	}
}

void col2im_cpu(float *data_col, int channels, int height, int width, int ksize,
		int stride, int pad, float *data_im)
{
	const int hc = (height + 2 * pad - ksize) / stride + 1;
	const int wc = (width + 2 * pad - ksize) / stride + 1;
	const int cc = channels * ksize * ksize;
	for (int c = 0; c < cc; c++) {
		const int woff = c % ksize, hoff = (c / ksize) % ksize, cim = c / ksize / ksize;
		float *im = data_im + (size_t)cim * (size_t)height * (size_t)width;
		const float *col = data_col + (size_t)c * (size_t)hc * (size_t)wc;
		for (int h = 0; h < hc; h++) {
			const int row = hoff + h * stride - pad;
			if (row < 0 || row >= height)
				continue;
			float *out = im + (size_t)row * (size_t)width;
			const float *in = col + (size_t)h * (size_t)wc;
			if (stride == 1) { /* the columns inside the image, no test per value */
				int w0 = pad - woff > 0 ? pad - woff : 0;
				int w1 = width + pad - woff < wc ? width + pad - woff : wc;
				int w = w0;
#ifdef __SSE2__
				for (; w + 4 <= w1; w += 4)
					_mm_storeu_ps(out + w + woff - pad,
						      _mm_add_ps(_mm_loadu_ps(out + w + woff - pad), _mm_loadu_ps(in + w)));
#endif
				for (; w < w1; w++)
					out[w + woff - pad] += in[w];
				continue;
			}
			for (int w = 0; w < wc; w++) {
				const int x = woff + w * stride - pad;
				if (x >= 0 && x < width)
					out[x] += in[w];
			}
		}
	}
}

/* Called by darknet only, so lib is open. Leaky is darknet's
 * (x > 0) ? x : .1 * x (in double) and its gradient (x > 0) ? 1 : .1f,
 * four at a time without a branch where SSE2 is there (the same IEEE
 * operations, so the same results). */
void activate_array(float *x, const int n, const int a)
{
	if (a != LEAKY) {
		if (a != LINEAR)
			lib.activate_array(x, n, a);
		return;
	}
	int i = 0;
#ifdef __SSE2__
	const __m128d tenth = _mm_set1_pd(0.1);
	for (; i + 4 <= n; i += 4) {
		__m128 v = _mm_loadu_ps(x + i);
		__m128d lo = _mm_mul_pd(_mm_cvtps_pd(v), tenth);
		__m128d hi = _mm_mul_pd(_mm_cvtps_pd(_mm_movehl_ps(v, v)), tenth);
		__m128 w = _mm_movelh_ps(_mm_cvtpd_ps(lo), _mm_cvtpd_ps(hi));
		__m128 pos = _mm_cmpgt_ps(v, _mm_setzero_ps());
		_mm_storeu_ps(x + i, _mm_or_ps(_mm_and_ps(pos, v), _mm_andnot_ps(pos, w)));
	}
#endif
	for (; i < n; i++)
		x[i] = x[i] > 0 ? x[i] : (float)(0.1 * (double)x[i]);
}

void gradient_array(const float *x, const int n, const int a, float *delta)
{
	if (a != LEAKY) {
		if (a != LINEAR)
			lib.gradient_array(x, n, a, delta);
		return;
	}
	int i = 0;
#ifdef __SSE2__
	const __m128 one = _mm_set1_ps(1.0f), tenth = _mm_set1_ps(0.1f);
	for (; i + 4 <= n; i += 4) {
		__m128 pos = _mm_cmpgt_ps(_mm_loadu_ps(x + i), _mm_setzero_ps());
		__m128 g = _mm_or_ps(_mm_and_ps(pos, one), _mm_andnot_ps(pos, tenth));
		_mm_storeu_ps(delta + i, _mm_mul_ps(_mm_loadu_ps(delta + i), g));
	}
#endif
	for (; i < n; i++)
		delta[i] *= x[i] > 0 ? 1.0f : 0.1f;
}

/* darknet's: per filter, the sum of the values in float steps, times
 * 1 / m; four filters' chains side by side (as variance_cpu below). */
void mean_cpu(float *x, int batch, int filters, int spatial, float *mean)
{
	const float scale = (float)(1. / (batch * spatial));
	int i = 0;
	for (; i + 4 <= filters; i += 4) {
		float m[4] = { 0, 0, 0, 0 };
		for (int j = 0; j < batch; j++) {
			const float *p = x + ((size_t)j * (size_t)filters + (size_t)i) * (size_t)spatial;
			for (int k = 0; k < spatial; k++)
				for (int f = 0; f < 4; f++)
					m[f] += p[(size_t)f * (size_t)spatial + (size_t)k];
		}
		for (int f = 0; f < 4; f++)
			mean[i + f] = m[f] * scale;
	}
	for (; i < filters; i++) {
		float m = 0;
		for (int j = 0; j < batch; j++) {
			const float *p = x + ((size_t)j * (size_t)filters + (size_t)i) * (size_t)spatial;
			for (int k = 0; k < spatial; k++)
				m += p[k];
		}
		mean[i] = m * scale;
	}
}

/* darknet's: per filter, the sum of squared deviations in double steps,
 * stored as a float after each (it adds pow(d, 2) to a float), times
 * 1 / (m - 1). Each sum is one chain of dependent additions that must keep
 * its order to give the same bits, so four filters' chains run side by
 * side instead of one after the other. */
void variance_cpu(float *x, float *mean, int batch, int filters, int spatial, float *variance)
{
	const float scale = (float)(1. / (batch * spatial - 1));
	int i = 0;
	for (; i + 4 <= filters; i += 4) {
		float v[4] = { 0, 0, 0, 0 };
		for (int j = 0; j < batch; j++) {
			const float *p = x + ((size_t)j * (size_t)filters + (size_t)i) * (size_t)spatial;
			for (int k = 0; k < spatial; k++)
				for (int f = 0; f < 4; f++) {
					const double d = p[(size_t)f * (size_t)spatial + (size_t)k] - mean[i + f];
					v[f] = (float)((double)v[f] + d * d);
				}
		}
		for (int f = 0; f < 4; f++)
			variance[i + f] = v[f] * scale;
	}
	for (; i < filters; i++) {
		float v = 0;
		for (int j = 0; j < batch; j++) {
			const float *p = x + ((size_t)j * (size_t)filters + (size_t)i) * (size_t)spatial;
			for (int k = 0; k < spatial; k++) {
				const double d = p[k] - mean[i];
				v = (float)((double)v + d * d);
			}
		}
		variance[i] = v * scale;
	}
}

struct dn_net {
	network *net;
	struct model m;
	int batch;
	float *xin;  /* m.norm: the normalised inputs of dn_predict* (batch images) */
	float *ws;   /* m.norm local: dn_normalize's workspace */
};

/* Normalises n images at x in place as the cfg says (dn.h: input_norm). */
static void norm_inputs(struct dn_net *d, float *x, int n)
{
	dn_normalize(d->m.norm, x, n, d->m.w, d->m.h, d->m.c, d->ws);
}

/* The input darknet predicts from: input itself, or its normalised copy. */
static float *predict_input(struct dn_net *d, const float *input, int n)
{
	if (d->m.norm == DN_NORM_NONE)
		return (float *)input;
	memcpy(d->xin, input, (size_t)n * (size_t)(d->m.w * d->m.h * d->m.c) * sizeof(float));
	norm_inputs(d, d->xin, n);
	return d->xin;
}

/* Darknet prints its layer table and progress on stderr: keep it quiet. */
static int quiet_begin(void)
{
	fflush(stdout);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void quiet_end(int saved)
{
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
}


int dn_load(const char *cfg, const char *weights, int batch, struct dn_net **out,
	    char *why, size_t n)
{
	struct dn_net *d = calloc(1, sizeof *d);
	char tmp[] = "/tmp/emotune-cfg-XXXXXX";
	int err;
	*out = NULL;
	if (!d)
		return DN_ENOMEM;
	if (batch < 1)
		batch = 1;
	if ((err = lib_ready(why, n)))
		goto fail;
	if ((err = dn_model_load(cfg, &d->m, why, n)))
		goto fail;
	if (weights && (err = dn_check_weights_against(&d->m, weights, why, n)))
		goto fail;
	if ((err = dn_write_cfg(&d->m, batch, tmp, why, n)))
		goto fail;
	int q = quiet_begin();
	d->net = lib.parse_network_cfg(tmp);
	if (d->net && weights)
		lib.load_weights(d->net, (char *)weights);
	quiet_end(q);
	unlink(tmp);
	if (!d->net) {
		why_set(why, n, "%s: darknet could not build the network", cfg);
		err = DN_ECFG;
		goto fail;
	}
	if (d->net->outputs != d->m.outputs) {
		why_set(why, n, "%s: darknet built %d outputs, expected %d", cfg, d->net->outputs, d->m.outputs);
		err = DN_ECFG;
		goto fail;
	}
	d->batch = batch;
	if (d->m.norm != DN_NORM_NONE &&
	    (!(d->xin = malloc((size_t)batch * (size_t)(d->m.w * d->m.h * d->m.c) * sizeof(float))) ||
	     (d->m.norm == DN_NORM_LOCAL && !(d->ws = malloc(DN_NORM_WS(d->m.w, d->m.h) * sizeof(float)))))) {
		err = DN_ENOMEM;
		goto fail;
	}
	*out = d;
	return 0;
fail:
	if (d->net)
		lib.free_network(d->net);
	free(d->xin);
	free(d->ws);
	free(d->m.s);
	free(d);
	return err;
}

void dn_free(struct dn_net *d)
{
	if (!d)
		return;
	lib.free_network(d->net);
	free(d->xin);
	free(d->ws);
	free(d->m.s);
	free(d);
}

void dn_shape(const struct dn_net *d, int *w, int *h, int *c, int *outputs)
{
	if (w)
		*w = d->m.w;
	if (h)
		*h = d->m.h;
	if (c)
		*c = d->m.c;
	if (outputs)
		*outputs = d->m.outputs;
}

int dn_batch(const struct dn_net *d)
{
	return d->batch;
}

const float *dn_predict(struct dn_net *d, const float *input)
{
	return lib.network_predict(d->net, predict_input(d, input, 1));
}

const float *dn_predict_batch(struct dn_net *d, const float *inputs)
{
	return lib.network_predict(d->net, predict_input(d, inputs, d->batch));
}

float dn_train_batch(struct dn_net *d, const float *x, const float *y, float lr)
{
	network *net = d->net;
	size_t in = (size_t)net->inputs * (size_t)net->batch;
	size_t tr = (size_t)net->truths * (size_t)net->batch;
	memcpy(net->input, x, in * sizeof(float));
	norm_inputs(d, net->input, net->batch);
	memcpy(net->truth, y, tr * sizeof(float));
	net->learning_rate = lr;
	return lib.train_network_datum(net) / (float)net->batch;
}

int dn_train_batch_delta(struct dn_net *d, const float *x,
			 float (*delta)(const float *out, float *dl, int batch, void *ctx),
			 void *ctx, float lr, float *loss)
{
	network *net = d->net;
	layer *l = &net->layers[net->n - 1];
	if (l->type != SOFTMAX || l->groups != 1 || l->temperature != 1.0f || !l->delta)
		return DN_ESHAPE;
	memcpy(net->input, x, (size_t)net->inputs * (size_t)net->batch * sizeof(float));
	norm_inputs(d, net->input, net->batch);
	memset(net->truth, 0, (size_t)net->truths * (size_t)net->batch * sizeof(float));
	net->learning_rate = lr;
	/* train_network_datum() with the softmax's delta replaced */
	*net->seen += (size_t)net->batch;
	net->train = 1;
	lib.forward_network(net);
	*loss = delta(l->output, l->delta, net->batch, ctx) / (float)net->batch;
	lib.backward_network(net);
	if ((*net->seen / (size_t)net->batch) % (size_t)net->subdivisions == 0)
		lib.update_network(net);
	return 0;
}

const float *dn_train_output(const struct dn_net *d)
{
	return d->net->output;
}

int dn_save(const struct dn_net *d, const char *path)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp)
		return DN_EIO;
	FILE *probe = fopen(tmp, "wb"); /* save_weights exits on failure: check first */
	if (!probe)
		return DN_EIO;
	fclose(probe);
	int q = quiet_begin();
	lib.save_weights(d->net, tmp);
	quiet_end(q);
	if (rename(tmp, path) != 0) {
		unlink(tmp);
		return DN_EIO;
	}
	return 0;
}

int dn_shift_logits(struct dn_net *d, const float *delta, int n)
{
	network *net = d->net;
	int i = net->n - 1;
	if (n != d->m.outputs || i < 1 || net->layers[i].type != SOFTMAX ||
	    net->layers[i].groups != 1 || net->layers[i].temperature != 1.0f)
		return DN_ESHAPE;
	for (i--; i >= 0 && (net->layers[i].type == AVGPOOL || net->layers[i].type == DROPOUT); i--)
		;
	if (i < 0)
		return DN_ESHAPE;
	layer *l = &net->layers[i];
	int count = l->type == CONVOLUTIONAL ? l->n : l->type == CONNECTED ? l->outputs : -1;
	if (count != n || l->batch_normalize || l->activation != LINEAR || !l->biases)
		return DN_ESHAPE;
	for (int k = 0; k < n; k++)
		l->biases[k] += delta[k];
	return 0;
}

/* The arrays of one layer that the weights file stores, with their sizes. */
static int layer_arrays(const layer *l, float **a, int *len)
{
	int k = 0, n;
	if (l->type == CONVOLUTIONAL)
		n = l->n;
	else if (l->type == CONNECTED)
		n = l->outputs;
	else
		return 0;
	a[k] = l->biases, len[k++] = n;
	a[k] = l->weights, len[k++] = l->nweights;
	if (l->batch_normalize) {
		a[k] = l->scales, len[k++] = n;
		a[k] = l->rolling_mean, len[k++] = n;
		a[k] = l->rolling_variance, len[k++] = n;
	}
	return k;
}

int dn_mix(struct dn_net *dst, const struct dn_net *src, float t)
{
	network *a = dst->net, *b = src->net;
	float *pa[5], *pb[5];
	int la[5], lb[5];
	if (a->n != b->n)
		return DN_ESHAPE;
	for (int pass = 0; pass < 2; pass++) { /* check everything, then mix */
		for (int i = 0; i < a->n; i++) {
			if (a->layers[i].type != b->layers[i].type)
				return DN_ESHAPE;
			int ka = layer_arrays(&a->layers[i], pa, la);
			int kb = layer_arrays(&b->layers[i], pb, lb);
			if (ka != kb)
				return DN_ESHAPE;
			for (int k = 0; k < ka; k++) {
				if (la[k] != lb[k] || !pa[k] || !pb[k])
					return DN_ESHAPE;
				if (pass)
					for (int j = 0; j < la[k]; j++)
						pa[k][j] += t * (pb[k][j] - pa[k][j]);
			}
		}
	}
	return 0;
}

int dn_bn_restat(struct dn_net *d, int nbatches, void (*fill)(float *x, int i, void *ctx),
		 void *ctx)
{
	network *net = d->net;
	double **sum = calloc((size_t)net->n, sizeof *sum);
	if (!sum)
		return DN_ENOMEM;
	int rc = 0;
	for (int i = 0; i < net->n; i++) {
		const layer *l = &net->layers[i];
		if ((l->type == CONVOLUTIONAL || l->type == CONNECTED) && l->batch_normalize &&
		    !(sum[i] = calloc(2 * (size_t)l->out_c, sizeof **sum))) {
			rc = DN_ENOMEM;
			goto out;
		}
	}
	for (int bi = 0; bi < nbatches; bi++) {
		fill(net->input, bi, ctx);
		norm_inputs(d, net->input, net->batch);
		net->train = 1;
		lib.forward_network(net);
		net->train = 0;
		for (int i = 0; i < net->n; i++) {
			const layer *l = &net->layers[i];
			for (int c = 0; sum[i] && c < l->out_c; c++) {
				sum[i][c] += l->mean[c];
				sum[i][l->out_c + c] += l->variance[c];
			}
		}
	}
	for (int i = 0; nbatches > 0 && i < net->n; i++) {
		layer *l = &net->layers[i];
		for (int c = 0; sum[i] && c < l->out_c; c++) {
			l->rolling_mean[c] = (float)(sum[i][c] / nbatches);
			l->rolling_variance[c] = (float)(sum[i][l->out_c + c] / nbatches);
		}
	}
out:
	for (int i = 0; i < net->n; i++)
		free(sum[i]);
	free(sum);
	return rc;
}

void dn_set_seen(struct dn_net *d, size_t seen)
{
	*d->net->seen = seen;
}

double dn_flops(const struct dn_net *d)
{
	return d->m.macs;
}

long long dn_params(const struct dn_net *d)
{
	return d->m.params;
}

const char *dn_strerror(int err)
{
	switch (err) {
	case DN_OK: return "success";
	case DN_ENOMEM: return "out of memory";
	case DN_EIO: return "input/output error";
	case DN_ECFG: return "bad network cfg";
	case DN_EWEIGHTS: return "weights do not fit the cfg";
	case DN_ESHAPE: return "network shape not as expected";
	case DN_ELIB: return "libdarknet or OpenBLAS cannot be loaded";
	}
	return "unknown error";
}
