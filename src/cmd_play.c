/* cmd_play: `emotune play` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_play, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_play.name);
}

const struct cmd cmd_play = {
	.name = "play",
	.run = run,
	.usage = "play [--audio DRIVER] FILE...",
	.help = "Plays the files in order, then exits.",
};
