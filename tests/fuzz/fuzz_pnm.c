/* libFuzzer harness: PNM (and every other format) through img_load_mem. */
#include <stdint.h>
#include <stdlib.h>

#include "img.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img im;
	if (img_load_mem(data, size, &im) == 0) {
		volatile uint8_t sink = im.px[(size_t)im.h * (size_t)im.stride - 1];
		(void)sink;
		img_free(&im);
	}
	return 0;
}
