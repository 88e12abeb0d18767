/* bench_detect: ms per frame of haar_detect on images (one thread).
 * usage: bench_detect CASCADE ITER [--downscale F] IMAGE... ; prints
 * "<ms per frame>\t<faces in the last frame>" per image. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "haar.h"
#include "img.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_detect CASCADE ITER [--min-size N] IMAGE...\n");
		return 2;
	}
	struct haar_cascade *c;
	char why[256];
	if (haar_load(argv[1], &c, why, sizeof why)) {
		fprintf(stderr, "bench_detect: %s: %s\n", argv[1], why);
		return 1;
	}
	int iter = atoi(argv[2]);
	struct haar_params p;
	haar_params_default(&p);
	int i = 3;
	if (i + 1 < argc && strcmp(argv[i], "--min-size") == 0) {
		p.min_size = atoi(argv[i + 1]);
		i += 2;
	}
	for (; i < argc; i++) {
		struct img im;
		if (img_load(argv[i], &im)) {
			fprintf(stderr, "bench_detect: %s: cannot load\n", argv[i]);
			return 1;
		}
		struct haar_detector *d;
		if (haar_detector_new(c, im.w, im.h, &d))
			return 1;
		struct haar_rect r[64];
		int n = 0;
		haar_detect(d, &im, &p, r, 64, &n); /* warm up */
		double t0 = now();
		for (int k = 0; k < iter; k++)
			haar_detect(d, &im, &p, r, 64, &n);
		double ms = (now() - t0) * 1000.0 / iter;
		printf("%.2f\t%d\n", ms, n);
		haar_detector_free(d);
		img_free(&im);
	}
	haar_free(c);
	return 0;
}
