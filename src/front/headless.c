/* headless: kiosk front end. See headless.h. */
#include "headless.h"
#include "app.h"
#include "config.h"
#include "esc.h"
#include "front.h"
#include "remote.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

struct headless {
	struct app *a;
	struct config *cfg;
	const char *config_path;
	FILE *out;
	struct app_snapshot *snap;
	double t0;
	int stop;
	const char *why;
};

static void hl_update(void *arg)
{
	struct headless *h = arg;
	struct app_event ev;
	while (app_next_event(h->a, &ev))
		emit(h->out, &ev);
	app_snapshot(h->a, h->snap);
	if (h->snap->quit)
		h->stop = 1;
}

static void hl_stop(void *arg, int sig)
{
	struct headless *h = arg;
	h->stop = 1;
	h->why = sig == SIGTERM ? "SIGTERM" : "SIGINT";
}

static void hl_reload(void *arg)
{
	struct headless *h = arg;
	char msg[4200];
	if (front_reload(h->a, h->cfg, h->config_path, msg, sizeof msg))
		headless_event_json(h->out, mono() - h->t0, "warning", "message", msg);
	else
		headless_event_json(h->out, mono() - h->t0, "reload", "settings",
				    h->config_path ? h->config_path : "");
}

static int hl_done(void *arg)
{
	return ((struct headless *)arg)->stop;
}

int headless_run(struct app *a, struct config *cfg, const char *config_path, FILE *out)
{
	if (front_signals(0) != 0) {
		fprintf(stderr, "emotune: signals: %s\n", strerror(errno));
		return -1;
	}
	struct headless h = { .a = a, .cfg = cfg, .config_path = config_path, .out = out,
			      .t0 = mono(), .why = "quit" };
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
		headless_event_json(out, mono() - h.t0, "warning", "message", msg);
	}
	headless_event_json(out, mono() - h.t0, "start", "socket", srv ? remote_server_path(srv) : "");

	int rc = 0;
	h.snap = malloc(sizeof *h.snap);
	if (!h.snap) {
		fprintf(stderr, "emotune: out of memory\n");
		rc = -1;
	} else {
		const struct front_ops ops = {
			.arg = &h,
			.key_fd = -1,
			.update = hl_update,
			.stop = hl_stop,
			.reload = hl_reload,
			.done = hl_done,
		};
		if (front_run(a, srv, &ops) != 0) {
			fprintf(stderr, "emotune: poll: %s\n", strerror(errno));
			rc = -1;
		}
	}
	remote_server_free(srv);
	free(h.snap);
	headless_event_json(out, mono() - h.t0, "stop", "reason", h.why);
	return rc;
}
