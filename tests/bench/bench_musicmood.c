/* bench_musicmood WEIGHTS NORM [N]: CPU time of musicmood_predict() (the
 * shipped SVM model: quantile table, stacked SVRs, 4-way SVM) per track,
 * and of the quantile table alone, over N feature vectors drawn from the
 * table's knots (from mean +- std where the norm file has no table). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "analysis.h"
#include "musicmood.h"

static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_musicmood WEIGHTS NORM [N]\n");
		return 2;
	}
	int n = argc > 3 ? atoi(argv[3]) : 2000;
	if (n < 1)
		n = 1;
	char why[512];
	static struct musicmood_qnorm q;
	float mean[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX], sd[ANALYSIS_NFEAT + MUSICMOOD_STACK_MAX];
	int ns;
	struct musicmood *m;
	if (musicmood_norm_read(argv[2], mean, sd, ANALYSIS_NFEAT, &ns, &q, NULL, NULL, why,
				  sizeof why) ||
	    musicmood_open(NULL, argv[1], argv[2], &m, why, sizeof why)) {
		fprintf(stderr, "bench_musicmood: %s\n", why);
		return 1;
	}
	float(*x)[ANALYSIS_NFEAT] = malloc(sizeof *x * (size_t)n);
	if (!x)
		return 1;
	srand(1);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < ANALYSIS_NFEAT; j++)
			x[i][j] = q.n ? q.knot[j][rand() % MUSICMOOD_QKNOTS]
				      : mean[j] + sd[j] * (float)(rand() % 2001 - 1000) / 500;
	double t0 = cpu(), sum = 0;
	for (int i = 0; i < n; i++) {
		float v, a;
		musicmood_predict(m, x[i], &v, &a, NULL);
		sum += v + a;
	}
	double t1 = cpu();
	float y[ANALYSIS_NFEAT];
	for (int i = 0; q.n && i < n; i++) {
		for (int j = 0; j < ANALYSIS_NFEAT; j++)
			y[j] = x[i][j];
		musicmood_qnorm_apply(&q, y);
		sum += y[0];
	}
	double t2 = cpu();
	printf("mood model: %.1f us of CPU per track (%d tracks), of which the quantile table %.1f us "
	       "(%.1f%%); checksum %.3f\n",
	       (t1 - t0) / n * 1e6, n, (t2 - t1) / n * 1e6, 100 * (t2 - t1) / (t1 - t0), sum);
	free(x);
	musicmood_free(m);
	return 0;
}
