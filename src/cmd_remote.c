/* cmd_remote: `emotune remote` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_remote, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_remote.name);
}

const struct cmd cmd_remote = {
	.name = "remote",
	.run = run,
	.usage = "remote COMMAND [ARG]",
	.help = "Talks to a running emotune: status|play|pause|next|prev|seek S|volume N|like|dislike|mood EMOTION|auto|strategy NAME|quit.",
};
