/* cmd_headless: `emotune --headless`, the kiosk mode (headless.c). */
#include "cmd.h"
#include "app.h"
#include "config.h"
#include "headless.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The settings file to re-read on SIGHUP: --config FILE from our own
 * command line (main() reads it but does not pass it on), else the
 * default file. */
static void config_file(char *buf, size_t n)
{
	buf[0] = 0;
	int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		static char cl[65536];
		ssize_t len = read(fd, cl, sizeof cl - 1);
		close(fd);
		if (len > 0) {
			cl[len] = 0;
			for (char *p = cl; p < cl + len; p += strlen(p) + 1) {
				if (!strcmp(p, "--"))
					break;
				if (!strcmp(p, "--config") && p + strlen(p) + 1 < cl + len)
					snprintf(buf, n, "%s", p + strlen(p) + 1);
				else if (!strncmp(p, "--config=", 9))
					snprintf(buf, n, "%s", p + 9);
			}
		}
	}
	if (!buf[0] && config_path_file(buf, n))
		buf[0] = 0;
}

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
	char path[PATH_MAX];
	config_file(path, sizeof path);

	if (headless_catch_signals() != 0) {
		cmd_error("headless", "cannot catch signals");
		return CMD_FAIL;
	}
	struct app *a;
	int err = app_new(ctx->cfg, &a);
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
	int rc = headless_run(a, ctx->cfg, path[0] ? path : NULL, stdout);
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
