/* cmd_cameras: `emotune cameras` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_cameras, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_cameras.name);
}

const struct cmd cmd_cameras = {
	.name = "cameras",
	.run = run,
	.usage = "cameras",
	.help = "Lists V4L2 devices, formats and sizes.",
};
