/* cmd_tracks: `emotune tracks` (not implemented yet). */
#include "cmd.h"

#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	/* Until this command lands it accepts any option: only --help works. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0) {
			cmd_print_usage(&cmd_tracks, stdout);
			return CMD_OK;
		}
	return cmd_not_implemented(cmd_tracks.name);
}

const struct cmd cmd_tracks = {
	.name = "tracks",
	.run = run,
	.usage = "tracks [--db FILE]",
	.help = "Lists the indexed tracks with their valence and arousal.",
};
