/* cmd_cameras: `emotune cameras`: V4L2 devices, names, formats and sizes. */
#include "cap.h"
#include "cmd.h"

#include <stdio.h>

struct list_ctx {
	int json, n;
};

static void one(const struct cap_device *d, void *arg)
{
	struct list_ctx *lc = arg;
	if (lc->json) {
		fputs("{\"path\":", stdout);
		cmd_json_string(stdout, d->path);
		fputs(",\"name\":", stdout);
		cmd_json_string(stdout, d->card);
		fputs(",\"driver\":", stdout);
		cmd_json_string(stdout, d->driver);
		fprintf(stdout, ",\"capture\":%s,\"formats\":", d->capture ? "true" : "false");
		cmd_json_string(stdout, d->formats);
		fputs("}\n", stdout);
	} else {
		printf("%s\t%s\t%s\t%s\t%s\n", d->path, d->card[0] ? d->card : "-",
		       d->driver[0] ? d->driver : "-", d->capture ? "yes" : "no",
		       d->formats[0] ? d->formats : "-");
	}
	lc->n++;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int o;
	while ((o = cmd_getopt(ctx, &cmd_cameras, argc, argv, NULL, NULL)) != -1) {
		if (o == CMD_HELP)
			return CMD_OK;
		return CMD_USAGE;
	}
	if (optind < argc) {
		cmd_error("cameras", "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	struct list_ctx lc = { .json = ctx->json };
	if (!ctx->json)
		printf("# path\tname\tdriver\tcapture\tformats\n");
	cap_list_v4l2(one, &lc);
	fflush(stdout);
	if (!lc.n)
		cmd_error("cameras", "no V4L2 devices found (/dev/video0../dev/video63)");
	return CMD_OK;
}

const struct cmd cmd_cameras = {
	.name = "cameras",
	.run = run,
	.usage = "cameras [--json]",
	.help = "Lists V4L2 devices (/dev/video0..63): path, name, driver, whether it "
		"captures video, and its formats with their frame sizes.",
};
