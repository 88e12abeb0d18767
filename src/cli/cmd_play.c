/* cmd_play: `emotune play [--audio DRIVER] FILE...`: plays the files in
 * order through the player, then exits. */
#include "cmd.h"
#include "config.h"
#include "lib_db.h"
#include "player.h"

#include <limits.h>
#include <stdlib.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Ctrl-C or SIGTERM: stop cleanly, so that a wav:FILE output is finished
 * (libao writes the header's sizes when the device closes). */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	interrupted = sig;
}

/* The library index, when there is one, knows the loudness of the files
 * it has analysed: with normalisation on, look them up. Never creates a
 * database. NULL when there is none or it cannot be read. */
static struct lib_db *open_index(struct cmd_ctx *ctx)
{
	char db[PATH_MAX];
	struct lib_db *d;
	if (config_db_path(ctx->cfg, db, sizeof db))
		return NULL;
	if (access(db, R_OK) != 0)
		return NULL;
	char why[300];
	int err = lib_db_open_ro(db, &d, why, sizeof why);
	if (err) {
		cmd_error(db, "%s: %s (playing without loudness normalisation)", lib_db_strerror(err), why);
		return NULL;
	}
	return d;
}

/* Integrated loudness of file in the index, or NAN. */
static double index_lufs(struct lib_db *d, const char *file)
{
	struct lib_track t;
	double lufs = NAN;
	char *rp;
	if (!d)
		return NAN;
	memset(&t, 0, sizeof t);
	rp = realpath(file, NULL);
	if (lib_db_find(d, rp ? rp : file, &t) == 0 ||
	    (rp && lib_db_find(d, file, &t) == 0)) {
		lufs = t.lufs;
		lib_track_clear(&t);
	}
	free(rp);
	return lufs;
}

static int play_files(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct player *p;
	struct player_opts opts;
	struct player_snapshot s;
	char msg[512];
	int o, rc, status = CMD_OK;

	while ((o = cmd_getopt(ctx, &cmd_play, argc, argv, NULL, NULL)) != -1) {
		if (o == CMD_HELP)
			return CMD_OK;
		return CMD_USAGE;
	}
	if (optind >= argc) {
		cmd_error("play", "no FILE given");
		return CMD_USAGE;
	}

	const char *audio = config_get(ctx->cfg, "audio");
	memset(&opts, 0, sizeof opts);
	opts.retry_ms = 1000;
	opts.give_up = 3;       /* a script wants an answer, not a wait */
	opts.errbuf = msg;
	opts.errlen = sizeof msg;
	msg[0] = 0;
	rc = player_new_opts(audio, &opts, &p);
	if (rc) {
		cmd_error("play", "%s", msg[0] ? msg : player_strerror(rc));
		return CMD_FAIL;
	}
	player_set_volume(p, config_get_int(ctx->cfg, "volume", 100));
	player_set_normalize(p, config_get_bool(ctx->cfg, "normalize", 1));
	player_set_target_lufs(p, config_get_float(ctx->cfg, "target_lufs", -18));

	struct lib_db *index = config_get_bool(ctx->cfg, "normalize", 1) ? open_index(ctx) : NULL;
	for (int i = optind; i < argc; i++) {
		/* Loudness of files outside the library index is unknown (0 dB). */
		struct player_item it = { .path = argv[i], .lufs = index_lufs(index, argv[i]) };
		rc = player_enqueue(p, &it);
		if (rc) {
			cmd_error(argv[i], "%s", player_strerror(rc));
			lib_db_close(index);
			player_free(p);
			return CMD_FAIL;
		}
	}
	lib_db_close(index);
	rc = player_play(p);
	if (rc) {
		cmd_error("play", "%s", player_strerror(rc));
		player_free(p);
		return CMD_FAIL;
	}

	const int tty = isatty(STDERR_FILENO);
	unsigned long seq = 0;
	for (;;) {
		if (interrupted) {
			player_stop(p);
			cmd_error("play", "interrupted");
			status = CMD_FAIL;
			break;
		}
		struct pollfd pfd = { .fd = player_wake_fd(p), .events = POLLIN };
		poll(&pfd, 1, 500);
		player_drain_wake(p);
		while (player_next_message(p, msg, sizeof msg)) {
			fprintf(stderr, "emotune: %s\n", msg);
			status = CMD_FAIL;
		}
		player_snapshot(p, &s);
		if (tty && s.track_seq != seq && s.path[0] && s.state != PLAYER_STOPPED) {
			seq = s.track_seq;
			fprintf(stderr, "playing %d/%d: %s\n", s.index + 1, argc - optind, s.path);
		}
		if (s.state == PLAYER_STOPPED)
			break;
	}
	rc = player_wait_idle(p);
	while (player_next_message(p, msg, sizeof msg)) {
		fprintf(stderr, "emotune: %s\n", msg);
		status = CMD_FAIL;
	}
	player_free(p);
	if (rc)
		status = CMD_FAIL;
	return status;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct sigaction sa, old_int, old_term;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;   /* no SA_RESTART: poll() returns */
	sigemptyset(&sa.sa_mask);
	interrupted = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	int status = play_files(ctx, argc, argv);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return status;
}

const struct cmd cmd_play = {
	.name = "play",
	.summary = "play audio files in order, then exit",
	.run = run,
	.usage = "play [--audio DRIVER] [--volume N] [--no-normalize] FILE...",
	.help = "Plays the files in order, gaplessly, then exits. DRIVER is a libao\n"
		"driver name (pulse, alsa, ...), null, or wav:FILE to write a WAV file.\n"
		"A file that cannot be played is skipped with a message (exit status 1\n"
		"at the end); a device that does not open is retried, then given up.",
};
