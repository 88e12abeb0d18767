/* bench_train: CPU time per training image of the emotion network (batch
 * 64, one thread: forward, backward and update by dn_train_batch on
 * synthetic 48x48 faces), as ms per image and as a ratio to a reference
 * measured in the same run: one OpenBLAS sgemm with as many
 * multiply-accumulates as three passes of the network (a training step
 * is about three: forward, and two products backward).
 * usage: bench_train CFG WEIGHTS BATCHES */
#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dn.h"
#include "vocab.h"

#define BATCH 64

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

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bench_train CFG WEIGHTS BATCHES\n");
		return 2;
	}
	char why[512];
	struct dn_net *dn;
	if (dn_load(argv[1], argv[2], BATCH, &dn, why, sizeof why)) {
		fprintf(stderr, "bench_train: %s\n", why);
		return 1;
	}
	int batches = atoi(argv[3]);
	if (batches < 1)
		batches = 1;
	const size_t px = 48 * 48;
	float *x = malloc(BATCH * px * sizeof *x), *y = calloc(BATCH * VOCAB_NCLASSES, sizeof *y);
	if (!x || !y)
		return 1;
	unsigned s = 1;
	for (size_t i = 0; i < BATCH * px; i++) {
		s = s * 1103515245u + 12345u;
		x[i] = (float)((s >> 8) & 0xffff) / 65536.0f;
	}
	for (int b = 0; b < BATCH; b++)
		y[b * VOCAB_NCLASSES + b % VOCAB_NCLASSES] = 1;
	dn_train_batch(dn, x, y, 1e-6f); /* warm-up */
	double t = cpu();
	for (int b = 0; b < batches; b++)
		dn_train_batch(dn, x, y, 1e-6f);
	t = (cpu() - t) * 1e3 / ((double)batches * BATCH);
	double macs = 3 * dn_flops(dn);
	int n = (int)lround(cbrt(macs));
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
