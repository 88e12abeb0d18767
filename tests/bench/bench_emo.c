/* bench_emo: ms per face of emo_classify (batch 1, one thread), with and
 * without the mirrored TTA pass, and the network's size.
 * usage: bench_emo CFG WEIGHTS ITER [IMAGE] */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dn.h"
#include "emo.h"
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
		fprintf(stderr, "usage: bench_emo CFG WEIGHTS ITER [IMAGE]\n");
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
	float p[EMO_NCLASSES];
	struct dn_net *dn;
	if (dn_load(argv[1], argv[2], 1, &dn, why, sizeof why) == 0) {
		printf("network\t%.1f M multiply-accumulates\t%lld parameters\n", dn_flops(dn) / 1e6, dn_params(dn));
		dn_free(dn);
	}
	for (int tta = 0; tta < 2; tta++) {
		emo_set_tta(net, tta);
		for (int i = 0; i < 20; i++) /* warm up */
			emo_classify(net, &im, NULL, p);
		double t = now();
		for (int i = 0; i < iter; i++)
			emo_classify(net, &im, NULL, p);
		t = now() - t;
		printf("%s\t%.3f ms/face\t%.0f faces/s\n", tta ? "with mirror TTA" : "plain",
		       1e3 * t / iter, iter / t);
	}
	img_free(&im);
	emo_free(net);
	return 0;
}
