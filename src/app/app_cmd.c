/* app_cmd: parser of the command language. See app_cmd.h. */
#include "app_cmd.h"
#include "esc.h"
#include "vocab.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *word;
	enum app_cmd_op op;
	int nargs;  /* 0: none, 1: one word, 2: rest of the line, 3: one word or none,
		     * 4: one word, then the rest of the line (may be empty) */
} words[] = {
	{ "play", APP_CMD_PLAY, 0 },       { "pause", APP_CMD_PAUSE, 0 },
	{ "toggle", APP_CMD_TOGGLE, 0 },   { "stop", APP_CMD_STOP, 0 },
	{ "next", APP_CMD_NEXT, 0 },       { "prev", APP_CMD_PREV, 0 },
	{ "seek", APP_CMD_SEEK, 1 },       { "volume", APP_CMD_VOLUME, 1 },
	{ "like", APP_CMD_LIKE, 0 },       { "dislike", APP_CMD_DISLIKE, 0 },
	{ "mood", APP_CMD_MOOD, 1 },       { "auto", APP_CMD_AUTO, 0 },
	{ "strategy", APP_CMD_STRATEGY, 1 },
	{ "camera", APP_CMD_CAMERA, 1 },   { "normalize", APP_CMD_NORMALIZE, 1 },
	{ "play-path", APP_CMD_PLAY_PATH, 2 },
	{ "enqueue", APP_CMD_ENQUEUE, 2 },
	{ "status", APP_CMD_STATUS, 0 },   { "quit", APP_CMD_QUIT, 0 },
	{ "history", APP_CMD_HISTORY, 3 },
	{ "playlist-save", APP_CMD_PLAYLIST_SAVE, 2 },
	{ "playlist-load", APP_CMD_PLAYLIST_LOAD, 2 },
	{ "playlists", APP_CMD_PLAYLISTS, 0 },
	{ "playlist-mood", APP_CMD_PLAYLIST_MOOD, 4 },
};

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

int app_cmd_parse(const char *line, size_t len, struct app_cmd *out, char *err, size_t n)
{
	char buf[APP_CMD_MAX + 1];
	char *w[3] = { NULL, NULL, NULL };

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

	/* The command word. */
	char *p = buf;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return fail(err, n, "empty request%s", "");
	w[0] = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	if (*p)
		*p++ = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	char *rest = p;

	size_t k;
	for (k = 0; k < sizeof words / sizeof words[0]; k++)
		if (!strcmp(words[k].word, w[0]))
			break;
	if (k == sizeof words / sizeof words[0])
		return fail(err, n, "unknown command '%s'", w[0]);

	memset(out, 0, sizeof *out);
	out->op = words[k].op;

	if (words[k].nargs == 2) {
		/* A quoted path, else the rest of the line; blanks at the end
		 * trimmed. */
		if (*rest == '"') {
			if (unquote(rest, out->arg, w[0], err, n) != 0)
				return -1;
		} else {
			size_t l = strlen(rest);
			while (l && (rest[l - 1] == ' ' || rest[l - 1] == '\t'))
				rest[--l] = 0;
			memcpy(out->arg, rest, l + 1);
		}
		if (!out->arg[0])
			return fail(err, n, out->op == APP_CMD_PLAY_PATH || out->op == APP_CMD_ENQUEUE ?
				    "%s: missing path" : "%s: missing name", w[0]);
		return 0;
	}
	if (words[k].nargs == 1 || words[k].nargs == 4 || (words[k].nargs == 3 && *rest)) {
		if (!*rest)
			return fail(err, n, "%s: missing argument", w[0]);
		w[1] = rest;
		while (*rest && *rest != ' ' && *rest != '\t')
			rest++;
		if (*rest)
			*rest++ = 0;
		while (*rest == ' ' || *rest == '\t')
			rest++;
	}
	if (words[k].nargs == 4) {
		size_t l = strlen(rest);
		while (l && (rest[l - 1] == ' ' || rest[l - 1] == '\t'))
			rest[--l] = 0;
		memcpy(out->arg, rest, l + 1);
	} else if (*rest)
		return fail(err, n, "%s: too many arguments", w[0]);

	switch (out->op) {
	case APP_CMD_SEEK:
		if (parse_num(w[1], 1e7, &out->num, &out->relative))
			return fail(err, n, "seek: bad number of seconds '%s'", w[1]);
		break;
	case APP_CMD_VOLUME:
		if (parse_num(w[1], 100, &out->num, &out->relative))
			return fail(err, n, "volume: not a number in 0-100 '%s'", w[1]);
		break;
	case APP_CMD_MOOD:
	case APP_CMD_PLAYLIST_MOOD:
		out->ival = vocab_class_parse(w[1], 0);
		if (out->op == APP_CMD_MOOD && !strcmp(w[1], "auto"))
			out->op = APP_CMD_AUTO;  /* "mood auto" is "auto" */
		else if (out->ival < 0)
			return fail(err, n, out->op == APP_CMD_MOOD ?
				    "mood: unknown emotion '%s' (" VOCAB_CLASS_WORDS ", or auto)" :
				    "playlist-mood: unknown emotion '%s' (" VOCAB_CLASS_WORDS ")", w[1]);
		break;
	case APP_CMD_STRATEGY:
		out->ival = vocab_strategy_parse(w[1], 0);
		if (out->ival < 0 && strcmp(w[1], "next"))
			return fail(err, n, "strategy: unknown strategy '%s' (" VOCAB_STRATEGY_WORDS " next)", w[1]);
		break;
	case APP_CMD_CAMERA:
	case APP_CMD_NORMALIZE:
		out->ival = onoff(w[1]);
		if (out->ival == -2)
			return fail(err, n, "%s: expected on, off or toggle", w[0]);
		break;
	case APP_CMD_HISTORY:
		out->ival = APP_CMD_HISTORY_DEFAULT;
		if (w[1]) {
			size_t l = strspn(w[1], "0123456789");
			if (!l || w[1][l] || l > 4 || atoi(w[1]) < 1 || atoi(w[1]) > APP_CMD_HISTORY_MAX)
				return fail(err, n, "history: expected a number of rows in 1-1000, not '%.32s'", w[1]);
			out->ival = atoi(w[1]);
		}
		break;
	default:
		break;
	}
	return 0;
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
