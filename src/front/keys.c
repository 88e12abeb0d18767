/* keys: the UI's key table (dispatch and help). See keys.h. */
#include "keys.h"
#include "config.h"
#include "vec.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct keys {
	struct keys_binding *v;
	size_t n, cap;
};

#define CTRL(c) ((c) & 0x1f)

/* The defaults, in the order the help overlay lists them. */
static const struct {
	int key;
	const char *command;
} defaults[] = {
	{ 'k', "up" }, { KEY_UP, "up" },
	{ 'j', "down" }, { KEY_DOWN, "down" },
	{ KEY_PPAGE, "page-up" }, { CTRL('b'), "page-up" },
	{ KEY_NPAGE, "page-down" }, { CTRL('f'), "page-down" },
	{ 'g', "top" }, { KEY_HOME, "top" },
	{ 'G', "bottom" }, { KEY_END, "bottom" },
	{ '\n', "activate" },
	{ 'e', "enqueue-selected" },
	{ ' ', "toggle" },
	{ 'n', "next" },
	{ 'p', "prev" },
	{ KEY_LEFT, "seek -5" }, { KEY_RIGHT, "seek +5" },
	{ '[', "seek -30" }, { ']', "seek +30" },
	{ '+', "volume +5" }, { '=', "volume +5" },
	{ '-', "volume -5" },
	{ 'N', "normalize toggle" },
	{ '/', "search" },
	{ '\t', "pane-next" },
	{ '1', "view queue" }, { '2', "view library" }, { '3', "view shows" },
	{ '4', "view timeline" }, { '5', "view playlists" },
	{ 's', "strategy next" },
	{ 'l', "like" },
	{ 'd', "dislike" },
	{ 'm', "pick-mood" },
	{ 'a', "auto" },
	{ 'c', "camera toggle" },
	{ 'v', "preview toggle" },
	{ CTRL('l'), "redraw" },
	{ '?', "help" },
	{ 'q', "quit" },
};

/* UI commands (handled by ui.c) and app commands, with their help. */
static const struct {
	const char *command;   /* exact line, or first word followed by " " */
	int ui;
	const char *help;
} described[] = {
	{ "up", 1, "move up" },
	{ "down", 1, "move down" },
	{ "page-up", 1, "page up" },
	{ "page-down", 1, "page down" },
	{ "top", 1, "first line" },
	{ "bottom", 1, "last line" },
	{ "activate", 1, "play the selected track (Enter)" },
	{ "enqueue-selected", 1, "add the selected track to the queue" },
	{ "search", 1, "search the library (type to filter, Enter/Esc)" },
	{ "pane-next", 1, "switch pane: queue, library, films & series, timeline, playlists" },
	{ "view queue", 1, "queue: upcoming tracks and why" },
	{ "view library", 1, "library (incremental search with /)" },
	{ "view shows", 1, "films and series for the mood" },
	{ "view timeline", 1, "mood timeline: valence/arousal, last hour (+/- zoom to a day)" },
	{ "view playlists", 1, "playlists: open, play, save the queue, edit (keys below)" },
	{ "view ", 1, "switch to a view" },
	{ "pick-mood", 1, "set the mood by hand (picker)" },
	{ "preview toggle", 1, "face preview on/off (saves bandwidth)" },
	{ "preview ", 1, "face preview on/off" },
	{ "redraw", 1, "redraw the screen" },
	{ "help", 1, "this help" },
	{ "quit", 1, "quit" },
	{ "toggle", 0, "pause / resume" },
	{ "play", 0, "play" },
	{ "pause", 0, "pause" },
	{ "stop", 0, "stop" },
	{ "next", 0, "next track" },
	{ "prev", 0, "previous track" },
	{ "seek -5", 0, "seek back 5 s" },
	{ "seek +5", 0, "seek forward 5 s" },
	{ "seek -30", 0, "seek back 30 s" },
	{ "seek +30", 0, "seek forward 30 s" },
	{ "seek ", 0, "seek" },
	{ "volume +5", 0, "volume up" },
	{ "volume -5", 0, "volume down" },
	{ "volume ", 0, "volume" },
	{ "normalize toggle", 0, "loudness normalisation on/off" },
	{ "normalize ", 0, "loudness normalisation" },
	{ "strategy next", 0, "cycle strategy: match, uplift, calm" },
	{ "strategy ", 0, "set the strategy" },
	{ "like", 0, "like the current track (for this mood)" },
	{ "dislike", 0, "dislike the current track (for this mood)" },
	{ "mood ", 0, "set the mood by hand" },
	{ "auto", 0, "mood from the camera again (automatic)" },
	{ "camera toggle", 0, "camera on/off" },
	{ "camera ", 0, "camera on/off" },
	{ "play-path ", 0, "play a file" },
	{ "enqueue ", 0, "enqueue a file" },
	{ "status", 0, "status" },
};

static int match_described(const char *cmd, size_t i)
{
	const char *d = described[i].command;
	size_t len = strlen(d);
	if (len && d[len - 1] == ' ')
		return strncmp(cmd, d, len) == 0;
	return strcmp(cmd, d) == 0;
}

const char *keys_describe(const char *command)
{
	for (size_t i = 0; i < sizeof described / sizeof described[0]; i++)
		if (match_described(command, i))
			return described[i].help;
	return command;
}

int keys_is_ui_command(const char *command)
{
	for (size_t i = 0; i < sizeof described / sizeof described[0]; i++)
		if (match_described(command, i))
			return described[i].ui;
	return 0;
}

static struct keys_binding *find(const struct keys *k, int key)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].key == key)
			return &k->v[i];
	return NULL;
}

static int set(struct keys *k, int key, const char *command)
{
	struct keys_binding *b = find(k, key);
	if (strcmp(command, "none") == 0) {
		if (b) {
			free(b->command);
			size_t i = (size_t)(b - k->v);
			memmove(&k->v[i], &k->v[i + 1], (k->n - i - 1) * sizeof(*b));
			k->n--;
		}
		return 0;
	}
	char *c = strdup(command);
	if (!c)
		return KEYS_ENOMEM;
	if (b) {
		free(b->command);
		b->command = c;
		return 0;
	}
	if (vec_grow(&k->v, &k->cap, k->n + 1, sizeof *k->v, 64)) {
		free(c);
		return KEYS_ENOMEM;
	}
	k->v[k->n++] = (struct keys_binding){ .key = key, .command = c };
	return 0;
}

struct keys *keys_new(void)
{
	struct keys *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (set(k, defaults[i].key, defaults[i].command)) {
			keys_free(k);
			return NULL;
		}
	return k;
}

void keys_free(struct keys *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++)
		free(k->v[i].command);
	free(k->v);
	free(k);
}

static const struct {
	const char *name;
	int key;
} names[] = {
	{ "Space", ' ' }, { "Enter", '\n' }, { "Tab", '\t' }, { "Esc", 27 },
	{ "Backspace", KEY_BACKSPACE }, { "Up", KEY_UP }, { "Down", KEY_DOWN },
	{ "Left", KEY_LEFT }, { "Right", KEY_RIGHT }, { "PgUp", KEY_PPAGE },
	{ "PgDn", KEY_NPAGE }, { "PgDown", KEY_NPAGE }, { "Home", KEY_HOME },
	{ "End", KEY_END }, { "Ins", KEY_IC }, { "Del", KEY_DC },
	{ "Return", '\n' }, { "Escape", 27 },
};

int keys_parse(const char *name)
{
	size_t len = strlen(name);
	if (len == 1 && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 127)
		return (unsigned char)name[0];
	if (len == 2 && name[0] == '^') {
		int c = (unsigned char)name[1];
		if (c >= 'a' && c <= 'z')
			return CTRL(c);
		if ((c >= '@' && c <= '_'))
			return c & 0x1f;
		return -1;
	}
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].key;
	if ((name[0] == 'f' || name[0] == 'F') && len >= 2 && len <= 3) {
		char *end;
		long f = strtol(name + 1, &end, 10);
		if (!*end && f >= 1 && f <= 12)
			return KEY_F((int)f);
	}
	return -1;
}

void keys_name(int key, char *buf, size_t n)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key) {
			snprintf(buf, n, "%s", names[i].name);
			return;
		}
	if (key > ' ' && key < 127)
		snprintf(buf, n, "%c", key);
	else if (key >= 0 && key < ' ')
		snprintf(buf, n, "^%c", key + '@');
	else if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(buf, n, "F%d", key - KEY_F(0));
	else
		snprintf(buf, n, "key%d", key);
}

int keys_bind(struct keys *k, const char *name, const char *command)
{
	int key = keys_parse(name);
	if (key < 0)
		return KEYS_EKEY;
	while (*command == ' ')
		command++;
	if (!*command)
		return KEYS_ECMD;
	return set(k, key, command);
}

struct load_ctx {
	struct keys *k;
	int err;
	char *msg;
	size_t n;
};

static void load_one(const char *key, const char *value, void *arg)
{
	struct load_ctx *c = arg;
	int err = keys_bind(c->k, key + strlen("bind."), value);
	if (err && !c->err) {
		c->err = err;
		if (c->msg && c->n)
			snprintf(c->msg, c->n, "%s: %s", key, keys_strerror(err));
	}
}

int keys_load(struct keys *k, const struct config *cfg, char *err, size_t n)
{
	struct load_ctx c = { .k = k, .msg = err, .n = n };
	if (err && n)
		err[0] = '\0';
	config_each(cfg, "bind.", load_one, &c);
	return c.err;
}

const char *keys_lookup(const struct keys *k, int key)
{
	if (key == '\r' || key == KEY_ENTER)
		key = '\n';
	if (key == 127 || key == 8)
		key = KEY_BACKSPACE;
	const struct keys_binding *b = find(k, key);
	return b ? b->command : NULL;
}

size_t keys_count(const struct keys *k)
{
	return k->n;
}

const struct keys_binding *keys_at(const struct keys *k, size_t i)
{
	return i < k->n ? &k->v[i] : NULL;
}

const char *keys_strerror(int err)
{
	switch (err) {
	case KEYS_OK: return "success";
	case KEYS_ENOMEM: return "out of memory";
	case KEYS_EKEY: return "unknown key name";
	case KEYS_ECMD: return "empty command";
	}
	return "unknown error";
}
