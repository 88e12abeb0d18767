/*
 * cmd: the subcommand table (cmus commands[] style) and the option parsing
 * every command shares.
 *
 * Each subcommand lives in src/cmd_<name>.c and defines one `const struct
 * cmd` with designated initialisers. The table in cmd.c lists them in the
 * order `emotune --help` shows them. A handler returns the process exit
 * status (CMD_OK, CMD_FAIL, CMD_USAGE); only main() exits.
 *
 * Protocol of a handler: call cmd_getopt() in a loop until it returns -1;
 * it stores the common options (--source, --db, ... see cmd.c) in the
 * settings, returns the command's own options one by one, returns CMD_HELP
 * after printing the command's --help, and '?' on a usage error (message
 * already printed). Then optind indexes the first operand.
 */
#ifndef EMOTUNE_CMD_H
#define EMOTUNE_CMD_H

#include <getopt.h>
#include <stdio.h>

struct config;

enum { CMD_OK = 0, CMD_FAIL = 1, CMD_USAGE = 2 };
enum { CMD_HELP = -2 };

/* What every handler gets. Borrowed pointers, owned by main(). */
struct cmd_ctx {
	struct config *cfg;   /* settings: defaults < file < command line */
	int json;             /* --json: records as JSON instead of TSV */
	/* The settings file: --config FILE (made absolute), else the default
	 * file, read or not (it may not exist yet); NULL: none. What the UI
	 * and the kiosk read again on SIGHUP. */
	const char *config_path;
};

struct cmd {
	const char *name;
	const char *summary;  /* a line for `emotune --help`'s command list */
	int (*run)(struct cmd_ctx *ctx, int argc, char **argv);
	const char *usage;    /* "detect [--cascade XML] IMAGE..." */
	const char *help;     /* one paragraph, shown by --help */
};

extern const struct cmd cmd_detect, cmd_classify, cmd_eval, cmd_train,
	cmd_scan, cmd_tracks, cmd_train_mood, cmd_recommend, cmd_mood,
	cmd_cameras, cmd_play, cmd_shows, cmd_remote, cmd_ui, cmd_headless,
	cmd_history, cmd_playlist;

/* Looks a subcommand up by name; NULL if there is none. */
const struct cmd *cmd_find(const char *name);

/* The table, terminated by a NULL entry. */
const struct cmd *const *cmd_list(void);

/* Option parsing for command c; see the protocol above. own may be NULL;
 * shortopts are the command's own short options (may be NULL). */
int cmd_getopt(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
	       const char *shortopts, const struct option *own);

/* Same for the top level: stops at the first operand (the subcommand). */
int cmd_getopt_main(struct cmd_ctx *ctx, int argc, char **argv, const struct option *own);

/* Prints "usage: emotune <usage>" and the common options to f. */
void cmd_print_usage(const struct cmd *c, FILE *f);
/* The common options' help text. */
void cmd_print_common(FILE *f);

/* "emotune: <what>: <why>" on stderr. */
void cmd_error(const char *what, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Loads the emotion network named by the settings (net, weights; defaults
 * in the share dir). Prints the reason and returns CMD_FAIL when refused.
 * Defined in cmd_classify.c. */
struct emo_net;
int cmd_emo_open(struct cmd_ctx *ctx, const char *who, struct emo_net **net);


#endif
