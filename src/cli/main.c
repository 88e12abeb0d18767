/*
 * main: argv, settings, dispatch to a subcommand. The only place that
 * calls exit() (through main's return).
 */
#include "config.h"
#include "cmd.h"

#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


static void usage(FILE *f)
{
	fprintf(f, "usage: emotune [OPTIONS]            interactive terminal UI\n"
		   "       emotune --headless [OPTIONS] kiosk mode, JSON lines on stdout\n"
		   "       emotune COMMAND [OPTIONS] [ARGS]\n\nCommands:\n");
	for (const struct cmd *const *c = cmd_list(); *c; c++)
		fprintf(f, "  %-11s %s\n", (*c)->name, (*c)->summary ? (*c)->summary : "");
	fputc('\n', f);
	cmd_print_common(f);
	fprintf(f, "  --%-13s %s\n  --%-13s %s\n\n"
		   "'emotune COMMAND --help' describes a command; emotune(1) everything.\n",
		"headless", "      run without UI", "version", "      print the version");
}

/* --config FILE must be read before the other options override it. */
static const char *find_config_arg(int argc, char **argv)
{
	const char *path = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[++i];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			path = argv[i] + 9;
	}
	return path;
}

/* Reads the settings file into cfg and its path into file (size n; ""
 * when there is none): --config FILE, made absolute so that it names the
 * same file for as long as the program runs, else the default file. */
static int load_settings(struct config *cfg, int argc, char **argv, char *file, size_t n)
{
	const char *path = find_config_arg(argc, argv);
	int explicit = path != NULL, line = 0;
	file[0] = '\0';
	if (!path) {
		if (config_path_file(file, n))
			file[0] = '\0';
		if (!file[0])
			return 0;
		path = file;
	} else {
		char cwd[PATH_MAX];
		int abs = path[0] == '/' || !getcwd(cwd, sizeof cwd);
		int len = abs ? snprintf(file, n, "%s", path) : snprintf(file, n, "%s/%s", cwd, path);
		if (len < 0 || (size_t)len >= n)
			file[0] = '\0';   /* too long to keep: SIGHUP reads no file */
	}
	int err = config_load(cfg, path, &line);
	if (err == CONFIG_ENOENT && !explicit)
		return 0;
	if (err) {
		if (line)
			fprintf(stderr, "emotune: %s:%d: %s\n", path, line, config_why(cfg));
		else
			cmd_error(path, "%s", config_strerror(err));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_VERSION = 'V', OPT_HEADLESS = 0x3000 };
	static const struct option own[] = {
		{ "version", 0, NULL, OPT_VERSION },
		{ "headless", 0, NULL, OPT_HEADLESS },
		{ NULL, 0, NULL, 0 },
	};
	struct config *cfg = config_new();
	static char config_file[PATH_MAX];
	struct cmd_ctx ctx = { .cfg = cfg, .config_path = NULL };
	int headless = 0, rc = CMD_OK, o;

	if (!cfg) {
		fprintf(stderr, "emotune: out of memory\n");
		return CMD_FAIL;
	}
	if (load_settings(cfg, argc, argv, config_file, sizeof config_file) < 0) {
		config_free(cfg);
		return CMD_FAIL;
	}
	if (config_file[0])
		ctx.config_path = config_file;
	while ((o = cmd_getopt_main(&ctx, argc, argv, own)) != -1) {
		switch (o) {
		case OPT_VERSION:
			printf("emotune %s\n", PACKAGE_VERSION);
			goto out;
		case OPT_HEADLESS:
			headless = 1;
			break;
		case CMD_HELP:
			usage(stdout);
			goto out;
		default:
			fprintf(stderr, "Try 'emotune --help'.\n");
			rc = CMD_USAGE;
			goto out;
		}
	}
	if (optind < argc) {
		const struct cmd *c = cmd_find(argv[optind]);
		if (!c) {
			cmd_error(argv[optind], "unknown command (try 'emotune --help')");
			rc = CMD_USAGE;
			goto out;
		}
		int sub = optind;
		optind = 0; /* restart getopt for the subcommand's own argv */
		rc = c->run(&ctx, argc - sub, argv + sub);
	} else {
		const struct cmd *c = headless ? &cmd_headless : &cmd_ui;
		optind = 0;
		char *none[] = { (char *)c->name, NULL };
		rc = c->run(&ctx, 1, none);
	}
out:
	config_free(cfg);
	return rc;
}
