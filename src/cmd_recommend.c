/* cmd_recommend: `emotune recommend`: ranks library tracks for a mood. */
#include "cmd.h"
#include "esc.h"
#include "config.h"
#include "feedback.h"
#include "lib_db.h"
#include "recommend.h"

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

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	float probs[RECOMMEND_NCLASSES];
	int have_mood = 0, count = 10, o, rc = CMD_FAIL;
	struct recommend_params par;
	const char *s;
	char dbpath[4096];
	struct lib_db *db = NULL;
	struct lib_track *lt = NULL;
	size_t nlt = 0, nt = 0, npicks = 0, nh = 0;
	struct recommend_track *tr = NULL;
	struct recommend_pick *picks = NULL;
	char **hist = NULL;
	size_t *map = NULL;
	int err;

	while ((o = cmd_getopt(ctx, &cmd_recommend, argc, argv, "n:", own)) != -1) {
		switch (o) {
		case CMD_HELP:
			return CMD_OK;
		case OPT_EMOTION: {
			int c = recommend_emotion_parse(optarg);
			if (c < 0) {
				cmd_error("recommend", "unknown emotion '%s' (angry disgust fear happy neutral sad surprise)", optarg);
				return CMD_USAGE;
			}
			recommend_onehot(c, probs);
			have_mood = 1;
			break;
		}
		case OPT_PROBS:
			if (recommend_parse_probs(optarg, probs)) {
				cmd_error("recommend", "--probs '%s': want 7 non-negative numbers separated by commas", optarg);
				return CMD_USAGE;
			}
			have_mood = 1;
			break;
		case 'n':
			if (parse_count(optarg, &count)) {
				cmd_error("recommend", "-n '%s': want a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		default:
			return CMD_USAGE;
		}
	}
	if (optind < argc) {
		cmd_error("recommend", "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	if (!have_mood) {
		cmd_error("recommend", "give --emotion NAME or --probs P,P,P,P,P,P,P");
		return CMD_USAGE;
	}

	recommend_params_default(&par);
	s = config_get(ctx->cfg, "strategy");
	if (s) {
		int st = recommend_strategy_parse(s);
		if (st < 0) {
			cmd_error("recommend", "unknown strategy '%s' (match, uplift, calm)", s);
			return CMD_USAGE;
		}
		par.strategy = (enum recommend_strategy)st;
	}
	par.seed = (uint64_t)(int64_t)config_get_int(ctx->cfg, "seed", 1);
	par.no_repeat = config_get_int(ctx->cfg, "no_repeat", 20);

	if (config_db_path(ctx->cfg, dbpath, sizeof dbpath)) {
		cmd_error("recommend", "database path too long");
		return CMD_FAIL;
	}
	if (access(dbpath, R_OK) != 0) {
		cmd_error(dbpath, "no library database (run `emotune scan DIR` first): %s", strerror(errno));
		return CMD_FAIL;
	}
	char why[300];
	if ((err = lib_db_open_ro(dbpath, &db, why, sizeof why))) {
		cmd_error(dbpath, "%s: %s", lib_db_strerror(err), why);
		return CMD_FAIL;
	}
	if ((err = lib_db_tracks(db, &lt, &nlt))) {
		cmd_error(dbpath, "%s", lib_db_strerror(err));
		goto out;
	}
	tr = calloc(nlt ? nlt : 1, sizeof *tr);
	picks = calloc((size_t)count, sizeof *picks);
	if (!tr || !picks) {
		cmd_error("recommend", "out of memory");
		goto out;
	}
	/* tracks without a usable analysis cannot be placed on the plane */
	map = calloc(nlt ? nlt : 1, sizeof *map);
	if (!map) {
		cmd_error("recommend", "out of memory");
		goto out;
	}
	for (size_t i = 0; i < nlt; i++) {
		if (!isfinite(lt[i].valence) || !isfinite(lt[i].arousal) || !lt[i].path)
			continue;
		tr[nt] = (struct recommend_track){
			.path = lt[i].path, .artist = lt[i].artist, .album = lt[i].album,
			.valence = lt[i].valence, .arousal = lt[i].arousal,
		};
		map[nt++] = i;
	}
	if (nt < nlt)
		fprintf(stderr, "emotune: recommend: %zu of %zu tracks have no valence/arousal and are left out\n",
			nlt - nt, nlt);
	if (nt == 0)
		fprintf(stderr, "emotune: recommend: the library is empty (run `emotune scan DIR`)\n");

	/* learned feedback and the play history live in the same file */
	struct sqlite3 *sq = lib_db_sqlite(db);
	if (sq) {
		if ((err = feedback_terms(sq, recommend_mood_point(probs), tr, nt)))
			fprintf(stderr, "emotune: recommend: feedback ignored: %s\n", feedback_strerror(err));
		if (par.no_repeat > 0 &&
		    (err = feedback_history(sq, (size_t)par.no_repeat, &hist, &nh)))
			fprintf(stderr, "emotune: recommend: play history ignored: %s\n", feedback_strerror(err));
	}

	if ((err = recommend_plan(probs, tr, nt, (const char *const *)hist, nh, &par,
				  picks, (size_t)count, &npicks))) {
		cmd_error("recommend", "%s", recommend_strerror(err));
		goto out;
	}
	if (!ctx->json)
		printf("# rank\tpath\tvalence\tarousal\tquadrant\tscore\treason\n");
	for (size_t k = 0; k < npicks; k++) {
		const struct recommend_track *t = &tr[picks[k].track];
		int q = recommend_quadrant(t->valence, t->arousal);
		if (ctx->json)
			print_json(stdout, k + 1, t->path, t->valence, t->arousal, q, picks[k].score, picks[k].reason);
		else {
			printf("%zu\t", k + 1);
			esc_tsv(stdout, t->path);
			printf("\t%.3f\t%.3f\tQ%d\t%.3f\t", t->valence, t->arousal, q, picks[k].score);
			esc_tsv(stdout, picks[k].reason);
			putchar('\n');
		}
	}
	rc = fflush(stdout) == 0 ? CMD_OK : CMD_FAIL;
out:
	free(map);
	feedback_history_free(hist, nh);
	free(picks);
	free(tr);
	lib_tracks_free(lt, nlt);
	lib_db_close(db);
	return rc;
}

const struct cmd cmd_recommend = {
	.name = "recommend",
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
