/* cmd_train: `emotune train` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_train, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_train.name);
}

const struct cmd cmd_train = {
	.name = "train",
	.run = run,
	.usage = "train --data DIR [--out DIR] [--epochs N] [--resume]",
	.help = "Trains the emotion network on FER2013 (DIR/train, DIR/validation).",
};
