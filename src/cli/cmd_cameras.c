/* cmd_cameras: `emotune cameras`: V4L2 devices, names, formats and sizes. */
#include "cap.h"
#include "cmd.h"
#include "esc.h"

#include <stdio.h>

struct list_ctx {
	int json, n;
};

static void one(const struct cap_device *d, void *arg)
{
	struct list_ctx *lc = arg;
	if (lc->json) {
		fputs("{\"path\":", stdout);
		esc_json(stdout, d->path);
		fputs(",\"name\":", stdout);
		esc_json(stdout, d->card);
		fputs(",\"driver\":", stdout);
		esc_json(stdout, d->driver);
		fprintf(stdout, ",\"capture\":%s,\"formats\":", d->capture ? "true" : "false");
		esc_json(stdout, d->formats);
		fputs("}\n", stdout);
	} else {
		esc_tsv(stdout, d->path);
		putchar('\t');
		esc_tsv(stdout, d->card[0] ? d->card : "-");
		putchar('\t');
		esc_tsv(stdout, d->driver[0] ? d->driver : "-");
		printf("\t%s\t", d->capture ? "yes" : "no");
		esc_tsv(stdout, d->formats[0] ? d->formats : "-");
		putchar('\n');
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
	.summary = "list V4L2 cameras, formats and sizes",
	.run = run,
	.usage = "cameras [--json]",
	.help = "Lists V4L2 devices (/dev/video0..63): path, name, driver, whether it "
		"captures video, and its formats with their frame sizes.",
};
