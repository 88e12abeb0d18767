/* cmd_eval: `emotune eval` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_eval, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_eval.name);
}

const struct cmd cmd_eval = {
	.name = "eval",
	.run = run,
	.usage = "eval [--no-detect] [--json] DIR",
	.help = "Evaluates the emotion network on DIR/<class>/<images>: confusion matrix, per-class table, accuracy.",
};
