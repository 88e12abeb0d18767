/*
 * dn: the only user of libdarknet. See dn.h.
 *
 * Darknet's parser exits on errors and its weight loader reads blindly, so
 * every cfg is first parsed here with a strict grammar (known sections and
 * keys, integer/float values, shapes that fit), then written back to a
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
#include "dn.h"
#include "regfile.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cblas.h>
#include <darknet.h>

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
			for (int w = 0; w < wc; w++) {
				const int x = woff + w * stride - pad;
				if (x >= 0 && x < width)
					out[x] += in[w];
			}
		}
	}
}

/* ---- strict cfg model ---------------------------------------------------- */

enum sec_type { S_NET, S_CONV, S_CONN, S_MAXPOOL, S_AVGPOOL, S_DROPOUT, S_SOFTMAX, S_COST };

static const struct {
	const char *name;
	enum sec_type type;
	const char *keys; /* space-separated allowed keys */
} sections[] = {
	{ "net", S_NET, "batch subdivisions width height channels momentum decay learning_rate "
	  "policy max_batches steps scales burn_in power gamma step angle saturation exposure hue "
	  "aspect max_crop min_crop center adam B1 B2 eps inputs time_steps notruth random clip" },
	{ "network", S_NET, NULL },
	{ "convolutional", S_CONV, "filters size stride pad padding groups activation batch_normalize" },
	{ "conv", S_CONV, NULL },
	{ "connected", S_CONN, "output activation batch_normalize" },
	{ "conn", S_CONN, NULL },
	{ "maxpool", S_MAXPOOL, "size stride padding" },
	{ "max", S_MAXPOOL, NULL },
	{ "avgpool", S_AVGPOOL, "" },
	{ "avg", S_AVGPOOL, NULL },
	{ "dropout", S_DROPOUT, "probability" },
	{ "softmax", S_SOFTMAX, "groups temperature" },
	{ "soft", S_SOFTMAX, NULL },
	{ "cost", S_COST, "type scale ratio noobject_scale thresh" },
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

static const char *const activations[] = {
	"logistic", "loggy", "relu", "elu", "selu", "relie", "plse", "hardtan", "lhtan",
	"linear", "ramp", "leaky", "tanh", "stair",
};

struct kv {
	char key[32];
	char value[96];
	int line;           /* the key's line in the cfg */
};

struct section {
	enum sec_type type;
	char name[24];
	int line;
	struct kv kv[32];
	int nkv;
	/* in the weights file: this layer's floats, and where its batch-norm
	 * variances start among them (nvar of them; 0: no batch norm) */
	long long nparams, var_at;
	int nvar;
};

struct model {
	struct section *s;
	int n;
	long long params;   /* floats in the weights file */
	double macs;        /* multiply-accumulates per forward pass */
	int w, h, c, outputs;
};

static void set_why(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_why(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	if (!why || !n)
		return;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}

static const struct kv *find_kv(const struct section *s, const char *key)
{
	for (int i = 0; i < s->nkv; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

static const char *find(const struct section *s, const char *key)
{
	const struct kv *kv = find_kv(s, key);
	return kv ? kv->value : NULL;
}

/* The line to name for key of s: the key's own, else the section's. */
static int key_line(const struct section *s, const char *key)
{
	const struct kv *kv = find_kv(s, key);
	return kv ? kv->line : s->line;
}

static int get_int(const struct section *s, const char *key, int def, int lo, int hi,
		   int *out, const char *path, char *why, size_t n)
{
	const char *v = find(s, key);
	if (!v) {
		*out = def;
		return 0;
	}
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi) {
		set_why(why, n, "%s:%d: [%s] %s=%s: expected an integer in %d..%d",
			path, key_line(s, key), s->name, key, v, lo, hi);
		return DN_ECFG;
	}
	*out = (int)x;
	return 0;
}

static int check_float(const struct section *s, const struct kv *kv, const char *path,
		       char *why, size_t n)
{
	static const char *const text_keys[] = { "policy", "activation", "steps", "scales", "type" };
	for (size_t i = 0; i < sizeof text_keys / sizeof text_keys[0]; i++)
		if (strcmp(kv->key, text_keys[i]) == 0)
			return 0;
	char *end;
	double d = strtod(kv->value, &end);
	if (end == kv->value || *end || !isfinite(d)) {
		set_why(why, n, "%s:%d: [%s] %s=%s: expected a number", path, kv->line, s->name,
			kv->key, kv->value);
		return DN_ECFG;
	}
	return 0;
}

static char *squeeze(char *s)
{
	char *d = s;
	for (char *p = s; *p; p++)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			*d++ = *p;
	*d = '\0';
	return s;
}

/* Reads one line (without its newline) into line[size]: 1, 0 at the end
 * of the file, -1 for a line too long, -2 for a NUL byte in it. */
static int read_line(FILE *f, char *line, size_t size)
{
	size_t len = 0;
	int c, nul = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (len + 1 >= size)
			return -1;
		nul |= c == 0;
		line[len++] = (char)c;
	}
	line[len] = '\0';
	if (nul)
		return -2;
	return c == EOF && len == 0 ? 0 : 1;
}

/* Reads the cfg into m (sections and keys only). */
static int read_cfg_file(const char *path, struct model *m, char *why, size_t n)
{
	FILE *f = regfile_fopen(path);
	char line[512];
	int lineno = 0, cap = 0, r;
	memset(m, 0, sizeof *m);
	if (!f) {
		set_why(why, n, "%s: %s", path, regfile_strerror(errno));
		return DN_EIO;
	}
	while ((r = read_line(f, line, sizeof line)) != 0) {
		lineno++;
		if (r < 0) {
			set_why(why, n, r == -1 ? "%s:%d: line too long" : "%s:%d: NUL byte in the line",
				path, lineno);
			goto bad;
		}
		squeeze(line);
		if (!line[0] || line[0] == '#' || line[0] == ';')
			continue;
		if (line[0] == '[') {
			size_t len = strlen(line);
			if (len < 3 || line[len - 1] != ']') {
				set_why(why, n, "%s:%d: malformed section header", path, lineno);
				goto bad;
			}
			line[len - 1] = '\0';
			size_t k;
			for (k = 0; k < NSECTIONS; k++)
				if (strcmp(sections[k].name, line + 1) == 0)
					break;
			if (k == NSECTIONS) {
				set_why(why, n, "%s:%d: unknown section [%s]", path, lineno, line + 1);
				goto bad;
			}
			if (m->n == 256) {
				set_why(why, n, "%s:%d: too many sections", path, lineno);
				goto bad;
			}
			if (m->n == cap) {
				cap = cap ? cap * 2 : 16;
				struct section *s = realloc(m->s, (size_t)cap * sizeof *s);
				if (!s) {
					fclose(f);
					return DN_ENOMEM;
				}
				m->s = s;
			}
			struct section *s = &m->s[m->n++];
			memset(s, 0, sizeof *s);
			s->type = sections[k].type;
			snprintf(s->name, sizeof s->name, "%s", sections[k].name);
			s->line = lineno;
			continue;
		}
		char *eq = strchr(line, '=');
		if (!eq || eq == line) {
			set_why(why, n, "%s:%d: expected key=value", path, lineno);
			goto bad;
		}
		if (!m->n) {
			set_why(why, n, "%s:%d: key outside of any section", path, lineno);
			goto bad;
		}
		*eq = '\0';
		struct section *s = &m->s[m->n - 1];
		const char *allowed = NULL;
		for (size_t k = 0; k < NSECTIONS; k++)
			if (sections[k].type == s->type && sections[k].keys) {
				allowed = sections[k].keys;
				break;
			}
		int found = 0;
		size_t klen = strlen(line);
		for (const char *p = allowed; p && *p;) {
			const char *sp = strchr(p, ' ');
			size_t len = sp ? (size_t)(sp - p) : strlen(p);
			if (len == klen && strncmp(p, line, len) == 0)
				found = 1;
			p += len + (sp ? 1 : 0);
		}
		if (!found) {
			set_why(why, n, "%s:%d: unknown key '%s' in [%s]", path, lineno, line, s->name);
			goto bad;
		}
		if (s->nkv == 32 || klen >= sizeof s->kv[0].key || strlen(eq + 1) >= sizeof s->kv[0].value) {
			set_why(why, n, "%s:%d: key or value too long", path, lineno);
			goto bad;
		}
		if (find(s, line)) {
			set_why(why, n, "%s:%d: '%s' given twice in [%s]", path, lineno, line, s->name);
			goto bad;
		}
		snprintf(s->kv[s->nkv].key, sizeof s->kv[0].key, "%s", line);
		snprintf(s->kv[s->nkv].value, sizeof s->kv[0].value, "%s", eq + 1);
		s->kv[s->nkv].line = lineno;
		if (check_float(s, &s->kv[s->nkv], path, why, n))
			goto bad;
		s->nkv++;
	}
	if (ferror(f)) {
		set_why(why, n, "%s: read error", path);
		goto bad;
	}
	fclose(f);
	return 0;
bad:
	fclose(f);
	free(m->s);
	m->s = NULL;
	m->n = 0;
	return DN_ECFG;
}

static int check_activation(const struct section *s, const char *path, char *why, size_t n)
{
	const char *a = find(s, "activation");
	if (!a)
		return 0;
	for (size_t i = 0; i < sizeof activations / sizeof activations[0]; i++)
		if (strcmp(a, activations[i]) == 0)
			return 0;
	set_why(why, n, "%s:%d: unknown activation '%s'", path, key_line(s, "activation"), a);
	return DN_ECFG;
}

/* Parses and checks the cfg; fills shapes, parameter and MAC counts. */
static int model_load(const char *path, struct model *m, char *why, size_t n)
{
	int err = read_cfg_file(path, m, why, n);
	if (err)
		return err;
	if (m->n < 2 || m->s[0].type != S_NET) {
		set_why(why, n, "%s: the first section must be [net] and layers must follow", path);
		err = DN_ECFG;
		goto out;
	}
	int w, h, c, batch, sub;
	const struct section *net = &m->s[0];
	if ((err = get_int(net, "width", 0, 1, 4096, &w, path, why, n)) ||
	    (err = get_int(net, "height", 0, 1, 4096, &h, path, why, n)) ||
	    (err = get_int(net, "channels", 0, 1, 64, &c, path, why, n)) ||
	    (err = get_int(net, "batch", 1, 1, 4096, &batch, path, why, n)) ||
	    (err = get_int(net, "subdivisions", 1, 1, 4096, &sub, path, why, n)))
		goto out;
	if (!find(net, "width") || !find(net, "height") || !find(net, "channels")) {
		set_why(why, n, "%s:%d: [net] needs width, height and channels", path, net->line);
		err = DN_ECFG;
		goto out;
	}
	m->w = w;
	m->h = h;
	m->c = c;
	const char *policy = find(net, "policy");
	if (policy && strcmp(policy, "constant") && strcmp(policy, "steps") && strcmp(policy, "step") &&
	    strcmp(policy, "poly") && strcmp(policy, "exp") && strcmp(policy, "sigmoid")) {
		set_why(why, n, "%s:%d: unknown policy '%s'", path, key_line(net, "policy"), policy);
		err = DN_ECFG;
		goto out;
	}
	long long inputs = (long long)w * h * c;
	for (int i = 1; i < m->n; i++) {
		struct section *s = &m->s[i];
		if ((err = check_activation(s, path, why, n)))
			goto out;
		switch (s->type) {
		case S_NET:
			set_why(why, n, "%s:%d: [net] must come first and only once", path, s->line);
			err = DN_ECFG;
			goto out;
		case S_CONV: {
			int filters, size, stride, pad, padding, groups, bn;
			if ((err = get_int(s, "filters", 1, 1, 8192, &filters, path, why, n)) ||
			    (err = get_int(s, "size", 1, 1, 15, &size, path, why, n)) ||
			    (err = get_int(s, "stride", 1, 1, 16, &stride, path, why, n)) ||
			    (err = get_int(s, "pad", 0, 0, 1, &pad, path, why, n)) ||
			    (err = get_int(s, "padding", 0, 0, 16, &padding, path, why, n)) ||
			    (err = get_int(s, "groups", 1, 1, 8192, &groups, path, why, n)) ||
			    (err = get_int(s, "batch_normalize", 0, 0, 1, &bn, path, why, n)))
				goto out;
			if (pad)
				padding = size / 2;
			if (!w || !h || c % groups) {
				set_why(why, n, "%s:%d: convolution needs an image input with channels divisible by groups", path, key_line(s, "groups"));
				err = DN_ECFG;
				goto out;
			}
			int ow = (w + 2 * padding - size) / stride + 1;
			int oh = (h + 2 * padding - size) / stride + 1;
			if (w + 2 * padding < size || h + 2 * padding < size || ow < 1 || oh < 1) {
				set_why(why, n, "%s:%d: kernel %d larger than its %dx%d input", path, key_line(s, "size"), size, w, h);
				err = DN_ECFG;
				goto out;
			}
			/* biases, [scales, means, variances], weights */
			s->nparams = (long long)filters * (c / groups) * size * size + filters + (bn ? 3LL * filters : 0);
			s->var_at = 3LL * filters;
			s->nvar = bn ? filters : 0;
			m->params += s->nparams;
			m->macs += (double)filters * (c / groups) * size * size * ow * oh;
			w = ow;
			h = oh;
			c = filters;
			inputs = (long long)w * h * c;
			break;
		}
		case S_CONN: {
			int out, bn;
			if ((err = get_int(s, "output", 1, 1, 1 << 20, &out, path, why, n)) ||
			    (err = get_int(s, "batch_normalize", 0, 0, 1, &bn, path, why, n)))
				goto out;
			/* biases, weights, [scales, means, variances] */
			s->nparams = inputs * out + out + (bn ? 3LL * out : 0);
			s->var_at = inputs * out + 3LL * out;
			s->nvar = bn ? out : 0;
			m->params += s->nparams;
			m->macs += (double)inputs * out;
			w = h = 1;
			c = out;
			inputs = out;
			break;
		}
		case S_MAXPOOL: {
			int stride, size, padding;
			if ((err = get_int(s, "stride", 1, 1, 16, &stride, path, why, n)) ||
			    (err = get_int(s, "size", stride, 1, 16, &size, path, why, n)) ||
			    (err = get_int(s, "padding", size - 1, 0, 32, &padding, path, why, n)))
				goto out;
			if (!w || !h || w + padding < size || h + padding < size) {
				set_why(why, n, "%s:%d: maxpool larger than its input", path, key_line(s, "size"));
				err = DN_ECFG;
				goto out;
			}
			w = (w + padding - size) / stride + 1;
			h = (h + padding - size) / stride + 1;
			inputs = (long long)w * h * c;
			break;
		}
		case S_AVGPOOL:
			if (!w || !h) {
				set_why(why, n, "%s:%d: avgpool needs an image input", path, s->line);
				err = DN_ECFG;
				goto out;
			}
			w = h = 1;
			inputs = c;
			break;
		case S_DROPOUT:
		case S_COST:
			break;
		case S_SOFTMAX: {
			int groups;
			if ((err = get_int(s, "groups", 1, 1, 1 << 20, &groups, path, why, n)))
				goto out;
			if (inputs % groups) {
				set_why(why, n, "%s:%d: softmax groups do not divide its %lld inputs", path, key_line(s, "groups"), inputs);
				err = DN_ECFG;
				goto out;
			}
			break;
		}
		}
		if (inputs > (1LL << 28)) {
			set_why(why, n, "%s:%d: layer output too large", path, s->line);
			err = DN_ECFG;
			goto out;
		}
	}
	m->outputs = (int)inputs;
	return 0;
out:
	free(m->s);
	m->s = NULL;
	return err;
}

/* Writes the checked model back as a cfg darknet can parse, with batch. */
static int write_cfg(const struct model *m, int batch, char *tmpl, char *why, size_t n)
{
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		set_why(why, n, "temporary cfg: %s", strerror(errno));
		return DN_EIO;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmpl);
		return DN_EIO;
	}
	for (int i = 0; i < m->n; i++) {
		const struct section *s = &m->s[i];
		fprintf(f, "[%s]\n", s->name);
		if (i == 0)
			fprintf(f, "batch=%d\nsubdivisions=1\n", batch);
		for (int k = 0; k < s->nkv; k++) {
			if (i == 0 && (!strcmp(s->kv[k].key, "batch") || !strcmp(s->kv[k].key, "subdivisions")))
				continue;
			fprintf(f, "%s=%s\n", s->kv[k].key, s->kv[k].value);
		}
		fputc('\n', f);
	}
	if (fclose(f) != 0) {
		unlink(tmpl);
		set_why(why, n, "temporary cfg: write error");
		return DN_EIO;
	}
	return 0;
}

static int check_weights_against(const struct model *m, const char *weights, char *why, size_t n)
{
	FILE *f = regfile_fopen(weights);
	if (!f) {
		set_why(why, n, "%s: %s", weights, regfile_strerror(errno));
		return DN_EIO;
	}
	int32_t hdr[3];
	if (fread(hdr, sizeof(int32_t), 3, f) != 3) {
		fclose(f);
		set_why(why, n, "%s: truncated header", weights);
		return DN_EWEIGHTS;
	}
	int major = hdr[0], minor = hdr[1];
	if (major < 0 || minor < 0 || major > 1000 || minor > 1000) {
		fclose(f);
		set_why(why, n, "%s: not a darknet weights file (version %d.%d)", weights, major, minor);
		return DN_EWEIGHTS;
	}
	long seen_size = (major * 10 + minor >= 2) ? (long)sizeof(size_t) : (long)sizeof(int);
	long long want = 12 + seen_size + 4 * m->params;
	if (fseek(f, 0, SEEK_END) != 0) {
		fclose(f);
		return DN_EIO;
	}
	long long have = ftell(f);
	if (have != want) {
		fclose(f);
		set_why(why, n, "%s: %lld bytes, but the cfg's %lld parameters need %lld: weights and cfg do not match",
			weights, have, m->params, want);
		return DN_EWEIGHTS;
	}
	if (fseek(f, 12 + seen_size, SEEK_SET) != 0) {
		fclose(f);
		return DN_EIO;
	}
	/* Every value finite and within +-1e4; batch-norm variances not
	 * negative (darknet divides by their square root: NaN everywhere). */
	float buf[4096];
	long long left = m->params, bad = 0, negvar = 0, pos = 0, layer_end = 0;
	int sec = 0, first_sec = 0;
	float first_var = 0;
	while (left > 0) {
		size_t k = left > 4096 ? 4096 : (size_t)left;
		if (fread(buf, sizeof(float), k, f) != k) {
			fclose(f);
			set_why(why, n, "%s: read error", weights);
			return DN_EIO;
		}
		for (size_t i = 0; i < k; i++, pos++) {
			while (pos >= layer_end && sec + 1 < m->n)
				layer_end += m->s[++sec].nparams;
			const struct section *s = &m->s[sec];
			long long at = pos - (layer_end - s->nparams);
			if (!isfinite(buf[i]) || fabsf(buf[i]) > 1e4f)
				bad++;
			else if (buf[i] < 0 && at >= s->var_at && at < s->var_at + s->nvar && !negvar++) {
				first_sec = sec;
				first_var = buf[i];
			}
		}
		left -= (long long)k;
	}
	fclose(f);
	if (bad) {
		set_why(why, n, "%s: %lld values are not finite or out of range: corrupt weights", weights, bad);
		return DN_EWEIGHTS;
	}
	if (negvar) {
		set_why(why, n, "%s: %lld negative batch-norm variance%s (%g in the [%s] at line %d of the cfg): corrupt weights",
			weights, negvar, negvar > 1 ? "s" : "", (double)first_var, m->s[first_sec].name,
			m->s[first_sec].line);
		return DN_EWEIGHTS;
	}
	return 0;
}

struct dn_net {
	network *net;
	struct model m;
	int batch;
};

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

int dn_check_cfg(const char *cfg, char *why, size_t n)
{
	struct model m;
	int err = model_load(cfg, &m, why, n);
	if (!err)
		free(m.s);
	return err;
}

int dn_check_weights(const char *cfg, const char *weights, char *why, size_t n)
{
	struct model m;
	int err = model_load(cfg, &m, why, n);
	if (err)
		return err;
	err = check_weights_against(&m, weights, why, n);
	free(m.s);
	return err;
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
	if ((err = model_load(cfg, &d->m, why, n)))
		goto fail;
	if (weights && (err = check_weights_against(&d->m, weights, why, n)))
		goto fail;
	if ((err = write_cfg(&d->m, batch, tmp, why, n)))
		goto fail;
	int q = quiet_begin();
	d->net = lib.parse_network_cfg(tmp);
	if (d->net && weights)
		lib.load_weights(d->net, (char *)weights);
	quiet_end(q);
	unlink(tmp);
	if (!d->net) {
		set_why(why, n, "%s: darknet could not build the network", cfg);
		err = DN_ECFG;
		goto fail;
	}
	if (d->net->outputs != d->m.outputs) {
		set_why(why, n, "%s: darknet built %d outputs, expected %d", cfg, d->net->outputs, d->m.outputs);
		err = DN_ECFG;
		goto fail;
	}
	d->batch = batch;
	*out = d;
	return 0;
fail:
	if (d->net)
		lib.free_network(d->net);
	free(d->m.s);
	free(d);
	return err;
}

void dn_free(struct dn_net *d)
{
	if (!d)
		return;
	lib.free_network(d->net);
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
	return lib.network_predict(d->net, (float *)input);
}

const float *dn_predict_batch(struct dn_net *d, const float *inputs)
{
	return lib.network_predict(d->net, (float *)inputs);
}

float dn_train_batch(struct dn_net *d, const float *x, const float *y, float lr)
{
	network *net = d->net;
	size_t in = (size_t)net->inputs * (size_t)net->batch;
	size_t tr = (size_t)net->truths * (size_t)net->batch;
	memcpy(net->input, x, in * sizeof(float));
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
