/* headless: kiosk front end. See headless.h. */
#include "headless.h"
#include "app.h"
#include "config.h"
#include "remote.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void headless_event_json(FILE *out, double t, const char *event, const char *key, const char *value)
{
	fprintf(out, "{\"t\":%.3f,\"event\":", t);
	json_str(out, event);
	if (key) {
		fputc(',', out);
		json_str(out, key);
		fputc(':', out);
		json_str(out, value ? value : "");
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

int headless_block_signals(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	return pthread_sigmask(SIG_BLOCK, &set, NULL) == 0 ? 0 : -1;
}

int headless_run(struct app *a, struct config *cfg, const char *config_path, FILE *out)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	if (pthread_sigmask(SIG_BLOCK, &set, &old) != 0) {
		fprintf(stderr, "emotune: signals: %s\n", strerror(errno));
		return -1;
	}
	int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, "emotune: signalfd: %s\n", strerror(errno));
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		return -1;
	}
	double t0 = mono();
	struct remote_server *srv = NULL;
	int err = remote_server_new(a, NULL, &srv);
	if (err) {
		char path[4096] = "";
		config_path_runtime(path, sizeof path, "socket");
		char msg[4200];
		snprintf(msg, sizeof msg, "remote control socket %s: %s", path, remote_strerror(err));
		fprintf(stderr, "emotune: %s\n", msg);
		if (err == REMOTE_EINUSE) {
			close(sfd);
			pthread_sigmask(SIG_SETMASK, &old, NULL);
			return -1;
		}
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
			{ .fd = sfd, .events = POLLIN },
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
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si) {
				if (si.ssi_signo == SIGHUP) {
					int line = 0;
					int e = config_path ? config_load(cfg, config_path, &line) : 0;
					if (e && e != CONFIG_ENOENT) {
						char msg[4200];
						snprintf(msg, sizeof msg, "settings %s:%d: %s (kept the old ones)",
							 config_path, line, config_strerror(e));
						headless_event_json(out, mono() - t0, "warning", "message", msg);
					} else {
						app_reload(a);
						headless_event_json(out, mono() - t0, "reload", "settings",
								    config_path ? config_path : "");
					}
				} else {
					stop = 1;
					why = si.ssi_signo == SIGTERM ? "SIGTERM" : "SIGINT";
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
	close(sfd);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc;
}
