/* cmd_detect: `emotune detect` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_detect, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_detect.name);
}

const struct cmd cmd_detect = {
	.name = "detect",
	.run = run,
	.usage = "detect [--cascade XML] [--scale F] [--min-neighbors N] [--min-size PX] IMAGE...",
	.help = "Finds faces; prints one line per face: path x y w h.",
};
