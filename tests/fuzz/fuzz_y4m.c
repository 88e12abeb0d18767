/* libFuzzer harness: the Y4M reader of cap_file.c (header, frames, truncation). */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "cap_priv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	FILE *f = fmemopen((void *)data, size, "rb");
	if (!f)
		return 0;
	struct cap_y4m y;
	char why[256];
	if (cap_y4m_header(f, &y, why, sizeof why) == 0 && (size_t)y.w * (size_t)y.h <= 1u << 22) {
		uint8_t *px = malloc((size_t)y.w * (size_t)y.h);
		for (int i = 0; px && i < 64; i++)
			if (cap_y4m_frame(f, &y, px, why, sizeof why))
				break;
		free(px);
	}
	fclose(f);
	return 0;
}
