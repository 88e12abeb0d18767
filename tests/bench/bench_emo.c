/* bench_emo: ms per face of emo_classify (batch 1, one thread), with and
 * without the mirrored TTA pass, and the network's size. Each is given as
 * CPU time of this thread and as a ratio to a reference measured in the
 * same run: one OpenBLAS sgemm with as many multiply-accumulates as the
 * network's pass (so the ratio holds on a busy or slower machine). The
 * last line compares one pass with the issue 20 budget of 2 ms per face.
 * With --train: CPU time per training image instead (batch 64, one
 * thread: forward, backward and update by dn_train_batch on synthetic
 * 48x48 faces), against an sgemm with as many multiply-accumulates as
 * three passes (a training step is about three: forward, and two
 * products backward).
 * usage: bench_emo CFG WEIGHTS ITER [IMAGE]
 *        bench_emo --train CFG WEIGHTS BATCHES */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dn.h"
#include "emo.h"
#include "img.h"

#define BUDGET_MS 2.0 /* one pass per face (issue 20) */

static double cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU ms of one n x n x n sgemm, the best of reps after a warm-up. */
static double ref_ms(int n, int reps)
{
	float *a = malloc((size_t)n * (size_t)n * 3 * sizeof *a);
	double best = 1e30;
	if (!a)
		return NAN;
	for (size_t i = 0; i < (size_t)n * (size_t)n * 3; i++)
		a[i] = (float)(i % 13) * 0.01f;
	for (int r = -3; r < reps; r++) {
		double t = cpu();
		cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, n, n, 1, a, n,
			    a + (size_t)n * (size_t)n, n, 0, a + 2 * (size_t)n * (size_t)n, n);
		t = cpu() - t;
		if (r >= 0 && t < best)
			best = t;
	}
	free(a);
	return best * 1e3;
}

#define TRAIN_BATCH 64

/* bench_emo --train: ms of CPU per training image. */
static int train(const char *cfg, const char *weights, int batches)
{
	char why[512];
	struct dn_net *dn;
	if (dn_load(cfg, weights, TRAIN_BATCH, &dn, why, sizeof why)) {
		fprintf(stderr, "bench_emo: %s\n", why);
		return 1;
	}
	const size_t px = 48 * 48;
	float *x = malloc(TRAIN_BATCH * px * sizeof *x), *y = calloc(TRAIN_BATCH * VOCAB_NCLASSES, sizeof *y);
	if (!x || !y) {
		fprintf(stderr, "bench_emo: out of memory\n");
		return 1;
	}
	unsigned s = 1;
	for (size_t i = 0; i < TRAIN_BATCH * px; i++) {
		s = s * 1103515245u + 12345u;
		x[i] = (float)((s >> 8) & 0xffff) / 65536.0f;
	}
	for (int b = 0; b < TRAIN_BATCH; b++)
		y[b * VOCAB_NCLASSES + b % VOCAB_NCLASSES] = 1;
	dn_train_batch(dn, x, y, 1e-6f); /* warm-up */
	double t = cpu();
	for (int b = 0; b < batches; b++)
		dn_train_batch(dn, x, y, 1e-6f);
	t = (cpu() - t) * 1e3 / ((double)batches * TRAIN_BATCH);
	int n = (int)lround(cbrt(3 * dn_flops(dn)));
	double ref = ref_ms(n, 20);
	printf("network\t%.1f M multiply-accumulates per pass\n", dn_flops(dn) / 1e6);
	printf("reference sgemm %dx%dx%d (3 passes' multiply-accumulates)\t%.3f ms\n", n, n, n, ref);
	printf("training\t%.3f ms per image\t%.0f images/s\tratio to the reference %.2f\n", t, 1e3 / t,
	       t / ref);
	dn_free(dn);
	free(x);
	free(y);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "--train")) {
		int batches = atoi(argv[4]);
		return train(argv[2], argv[3], batches < 1 ? 1 : batches);
	}
	if (argc < 4) {
		fprintf(stderr, "usage: bench_emo CFG WEIGHTS ITER [IMAGE]\n"
				"       bench_emo --train CFG WEIGHTS BATCHES\n");
		return 2;
	}
	char why[512];
	struct emo_net *net;
	if (emo_load(argv[1], argv[2], &net, why, sizeof why)) {
		fprintf(stderr, "bench_emo: %s\n", why);
		return 1;
	}
	int iter = atoi(argv[3]);
	struct img im;
	if (argc > 4) {
		if (img_load(argv[4], &im)) {
			fprintf(stderr, "bench_emo: %s: cannot read\n", argv[4]);
			return 1;
		}
	} else {
		img_alloc(&im, 48, 48);
		for (int i = 0; i < 48 * 48; i++)
			im.px[i] = (unsigned char)(i * 7);
	}
	float p[VOCAB_NCLASSES];
	struct dn_net *dn;
	double macs = 29.6e6, ms[2] = { 0, 0 };
	if (dn_load(argv[1], argv[2], 1, &dn, why, sizeof why) == 0) {
		macs = dn_flops(dn);
		printf("network\t%.1f M multiply-accumulates\t%lld parameters\n", macs / 1e6, dn_params(dn));
		dn_free(dn);
	}
	int n = (int)lround(cbrt(macs));
	double ref = ref_ms(n, 50);
	printf("reference\t%.3f ms CPU\tsgemm %dx%dx%d (as many multiply-accumulates as one pass)\n",
	       ref, n, n, n);
	for (int tta = 0; tta < 2; tta++) {
		emo_set_tta(net, tta);
		for (int i = 0; i < 20; i++) /* warm up */
			emo_classify(net, &im, NULL, p);
		double t = cpu();
		for (int i = 0; i < iter; i++)
			emo_classify(net, &im, NULL, p);
		t = cpu() - t;
		ms[tta] = 1e3 * t / iter;
		printf("%s\t%.3f ms CPU/face\t%.0f faces/s of CPU\t%.2f x reference\n",
		       tta ? "with mirror TTA" : "plain", ms[tta], iter / t, ms[tta] / ref);
	}
	printf("budget\tone pass %.3f ms CPU/face of %.1f ms: %s\n", ms[0], BUDGET_MS,
	       ms[0] <= BUDGET_MS ? "within" : "OVER");
	img_free(&im);
	emo_free(net);
	return 0;
}
