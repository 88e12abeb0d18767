/* cmd_ui: `emotune (ui)` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_ui, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_ui.name);
}

const struct cmd cmd_ui = {
	.name = "(ui)",
	.run = run,
	.usage = "[OPTIONS]",
	.help = "The interactive terminal UI.",
};
