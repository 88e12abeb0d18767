/*
 * app_cmd: the command language of app_command() and of the remote-control
 * socket, parsed into a struct. Pure (libc only), so that it can be fuzzed
 * on its own (tests/fuzz/fuzz_app_cmd.c).
 *
 * A request is one line of at most APP_CMD_MAX bytes (without the newline):
 * words separated by blanks; a trailing "\r" is ignored. Any other control
 * byte (NUL included), an unknown word, a missing, extra or out-of-range
 * argument is refused with a message; a refused line changes nothing.
 *
 * The path of play-path and enqueue is either the rest of the line as it
 * is, or quoted: "..." with the escapes \\ \" \n \t \r and \xHH (01-FF),
 * only blanks after the closing quote. So a path with any byte but NUL
 * travels in one line, and a newline inside an argument can never start a
 * second request. app_cmd_format() builds such lines from argv words.
 */
#ifndef EMOTUNE_APP_CMD_H
#define EMOTUNE_APP_CMD_H

#include <stddef.h>

#define APP_CMD_MAX 1024
#define APP_CMD_HISTORY_DEFAULT 20
#define APP_CMD_HISTORY_MAX 1000

enum app_cmd_op {
	APP_CMD_PLAY, APP_CMD_PAUSE, APP_CMD_TOGGLE, APP_CMD_STOP,
	APP_CMD_NEXT, APP_CMD_PREV,
	APP_CMD_SEEK,       /* num seconds; relative when signed */
	APP_CMD_VOLUME,     /* num 0-100, or relative */
	APP_CMD_LIKE, APP_CMD_DISLIKE,
	APP_CMD_MOOD,       /* ival: emotion class 0..6 */
	APP_CMD_AUTO,
	APP_CMD_STRATEGY,   /* ival: 0 match, 1 uplift, 2 calm, -1 next */
	APP_CMD_CAMERA,     /* ival: 1 on, 0 off, -1 toggle */
	APP_CMD_NORMALIZE,  /* ival: 1 on, 0 off, -1 toggle */
	APP_CMD_PLAY_PATH,  /* arg */
	APP_CMD_ENQUEUE,    /* arg */
	APP_CMD_STATUS,
	APP_CMD_QUIT,
	APP_CMD_HISTORY,    /* ival: the last N mood-history rows (1..APP_CMD_HISTORY_MAX) */
	APP_CMD_PLAYLIST_SAVE,  /* arg: playlist name (the rest of the line) */
	APP_CMD_PLAYLIST_LOAD,  /* arg: playlist name */
	APP_CMD_PLAYLISTS,      /* the saved playlists, one name a line */
	APP_CMD_PLAYLIST_MOOD,  /* ival: emotion class; arg: name, "" for the default */
	APP_CMD_N_OPS       /* the number of operations (not one) */
};

struct app_cmd {
	enum app_cmd_op op;
	int relative;           /* seek, volume: "+N" or "-N" */
	double num;
	int ival;
	char arg[APP_CMD_MAX];  /* play-path, enqueue, playlist names */
};

/* Parses line[0..len) (no NUL needed; a NUL inside is an error). Returns 0
 * and fills *out, or -1 with a one-line reason in err (size n). */
int app_cmd_parse(const char *line, size_t len, struct app_cmd *out, char *err, size_t n);

/* The request line for the words argv[0..argc) (argv[0] the command) as
 * `emotune remote` sends it: the words of a play-path or enqueue path are
 * joined by one space and quoted (every control byte escaped); any other
 * word with a control byte is refused, as is a line longer than
 * APP_CMD_MAX. Returns the line's length (line, size n, NUL-terminated,
 * never holds a control byte), or -1 with a one-line reason in err. */
int app_cmd_format(int argc, const char *const *argv, char *line, size_t n, char *err, size_t en);

#endif
