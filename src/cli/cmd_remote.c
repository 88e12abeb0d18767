/* cmd_remote: `emotune remote COMMAND [ARG]`, the remote-control client. */
#include "app_cmd.h"
#include "cmd.h"
#include "config.h"
#include "esc.h"
#include "remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* key=value lines as one JSON object; numbers stay numbers. */
static void print_json(const char *reply)
{
	char *copy = strdup(reply), *save = NULL;
	int first = 1;
	if (!copy)
		return;
	fputc('{', stdout);
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(l, '=');
		if (!eq)
			continue;
		*eq = 0;
		const char *v = eq + 1;
		if (!first)
			fputc(',', stdout);
		first = 0;
		esc_json(stdout, l);
		fputc(':', stdout);
		char *end;
		strtod(v, &end);
		if (*v && !*end && strspn(v, "0123456789.-") == strlen(v) && v[0] != '.')
			fputs(v, stdout);
		else
			esc_json(stdout, v);
	}
	fputs("}\n", stdout);
	free(copy);
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	int o;
	while ((o = cmd_getopt(ctx, &cmd_remote, argc, argv, "+", NULL)) != -1) {
		if (o == CMD_HELP)
			return CMD_OK;
		return CMD_USAGE;
	}
	if (optind >= argc) {
		cmd_error("remote", "missing command (try 'emotune remote --help')");
		return CMD_USAGE;
	}
	/* One request, one line: a path travels quoted, a control byte
	 * elsewhere is refused (app_cmd_format). */
	char line[APP_CMD_MAX + 1], why[128];
	if (app_cmd_format(argc - optind, (const char *const *)(argv + optind), line, sizeof line,
			   why, sizeof why) < 0) {
		cmd_error("remote", "%s", why);
		return CMD_USAGE;
	}
	static char reply[REMOTE_REPLY_MAX];
	int rc = remote_request(NULL, line, reply, sizeof reply, 10000);
	if (rc == REMOTE_EBLOCKED) {
		char path[4096] = "", what[128];
		config_path_runtime(path, sizeof path, "socket");
		cmd_error("remote", "socket %s: %s", path, remote_why(rc, NULL, what, sizeof what));
		return CMD_FAIL;
	}
	if (rc < 0) {
		cmd_error("remote", "%s", remote_strerror(rc));
		return CMD_FAIL;
	}
	/* Split off the final line. */
	size_t l = strlen(reply);
	if (l && reply[l - 1] == '\n')
		reply[--l] = 0;
	char *last = strrchr(reply, '\n');
	const char *final = last ? last + 1 : reply;
	if (last)
		last[1] = 0;
	if (rc == 1) {
		static char msg[4 * APP_CMD_MAX];  /* a whole path in the reason */
		cmd_error("remote", "%s", esc_text(msg, sizeof msg, final + (strncmp(final, "error: ", 7) ? 0 : 7),
						       ESC_KEEP_BACKSLASH));
		return CMD_FAIL;
	}
	if (last) {
		/* the final "ok" was cut off above: print the data lines */
		char *data = reply;
		if (ctx->json && strncmp(line, "history", 7) != 0 && strcmp(line, "playlists") != 0)
			print_json(data);
		else
			fputs(data, stdout);
	} else if (ctx->json)
		puts("{\"ok\":true}");
	return CMD_OK;
}

const struct cmd cmd_remote = {
	.name = "remote",
	.summary = "control a running emotune",
	.run = run,
	.usage = "remote COMMAND [ARG]",
	.help = "Talks to a running emotune: status|play|pause|next|prev|seek S|volume N|like|dislike|mood EMOTION|mood auto|auto|strategy NAME|quit.\n"
		"Also: toggle, stop, camera on|off|toggle, normalize on|off|toggle, play-path PATH, enqueue PATH,\n"
		"history [N] (the last N mood-history rows as TSV, as 'emotune history'),\n"
		"playlists (the saved playlists, one name a line), playlist-save NAME (the current track and\n"
		"the queue), playlist-load NAME (its tracks become the queue), playlist-mood EMOTION [NAME]\n"
		"(the tracks played in the last hour in that mood). Playlists: $XDG_DATA_HOME/emotune/playlists.\n"
		"A PATH may hold any byte (it is sent quoted); a control character in another word is refused.\n"
		"Options go before COMMAND (seek -10 is relative); --json prints status as one JSON object.\n"
		"Socket: $XDG_RUNTIME_DIR/emotune/socket; protocol in emotune(1), REMOTE PROTOCOL.",
};
