/* cmd_scan: `emotune scan [--db FILE] [--jobs N] DIR...`. See lib_scan.h. */
#include "cmd.h"
#include "config.h"
#include "lib_scan.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void fmt_time(double s, char *buf, size_t n)
{
	if (!(s >= 0) || s > 359999)
		snprintf(buf, n, "--:--");
	else if (s >= 3600)
		snprintf(buf, n, "%d:%02d:%02d", (int)s / 3600, (int)s / 60 % 60, (int)s % 60);
	else
		snprintf(buf, n, "%d:%02d", (int)s / 60, (int)s % 60);
}

static void progress(const struct lib_scan_snapshot *p, int tty, double *last)
{
	double rate = p->elapsed_s > 0 ? p->done / p->elapsed_s : 0;
	char eta[32];
	fmt_time(rate > 0 && !p->walking ? (p->total - p->done) / rate : -1, eta, sizeof eta);
	if (tty) {
		int width = 24, fill = p->total ? (int)(width * (double)p->done / p->total) : 0;
		char bar[32];
		for (int i = 0; i < width; i++)
			bar[i] = i < fill ? '#' : '-';
		bar[width] = 0;
		const char *cur = strrchr(p->current, '/');
		cur = cur ? cur + 1 : p->current;
		fprintf(stderr, "\r\033[K[%s] %zu/%zu%s %.1f tracks/s ETA %s %.30s", bar, p->done,
			p->total, p->walking ? "+" : "", rate, eta, cur);
		fflush(stderr);
	} else if (p->elapsed_s - *last >= 2 || p->finished) {
		*last = p->elapsed_s;
		if (p->total)
			fprintf(stderr, "scan: %zu/%zu analysed%s, %.1f tracks/s, ETA %s\n", p->done,
				p->total, p->walking ? " (still walking)" : "", rate, eta);
	}
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int o;
	while ((o = cmd_getopt(ctx, &cmd_scan, argc, argv, NULL, NULL)) != -1) {
		if (o == CMD_HELP)
			return CMD_OK;
		return CMD_USAGE;
	}
	if (optind >= argc) {
		cmd_print_usage(&cmd_scan, stderr);
		return CMD_USAGE;
	}
	char db[PATH_MAX], why[512];
	if (config_db_path(ctx->cfg, db, sizeof db)) {
		cmd_error("scan", "database path too long");
		return CMD_FAIL;
	}
	struct lib_scan_opts opts = { .jobs = config_get_int(ctx->cfg, "jobs", 0), .excerpt_s = -1 };
	const char *const *roots = (const char *const *)(argv + optind);
	/* argv is NULL-terminated after the operands. */
	struct lib_scan *s;
	/* Caught from the start: a Ctrl-C while the model loads stops at once. */
	struct sigaction sa = { .sa_handler = on_signal }, oldint, oldterm;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &oldint);
	sigaction(SIGTERM, &sa, &oldterm);
	int err = lib_scan_start_opts(db, roots, &opts, &s, why, sizeof why);
	if (err) {
		cmd_error("scan", "%s", why);
		sigaction(SIGINT, &oldint, NULL);
		sigaction(SIGTERM, &oldterm, NULL);
		return CMD_FAIL;
	}
	int tty = isatty(STDERR_FILENO);
	double last = -10;
	int stopping = 0, drawn = 0;
	struct lib_scan_snapshot p;
	char msg[2 * PATH_MAX + 512];  /* a whole path (escaped) and why */
	for (;;) {
		struct pollfd pf = { .fd = lib_scan_wake_fd(s), .events = POLLIN };
		int r = poll(&pf, 1, 250);
		if (r > 0) {
			char buf[256];
			while (read(pf.fd, buf, sizeof buf) > 0)
				;
		}
		if (interrupted && !stopping) {
			stopping = 1;
			lib_scan_cancel(s);
		}
		while (lib_scan_message(s, msg, sizeof msg)) {
			if (tty && drawn)
				fputs("\r\033[K", stderr);
			fprintf(stderr, "emotune: scan: %s\n", msg);
		}
		lib_scan_snapshot(s, &p);
		progress(&p, tty, &last);
		drawn = tty;
		if (p.finished)
			break;
	}
	lib_scan_wait(s);
	while (lib_scan_message(s, msg, sizeof msg)) {
		if (tty && drawn)
			fputs("\r\033[K", stderr);
		drawn = 0;
		fprintf(stderr, "emotune: scan: %s\n", msg);
	}
	lib_scan_snapshot(s, &p);
	if (tty)
		fputs("\r\033[K", stderr);
	fprintf(stderr,
		"scan: %zu files: %zu added, %zu updated, %zu unchanged, %zu re-rated, %zu removed, "
		"%zu failed, %zu skipped; %.1f s of audio analysed in %.1f s%s\n",
		p.found, p.added, p.updated, p.unchanged, p.remood, p.removed, p.failed, p.skipped,
		p.audio_s, p.elapsed_s, p.cancelled ? " (interrupted: finished work kept)" : "");
	sigaction(SIGINT, &oldint, NULL);
	sigaction(SIGTERM, &oldterm, NULL);
	int rc = (p.error || p.cancelled || p.bad_roots) ? CMD_FAIL : CMD_OK;
	if (p.error && p.why[0])
		fprintf(stderr, "emotune: %s\n", p.why);
	else if (p.error)
		cmd_error("scan", "%s", lib_scan_strerror(p.error));
	lib_scan_free(s);
	return rc;
}

const struct cmd cmd_scan = {
	.name = "scan",
	.summary = "index the audio files of music folders",
	.run = run,
	.usage = "scan [--db FILE] [--jobs N] DIR...",
	.help = "Indexes every audio file under DIR into the library database; rescans only what "
		"changed, prunes files that are gone. Progress on stderr; Ctrl-C stops and keeps the "
		"finished work.",
};
