/* cmd: subcommand table and shared option parsing. See cmd.h. */
#include "cmd.h"
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const struct cmd *const table[] = {
	&cmd_detect, &cmd_classify, &cmd_eval, &cmd_train,
	&cmd_scan, &cmd_tracks, &cmd_train_mood, &cmd_recommend,
	&cmd_mood, &cmd_cameras, &cmd_play, &cmd_shows, &cmd_remote, &cmd_history,
	&cmd_playlist,
	NULL,
};

const struct cmd *const *cmd_list(void)
{
	return table;
}

const struct cmd *cmd_find(const char *name)
{
	for (size_t i = 0; table[i]; i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

/* Common options: stored as settings under `key` (flag options store
 * `value`). Documented in emotune(1) and by cmd_print_common(). */
struct common {
	const char *name;
	int has_arg;
	const char *key;
	const char *value;
	const char *help;
};

enum { OPT_BASE = 0x1000, OPT_JSON = 0x2000, OPT_HELP, OPT_CONFIG };

static const struct common common[] = {
	{ "source",       1, "source",    NULL,  "SPEC  v4l2:/dev/videoN | file:PATH | test" },
	{ "no-camera",    0, "camera",    "no",  "      do not open any camera" },
	{ "music",        1, "music",     NULL,  "DIR   music library root(s), ':'-separated" },
	{ "db",           1, "db",        NULL,  "FILE  library database" },
	{ "playlists",    1, "playlists", NULL,  "DIR   folder of saved playlists" },
	{ "net",          1, "net",       NULL,  "CFG   emotion network cfg" },
	{ "weights",      1, "weights",   NULL,  "FILE  emotion network weights" },
	{ "cascade",      1, "cascade",   NULL,  "XML   face detector cascade" },
	{ "audio",        1, "audio",     NULL,  "DRV   libao driver, null, or wav:FILE" },
	{ "no-normalize", 0, "normalize", "no",  "      no loudness normalisation" },
	{ "volume",       1, "volume",    NULL,  "N     software volume 0-100" },
	{ "strategy",     1, "strategy",  NULL,  "NAME  match, uplift or calm" },
	{ "seed",         1, "seed",      NULL,  "N     random seed" },
	{ "jobs",         1, "jobs",      NULL,  "N     analysis threads (0: all cores)" },
};
#define NCOMMON (sizeof common / sizeof common[0])

void cmd_print_common(FILE *f)
{
	fprintf(f, "Common options:\n");
	for (size_t i = 0; i < NCOMMON; i++)
		fprintf(f, "  --%-13s %s\n", common[i].name, common[i].help);
	fprintf(f, "  --%-13s %s\n", "config", "FILE  settings file");
	fprintf(f, "  --%-13s %s\n", "json", "      JSON records instead of tab-separated");
	fprintf(f, "  --%-13s %s\n", "help", "      this help");
}

void cmd_print_usage(const struct cmd *c, FILE *f)
{
	fprintf(f, "usage: emotune %s\n", c->usage);
	if (c->help)
		fprintf(f, "\n%s\n", c->help);
	fputc('\n', f);
	cmd_print_common(f);
}

static int parse(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
		 const char *shortopts, const struct option *own, int stop_at_operand)
{
	struct option opts[NCOMMON + 64];
	char sopts[128];
	size_t n = 0;
	for (size_t i = 0; i < NCOMMON; i++)
		opts[n++] = (struct option){ common[i].name, common[i].has_arg, NULL, (int)(OPT_BASE + i) };
	opts[n++] = (struct option){ "json", 0, NULL, OPT_JSON };
	opts[n++] = (struct option){ "help", 0, NULL, OPT_HELP };
	opts[n++] = (struct option){ "config", 1, NULL, OPT_CONFIG };
	for (size_t i = 0; own && own[i].name && n < sizeof opts / sizeof opts[0] - 1; i++)
		opts[n++] = own[i];
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
	snprintf(sopts, sizeof sopts, "%s%s", stop_at_operand ? "+" : "", shortopts ? shortopts : "");

	for (;;) {
		int o = getopt_long(argc, argv, sopts, opts, NULL);
		if (o >= OPT_BASE && o < OPT_BASE + (int)NCOMMON) {
			const struct common *co = &common[o - OPT_BASE];
			int err = config_set(ctx->cfg, co->key, co->has_arg ? optarg : co->value);
			if (err) {
				if (err == CONFIG_EVALUE)
					fprintf(stderr, "emotune: --%s\n", config_why(ctx->cfg));
				else
					cmd_error(co->name, "%s", config_strerror(err));
				return '?';
			}
			continue;
		}
		switch (o) {
		case OPT_JSON:
			ctx->json = 1;
			continue;
		case OPT_CONFIG:
			continue; /* read by main() before anything else */
		case OPT_HELP:
			if (c)
				cmd_print_usage(c, stdout);
			return CMD_HELP;
		default:
			return o;
		}
	}
}

int cmd_getopt(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
	       const char *shortopts, const struct option *own)
{
	return parse(ctx, c, argc, argv, shortopts, own, 0);
}

int cmd_getopt_main(struct cmd_ctx *ctx, int argc, char **argv, const struct option *own)
{
	return parse(ctx, NULL, argc, argv, NULL, own, 1);
}

void cmd_error(const char *what, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "emotune: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
