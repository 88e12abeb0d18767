/* app_cmd: parser of the command language. See app_cmd.h. */
#include "app_cmd.h"
#include "esc.h"
#include "vocab.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The message fmt with the request's word s escaped (esc_text). */
static int fail(char *err, size_t n, const char *fmt, const char *s)
{
	char word[65];
	if (err && n)
		snprintf(err, n, fmt, esc_text(word, sizeof word, s, 0));
	return -1;
}

/* A number "[+|-]digits[.digits]": no exponent, no hex, no inf/nan. */
static int parse_num(const char *s, double max, double *v, int *relative)
{
	const char *p = s;
	int digits = 0;
	*relative = *p == '+' || *p == '-';
	if (*relative)
		p++;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			digits++;
	if (*p || !digits || p - s > 32)
		return -1;
	errno = 0;
	double d = strtod(s, NULL);
	if (errno || !isfinite(d) || fabs(d) > max)
		return -1;
	*v = d;
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The quoted path at q (q[0] == '"') decoded into out (APP_CMD_MAX bytes:
 * never shorter than q); only blanks may follow the closing quote. */
static int unquote(const char *q, char *out, const char *cmd, char *err, size_t n)
{
	size_t o = 0;
	for (q++; *q != '"'; q++) {
		if (!*q)
			return fail(err, n, "%s: missing closing quote", cmd);
		if (*q != '\\') {
			out[o++] = *q;
			continue;
		}
		q++;
		int h1, h2;
		switch (*q) {
		case '\\': case '"': out[o++] = *q; break;
		case 'n': out[o++] = '\n'; break;
		case 't': out[o++] = '\t'; break;
		case 'r': out[o++] = '\r'; break;
		case 'x':
			if ((h1 = hexval(q[1])) < 0 || (h2 = hexval(q[2])) < 0)
				return fail(err, n, "%s: unknown escape in quoted path (\\\\ \\\" \\n \\t \\r \\xHH)", cmd);
			if (!(h1 | h2))
				return fail(err, n, "%s: \\x00: a path cannot contain NUL", cmd);
			out[o++] = (char)(h1 * 16 + h2);
			q += 2;
			break;
		default:
			if (!*q)
				return fail(err, n, "%s: missing closing quote", cmd);
			return fail(err, n, "%s: unknown escape in quoted path (\\\\ \\\" \\n \\t \\r \\xHH)", cmd);
		}
	}
	out[o] = 0;
	for (q++; *q == ' ' || *q == '\t'; q++)
		;
	if (*q)
		return fail(err, n, "%s: text after the closing quote", cmd);
	return 0;
}

static int onoff(const char *s)
{
	if (!strcmp(s, "on"))
		return 1;
	if (!strcmp(s, "off"))
		return 0;
	if (!strcmp(s, "toggle"))
		return -1;
	return -2;
}

/* The argument of seek: seconds, or relative when signed. */
static int val_seek(struct app_cmd *out, const char *cmd, const char *w1, char *err, size_t n)
{
	(void)cmd;
	if (parse_num(w1, 1e7, &out->num, &out->relative))
		return fail(err, n, "seek: bad number of seconds '%s'", w1);
	return 0;
}

/* The argument of volume: 0-100, or relative when signed. */
static int val_volume(struct app_cmd *out, const char *cmd, const char *w1, char *err, size_t n)
{
	(void)cmd;
	if (parse_num(w1, 100, &out->num, &out->relative))
		return fail(err, n, "volume: not a number in 0-100 '%s'", w1);
	return 0;
}

/* An emotion (mood, playlist-mood); "mood auto" is "auto". */
static int val_mood(struct app_cmd *out, const char *cmd, const char *w1, char *err, size_t n)
{
	(void)cmd;
	out->ival = vocab_class_parse(w1, 0);
	if (out->op == APP_CMD_MOOD && !strcmp(w1, "auto"))
		out->op = APP_CMD_AUTO;
	else if (out->ival < 0)
		return fail(err, n, out->op == APP_CMD_MOOD ?
			    "mood: unknown emotion '%s' (" VOCAB_CLASS_WORDS ", or auto)" :
			    "playlist-mood: unknown emotion '%s' (" VOCAB_CLASS_WORDS ")", w1);
	return 0;
}

/* A strategy name, or "next" (ival -1). */
static int val_strategy(struct app_cmd *out, const char *cmd, const char *w1, char *err, size_t n)
{
	(void)cmd;
	out->ival = vocab_strategy_parse(w1, 0);
	if (out->ival < 0 && strcmp(w1, "next"))
		return fail(err, n, "strategy: unknown strategy '%s' (" VOCAB_STRATEGY_WORDS " next)", w1);
	return 0;
}

/* on, off or toggle (camera, normalize). */
static int val_onoff(struct app_cmd *out, const char *cmd, const char *w1, char *err, size_t n)
{
	out->ival = onoff(w1);
	if (out->ival == -2)
		return fail(err, n, "%s: expected on, off or toggle", cmd);
	return 0;
}

/* history's optional number of rows (w1 NULL: the default). */
static int val_history(struct app_cmd *out, const char *cmd, const char *w1, char *err, size_t n)
{
	(void)cmd;
	out->ival = APP_CMD_HISTORY_DEFAULT;
	if (w1) {
		size_t l = strspn(w1, "0123456789");
		if (!l || w1[l] || l > 4 || atoi(w1) < 1 || atoi(w1) > APP_CMD_HISTORY_MAX)
			return fail(err, n, "history: expected a number of rows in 1-1000, not '%.32s'", w1);
		out->ival = atoi(w1);
	}
	return 0;
}

/* What follows a command word. */
enum arg_kind {
	ARG_NONE,       /* nothing */
	ARG_WORD,       /* one word */
	ARG_REST,       /* a quoted path, else the rest of the line (not empty) */
	ARG_WORD_OPT,   /* one word or nothing */
	ARG_WORD_REST,  /* one word, then the rest of the line (may be empty) */
};

/* The commands (as cmus's commands[]): the word, the operation, its
 * arguments and the check that turns the first word into out's fields. */
static const struct {
	const char *word;
	enum app_cmd_op op;
	enum arg_kind args;
	int (*value)(struct app_cmd *out, const char *cmd, const char *w1, char *err, size_t n);
} words[] = {
	{ "play", APP_CMD_PLAY, ARG_NONE, NULL },
	{ "pause", APP_CMD_PAUSE, ARG_NONE, NULL },
	{ "toggle", APP_CMD_TOGGLE, ARG_NONE, NULL },
	{ "stop", APP_CMD_STOP, ARG_NONE, NULL },
	{ "next", APP_CMD_NEXT, ARG_NONE, NULL },
	{ "prev", APP_CMD_PREV, ARG_NONE, NULL },
	{ "seek", APP_CMD_SEEK, ARG_WORD, val_seek },
	{ "volume", APP_CMD_VOLUME, ARG_WORD, val_volume },
	{ "like", APP_CMD_LIKE, ARG_NONE, NULL },
	{ "dislike", APP_CMD_DISLIKE, ARG_NONE, NULL },
	{ "mood", APP_CMD_MOOD, ARG_WORD, val_mood },
	{ "auto", APP_CMD_AUTO, ARG_NONE, NULL },
	{ "strategy", APP_CMD_STRATEGY, ARG_WORD, val_strategy },
	{ "camera", APP_CMD_CAMERA, ARG_WORD, val_onoff },
	{ "normalize", APP_CMD_NORMALIZE, ARG_WORD, val_onoff },
	{ "play-path", APP_CMD_PLAY_PATH, ARG_REST, NULL },
	{ "enqueue", APP_CMD_ENQUEUE, ARG_REST, NULL },
	{ "status", APP_CMD_STATUS, ARG_NONE, NULL },
	{ "quit", APP_CMD_QUIT, ARG_NONE, NULL },
	{ "history", APP_CMD_HISTORY, ARG_WORD_OPT, val_history },
	{ "playlist-save", APP_CMD_PLAYLIST_SAVE, ARG_REST, NULL },
	{ "playlist-load", APP_CMD_PLAYLIST_LOAD, ARG_REST, NULL },
	{ "playlists", APP_CMD_PLAYLISTS, ARG_NONE, NULL },
	{ "playlist-mood", APP_CMD_PLAYLIST_MOOD, ARG_WORD_REST, val_mood },
};

/* Copies line[0..len) into buf (APP_CMD_MAX + 1 bytes) without its line
 * end; refuses a line too long or with a control character. */
static int clean_line(const char *line, size_t len, char *buf, char *err, size_t n)
{
	if (len && line[len - 1] == '\n')
		len--;
	if (len && line[len - 1] == '\r')
		len--;
	if (len > APP_CMD_MAX)
		return fail(err, n, "request too long (more than %s bytes)", "1024");
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(err, n, "control character in request%s", "");
	}
	memcpy(buf, line, len);
	buf[len] = 0;
	return 0;
}

/* Ends the word at *p (NUL-terminated in place) and moves *p past the
 * blanks after it; returns the word. */
static char *cut_word(char **p)
{
	char *w = *p, *q = *p;
	while (*q && *q != ' ' && *q != '\t')
		q++;
	if (*q)
		*q++ = 0;
	while (*q == ' ' || *q == '\t')
		q++;
	*p = q;
	return w;
}

/* Copies rest into arg (APP_CMD_MAX bytes) without its trailing blanks. */
static void copy_trimmed(char *rest, char *arg)
{
	size_t l = strlen(rest);
	while (l && (rest[l - 1] == ' ' || rest[l - 1] == '\t'))
		rest[--l] = 0;
	memcpy(arg, rest, l + 1);
}

/* ARG_REST: a quoted path, else the rest of the line, blanks at the end
 * trimmed; not empty. */
static int parse_rest(char *rest, struct app_cmd *out, const char *cmd, char *err, size_t n)
{
	if (*rest == '"') {
		if (unquote(rest, out->arg, cmd, err, n) != 0)
			return -1;
	} else {
		copy_trimmed(rest, out->arg);
	}
	if (!out->arg[0])
		return fail(err, n, out->op == APP_CMD_PLAY_PATH || out->op == APP_CMD_ENQUEUE ?
			    "%s: missing path" : "%s: missing name", cmd);
	return 0;
}

int app_cmd_parse(const char *line, size_t len, struct app_cmd *out, char *err, size_t n)
{
	char buf[APP_CMD_MAX + 1];
	if (clean_line(line, len, buf, err, n))
		return -1;

	/* The command word. */
	char *p = buf;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return fail(err, n, "empty request%s", "");
	char *cmd = cut_word(&p), *rest = p, *w1 = NULL;
	size_t k;
	for (k = 0; k < sizeof words / sizeof words[0]; k++)
		if (!strcmp(words[k].word, cmd))
			break;
	if (k == sizeof words / sizeof words[0])
		return fail(err, n, "unknown command '%s'", cmd);

	memset(out, 0, sizeof *out);
	out->op = words[k].op;
	enum arg_kind args = words[k].args;
	if (args == ARG_REST)
		return parse_rest(rest, out, cmd, err, n);
	if (args == ARG_WORD || args == ARG_WORD_REST || (args == ARG_WORD_OPT && *rest)) {
		if (!*rest)
			return fail(err, n, "%s: missing argument", cmd);
		w1 = cut_word(&rest);
	}
	if (args == ARG_WORD_REST)
		copy_trimmed(rest, out->arg);
	else if (*rest)
		return fail(err, n, "%s: too many arguments", cmd);
	return words[k].value ? words[k].value(out, cmd, w1, err, n) : 0;
}

/* Appends s (l bytes) to line[*o..n); -1 when it does not fit. */
static int put(char *line, size_t n, size_t *o, const char *s, size_t l)
{
	if (*o + l >= n)
		return -1;
	memcpy(line + *o, s, l);
	*o += l;
	line[*o] = 0;
	return 0;
}

int app_cmd_format(int argc, const char *const *argv, char *line, size_t n, char *err, size_t en)
{
	size_t o = 0, cap = n < APP_CMD_MAX + 1 ? n : APP_CMD_MAX + 1;
	int path = argc > 0 && (!strcmp(argv[0], "play-path") || !strcmp(argv[0], "enqueue"));
	if (n)
		line[0] = 0;
	for (int i = 0; i < argc; i++) {
		if (path && i > 0)
			break;
		for (const unsigned char *p = (const unsigned char *)argv[i]; *p; p++)
			if (*p < 0x20 || *p == 0x7f) {
				if (err && en) {
					if (i)
						snprintf(err, en, "argument %d contains a control character (0x%02x)", i, *p);
					else
						snprintf(err, en, "the command contains a control character (0x%02x)", *p);
				}
				return -1;
			}
		if ((i && put(line, cap, &o, " ", 1)) || put(line, cap, &o, argv[i], strlen(argv[i])))
			goto too_long;
	}
	if (path && argc > 1) {
		if (put(line, cap, &o, " \"", 2))
			goto too_long;
		for (int i = 1; i < argc; i++) {
			if (i > 1 && put(line, cap, &o, " ", 1))
				goto too_long;
			for (const unsigned char *p = (const unsigned char *)argv[i]; *p; p++) {
				char e[5] = { (char)*p, 0 };
				if (*p == '\\' || *p == '"')
					snprintf(e, sizeof e, "\\%c", *p);
				else if (*p == '\n' || *p == '\t' || *p == '\r')
					snprintf(e, sizeof e, "\\%c", *p == '\n' ? 'n' : *p == '\t' ? 't' : 'r');
				else if (*p < 0x20 || *p == 0x7f)
					snprintf(e, sizeof e, "\\x%02x", *p);
				if (put(line, cap, &o, e, strlen(e)))
					goto too_long;
			}
		}
		if (put(line, cap, &o, "\"", 1))
			goto too_long;
	}
	return (int)o;
too_long:
	if (err && en)
		snprintf(err, en, "request too long (more than %d bytes)", APP_CMD_MAX);
	return -1;
}
