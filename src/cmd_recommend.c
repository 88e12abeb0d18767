/* cmd_recommend: `emotune recommend` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_recommend, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_recommend.name);
}

const struct cmd cmd_recommend = {
	.name = "recommend",
	.run = run,
	.usage = "recommend [--db FILE] (--emotion NAME | --probs P,P,P,P,P,P,P) [--strategy match|uplift|calm] [-n N]",
	.help = "Ranks library tracks for a mood.",
};
