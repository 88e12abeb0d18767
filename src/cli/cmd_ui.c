/* cmd_ui: `emotune` with no command, the interactive terminal UI (ui.c),
 * with the remote-control socket (remote.c) answered from its poll loop
 * and the settings file (ctx->config_path) read again on SIGHUP.
 *
 * While the UI runs, nothing but curses may write to the terminal: the
 * libraries print on stderr from their own threads (libv4l2's plugins,
 * mpg123 through libsndfile, darknet), so fd 2 goes to the log file
 * $XDG_STATE_HOME/emotune/ui.log (or /dev/null when it cannot be written)
 * from before app_start() until every thread has been joined. */
#include "cmd.h"
#include "app.h"
#include "config.h"
#include "remote.h"
#include "ui.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens the log (a regular file, emptied at each start; never blocks on a
 * FIFO put there) into path; on failure /dev/null, with the reason in
 * note. -1 only if not even /dev/null opens. */
static int open_log(char *path, size_t n, char *note, size_t nn)
{
	int fd = -1, e = 0;
	struct stat st;
	if (config_path_state(path, n, "ui.log") != 0)
		e = ENAMETOOLONG;
	else if (config_mkdirs(path) != 0 ||
		 (fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK,
			    0600)) < 0)
		e = errno == ENXIO ? -1 : errno;   /* ENXIO: a FIFO without reader */
	else if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		e = -1;   /* a FIFO, a device, a folder: not ours to write to */
		close(fd);
		fd = -1;
	} else if (ftruncate(fd, 0) != 0 || fcntl(fd, F_SETFL, O_APPEND) != 0) {
		e = errno;
		close(fd);
		fd = -1;
	}
	if (fd >= 0)
		return fd;
	snprintf(note, nn, "library messages discarded: %s: %s", path,
		 e < 0 ? "not a regular file" : strerror(e ? e : EIO));
	path[0] = '\0';
	return open("/dev/null", O_WRONLY | O_CLOEXEC);
}

/* Points fd 2 at fd; returns the saved terminal fd (-1: unchanged). */
static int stderr_to(int fd)
{
	if (fd < 0)
		return -1;
	fflush(stderr);
	int saved = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	if (saved >= 0 && dup2(fd, STDERR_FILENO) < 0) {
		close(saved);
		saved = -1;
	}
	return saved;
}

static void stderr_back(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
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
	/* The first run shows what emotune does: music follows the mood
	 * without a key pressed (setting autoplay). */
	if (config_get_bool(ctx->cfg, "autoplay", 1))
		app_set_autoplay(a, APP_AUTOPLAY_MOOD);
	/* The socket is a convenience here: without it the UI still runs. */
	struct remote_server *srv = NULL;
	char note[256] = "", what[128];
	err = remote_server_new(a, NULL, &srv);
	if (err) {
		snprintf(note, sizeof note, "remote control off: %s", remote_why(err, NULL, what, sizeof what));
		srv = NULL;
	}
	char log_path[4096], log_note[4200] = "";
	int log_fd = open_log(log_path, sizeof log_path, log_note, sizeof log_note);
	struct ui_hook hook = {
		.srv = srv,
		.config_path = ctx->config_path,
		.message = note[0] ? note : log_note,
		.log_fd = log_path[0] ? log_fd : -1,
		.log_path = log_path,
	};
	char msg[256];
	int saved = stderr_to(log_fd);
	int rc = ui_run(a, ctx->cfg, &hook, msg, sizeof msg);
	app_stop(a);
	remote_server_free(srv);
	app_free(a);
	stderr_back(saved);
	if (log_fd >= 0)
		close(log_fd);
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
		"library and films & series, all by keyboard ('?' lists the keys). "
		"SIGTERM quits, SIGHUP re-reads the settings file.",
};
