/* bench_detect: CPU ms per frame of haar_detect (one thread), best of 5
 * rounds (process CPU time: fair on a loaded machine).
 * usage: bench_detect CASCADE ITER [--min-size N] [--downscale F] IMAGE...
 * prints "<ms per frame>\t<faces>" per image; with --downscale the frame is
 * first resized to 1/F (timed too) and searched with min size N/F. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "haar.h"
#include "img.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: bench_detect CASCADE ITER [--min-size N] [--downscale F] IMAGE...\n");
		return 2;
	}
	struct haar_cascade *c;
	char why[256];
	if (haar_load(argv[1], &c, why, sizeof why)) {
		fprintf(stderr, "bench_detect: %s: %s\n", argv[1], why);
		return 1;
	}
	int iter = atoi(argv[2]);
	if (iter < 1)
		iter = 1;
	struct haar_params p;
	haar_params_default(&p);
	double down = 1.0;
	int i = 3;
	for (; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--min-size") == 0)
			p.min_size = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--downscale") == 0)
			down = atof(argv[i + 1]);
		else
			break;
	}
	if (down < 1.0)
		down = 1.0;
	p.min_size = (int)(p.min_size / down + 0.5);
	int status = 0;
	for (; i < argc; i++) {
		struct img im, small = { 0 };
		if (img_load(argv[i], &im)) {
			fprintf(stderr, "bench_detect: %s: cannot load\n", argv[i]);
			status = 1;
			continue;
		}
		const struct img *use = &im;
		if (down > 1.0) {
			if (img_alloc(&small, (int)(im.w / down + 0.5), (int)(im.h / down + 0.5)))
				return 1;
			use = &small;
		}
		struct haar_detector *d;
		if (haar_detector_new(c, use->w, use->h, &d))
			return 1;
		struct haar_rect r[64];
		int n = 0;
		double best = 1e30;
		for (int round = 0; round < 5; round++) {
			double t0 = now();
			for (int k = 0; k < iter; k++) {
				if (down > 1.0)
					img_resize(&im, &small);
				haar_detect(d, use, &p, r, 64, &n);
			}
			double ms = (now() - t0) * 1000.0 / iter;
			if (ms < best)
				best = ms;
		}
		printf("%.2f\t%d\n", best, n);
		haar_detector_free(d);
		img_free(&small);
		img_free(&im);
	}
	haar_free(c);
	return status;
}
