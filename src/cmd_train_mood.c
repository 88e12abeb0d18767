/* cmd_train_mood: `emotune train-mood` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_train_mood, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_train_mood.name);
}

const struct cmd cmd_train_mood = {
	.name = "train-mood",
	.run = run,
	.usage = "train-mood --data DIR [--out FILE] [--folds K]",
	.help = "Trains the music mood network on the music4q clips with k-fold cross-validation.",
};
