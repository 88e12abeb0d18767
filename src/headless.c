/* headless: kiosk front end. See headless.h. */
#include "headless.h"
#include "app.h"
#include "config.h"
#include "esc.h"
#include "remote.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

void headless_event_json(FILE *out, double t, const char *event, const char *key, const char *value)
{
	fprintf(out, "{\"t\":%.3f,\"event\":", t);
	esc_json(out, event);
	if (key) {
		fputc(',', out);
		esc_json(out, key);
		fputc(':', out);
		esc_json(out, value ? value : "");
	}
	fputs("}\n", out);
	fflush(out);
}

static void emit(FILE *out, const struct app_event *ev)
{
	static const struct {
		const char *event, *key;
	} names[] = {
		[APP_EV_MOOD] = { "mood", "mood" },
		[APP_EV_TRACK_START] = { "track_start", "path" },
		[APP_EV_TRACK_END] = { "track_end", "path" },
		[APP_EV_CAMERA] = { "camera", "state" },
		[APP_EV_SCAN] = { "scan", "status" },
		[APP_EV_WARNING] = { "warning", "message" },
		[APP_EV_ERROR] = { "error", "message" },
	};
	if ((unsigned)ev->type < sizeof names / sizeof names[0] && names[ev->type].event)
		headless_event_json(out, ev->t, names[ev->type].event, names[ev->type].key, ev->text);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The self-pipe of the signal handler (this file's only state). */
static int sig_pipe[2] = { -1, -1 };

static void on_signal(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* full: a stop is already on its way */
	}
	errno = e;
}

int headless_catch_signals(void)
{
	static const int sigs[3] = { SIGTERM, SIGINT, SIGHUP };
	if (sig_pipe[0] < 0 && pipe2(sig_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		return -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (int i = 0; i < 3; i++)
		if (sigaction(sigs[i], &sa, NULL) != 0)
			return -1;
	/* A reader that goes away (stdout's logger, a wav:FIFO output) makes
	 * writes fail with EPIPE, handled as errors; it must not kill a kiosk. */
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, NULL) != 0)
		return -1;
	return 0;
}

int headless_run(struct app *a, struct config *cfg, const char *config_path, FILE *out)
{
	if (sig_pipe[0] < 0 && headless_catch_signals() != 0) {
		fprintf(stderr, "emotune: signals: %s\n", strerror(errno));
		return -1;
	}
	double t0 = mono();
	struct remote_server *srv = NULL;
	int err = remote_server_new(a, NULL, &srv);
	if (err) {
		char path[4096] = "";
		config_path_runtime(path, sizeof path, "socket");
		char msg[4200], what[128];
		snprintf(msg, sizeof msg, "remote control socket %s: %s", path, remote_why(err, NULL, what, sizeof what));
		fprintf(stderr, "emotune: %s\n", msg);
		if (err == REMOTE_EINUSE)
			return -1;
		headless_event_json(out, mono() - t0, "warning", "message", msg);
	}
	headless_event_json(out, mono() - t0, "start", "socket", srv ? remote_server_path(srv) : "");

	struct app_snapshot *snap = malloc(sizeof *snap);
	int rc = 0, stop = 0;
	if (!snap) {
		fprintf(stderr, "emotune: out of memory\n");
		rc = -1;
		stop = 1;
	}
	const char *why = "quit";
	while (!stop) {
		struct pollfd p[3] = {
			{ .fd = app_wake_fd(a), .events = POLLIN },
			{ .fd = sig_pipe[0], .events = POLLIN },
			{ .fd = srv ? remote_server_fd(srv) : -1, .events = POLLIN },
		};
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "emotune: poll: %s\n", strerror(errno));
			rc = -1;
			break;
		}
		if (p[1].revents & POLLIN) {
			unsigned char sig;
			while (read(sig_pipe[0], &sig, 1) == 1) {
				if (sig == SIGHUP) {
					int line = 0;
					int e = config_path ? config_load(cfg, config_path, &line) : 0;
					if (e && e != CONFIG_ENOENT) {
						char msg[4200];
						snprintf(msg, sizeof msg, "settings %s:%d: %s (kept the old ones)",
							 config_path, line, line ? config_why(cfg) : config_strerror(e));
						headless_event_json(out, mono() - t0, "warning", "message", msg);
					} else {
						app_reload(a);
						headless_event_json(out, mono() - t0, "reload", "settings",
								    config_path ? config_path : "");
					}
				} else {
					stop = 1;
					why = sig == SIGTERM ? "SIGTERM" : "SIGINT";
				}
			}
		}
		if (srv && (p[2].revents & POLLIN))
			remote_server_handle(srv);
		app_drain(a);
		struct app_event ev;
		while (app_next_event(a, &ev))
			emit(out, &ev);
		app_snapshot(a, snap);
		if (snap->quit)
			stop = 1;
	}
	remote_server_free(srv);
	free(snap);
	headless_event_json(out, mono() - t0, "stop", "reason", why);
	return rc;
}
