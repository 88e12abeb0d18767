/* cmd_recommend: `emotune recommend`: ranks library tracks for a mood. */
#include "cmd.h"
#include "esc.h"
#include "config.h"
#include "feedback.h"
#include "lib_db.h"
#include "playlist.h"
#include "recommend.h"
#include "recommend_lib.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Shared by recommend and shows: --emotion / --probs and -n. */
static int parse_count(const char *s, int *n)
{
	char *end;
	long v;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 10000)
		return -1;
	*n = (int)v;
	return 0;
}

enum { OPT_EMOTION = 'e', OPT_PROBS = 'p' };

static const struct option own[] = {
	{ "emotion", 1, NULL, OPT_EMOTION },
	{ "probs", 1, NULL, OPT_PROBS },
	{ "count", 1, NULL, 'n' },
	{ NULL, 0, NULL, 0 },
};

static void print_json(FILE *f, size_t rank, const char *path, float v, float a, int q,
		       float score, const char *reason)
{
	fprintf(f, "{\"rank\":%zu,\"path\":", rank);
	esc_json(f, path);
	fprintf(f, ",\"valence\":%.3f,\"arousal\":%.3f,\"quadrant\":\"Q%d\",\"score\":%.3f,\"reason\":",
		v, a, q, score);
	esc_json(f, reason);
	fputs("}\n", f);
}

/* The picks for a mood, shared by recommend and playlist. */
struct mood_picks {
	struct lib_db *db;
	struct recommend_lib_picks r;
	char **hist;
	size_t nh;
};

static void mood_picks_free(struct mood_picks *mp)
{
	feedback_history_free(mp->hist, mp->nh);
	recommend_lib_picks_free(&mp->r);
	lib_db_close(mp->db);
	memset(mp, 0, sizeof *mp);
}

/* Parses the options of command c (--emotion/--probs, -n) and the
 * `strategy`, `seed` and `no_repeat` settings into q and *count; -1 when
 * done, else the exit status (the reason printed). */
static int mood_options(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
			struct recommend_lib_query *q, int *count)
{
	int have_mood = 0, o;
	const char *s, *who = c->name;
	while ((o = cmd_getopt(ctx, c, argc, argv, "n:", own)) != -1) {
		switch (o) {
		case CMD_HELP:
			return CMD_OK;
		case OPT_EMOTION: {
			int k = vocab_class_parse(optarg, VOCAB_NOCASE);
			if (k < 0) {
				cmd_error(who, "unknown emotion '%s' (" VOCAB_CLASS_WORDS ")", optarg);
				return CMD_USAGE;
			}
			recommend_onehot(k, q->probs);
			have_mood = 1;
			break;
		}
		case OPT_PROBS:
			if (recommend_parse_probs(optarg, q->probs)) {
				cmd_error(who, "--probs '%s': want 7 non-negative numbers separated by commas", optarg);
				return CMD_USAGE;
			}
			have_mood = 1;
			break;
		case 'n':
			if (parse_count(optarg, count)) {
				cmd_error(who, "-n '%s': want a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		default:
			return CMD_USAGE;
		}
	}
	if (optind < argc) {
		cmd_error(who, "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	if (!have_mood) {
		cmd_error(who, "give --emotion NAME or --probs P,P,P,P,P,P,P");
		return CMD_USAGE;
	}
	recommend_params_default(&q->par);
	s = config_get(ctx->cfg, "strategy");
	if (s) {
		int st = vocab_strategy_parse(s, VOCAB_NOCASE);
		if (st < 0) {
			cmd_error(who, "unknown strategy '%s' (match, uplift, calm)", s);
			return CMD_USAGE;
		}
		q->par.strategy = (enum vocab_strategy)st;
	}
	q->par.seed = (uint64_t)(int64_t)config_get_int(ctx->cfg, "seed", 1);
	q->par.no_repeat = config_get_int(ctx->cfg, "no_repeat", 20);
	return -1;
}

/* Parses the options of command c and plans the picks from the library
 * (recommend_lib_pick, as the running program does); -1 when *mp is
 * filled (free it with mood_picks_free()), else the exit status (the
 * reason printed). */
static int mood_picks(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
		      struct mood_picks *mp)
{
	struct recommend_lib_query q = { .k = 0 };
	int count = 10, err, rc;
	const char *who = c->name;
	char dbpath[4096], why[300];
	size_t total = 0, with_mood = 0;

	memset(mp, 0, sizeof *mp);
	if ((rc = mood_options(ctx, c, argc, argv, &q, &count)) >= 0)
		return rc;
	if (config_db_path(ctx->cfg, dbpath, sizeof dbpath)) {
		cmd_error(who, "database path too long");
		return CMD_FAIL;
	}
	if (access(dbpath, R_OK) != 0) {
		cmd_error(dbpath, "no library database (run `emotune scan DIR` first): %s", strerror(errno));
		return CMD_FAIL;
	}
	if ((err = lib_db_open_ro(dbpath, &mp->db, why, sizeof why))) {
		cmd_error(dbpath, "%s: %s", lib_db_strerror(err), why);
		return CMD_FAIL;
	}
	if ((err = lib_db_count(mp->db, &total)) || (err = lib_db_count_mood(mp->db, &with_mood))) {
		cmd_error(dbpath, "%s", lib_db_strerror(err));
		goto fail;
	}
	/* tracks without a usable analysis cannot be placed on the plane */
	if (with_mood < total)
		fprintf(stderr, "emotune: %s: %zu of %zu tracks have no valence/arousal and are left out\n",
			who, total - with_mood, total);
	if (with_mood == 0)
		fprintf(stderr, "emotune: %s: the library is empty (run `emotune scan DIR`)\n", who);

	/* the play history lives in the same file */
	struct sqlite3 *sq = lib_db_sqlite(mp->db);
	if (sq && q.par.no_repeat > 0 &&
	    (err = feedback_history(sq, (size_t)q.par.no_repeat, &mp->hist, &mp->nh)))
		fprintf(stderr, "emotune: %s: play history ignored: %s\n", who, feedback_strerror(err));
	q.history = (const char *const *)mp->hist;
	q.nh = mp->nh;
	if ((err = recommend_lib_pick(mp->db, &q, (size_t)count, &mp->r))) {
		cmd_error(who, "%s%s%s", recommend_strerror(err), err == RECOMMEND_EDB ? ": " : "",
			  err == RECOMMEND_EDB ? lib_db_errmsg(mp->db) : "");
		goto fail;
	}
	if (mp->r.feedback_err)
		fprintf(stderr, "emotune: %s: feedback ignored: %s\n", who, feedback_strerror(mp->r.feedback_err));
	return -1;
fail:
	mood_picks_free(mp);
	return CMD_FAIL;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mood_picks mp;
	int rc = mood_picks(ctx, &cmd_recommend, argc, argv, &mp);
	if (rc >= 0)
		return rc;
	if (!ctx->json)
		printf("# rank\tpath\tvalence\tarousal\tquadrant\tscore\treason\n");
	for (size_t k = 0; k < mp.r.n; k++) {
		const struct recommend_pick *p = &mp.r.picks[k];
		const struct recommend_track *t = &mp.r.tr[p->track];
		int q = recommend_quadrant(t->valence, t->arousal);
		if (ctx->json)
			print_json(stdout, k + 1, t->path, t->valence, t->arousal, q, p->score, p->reason);
		else {
			printf("%zu\t", k + 1);
			esc_tsv(stdout, t->path);
			printf("\t%.3f\t%.3f\tQ%d\t%.3f\t", t->valence, t->arousal, q, p->score);
			esc_tsv(stdout, p->reason);
			putchar('\n');
		}
	}
	rc = fflush(stdout) == 0 ? CMD_OK : CMD_FAIL;
	mood_picks_free(&mp);
	return rc;
}

/* `emotune playlist`: the same picks as an M3U8 playlist on stdout. */
static int run_playlist(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mood_picks mp;
	struct playlist pl = { 0 };
	int rc = mood_picks(ctx, &cmd_playlist, argc, argv, &mp);
	if (rc >= 0)
		return rc;
	rc = CMD_OK;
	for (size_t k = 0; k < mp.r.n && rc == CMD_OK; k++) {
		const struct lib_track *t = &mp.r.rows[mp.r.picks[k].track];
		if (playlist_add(&pl, t->path, t->artist && *t->artist ? t->artist : NULL,
				 t->title && *t->title ? t->title : NULL, t->duration > 0 ? t->duration : -1)) {
			cmd_error("playlist", "out of memory");
			rc = CMD_FAIL;
		}
	}
	size_t left_out = 0;
	if (rc == CMD_OK) {
		playlist_write(&pl, stdout, "", &left_out);
		if (left_out)
			fprintf(stderr, "emotune: playlist: %zu tracks whose path holds a line break left out\n",
				left_out);
		if (fflush(stdout) != 0) {
			cmd_error("playlist", "stdout: %s", strerror(errno));
			rc = CMD_FAIL;
		}
	}
	playlist_clear(&pl);
	mood_picks_free(&mp);
	return rc;
}

const struct cmd cmd_playlist = {
	.name = "playlist",
	.summary = "an M3U8 playlist of the picks for a mood",
	.run = run_playlist,
	.usage = "playlist [--db FILE] (--emotion NAME | --probs P,P,P,P,P,P,P) [--strategy match|uplift|calm] [-n N]",
	.help = "Prints an M3U8 playlist (#EXTM3U, #EXTINF: duration, artist - title; absolute\n"
		"paths) of the picks `emotune recommend` makes for the mood, in the same order.\n"
		"Other players and scripts can read it: emotune playlist --emotion sad > sad.m3u8",
};

const struct cmd cmd_recommend = {
	.name = "recommend",
	.summary = "rank library tracks for a mood",
	.run = run,
	.usage = "recommend [--db FILE] (--emotion NAME | --probs P,P,P,P,P,P,P) [--strategy match|uplift|calm] [-n N]",
	.help = "Ranks library tracks for a mood: --emotion one of angry disgust fear happy\n"
		"neutral sad surprise, or --probs the seven probabilities in that order.\n"
		"Strategies: match (music that fits the mood: happy, surprise -> Q1; angry,\n"
		"fear, disgust -> Q2; sad -> Q3; neutral -> Q4), uplift (start at the mood,\n"
		"move toward positive valence pick by pick), calm (low arousal, positive\n"
		"valence). -n N picks (default 10). Tracks played within the last `no_repeat`\n"
		"plays come last; likes and dislikes given in a similar mood move tracks up\n"
		"or down. Output: rank, path, valence, arousal, quadrant, score, reason.",
};
