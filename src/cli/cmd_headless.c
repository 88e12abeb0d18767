/* cmd_headless: `emotune --headless`, the kiosk mode (headless.c). */
#include "cmd.h"
#include "app.h"
#include "config.h"
#include "front.h"
#include "headless.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int o;
	while ((o = cmd_getopt(ctx, &cmd_headless, argc, argv, "", NULL)) != -1) {
		if (o == CMD_HELP)
			return CMD_OK;
		return CMD_USAGE;
	}
	if (optind < argc) {
		cmd_error("--headless", "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	int err = front_signals(0);
	if (err) {
		cmd_error("headless", "cannot catch signals: %s: %s", front_strerror(err), strerror(errno));
		return CMD_FAIL;
	}
	struct app *a;
	err = app_new(ctx->cfg, &a);
	if (err) {
		cmd_error("headless", "%s", app_strerror(err));
		return CMD_FAIL;
	}
	app_set_autoplay(a, APP_AUTOPLAY_NOW);  /* a kiosk plays by itself */
	err = app_start(a);
	if (err) {
		cmd_error("headless", "%s", app_strerror(err));
		app_free(a);
		return CMD_FAIL;
	}
	int rc = headless_run(a, ctx->cfg, ctx->config_path, stdout);
	app_stop(a);
	app_free(a);
	return rc ? CMD_FAIL : CMD_OK;
}

const struct cmd cmd_headless = {
	.name = "(headless)",
	.run = run,
	.usage = "--headless [OPTIONS]",
	.help = "Kiosk mode: no UI; events as JSON lines on stdout; remote control "
		"through the socket (emotune remote). SIGTERM stops, SIGHUP re-reads the settings file.",
};
