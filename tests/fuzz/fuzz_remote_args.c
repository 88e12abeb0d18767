/*
 * libFuzzer harness for the other half of the remote protocol: the request
 * `emotune remote` builds from its arguments (app_cmd_format) and its parse
 * by the server (app_cmd_parse), with arguments holding any byte, every
 * control byte included. Built and run by tests/cli/fuzz-app-cmd.sh; a long
 * run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc/base -Isrc/app src/app/app_cmd.c src/base/esc.c \
 *     tests/fuzz/fuzz_remote_args.c -o fuzz_remote_args && ./fuzz_remote_args
 * Input: the first byte picks the command word, the rest are the arguments
 * separated by NUL bytes (as argv cannot hold a NUL). Promises checked
 * (abort on a broken one): the line is one line (no control byte at all)
 * of at most APP_CMD_MAX bytes, or refused with a reason; a path comes back
 * byte for byte; a control byte in any other word is refused.
 */
#include "app_cmd.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const cmds[] = {
	"enqueue", "play-path", "seek", "volume", "mood", "strategy", "camera",
	"status", "quit", "auto", "bogus",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum { MAXARGS = 16 };
	static char buf[4096];
	static struct app_cmd c;
	char line[APP_CMD_MAX + 1], err[256];
	const char *argv[MAXARGS + 1];
	int argc = 0;
	if (!size || size > sizeof buf)
		return 0;
	argv[argc++] = cmds[data[0] % (sizeof cmds / sizeof cmds[0])];
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = 0;
	int has_args = size > 1;
	for (size_t i = 0; has_args && argc < MAXARGS; ) {
		argv[argc++] = buf + i;
		size_t l = strlen(buf + i);
		if (i + l >= size - 1)
			break;
		i += l + 1;
	}
	int path = argv[0][0] == 'e' || argv[0][0] == 'p';
	int control = 0;
	for (int i = 1; i < argc; i++)
		for (const unsigned char *p = (const unsigned char *)argv[i]; *p; p++)
			if (*p < 0x20 || *p == 0x7f)
				control = 1;

	err[0] = 0;
	int len = app_cmd_format(argc, argv, line, sizeof line, err, sizeof err);
	if (len < 0) {
		if (!err[0] || !memchr(err, 0, sizeof err))
			abort();  /* a refusal always says why */
		if (!control && !strstr(err, "too long"))
			abort();  /* refused only for a control byte or the length */
		return 0;
	}
	if (control && !path)
		abort();  /* a control byte outside a path must be refused */
	if ((size_t)len != strlen(line) || len > APP_CMD_MAX)
		abort();
	for (int i = 0; i < len; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			abort();  /* one line: nothing that could end or split it */

	memset(&c, 0xa5, sizeof c);
	err[0] = 0;
	int r = app_cmd_parse(line, (size_t)len, &c, err, sizeof err);
	if (path && argc > 1) {
		/* the joined words come back exactly, or an empty path is refused */
		char joined[APP_CMD_MAX + 1];
		size_t o = 0;
		for (int i = 1; i < argc; i++) {
			size_t l = strlen(argv[i]);
			if (o + l + 2 > sizeof joined)
				abort();  /* cannot be: the quoted form is longer and fitted */
			if (i > 1)
				joined[o++] = ' ';
			memcpy(joined + o, argv[i], l);
			o += l;
		}
		joined[o] = 0;
		if (!o) {
			if (r != -1)
				abort();
		} else if (r != 0 || strcmp(c.arg, joined) != 0 ||
			   c.op != (argv[0][0] == 'e' ? APP_CMD_ENQUEUE : APP_CMD_PLAY_PATH)) {
			abort();
		}
	} else if (r == -1 && !err[0]) {
		abort();
	}
	return 0;
}
