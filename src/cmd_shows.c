/* cmd_shows: `emotune shows` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_shows, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_shows.name);
}

const struct cmd cmd_shows = {
	.name = "shows",
	.run = run,
	.usage = "shows (--emotion NAME | --probs P,P,P,P,P,P,P) [-n N]",
	.help = "Suggests films and series for a mood.",
};
