/* cmd_headless: `emotune (headless)` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_headless, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_headless.name);
}

const struct cmd cmd_headless = {
	.name = "(headless)",
	.run = run,
	.usage = "--headless [OPTIONS]",
	.help = "Kiosk mode: no UI; events as JSON lines on stdout.",
};
