/*
 * libFuzzer harness for the settings file reader (config_load) and the
 * value checks behind it (config_check). Build and short run:
 * tests/cli/fuzz-config.sh; a long run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/base src/base/config.c src/base/esc.c src/base/regfile.c \
 *     tests/fuzz/fuzz_config.c -lm -o fuzz_config && ./fuzz_config
 * The input is the file's bytes (given to config_load through a memfd).
 * Besides crashes it checks the reader's promises (abort on a broken one):
 * a known error code; a refusal says why in printable UTF-8 and changes
 * no setting; every known key then holds a value that passes its check.
 */
#define _GNU_SOURCE
#include "config.h"
#include "esc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fd < 0) {
		fd = memfd_create("settings", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	struct config *c = config_new();
	if (!c)
		abort();
	if (config_set(c, "volume", "42") != 0 || config_set(c, "strategy", "calm") != 0)
		abort();
	int line = -1;
	int r = config_load(c, path, &line);
	if (r != 0 && r != CONFIG_ESYNTAX && r != CONFIG_EVALUE && r != CONFIG_ENOMEM)
		abort();
	char why[512];
	if (r == CONFIG_ESYNTAX || r == CONFIG_EVALUE) {
		const char *w = config_why(c);
		if (!w[0] || line < 1)
			abort();  /* a refusal says why and where */
		for (const char *p = w; *p;) {
			size_t l = esc_utf8_len(p);
			if (!l || (unsigned char)*p < 0x20 || *p == 0x7f)
				abort();
			p += l;
		}
		/* all or nothing */
		if (config_get_int(c, "volume", -1) != 42 || strcmp(config_get(c, "strategy"), "calm"))
			abort();
	}
	for (const struct config_key *k = config_keys(); k->name; k++) {
		const char *v = config_get(c, k->name);
		if (v && config_check(k->name, v, why, sizeof why) != 0)
			abort();  /* whatever was taken is in range */
	}
	config_free(c);
	return 0;
}
