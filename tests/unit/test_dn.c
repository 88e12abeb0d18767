/* Unit tests for dn: cfg grammar, weights checks, save/load, fast kernels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dn.h"


static const char *small_cfg =
	"[net]\nbatch=4\nwidth=8\nheight=8\nchannels=1\n\n"
	"[convolutional]\nbatch_normalize=1\nfilters=4\nsize=3\nstride=1\npad=1\nactivation=leaky\n\n"
	"[maxpool]\nsize=2\nstride=2\n\n"
	"[convolutional]\nfilters=3\nsize=1\nstride=1\npad=0\nactivation=linear\n\n"
	"[avgpool]\n\n[softmax]\ngroups=1\n";

static char *tmpfile_with(const char *text, size_t len)
{
	char *path = strdup("/tmp/emotune-dn-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	close(fd);
	return path;
}

static int check_cfg_text(const char *text, char *why, size_t n)
{
	char *p = tmpfile_with(text, strlen(text));
	int err = dn_check_cfg(p, why, n);
	unlink(p);
	free(p);
	return err;
}

static void cfg_valid(void **state)
{
	char why[256];
	assert_int_equal(check_cfg_text(small_cfg, why, sizeof why), 0);
	char path[4096];
	snprintf(path, sizeof path, "%s/nets/emotion.cfg", getenv("top_srcdir") ? getenv("top_srcdir") : "..");
	assert_int_equal(dn_check_cfg(path, why, sizeof why), 0);
}

static void cfg_refused(void **state)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "", "first section" },
		{ "[convolutional]\nfilters=2\n", "first section" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[foo]\n", "unknown section" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfliters=2\n", "unknown key" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=abc\n", "expected a number" },
		{ "[net]\nwidth=8\nheight=8\n[convolutional]\nfilters=2\n", "channels" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=2\nsize=15\n", "larger than" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=2\nactivation=magic\n", "activation" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=0\n", "integer" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[net]\n", "only once" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional\n", "malformed" },
		{ "filters=3\n", "outside" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\nwidth=9\n[avgpool]\n", "twice" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\ninput_norm=zscore\n[avgpool]\n", "expected none, crop" },
		{ "[net]\nwidth=300\nheight=8\nchannels=1\ninput_norm=local\n[avgpool]\n", "sides <= 256" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[512] = "";
		int err = check_cfg_text(bad[i].text, why, sizeof why);
		if (err != DN_ECFG || !strstr(why, bad[i].why))
			fail_msg("case %zu: err %d, why '%s', wanted '%s'", i, err, why, bad[i].why);
	}
}

/* libdarknet and OpenBLAS are opened by the first dn_load(), not at start,
 * and OpenBLAS then runs one thread whatever OPENBLAS_NUM_THREADS says
 * (main() sets it to 2). Runs first. */
static void libs_opened_on_first_load_one_blas_thread(void **state)
{
	char why[512];
	assert_null(dlopen(DN_DARKNET_SO, RTLD_NOW | RTLD_NOLOAD));
	assert_null(dlopen(DN_OPENBLAS_SO, RTLD_NOW | RTLD_NOLOAD));
	char *cfg = tmpfile_with(small_cfg, strlen(small_cfg));
	struct dn_net *a;
	assert_int_equal(dn_load(cfg, NULL, 1, &a, why, sizeof why), 0);
	assert_non_null(dlopen(DN_DARKNET_SO, RTLD_NOW | RTLD_NOLOAD));
	void *blas = dlopen(DN_OPENBLAS_SO, RTLD_NOW | RTLD_NOLOAD);
	assert_non_null(blas);
	int (*threads)(void) = (int (*)(void))dlsym(blas, "openblas_get_num_threads");
	assert_non_null(threads);
	assert_int_equal(threads(), 1);
	dn_free(a);
	unlink(cfg);
	free(cfg);
}

/* Issue 16 item 13: errors name the key's line, not its section's; a NUL
 * byte is reported as such, not as a long line. */
static void cfg_error_lines(void **state)
{
	static const struct { const char *text, *why; } bad[] = {
		{ "# huge\n\n\n\n\n\n[net]\nheight=8\nchannels=1\nwidth=100000\n[avgpool]\n",
		  ":10: [net] width=100000: expected an integer" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=2\n\nsize=15\n",
		  ":8: kernel 15 larger than" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=2\nactivation=magic\n",
		  ":7: unknown activation" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\n# c\nmomentum=x\n[avgpool]\n",
		  ":6: [net] momentum=x: expected a number" },
		{ "[net]\nwidth=8\nheight=8\nchannels=1\npolicy=magic\n[avgpool]\n", ":5: unknown policy" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char why[512] = "";
		int err = check_cfg_text(bad[i].text, why, sizeof why);
		if (err != DN_ECFG || !strstr(why, bad[i].why))
			fail_msg("case %zu: err %d, why '%s', wanted '%s'", i, err, why, bad[i].why);
	}
	static const char nul[] = "[net]\nwidth=8\nhei\0ght=8\nchannels=1\n[avgpool]\n";
	char *p = tmpfile_with(nul, sizeof nul - 1);
	char why[512] = "";
	assert_int_equal(dn_check_cfg(p, why, sizeof why), DN_ECFG);
	if (!strstr(why, ":3: NUL byte in the line"))
		fail_msg("NUL: why '%s'", why);
	unlink(p);
	free(p);
	char longline[700];
	memset(longline, 'x', sizeof longline);
	memcpy(longline, "[net]\n", 6);
	longline[sizeof longline - 1] = '\n';
	p = tmpfile_with(longline, sizeof longline);
	assert_int_equal(dn_check_cfg(p, why, sizeof why), DN_ECFG);
	if (!strstr(why, ":2: line too long"))
		fail_msg("long line: why '%s'", why);
	unlink(p);
	free(p);
}

static void save_load_roundtrip(void **state)
{
	char why[512];
	char *cfg = tmpfile_with(small_cfg, strlen(small_cfg));
	struct dn_net *a, *b;
	srand(3);
	assert_int_equal(dn_load(cfg, NULL, 1, &a, why, sizeof why), 0);
	int w, h, c, o;
	dn_shape(a, &w, &h, &c, &o);
	assert_int_equal(w * h * c, 64);
	assert_int_equal(o, 3);
	/* 4*9 + 4 + 3*4 (bn) + 3*4 + 3 = 67 floats */
	assert_int_equal(dn_params(a), 67);
	char wpath[] = "/tmp/emotune-dnw-XXXXXX";
	int fd = mkstemp(wpath);
	close(fd);
	assert_int_equal(dn_save(a, wpath), 0);
	assert_int_equal(dn_check_weights(cfg, wpath, why, sizeof why), 0);
	assert_int_equal(dn_load(cfg, wpath, 1, &b, why, sizeof why), 0);
	float in[64], pa[3];
	for (int i = 0; i < 64; i++)
		in[i] = (float)((i * 37) % 11) / 10.0f;
	memcpy(pa, dn_predict(a, in), sizeof pa);
	const float *pb = dn_predict(b, in);
	for (int i = 0; i < 3; i++)
		assert_float_equal(pa[i], pb[i], 1e-6);
	assert_float_equal(pa[0] + pa[1] + pa[2], 1.0, 1e-5);
	dn_free(a);
	dn_free(b);

	/* truncated, oversized, random and non-finite weights are refused */
	FILE *f = fopen(wpath, "rb");
	char buf[4096];
	size_t len = fread(buf, 1, sizeof buf, f);
	fclose(f);
	char *t = tmpfile_with(buf, len - 4);
	assert_int_equal(dn_check_weights(cfg, t, why, sizeof why), DN_EWEIGHTS);
	assert_non_null(strstr(why, "do not match"));
	assert_int_equal(dn_load(cfg, t, 1, &b, why, sizeof why), DN_EWEIGHTS);
	unlink(t);
	free(t);
	buf[len] = 0;
	buf[len + 1] = buf[len + 2] = buf[len + 3] = 0;
	t = tmpfile_with(buf, len + 4);
	assert_int_equal(dn_check_weights(cfg, t, why, sizeof why), DN_EWEIGHTS);
	unlink(t);
	free(t);
	char rnd[4096];
	memcpy(rnd, buf, 20); /* keep the header */
	uint32_t x = 12345;
	for (size_t i = 20; i < len; i++) {
		x = x * 1103515245u + 12345u;
		rnd[i] = (char)(x >> 16);
	}
	t = tmpfile_with(rnd, len);
	assert_int_equal(dn_check_weights(cfg, t, why, sizeof why), DN_EWEIGHTS);
	unlink(t);
	free(t);
	float nan = NAN;
	memcpy(buf + 24, &nan, 4);
	t = tmpfile_with(buf, len);
	assert_int_equal(dn_check_weights(cfg, t, why, sizeof why), DN_EWEIGHTS);
	assert_non_null(strstr(why, "not finite"));
	unlink(t);
	free(t);
	/* a negative batch-norm variance (issue 16: every class 1/7, exit 0) is
	 * refused; a negative value elsewhere is a weight like any other. The
	 * first layer's floats after the 20-byte header: 4 biases, 4 scales,
	 * 4 means, 4 variances, 36 weights. */
	fd = open(wpath, O_RDONLY);
	assert_int_equal(read(fd, buf, len), (ssize_t)len);
	close(fd);
	float neg = -0.5f;
	for (int at = 0; at < 52; at++) {
		char mut[4096];
		memcpy(mut, buf, len);
		memcpy(mut + 20 + 4 * at, &neg, 4);
		t = tmpfile_with(mut, len);
		int err = dn_check_weights(cfg, t, why, sizeof why);
		if (at >= 12 && at < 16) {
			if (err != DN_EWEIGHTS || !strstr(why, "1 negative batch-norm variance (") ||
			    !strstr(why, t) || !strstr(why, "at line 7 of the cfg"))
				fail_msg("variance %d: %d '%s'", at - 12, err, why);
			assert_int_equal(dn_load(cfg, t, 1, &b, why, sizeof why), DN_EWEIGHTS);
		} else if (err != 0)
			fail_msg("float %d: %d '%s'", at, err, why);
		unlink(t);
		free(t);
	}
	assert_int_equal(dn_check_weights(cfg, "/nonexistent.weights", why, sizeof why), DN_EIO);
	/* a weights file of another network */
	const char *other = "[net]\nwidth=8\nheight=8\nchannels=1\n[convolutional]\nfilters=5\nsize=3\n[avgpool]\n";
	char *ocfg = tmpfile_with(other, strlen(other));
	assert_int_equal(dn_check_weights(ocfg, wpath, why, sizeof why), DN_EWEIGHTS);
	unlink(ocfg);
	free(ocfg);
	unlink(wpath);
	unlink(cfg);
	free(cfg);
}

/* A connected layer keeps its batch-norm values after its weights: biases
 * (out), weights (in * out), scales, means, variances (out each). */
static void connected_variance(void **state)
{
	(void)state;
	static const char *text = "[net]\nwidth=2\nheight=2\nchannels=1\n"
		"[connected]\noutput=3\nbatch_normalize=1\nactivation=leaky\n"
		"[softmax]\ngroups=1\n";
	char why[512];
	char *cfg = tmpfile_with(text, strlen(text));
	struct dn_net *a;
	srand(7);
	assert_int_equal(dn_load(cfg, NULL, 1, &a, why, sizeof why), 0);
	assert_int_equal(dn_params(a), 3 + 12 + 9);
	char wpath[] = "/tmp/emotune-dnc-XXXXXX";
	close(mkstemp(wpath));
	assert_int_equal(dn_save(a, wpath), 0);
	dn_free(a);
	char buf[256];
	int fd = open(wpath, O_RDONLY);
	ssize_t len = read(fd, buf, sizeof buf);
	close(fd);
	assert_int_equal(len, 20 + 4 * 24);
	float var = 0.25f, neg = -1e-3f;
	for (int at = 21; at < 24; at++)
		memcpy(buf + 20 + 4 * at, &var, 4);
	char *t = tmpfile_with(buf, (size_t)len);
	assert_int_equal(dn_check_weights(cfg, t, why, sizeof why), 0);
	unlink(t);
	free(t);
	for (int at = 0; at < 24; at++) {
		char mut[256];
		memcpy(mut, buf, (size_t)len);
		memcpy(mut + 20 + 4 * at, &neg, 4);
		t = tmpfile_with(mut, (size_t)len);
		int err = dn_check_weights(cfg, t, why, sizeof why);
		if (at >= 21 ? err != DN_EWEIGHTS || !strstr(why, "[connected]") : err != 0)
			fail_msg("float %d: %d '%s'", at, err, why);
		unlink(t);
		free(t);
	}
	unlink(wpath);
	unlink(cfg);
	free(cfg);
}

static void shift_logits(void **state)
{
	char why[512];
	char *cfg = tmpfile_with(small_cfg, strlen(small_cfg));
	struct dn_net *a;
	srand(5);
	assert_int_equal(dn_load(cfg, NULL, 1, &a, why, sizeof why), 0);
	float in[64], p[3], q[3];
	for (int i = 0; i < 64; i++)
		in[i] = (float)((i * 29) % 13) / 12.0f;
	memcpy(p, dn_predict(a, in), sizeof p);
	const float delta[3] = { 0.7f, -0.4f, 0.1f };
	assert_int_equal(dn_shift_logits(a, delta, 2), DN_ESHAPE);
	assert_int_equal(dn_shift_logits(a, delta, 3), 0);
	memcpy(q, dn_predict(a, in), sizeof q);
	double sum = 0;
	for (int i = 0; i < 3; i++)
		sum += p[i] * exp(delta[i]);
	for (int i = 0; i < 3; i++)
		assert_float_equal(q[i], p[i] * exp(delta[i]) / sum, 1e-5);
	dn_free(a);
	unlink(cfg);
	free(cfg);

	/* the biases are not logits when the last layer is not linear or has batch norm */
	static const char *const bad[] = {
		"[net]\nwidth=8\nheight=8\nchannels=1\n"
		"[convolutional]\nfilters=3\nsize=1\nstride=1\npad=0\nactivation=leaky\n"
		"[avgpool]\n[softmax]\ngroups=1\n",
		"[net]\nwidth=8\nheight=8\nchannels=1\n"
		"[convolutional]\nbatch_normalize=1\nfilters=3\nsize=1\nstride=1\npad=0\nactivation=linear\n"
		"[avgpool]\n[softmax]\ngroups=1\n",
		"[net]\nwidth=8\nheight=8\nchannels=1\n"
		"[convolutional]\nfilters=3\nsize=1\nstride=1\npad=0\nactivation=linear\n[avgpool]\n",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		cfg = tmpfile_with(bad[i], strlen(bad[i]));
		assert_int_equal(dn_load(cfg, NULL, 1, &a, why, sizeof why), 0);
		if (dn_shift_logits(a, delta, 3) != DN_ESHAPE)
			fail_msg("case %zu accepted", i);
		dn_free(a);
		unlink(cfg);
		free(cfg);
	}
}

/* The floats of a weights file after its header (n of them). */
static float *weights_floats(const char *path, long long n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, -(long)(n * 4), SEEK_END), 0);
	float *v = malloc((size_t)n * sizeof *v);
	assert_non_null(v);
	assert_int_equal(fread(v, sizeof *v, (size_t)n, f), (size_t)n);
	fclose(f);
	return v;
}

static void mix_averages_every_parameter(void **state)
{
	char why[512], wa[] = "/tmp/emotune-dnm-XXXXXX", wb[] = "/tmp/emotune-dnm-XXXXXX";
	char *cfg = tmpfile_with(small_cfg, strlen(small_cfg));
	struct dn_net *a, *b;
	close(mkstemp(wa));
	close(mkstemp(wb));
	srand(1);
	assert_int_equal(dn_load(cfg, NULL, 4, &a, why, sizeof why), 0);
	srand(2);
	assert_int_equal(dn_load(cfg, NULL, 4, &b, why, sizeof why), 0);
	/* distinct batch-norm statistics too: one training step of b */
	float x[4 * 64], y[4 * 3] = { 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0 };
	for (int i = 0; i < 4 * 64; i++)
		x[i] = (float)((i * 37) % 11) / 10.0f;
	dn_train_batch(b, x, y, 0.01f);
	assert_int_equal(dn_save(a, wa), 0);
	assert_int_equal(dn_save(b, wb), 0);
	long long n = dn_params(a);
	float *pa = weights_floats(wa, n), *pb = weights_floats(wb, n);
	assert_int_equal(dn_mix(a, b, 0.25f), 0);
	assert_int_equal(dn_save(a, wa), 0);
	float *pm = weights_floats(wa, n);
	int differ = 0;
	for (long long i = 0; i < n; i++) {
		assert_float_equal(pm[i], pa[i] + 0.25f * (pb[i] - pa[i]), 1e-6);
		differ += pa[i] != pb[i];
	}
	assert_true(differ > n / 2);
	dn_free(b);

	/* another shape is refused and leaves the net as it was */
	const char *other = "[net]\nwidth=8\nheight=8\nchannels=1\n"
		"[convolutional]\nbatch_normalize=1\nfilters=5\nsize=3\nstride=1\npad=1\nactivation=leaky\n"
		"[maxpool]\nsize=2\nstride=2\n"
		"[convolutional]\nfilters=3\nsize=1\nstride=1\npad=0\nactivation=linear\n"
		"[avgpool]\n[softmax]\ngroups=1\n";
	char *cfg2 = tmpfile_with(other, strlen(other));
	assert_int_equal(dn_load(cfg2, NULL, 4, &b, why, sizeof why), 0);
	assert_int_equal(dn_mix(a, b, 0.5f), DN_ESHAPE);
	assert_int_equal(dn_save(a, wb), 0);
	float *pm2 = weights_floats(wb, n);
	assert_memory_equal(pm, pm2, (size_t)n * sizeof *pm);
	dn_free(a);
	dn_free(b);
	free(pa);
	free(pb);
	free(pm);
	free(pm2);
	unlink(wa);
	unlink(wb);
	unlink(cfg);
	unlink(cfg2);
	free(cfg);
	free(cfg2);
}

struct fill_ctx {
	const float *x;
	int calls;
};

static void fill_same(float *x, int i, void *vctx)
{
	struct fill_ctx *c = vctx;
	assert_int_equal(i, c->calls);
	c->calls++;
	memcpy(x, c->x, 4 * 64 * sizeof *x);
}

static void bn_restat_matches_batch_statistics(void **state)
{
	char why[512];
	char *cfg = tmpfile_with(small_cfg, strlen(small_cfg));
	struct dn_net *a;
	srand(3);
	assert_int_equal(dn_load(cfg, NULL, 4, &a, why, sizeof why), 0);
	float x[4 * 64], y[4 * 3] = { 0 }, train[4 * 3], before[4 * 3], after[4 * 3];
	for (int i = 0; i < 4 * 64; i++)
		x[i] = 0.3f + (float)((i * 53) % 17) / 8.0f;
	/* outputs in training mode (batch statistics); lr 0 changes no weight */
	dn_train_batch(a, x, y, 0);
	memcpy(train, dn_train_output(a), sizeof train);
	memcpy(before, dn_predict_batch(a, x), sizeof before);
	struct fill_ctx ctx = { .x = x };
	assert_int_equal(dn_bn_restat(a, 3, fill_same, &ctx), 0);
	assert_int_equal(ctx.calls, 3);
	memcpy(after, dn_predict_batch(a, x), sizeof after);
	double off = 0;
	for (int i = 0; i < 4 * 3; i++) {
		assert_float_equal(after[i], train[i], 1e-4);
		off += fabs(before[i] - train[i]);
	}
	assert_true(off > 1e-3); /* the old rolling statistics were different */
	dn_free(a);
	unlink(cfg);
	free(cfg);
}

static void emotion_cfg_params_match_darknet(void **state)
{
	/* darknet's own save_weights writes exactly what our count expects */
	char path[4096], why[512], wpath[] = "/tmp/emotune-dnw-XXXXXX";
	snprintf(path, sizeof path, "%s/nets/emotion.cfg", getenv("top_srcdir") ? getenv("top_srcdir") : "..");
	struct dn_net *n;
	assert_int_equal(dn_load(path, NULL, 1, &n, why, sizeof why), 0);
	int fd = mkstemp(wpath);
	close(fd);
	assert_int_equal(dn_save(n, wpath), 0);
	assert_int_equal(dn_check_weights(path, wpath, why, sizeof why), 0);
	assert_true(dn_flops(n) > 1e6);
	dn_free(n);
	unlink(wpath);
}

/* dn.c's activate_array, gradient_array, mean_cpu and variance_cpu give what
 * libdarknet's own give, bit for bit (leaky and linear; another activation
 * goes to darknet's). */
static void kernels_match_darknet(void **state)
{
	(void)state;
	enum { N = 4099, LINEAR_ = 3, LEAKY_ = 7, LOGISTIC_ = 0 }; /* not a multiple of 4 */
	void *h = dlopen(DN_DARKNET_SO, RTLD_NOW | RTLD_LOCAL);
	assert_non_null(h);
	void (*act)(float *, int, int) = (void (*)(float *, int, int))dlsym(h, "activate_array");
	void (*grad)(const float *, int, int, float *) =
		(void (*)(const float *, int, int, float *))dlsym(h, "gradient_array");
	void (*var)(float *, float *, int, int, int, float *) =
		(void (*)(float *, float *, int, int, int, float *))dlsym(h, "variance_cpu");
	void (*mean)(float *, int, int, int, float *) =
		(void (*)(float *, int, int, int, float *))dlsym(h, "mean_cpu");
	assert_true(act && grad && var && mean && act != activate_array && var != variance_cpu &&
		    mean != mean_cpu);
	static float x[N], a[N], b[N], da[N], db[N];
	uint32_t r = 12345;
	for (int i = 0; i < N; i++) {
		r = r * 1664525u + 1013904223u;
		x[i] = ((float)(r >> 8) / 16777216.0f - 0.5f) * (i % 3 ? 8.0f : 1e-3f);
	}
	x[0] = 0;
	x[1] = -0.0f;
	x[2] = 1e-40f;  /* denormals */
	x[3] = -1e-40f;
	struct dn_net *net = NULL; /* opens the libraries, as darknet's callers would have */
	char why[256], *cfg = tmpfile_with(small_cfg, strlen(small_cfg));
	assert_int_equal(dn_load(cfg, NULL, 1, &net, why, sizeof why), 0);
	dn_free(net);
	unlink(cfg);
	free(cfg);
	const int acts[] = { LEAKY_, LINEAR_, LOGISTIC_ };
	for (size_t k = 0; k < sizeof acts / sizeof acts[0]; k++) {
		memcpy(a, x, sizeof x);
		memcpy(b, x, sizeof x);
		activate_array(a, N, acts[k]);
		act(b, N, acts[k]);
		assert_memory_equal(a, b, sizeof a);
		for (int i = 0; i < N; i++)
			da[i] = db[i] = x[(i * 7) % N] * 3;
		gradient_array(a, N, acts[k], da);
		grad(b, N, acts[k], db);
		assert_memory_equal(da, db, sizeof da);
	}
	float m[7] = { 0.1f, -0.2f, 0, 3, 0.5f, -1, 2 }, va[7], vb[7]; /* 4 side by side, 3 alone */
	variance_cpu(x, m, 8, 7, 73, va);
	var(x, m, 8, 7, 73, vb);
	assert_memory_equal(va, vb, sizeof va);
	assert_true(va[0] > 0 && va[6] > 0);
	mean_cpu(x, 8, 7, 73, va);
	mean(x, 8, 7, 73, vb);
	assert_memory_equal(va, vb, sizeof va);
	assert_true(va[0] != 0 && va[6] != 0);
	dlclose(h);
}

static void gemm_matches_naive(void **state)
{
	enum { M = 5, N = 7, K = 3 };
	float A[M * K], At[K * M], B[K * N], Bt[N * K], C[M * N], R[M * N];
	for (int i = 0; i < M * K; i++)
		A[i] = (float)(i % 5) - 2;
	for (int i = 0; i < K * N; i++)
		B[i] = (float)(i % 7) * 0.5f;
	for (int i = 0; i < M; i++)
		for (int k = 0; k < K; k++)
			At[k * M + i] = A[i * K + k];
	for (int k = 0; k < K; k++)
		for (int j = 0; j < N; j++)
			Bt[j * K + k] = B[k * N + j];
	for (int ta = 0; ta < 2; ta++)
		for (int tb = 0; tb < 2; tb++) {
			for (int i = 0; i < M * N; i++)
				C[i] = R[i] = 1;
			gemm(ta, tb, M, N, K, 2, ta ? At : A, ta ? M : K, tb ? Bt : B, tb ? K : N, 0.5f, C, N);
			for (int i = 0; i < M; i++)
				for (int j = 0; j < N; j++) {
					float s = 0;
					for (int k = 0; k < K; k++)
						s += A[i * K + k] * B[k * N + j];
					R[i * N + j] = 0.5f * R[i * N + j] + 2 * s;
				}
			for (int i = 0; i < M * N; i++)
				assert_float_equal(C[i], R[i], 1e-4);
		}
}

/* darknet's original im2col, for reference */
static float px(const float *im, int h, int w, int row, int col, int c, int pad)
{
	row -= pad;
	col -= pad;
	if (row < 0 || col < 0 || row >= h || col >= w)
		return 0;
	return im[col + w * (row + h * c)];
}

static void im2col_matches_reference(void **state)
{
	enum { C = 2, H = 7, W = 6 };
	float im[C * H * W], col[2048], ref[2048], back[C * H * W], rback[C * H * W];
	for (int i = 0; i < C * H * W; i++)
		im[i] = (float)i;
	for (int ks = 1; ks <= 3; ks += 2)
		for (int stride = 1; stride <= 2; stride++)
			for (int pad = 0; pad <= 1; pad++) {
				int hc = (H + 2 * pad - ks) / stride + 1, wc = (W + 2 * pad - ks) / stride + 1;
				int cc = C * ks * ks;
				for (int c = 0; c < cc; c++) {
					int wo = c % ks, ho = (c / ks) % ks, ci = c / ks / ks;
					for (int y = 0; y < hc; y++)
						for (int x = 0; x < wc; x++)
							ref[(c * hc + y) * wc + x] =
								px(im, H, W, ho + y * stride, wo + x * stride, ci, pad);
				}
				im2col_cpu(im, C, H, W, ks, stride, pad, col);
				for (int i = 0; i < cc * hc * wc; i++)
					assert_float_equal(col[i], ref[i], 0);
				memset(back, 0, sizeof back);
				memset(rback, 0, sizeof rback);
				col2im_cpu(col, C, H, W, ks, stride, pad, back);
				for (int c = 0; c < cc; c++) {
					int wo = c % ks, ho = (c / ks) % ks, ci = c / ks / ks;
					for (int y = 0; y < hc; y++)
						for (int x = 0; x < wc; x++) {
							int r = ho + y * stride - pad, q = wo + x * stride - pad;
							if (r >= 0 && q >= 0 && r < H && q < W)
								rback[q + W * (r + H * ci)] += col[(c * hc + y) * wc + x];
						}
				}
				for (int i = 0; i < C * H * W; i++)
					assert_float_equal(back[i], rback[i], 0);
			}
}

/* The cfg with an input_norm line after channels=1. */
static char *norm_cfg(const char *norm)
{
	char text[1024];
	const char *at = strstr(small_cfg, "channels=1\n") + strlen("channels=1\n");
	snprintf(text, sizeof text, "%.*sinput_norm=%s\n%s", (int)(at - small_cfg), small_cfg, norm, at);
	return tmpfile_with(text, strlen(text));
}

/* crop: every image to mean 0.5, sd 0.25, whatever its brightness and
 * contrast; local: shading across the image is taken out as well. */
static void normalize_crop_and_local(void **state)
{
	float x[2 * 64], y[64];
	for (int i = 0; i < 64; i++) {
		x[i] = 0.1f + 0.02f * (float)((i * 37) % 11);       /* dark, low contrast */
		x[64 + i] = 0.5f + 0.4f * (float)((i * 37) % 11) / 10.0f - 0.2f;
	}
	dn_normalize(DN_NORM_CROP, x, 2, 8, 8, 1, NULL);
	for (int k = 0; k < 2; k++) {
		double m = 0, v = 0;
		for (int i = 0; i < 64; i++)
			m += x[64 * k + i] / 64.0;
		for (int i = 0; i < 64; i++)
			v += (x[64 * k + i] - m) * (x[64 * k + i] - m) / 64.0;
		assert_float_equal(m, 0.5, 1e-5);
		assert_float_equal(sqrt(v), 0.25, 1e-4);
	}
	/* the same pattern at two exposures gives the same input */
	for (int i = 0; i < 64; i++)
		assert_float_equal(x[i], x[64 + i], 1e-4);
	/* a flat image stays flat at 0.5 (no division by zero) */
	for (int i = 0; i < 64; i++)
		y[i] = 0.3f;
	dn_normalize(DN_NORM_CROP, y, 1, 8, 8, 1, NULL);
	for (int i = 0; i < 64; i++)
		assert_float_equal(y[i], 0.5, 1e-6);
	/* local: a texture lit from the left; after crop the dark side keeps a
	 * weaker texture, after local the two halves' contrasts are close */
	float a[64], b[64], ws[DN_NORM_WS(8, 8)];
	for (int r = 0; r < 8; r++)
		for (int c = 0; c < 8; c++)
			a[r * 8 + c] = b[r * 8 + c] = (0.2f + 0.1f * (float)c) * (((r + c) & 1) ? 0.7f : 0.3f);
	dn_normalize(DN_NORM_CROP, a, 1, 8, 8, 1, NULL);
	dn_normalize(DN_NORM_LOCAL, b, 1, 8, 8, 1, ws);
	double ca = fabs(a[0] - a[1]) / fabs(a[6] - a[7]), cb = fabs(b[0] - b[1]) / fabs(b[6] - b[7]);
	assert_true(ca < 0.4);
	assert_true(cb > 0.6);
}

/* The cfg's input_norm is applied by dn itself, in prediction and in
 * training alike: a net with input_norm=crop predicts for x exactly what the
 * same weights without it predict for x normalised, one image or a batch,
 * and its training loss on x is the plain net's loss on normalised x. */
static void input_norm_applied_everywhere(void **state)
{
	char why[512];
	char *plain = tmpfile_with(small_cfg, strlen(small_cfg)), *crop = norm_cfg("crop"), *none = norm_cfg("none");
	struct dn_net *a, *b, *c;
	srand(5);
	assert_int_equal(dn_load(plain, NULL, 4, &a, why, sizeof why), 0);
	char wpath[] = "/tmp/emotune-dnw-XXXXXX";
	close(mkstemp(wpath));
	assert_int_equal(dn_save(a, wpath), 0);
	assert_int_equal(dn_load(crop, wpath, 4, &b, why, sizeof why), 0);
	assert_int_equal(dn_load(none, wpath, 4, &c, why, sizeof why), 0);
	float x[4 * 64], xn[4 * 64], y[4 * 3] = { 0 }, keep[4 * 64];
	for (int i = 0; i < 4 * 64; i++)
		x[i] = 0.05f + 0.2f * (float)((i * 37) % 13) / 13.0f;
	for (int k = 0; k < 4; k++)
		y[k * 3 + k % 3] = 1;
	memcpy(xn, x, sizeof x);
	memcpy(keep, x, sizeof x);
	dn_normalize(DN_NORM_CROP, xn, 4, 8, 8, 1, NULL);
	float pa[4 * 3], pb[4 * 3];
	/* input_norm=none is the plain net */
	memcpy(pa, dn_predict_batch(a, x), sizeof pa);
	memcpy(pb, dn_predict_batch(c, x), sizeof pb);
	assert_memory_equal(pa, pb, sizeof pa);
	memcpy(pa, dn_predict_batch(a, xn), sizeof pa);
	memcpy(pb, dn_predict_batch(b, x), sizeof pb);
	for (int i = 0; i < 12; i++)
		assert_float_equal(pa[i], pb[i], 1e-5);
	assert_memory_equal(x, keep, sizeof x);  /* the caller's input is not touched */
	assert_float_equal(dn_train_batch(a, xn, y, 0.01f), dn_train_batch(b, x, y, 0.01f), 1e-4);
	/* and the nets stay alike after the step */
	memcpy(pa, dn_predict_batch(a, xn), sizeof pa);
	memcpy(pb, dn_predict_batch(b, x), sizeof pb);
	for (int i = 0; i < 12; i++)
		assert_float_equal(pa[i], pb[i], 1e-4);
	dn_free(a);
	dn_free(b);
	dn_free(c);
	unlink(wpath);
	unlink(plain);
	unlink(crop);
	unlink(none);
	free(plain);
	free(crop);
	free(none);
}

int main(void)
{
	setenv("OPENBLAS_NUM_THREADS", "2", 1);   /* what a user may have */
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(libs_opened_on_first_load_one_blas_thread),
		cmocka_unit_test(cfg_valid),
		cmocka_unit_test(cfg_refused),
		cmocka_unit_test(cfg_error_lines),
		cmocka_unit_test(save_load_roundtrip),
		cmocka_unit_test(connected_variance),
		cmocka_unit_test(shift_logits),
		cmocka_unit_test(mix_averages_every_parameter),
		cmocka_unit_test(bn_restat_matches_batch_statistics),
		cmocka_unit_test(emotion_cfg_params_match_darknet),
		cmocka_unit_test(gemm_matches_naive),
		cmocka_unit_test(kernels_match_darknet),
		cmocka_unit_test(im2col_matches_reference),
		cmocka_unit_test(normalize_crop_and_local),
		cmocka_unit_test(input_norm_applied_everywhere),
	};
	return cmocka_run_group_tests_name("dn", tests, NULL, NULL);
}
