/* cmd_mood: `emotune mood` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_mood, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_mood.name);
}

const struct cmd cmd_mood = {
	.name = "mood",
	.run = run,
	.usage = "mood --source SPEC [--frames N | --seconds S]",
	.help = "Runs the camera pipeline without UI; one JSON object per mood update.",
};
