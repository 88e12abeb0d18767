/* cmd_classify: `emotune classify` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_classify, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_classify.name);
}

const struct cmd cmd_classify = {
	.name = "classify",
	.run = run,
	.usage = "classify [--no-detect] IMAGE...",
	.help = "Classifies the emotion of every face (or, with --no-detect, of the whole image).",
};
