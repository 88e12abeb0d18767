/* cmd_scan: `emotune scan` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_scan, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_scan.name);
}

const struct cmd cmd_scan = {
	.name = "scan",
	.run = run,
	.usage = "scan [--db FILE] [--jobs N] DIR...",
	.help = "Indexes every audio file under DIR into the library database; rescans only what changed.",
};
