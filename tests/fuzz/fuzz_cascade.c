/* libFuzzer harness for the cascade loader (haar_load_mem) and, when a
 * cascade loads, the evaluator on a small textured frame: whatever the
 * bytes, no crash, no leak, no undefined behaviour.
 * Build: see tests/fuzz/fuzz-cascade.sh. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parser.h>

#include "haar.h"
#include "img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct haar_cascade *c = NULL;
	char why[256];
	if (haar_load_mem((const char *)data, size, &c, why, sizeof why) != 0) {
		if (c)
			__builtin_trap(); /* an error must leave no cascade */
		if (strlen(why) >= sizeof why)
			__builtin_trap();
		return 0;
	}
	int ww, wh;
	haar_window(c, &ww, &wh);
	struct img im;
	const int w = 40, h = 32;
	if (ww <= w && wh <= h && img_alloc(&im, w, h) == 0) {
		for (int i = 0; i < w * h; i++)
			im.px[i] = (uint8_t)((i * 37 + (i / w) * 11) ^ (i >> 3));
		struct haar_detector *d;
		if (haar_detector_new(c, w, h, &d) == 0) {
			struct haar_params p;
			haar_params_default(&p);
			p.min_size = 0;
			p.min_neighbors = 1;
			p.scale = 1.25;
			struct haar_rect r[16];
			int n;
			haar_detect(d, &im, &p, r, 16, &n);
			haar_detector_free(d);
		}
		img_free(&im);
	}
	haar_free(c);
	return 0;
}
