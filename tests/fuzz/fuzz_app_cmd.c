/*
 * libFuzzer harness for the request parser (app_cmd_parse), the code every
 * line from the remote-control socket goes through. Build and short run:
 * tests/cli/fuzz-app-cmd.sh; a long run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/base -Isrc/app src/app/app_cmd.c src/base/esc.c \
 *     tests/fuzz/fuzz_app_cmd.c -o fuzz_app_cmd && ./fuzz_app_cmd -max_len=2048
 * Besides crashes it checks the parser's promises (abort on a broken one).
 */
#include "app_cmd.h"
#include "esc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct app_cmd c;
	char err[256];
	memset(&c, 0xa5, sizeof c);
	err[0] = 0;
	int r = app_cmd_parse((const char *)data, size, &c, err, sizeof err);
	if (r != 0 && r != -1)
		abort();
	if (r == -1) {
		if (!err[0] || !memchr(err, 0, sizeof err))
			abort();  /* an error always says why */
		for (const char *p = err; *p;) {  /* printable UTF-8 (esc_text) */
			size_t l = esc_utf8_len(p);
			if (!l || (unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
			p += l;
		}
		return 0;
	}
	/* Accepted: no control bytes and within the limit. */
	size_t len = size;
	if (len && data[len - 1] == '\n')
		len--;
	if (len && data[len - 1] == '\r')
		len--;
	if (len > APP_CMD_MAX)
		abort();
	for (size_t i = 0; i < len; i++)
		if ((data[i] < 0x20 && data[i] != '\t') || data[i] == 0x7f)
			abort();
	if ((unsigned)c.op >= APP_CMD_N_OPS)
		abort();
	if (!memchr(c.arg, 0, sizeof c.arg))
		abort();
	switch (c.op) {
	case APP_CMD_SEEK:
		if (!isfinite(c.num) || fabs(c.num) > 1e7)
			abort();
		break;
	case APP_CMD_VOLUME:
		if (!isfinite(c.num) || fabs(c.num) > 100 || (!c.relative && c.num < 0))
			abort();
		break;
	case APP_CMD_MOOD:
		if (!vocab_class_name(c.ival))
			abort();
		break;
	case APP_CMD_STRATEGY:
		if (c.ival < -1 || c.ival > 2)
			abort();
		break;
	case APP_CMD_CAMERA:
	case APP_CMD_NORMALIZE:
		if (c.ival < -1 || c.ival > 1)
			abort();
		break;
	case APP_CMD_PLAY_PATH:
	case APP_CMD_ENQUEUE:
		if (!c.arg[0])
			abort();
		break;
	default:
		break;
	}
	return 0;
}
