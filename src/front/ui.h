/*
 * ui: the terminal UI (curses) on the front ends' loop (front.c): the
 * keyboard, the app's wake fd, signals (SIGWINCH re-lays out the screen;
 * SIGINT and SIGTERM quit cleanly; SIGHUP reads the settings file again and
 * applies it, the key bindings included) and, when given, the
 * remote-control server. Draws the panes (ui_*.c): face
 * preview, mood bars, queue / library / films and series, status lines,
 * help overlay and mood picker; keys go through the key table (keys.c) to
 * UI commands or to app_command().
 *
 * Only the thread that calls ui_run() touches curses. The face preview is
 * redrawn at most preview_fps times a second (setting); the rest of the
 * screen at most UI_MAX_FPS times a second when the app wakes it, at once
 * on a key.
 */
#ifndef EMOTUNE_UI_H
#define EMOTUNE_UI_H

#include <stddef.h>

struct app;
struct config;
struct remote_server;

enum ui_err {
	UI_OK = 0,
	UI_ENOMEM = -1,
	UI_ESYS = -2,        /* a system call failed (errno) */
	UI_ENOTTY = -3,      /* stdin/stdout is not a terminal, or curses cannot use it */
	UI_EAPP = -4,        /* app_start() failed (see the message) */
};

/* The most full-screen redraws a second when only the app wakes the UI. */
#define UI_MAX_FPS 20

/* What the command around the UI gives it; all borrowed. */
struct ui_hook {
	struct remote_server *srv;    /* answered from the loop, or NULL */
	const char *config_path;      /* read again on SIGHUP, or NULL */
	const char *message;          /* shown in the status line at start, or NULL */
	/* The log that stderr goes to while the UI runs (opened O_APPEND), or
	 * -1: once something is written there the status line names it (once);
	 * past UI_LOG_MAX bytes it is emptied. */
	int log_fd;
	const char *log_path;
};

#define UI_LOG_MAX (1 << 20)

/*
 * Runs the UI until the user quits (q, a "quit" command from anywhere,
 * SIGINT/SIGTERM, or the terminal going away); restores the terminal before it returns. Calls
 * app_start(a) once the first screen is up (the UI starts at once); the
 * caller calls app_stop()/app_free() after. cfg, a and hook (may be NULL)
 * are borrowed. Returns 0 or a negative ui_err with a message in err
 * (size n).
 */
int ui_run(struct app *a, struct config *cfg, const struct ui_hook *hook, char *err, size_t n);

const char *ui_strerror(int err);

#endif
