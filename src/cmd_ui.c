/* cmd_ui: `emotune` with no command, the interactive terminal UI (ui.c),
 * with the remote-control socket (remote.c) answered from its poll loop. */
#include "cmd.h"
#include "app.h"
#include "config.h"
#include "remote.h"
#include "ui.h"

#include <locale.h>
#include <stdio.h>
#include <unistd.h>

static void handle_remote(void *arg)
{
	remote_server_handle(arg);
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int o;
	while ((o = cmd_getopt(ctx, &cmd_ui, argc, argv, "", NULL)) != -1) {
		if (o == CMD_HELP)
			return CMD_OK;
		return CMD_USAGE;
	}
	if (optind < argc) {
		cmd_error("ui", "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	setlocale(LC_ALL, "");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error("ui", "standard input and output must be a terminal (try 'emotune --headless')");
		return CMD_FAIL;
	}
	struct app *a;
	int err = app_new(ctx->cfg, &a);
	if (err) {
		cmd_error("ui", "%s", app_strerror(err));
		return CMD_FAIL;
	}
	/* The socket is a convenience here: without it the UI still runs. */
	struct remote_server *srv = NULL;
	char note[256] = "";
	err = remote_server_new(a, NULL, &srv);
	if (err) {
		snprintf(note, sizeof note, "remote control off: %s", remote_strerror(err));
		srv = NULL;
	}
	struct ui_hook hook = {
		.fd = srv ? remote_server_fd(srv) : -1,
		.handle = srv ? handle_remote : NULL,
		.arg = srv,
		.message = note,
	};
	char msg[256];
	int rc = ui_run(a, ctx->cfg, &hook, msg, sizeof msg);
	app_stop(a);
	remote_server_free(srv);
	app_free(a);
	if (rc) {
		cmd_error("ui", "%s", msg[0] ? msg : ui_strerror(rc));
		return CMD_FAIL;
	}
	return CMD_OK;
}

const struct cmd cmd_ui = {
	.name = "(ui)",
	.run = run,
	.usage = "[OPTIONS]",
	.help = "The interactive terminal UI: face preview, live emotion bars, queue, "
		"library and films & series, all by keyboard ('?' lists the keys).",
};
