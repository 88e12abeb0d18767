/* cmd_tracks: `emotune tracks [--db FILE]`, the indexed tracks with their mood. */
#include "cmd.h"
#include "esc.h"
#include "config.h"
#include "lib_db.h"
#include "musicmood.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int o;
	while ((o = cmd_getopt(ctx, &cmd_tracks, argc, argv, NULL, NULL)) != -1) {
		if (o == CMD_HELP)
			return CMD_OK;
		return CMD_USAGE;
	}
	if (optind < argc) {
		cmd_print_usage(&cmd_tracks, stderr);
		return CMD_USAGE;
	}
	char db[PATH_MAX];
	if (config_db_path(ctx->cfg, db, sizeof db)) {
		cmd_error("tracks", "database path too long");
		return CMD_FAIL;
	}
	if (access(db, F_OK) != 0) {
		cmd_error(db, "no library database: run 'emotune scan DIR' first");
		return CMD_FAIL;
	}
	struct lib_db *d;
	char why[300];
	int err = lib_db_open_ro(db, &d, why, sizeof why);
	if (err) {
		cmd_error(db, "%s: %s", lib_db_strerror(err), why);
		return CMD_FAIL;
	}
	struct lib_track *t;
	size_t n;
	err = lib_db_tracks(d, &t, &n);
	if (err) {
		cmd_error(db, "%s: %s", lib_db_strerror(err), lib_db_errmsg(d));
		lib_db_close(d);
		return CMD_FAIL;
	}
	if (ctx->json)
		printf("[");
	else
		printf("# path\tduration_s\tvalence\tarousal\tquadrant\ttitle\tartist\n");
	for (size_t i = 0; i < n; i++) {
		/* silence: no mood (quadrant "-", valence and arousal empty) */
		int nomood = !isfinite(t[i].valence) || !isfinite(t[i].arousal);
		int q = nomood ? 0 : musicmood_quadrant(t[i].valence, t[i].arousal);
		if (ctx->json) {
			printf("%s\n{\"path\":", i ? "," : "");
			esc_json(stdout, t[i].path);
			if (nomood)
				printf(",\"duration_s\":%.2f,\"valence\":null,\"arousal\":null,"
				       "\"quadrant\":\"-\",\"title\":", t[i].duration);
			else
				printf(",\"duration_s\":%.2f,\"valence\":%.4f,\"arousal\":%.4f,"
				       "\"quadrant\":\"Q%d\",\"title\":",
				       t[i].duration, t[i].valence, t[i].arousal, q);
			esc_json(stdout, t[i].title);
			printf(",\"artist\":");
			esc_json(stdout, t[i].artist);
			printf("}");
		} else {
			esc_tsv(stdout, t[i].path);
			if (nomood)
				printf("\t%.2f\t\t\t-\t", t[i].duration);
			else
				printf("\t%.2f\t%.4f\t%.4f\tQ%d\t", t[i].duration, t[i].valence,
				       t[i].arousal, q);
			esc_tsv(stdout, t[i].title);
			putchar('\t');
			esc_tsv(stdout, t[i].artist);
			putchar('\n');
		}
	}
	if (ctx->json)
		printf("%s]\n", n ? "\n" : "");
	lib_tracks_free(t, n);
	lib_db_close(d);
	return fflush(stdout) == 0 ? CMD_OK : CMD_FAIL;
}

const struct cmd cmd_tracks = {
	.name = "tracks",
	.summary = "list the indexed tracks with valence and arousal",
	.run = run,
	.usage = "tracks [--db FILE]",
	.help = "Lists the indexed tracks with their valence and arousal in [-1, 1] and quadrant "
		"(Q1 v>=0,a>=0; Q2 v<0,a>=0; Q3 v<0,a<0; Q4 v>=0,a<0).",
};
