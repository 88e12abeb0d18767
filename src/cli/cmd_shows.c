/* cmd_shows: `emotune shows`: films and series for a mood. */
#include "cmd.h"
#include "esc.h"
#include "config.h"
#include "recommend.h"
#include "shows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_EMOTION = 'e', OPT_PROBS = 'p' };

static const struct option own[] = {
	{ "emotion", 1, NULL, OPT_EMOTION },
	{ "probs", 1, NULL, OPT_PROBS },
	{ "count", 1, NULL, 'n' },
	{ "catalogue", 1, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	float probs[VOCAB_NCLASSES];
	int have_mood = 0, count = 10, o, line = 0, err;
	const char *catalogue = NULL;
	char path[4096], genres[256], url[2048];
	struct shows_catalogue *c = NULL;
	struct shows_pick *picks;
	size_t npicks = 0;

	while ((o = cmd_getopt(ctx, &cmd_shows, argc, argv, "n:", own)) != -1) {
		switch (o) {
		case CMD_HELP:
			return CMD_OK;
		case OPT_EMOTION: {
			int cls = vocab_class_parse(optarg, VOCAB_NOCASE);
			if (cls < 0) {
				cmd_error("shows", "unknown emotion '%s' (" VOCAB_CLASS_WORDS ")", optarg);
				return CMD_USAGE;
			}
			recommend_onehot(cls, probs);
			have_mood = 1;
			break;
		}
		case OPT_PROBS:
			if (recommend_parse_probs(optarg, probs)) {
				cmd_error("shows", "--probs '%s': want 7 non-negative numbers separated by commas", optarg);
				return CMD_USAGE;
			}
			have_mood = 1;
			break;
		case 'n': {
			char *end;
			long v;
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || v < 1 || v > 10000) {
				cmd_error("shows", "-n '%s': want a positive number", optarg);
				return CMD_USAGE;
			}
			count = (int)v;
			break;
		}
		case 'c':
			catalogue = optarg;
			break;
		default:
			return CMD_USAGE;
		}
	}
	if (optind < argc) {
		cmd_error("shows", "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	if (!have_mood) {
		cmd_error("shows", "give --emotion NAME or --probs P,P,P,P,P,P,P");
		return CMD_USAGE;
	}
	if (catalogue)
		snprintf(path, sizeof path, "%s", catalogue);
	else if (config_path_share(path, sizeof path, "data/shows.tsv")) {
		cmd_error("shows", "catalogue path too long");
		return CMD_FAIL;
	}
	if ((err = shows_load(path, &c, &line))) {
		if (err == SHOWS_ESYNTAX)
			cmd_error(path, "line %d: %s", line, shows_strerror(err));
		else if (err == SHOWS_EIO)
			cmd_error(path, "%s: %s", shows_strerror(err), strerror(errno));
		else
			cmd_error(path, "%s", shows_strerror(err));
		return CMD_FAIL;
	}
	if (!(picks = calloc((size_t)count, sizeof *picks))) {
		shows_free(c);
		cmd_error("shows", "out of memory");
		return CMD_FAIL;
	}
	err = shows_suggest(c, probs, (uint64_t)(int64_t)config_get_int(ctx->cfg, "seed", 1),
			    picks, (size_t)count, &npicks);
	if (err) {
		cmd_error("shows", "%s", shows_strerror(err));
		free(picks);
		shows_free(c);
		return CMD_FAIL;
	}
	if (!ctx->json)
		printf("# rank\ttitle\tyear\tkind\tgenres\treason\tsearch_url\n");
	for (size_t k = 0; k < npicks; k++) {
		const struct shows_title *t = &c->v[picks[k].title];
		shows_genres_string(t->genres, genres, sizeof genres);
		if (shows_search_url(t, url, sizeof url))
			url[0] = '\0';
		if (ctx->json) {
			printf("{\"rank\":%zu,\"title\":", k + 1);
			esc_json(stdout, t->title);
			printf(",\"year\":%d,\"kind\":\"%s\",\"genres\":", t->year, t->series ? "series" : "film");
			esc_json(stdout, genres);
			printf(",\"reason\":");
			esc_json(stdout, picks[k].reason);
			printf(",\"search_url\":");
			esc_json(stdout, url);
			printf("}\n");
		} else {
			printf("%zu\t", k + 1);
			esc_tsv(stdout, t->title);
			printf("\t%d\t%s\t", t->year, t->series ? "series" : "film");
			esc_tsv(stdout, genres);
			putchar('\t');
			esc_tsv(stdout, picks[k].reason);
			putchar('\t');
			esc_tsv(stdout, url);
			putchar('\n');
		}
	}
	free(picks);
	shows_free(c);
	return fflush(stdout) == 0 ? CMD_OK : CMD_FAIL;
}

const struct cmd cmd_shows = {
	.name = "shows",
	.summary = "suggest films and series for a mood",
	.run = run,
	.usage = "shows (--emotion NAME | --probs P,P,P,P,P,P,P) [-n N] [--catalogue FILE]",
	.help = "Suggests films and series for a mood from the catalogue shipped with\n"
		"emotune (data/shows.tsv; --catalogue FILE for another one). Each genre has a\n"
		"weight per emotion (doc/recommendation.md): light, warm genres for negative\n"
		"moods, engaging stories for neutral, curiosity for surprise. -n N titles\n"
		"(default 10). Output: rank, title, year, kind (film|series), genres,\n"
		"reason, search_url (a web search address; no browser is opened).",
};
