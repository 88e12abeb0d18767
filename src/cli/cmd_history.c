/* cmd_history: `emotune history`, the listener's mood over time (history.h). */
#include "cmd.h"
#include "config.h"
#include "esc.h"
#include "history.h"
#include "history_svg.h"
#include "lib_db.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { OPT_SINCE = 0x100, OPT_UNTIL, OPT_SUMMARY, OPT_CLEAR, OPT_PLOT };

static const struct option own[] = {
	{ "since", 1, NULL, OPT_SINCE },
	{ "until", 1, NULL, OPT_UNTIL },
	{ "summary", 0, NULL, OPT_SUMMARY },
	{ "clear", 0, NULL, OPT_CLEAR },
	{ "plot", 1, NULL, OPT_PLOT },
	{ NULL, 0, NULL, 0 },
};

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* One JSON object line: mood and where it came from apart. */
static void json_row(const struct history_row *r)
{
	char when[48];
	history_format_time(r->t, when, sizeof when);
	printf("{\"t\":%.3f,\"time\":\"%s\",\"mood\":\"%s\",\"source\":\"%s\",\"valence\":%.3f,"
	       "\"arousal\":%.3f,\"confidence\":%.3f,\"faces\":%d,\"strategy\":\"%s\",\"track\":",
	       r->t, when, r->state == HISTORY_NOFACE ? "none" : history_key_name(history_key(r)),
	       r->state == HISTORY_MANUAL ? "manual" : r->state == HISTORY_NOFACE ? "none" : "camera",
	       (double)r->valence, (double)r->arousal, (double)r->confidence, r->faces,
	       vocab_strategy_name(r->strategy));
	if (r->track)
		esc_json(stdout, r->track);
	else
		fputs("null", stdout);
	fputs("}\n", stdout);
}

static void print_time(double s)
{
	long v = lround(s);
	printf("%ld:%02ld:%02ld", v / 3600, v / 60 % 60, v % 60);
}

static void summary(const struct history_summary *sm, int json)
{
	int order[HISTORY_NKEYS];
	for (int k = 0; k < HISTORY_NKEYS; k++)
		order[k] = k;
	for (int i = 1; i < HISTORY_NKEYS; i++)   /* longest first */
		for (int j = i; j > 0 && sm->seconds[order[j]] > sm->seconds[order[j - 1]]; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	if (!json)
		printf("# mood\tseconds\ttime\tshare\n");
	for (int i = 0; i < HISTORY_NKEYS; i++) {
		int k = order[i];
		double share = sm->total > 0 ? sm->seconds[k] / sm->total : 0;
		if (sm->seconds[k] <= 0)
			continue;
		if (json) {
			printf("{\"mood\":\"%s\",\"seconds\":%.0f,\"share\":%.3f,\"tracks\":[",
			       history_key_name(k), sm->seconds[k], share);
			for (int j = 0; j < sm->ntop[k]; j++) {
				printf("%s{\"track\":", j ? "," : "");
				esc_json(stdout, sm->top[k][j].track);
				printf(",\"seconds\":%.0f}", sm->top[k][j].seconds);
			}
			printf("]}\n");
		} else {
			printf("%s\t%.0f\t", history_key_name(k), sm->seconds[k]);
			print_time(sm->seconds[k]);
			printf("\t%.1f%%\n", 100 * share);
		}
	}
	if (json)
		return;
	printf("# mood\trank\tseconds\ttrack\n");
	for (int i = 0; i < HISTORY_NKEYS; i++) {
		int k = order[i];
		for (int j = 0; j < sm->ntop[k]; j++) {
			printf("%s\t%d\t%.0f\t", history_key_name(k), j + 1, sm->top[k][j].seconds);
			esc_tsv(stdout, sm->top[k][j].track);
			putchar('\n');
		}
	}
}

static int plot(const char *file, const struct history_row *rows, size_t n, double since, double until)
{
	char title[160], a[48], b[48];
	history_format_time(since, a, sizeof a);
	history_format_time(until, b, sizeof b);
	snprintf(title, sizeof title, "emotune mood history, %.16s to %.16s", a, b);
	FILE *f = fopen(file, "w");
	if (!f) {
		cmd_error(file, "%s", strerror(errno));
		return CMD_FAIL;
	}
	int err = history_svg(f, rows, n, since, until, title);
	if (fclose(f) != 0 || err) {
		cmd_error(file, "%s", strerror(errno));
		return CMD_FAIL;
	}
	return CMD_OK;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *since_s = NULL, *until_s = NULL, *svg = NULL;
	int want_summary = 0, clear = 0, o;
	while ((o = cmd_getopt(ctx, &cmd_history, argc, argv, NULL, own)) != -1) {
		switch (o) {
		case OPT_SINCE: since_s = optarg; break;
		case OPT_UNTIL: until_s = optarg; break;
		case OPT_SUMMARY: want_summary = 1; break;
		case OPT_CLEAR: clear = 1; break;
		case OPT_PLOT: svg = optarg; break;
		case CMD_HELP: return CMD_OK;
		default: return CMD_USAGE;
		}
	}
	if (optind < argc) {
		cmd_print_usage(&cmd_history, stderr);
		return CMD_USAGE;
	}
	double now = wall(), since = -INFINITY, until = INFINITY;
	if (svg && !since_s) {   /* the picture: today, by default */
		history_parse_time("today", now, &since);
		until = since + 86400;
	}
	if (since_s && history_parse_time(since_s, now, &since)) {
		cmd_error("--since", "bad time '%s' (ISO 8601 like 2026-12-03T14:00, or relative like -1h)", since_s);
		return CMD_USAGE;
	}
	if (until_s && history_parse_time(until_s, now, &until)) {
		cmd_error("--until", "bad time '%s' (ISO 8601 like 2026-12-03T14:00, or relative like -1h)", until_s);
		return CMD_USAGE;
	}
	if (svg && since_s && !until_s)
		until = now;
	char db[PATH_MAX];
	if (config_db_path(ctx->cfg, db, sizeof db)) {
		cmd_error("history", "database path too long");
		return CMD_FAIL;
	}
	struct lib_db *d = NULL;
	if (access(db, F_OK) == 0) {
		char why[512] = "";
		int err = clear ? lib_db_open(db, &d, why, sizeof why)
				: lib_db_open_ro(db, &d, why, sizeof why);
		if (err) {
			cmd_error(db, "%s", why[0] ? why : lib_db_strerror(err));
			return CMD_FAIL;
		}
	}
	if (clear) {
		/* asks nothing: every row goes */
		int err = d ? history_clear(lib_db_sqlite(d)) : 0;
		if (err)
			cmd_error(db, "history --clear: %s: %s", history_strerror(err), lib_db_errmsg(d));
		lib_db_close(d);
		return err ? CMD_FAIL : CMD_OK;
	}
	struct history_row *rows = NULL;
	size_t n = 0;
	/* the summary and the picture count the row before since for its part */
	double from = svg || want_summary ? since - HISTORY_SPAN_S : since;
	int err = d ? history_query(lib_db_sqlite(d), from, until, 0, &rows, &n) : 0;
	if (err) {
		cmd_error(db, "history: %s", history_strerror(err));
		lib_db_close(d);
		return CMD_FAIL;
	}
	int rc = CMD_OK;
	if (svg) {
		if (!isfinite(since))
			since = n ? rows[0].t : now - 86400;
		if (!isfinite(until))
			until = now;
		rc = plot(svg, rows, n, since, until);
	} else if (want_summary) {
		struct history_summary sm;
		if ((err = history_summarize(rows, n, since, isfinite(until) ? until : now, &sm)) != 0) {
			cmd_error("history", "%s", history_strerror(err));
			rc = CMD_FAIL;
		} else
			summary(&sm, ctx->json);
	} else {
		if (!ctx->json)
			fputs(HISTORY_TSV_HEADER, stdout);
		for (size_t i = 0; i < n; i++) {
			if (ctx->json) {
				json_row(&rows[i]);
			} else {
				char line[1200];
				history_tsv(&rows[i], line, sizeof line);
				fputs(line, stdout);
			}
		}
	}
	history_rows_free(rows, n);
	lib_db_close(d);
	if (fflush(stdout) != 0)
		rc = CMD_FAIL;
	return rc;
}

const struct cmd cmd_history = {
	.name = "history",
	.summary = "the listener's mood over time",
	.run = run,
	.usage = "history [--since TIME] [--until TIME] [--json | --summary | --plot FILE.svg] [--clear]",
	.help = "The listener's mood over time, kept in the library database (no images, no face boxes):\n"
		"# time mood valence arousal confidence faces strategy track. mood is an emotion,\n"
		"uncertain, none (no face) or manual:EMOTION (set by hand).\n"
		"--summary: time per mood and the tracks played longest per mood. --plot: an SVG picture\n"
		"(default: today). --clear: removes every row, without asking.\n"
		"TIME: 2026-12-03, 2026-12-03T14:05[:30][Z|+01:00], 14:05 (today), -1h, -30m, -2d, -1w,\n"
		"now, today, yesterday, @UNIXTIME. Settings: history = on|off, history_days = 90.",
};
