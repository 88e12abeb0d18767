/*
 * front: the loop both front ends run (ui.c, headless.c). One poll() over
 * a self-pipe for signals, the app's wake fd, the remote-control server's
 * fd and, for the UI, the keyboard; the front end reacts through a table
 * of callbacks (struct front_ops, designated initialisers).
 *
 * Signals mean the same in both front ends: SIGINT and SIGTERM stop,
 * SIGHUP re-reads the settings file (front_reload()), SIGWINCH (caught
 * only when asked: the UI) re-lays out the screen; SIGPIPE is ignored (a
 * reader that goes away makes writes fail with EPIPE, handled as errors).
 *
 * Thread rules: the signal handler only writes the signal number to the
 * pipe (whichever thread the kernel picks, those of libraries included);
 * everything else runs in the one thread that calls front_run(). The
 * self-pipe is this module's only state (a handler has no argument), so
 * there is one loop per process.
 */
#ifndef EMOTUNE_FRONT_H
#define EMOTUNE_FRONT_H

#include <stddef.h>

struct app;
struct config;
struct remote_server;

enum front_err {
	FRONT_OK = 0,
	FRONT_ESYS = -1,      /* pipe, sigaction or poll failed (errno) */
	FRONT_ECONFIG = -2,   /* the settings file was refused (old settings kept) */
};

/* Catches SIGINT, SIGTERM, SIGHUP and, with winch, SIGWINCH into the
 * self-pipe and ignores SIGPIPE. Call it before app_start(); again after
 * something (curses' newterm()) installed its own handlers. The first call
 * saves the actions it replaces for front_signals_restore(). 0 or
 * FRONT_ESYS. */
int front_signals(int winch);

/* Puts back the saved signal actions and closes the self-pipe. */
void front_signals_restore(void);

/* What a front end does; every callback may be NULL. arg goes to each. */
struct front_ops {
	void *arg;
	int key_fd;                          /* the keyboard; -1: none */
	/* Before each poll(): the most milliseconds to wait, -1: no limit. */
	int (*prepare)(void *arg);
	void (*timeout)(void *arg);          /* poll() waited that long */
	/* key_fd readable; gone: the terminal went away (POLLHUP/POLLERR). */
	void (*keys)(void *arg, int gone);
	/* After the app woke (app_drain() done), a remote command ran or a
	 * signal was handled: read the app's snapshot and events. */
	void (*update)(void *arg);
	void (*stop)(void *arg, int sig);    /* SIGINT or SIGTERM */
	void (*reload)(void *arg);           /* SIGHUP */
	void (*resize)(void *arg);           /* SIGWINCH */
	int (*done)(void *arg);              /* non-zero: front_run() returns */
};

/* Runs until ops->done() says so. srv may be NULL (no remote control).
 * front_signals() must have been called. 0, or FRONT_ESYS when poll()
 * failed (errno kept). */
int front_run(struct app *a, struct remote_server *srv, const struct front_ops *ops);

/* SIGHUP's meaning: reads the settings file path (NULL: none; a missing
 * file is no error) into cfg on top of what it holds, then applies it with
 * app_reload(). 0, or FRONT_ECONFIG with why in msg (size n) when the file
 * is refused: then the old settings stay (config_load() takes all or
 * nothing). */
int front_reload(struct app *a, struct config *cfg, const char *path, char *msg, size_t n);

const char *front_strerror(int err);

#endif
