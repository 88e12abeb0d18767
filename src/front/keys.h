/*
 * keys: the UI's key table. One table both dispatches keys and generates
 * the `?` help overlay. A binding maps a key code (a character or a curses
 * KEY_* code) to a command line: either one of the app's commands
 * ("next", "seek +5", "volume -5", see app.h) or one of the UI's own
 * ("down", "search", "view library", see keys_describe()).
 *
 * Keys are rebound with `bind.KEY = COMMAND` lines in the settings file
 * (keys_load()); KEY is a character ("x", "+", "?"), or a name: space,
 * enter, tab, esc, backspace, up, down, left, right, pgup, pgdown, home,
 * end, ins, del, f1..f12, ^X (control). COMMAND "none" unbinds the key.
 *
 * Ownership: keys_new() returns a table the caller frees with keys_free();
 * strings returned by keys_lookup() and keys_at() are borrowed, valid until
 * the table changes.
 */
#ifndef EMOTUNE_KEYS_H
#define EMOTUNE_KEYS_H

#include <stddef.h>

struct config;

enum keys_err {
	KEYS_OK = 0,
	KEYS_ENOMEM = -1,
	KEYS_EKEY = -2,      /* unknown key name */
	KEYS_ECMD = -3,      /* empty or unknown command */
};

struct keys_binding {
	int key;             /* character or curses KEY_* code */
	char *command;       /* "next", "seek +5", "view library" */
};

struct keys;

/* A table holding the default bindings. NULL when out of memory. */
struct keys *keys_new(void);
void keys_free(struct keys *k);

/* Binds the key named name to command (copied); "none" unbinds it. */
int keys_bind(struct keys *k, const char *name, const char *command);

/* Applies every `bind.KEY = COMMAND` of cfg. Returns 0, or the first error
 * with "bind.KEY: why" in err (size n); the other bindings still apply. */
int keys_load(struct keys *k, const struct config *cfg, char *err, size_t n);

/* The command bound to key, or NULL. Borrowed. */
const char *keys_lookup(const struct keys *k, int key);

/* The bindings, in table order (defaults first, then added ones). */
size_t keys_count(const struct keys *k);
const struct keys_binding *keys_at(const struct keys *k, size_t i);

/* Key code of a key name, or -1. */
int keys_parse(const char *name);
/* Display name of a key code ("j", "Down", "Space", "^L"). */
void keys_name(int key, char *buf, size_t n);

/* One line describing a command for the help overlay; the command itself
 * where it is not a known one. Borrowed. */
const char *keys_describe(const char *command);

/* 1 when the command's first word is one of the UI's own commands, 0 when
 * it goes to the app. */
int keys_is_ui_command(const char *command);

const char *keys_strerror(int err);

#endif
