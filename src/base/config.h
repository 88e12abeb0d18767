/*
 * config: settings (defaults < settings file < command line) and the XDG
 * paths emotune uses.
 *
 * The settings file is `key = value` lines; `#` starts a comment; blank lines
 * are ignored. Known keys and their defaults are listed by config_keys() and
 * documented in emotune(1). Keys starting with "bind." are key bindings for
 * the UI and may repeat. Unknown keys give a warning, not an error; a known
 * key's value out of its type or range is an error.
 *
 * Ownership: config_new() returns an object the caller frees with
 * config_free(). Strings returned by config_get() are borrowed: valid until
 * the key is set again or the object is freed.
 */
#ifndef EMOTUNE_CONFIG_H
#define EMOTUNE_CONFIG_H

#include <stddef.h>

enum config_err {
	CONFIG_OK = 0,
	CONFIG_ENOMEM = -1,   /* out of memory */
	CONFIG_EIO = -2,      /* the file could not be read (see errno) */
	CONFIG_ESYNTAX = -3,  /* a line is not `key = value` */
	CONFIG_EVALUE = -4,   /* a value is not of the key's type */
	CONFIG_ENOENT = -5,   /* no such file */
};

/* One known setting: its name, type and default, documented in emotune(1). */
enum config_type { CONFIG_STR, CONFIG_INT, CONFIG_FLOAT, CONFIG_BOOL };
struct config_key {
	const char *name;
	enum config_type type;
	const char *def;      /* default value as text; NULL: unset */
	const char *help;
	double min, max;      /* CONFIG_INT/FLOAT: accepted range; both 0: any
			       * int / any finite number */
	const char *choices;  /* CONFIG_STR: accepted words, space-separated;
			       * NULL: any text */
};

struct config;

struct config *config_new(void);
void config_free(struct config *cfg);

/* Table of known keys, terminated by a NULL name. */
const struct config_key *config_keys(void);

/* Reads a settings file. Returns 0 or a negative config_err; on
 * CONFIG_ESYNTAX/CONFIG_EVALUE (and a read error) *line (if not NULL) is
 * the offending line and config_why() says why. All or nothing: a refused
 * file changes no setting. Lines are at most 4095 bytes; a NUL byte is
 * refused. Unknown keys are accepted with a warning on stderr (the key's
 * non-printable bytes escaped). */
int config_load(struct config *cfg, const char *path, int *line);

/* Sets a key (copying value) after config_check(); on CONFIG_EVALUE
 * config_why() says why. */
int config_set(struct config *cfg, const char *key, const char *value);

/* Checks value against key's type and range (see config_keys()): 0, or
 * CONFIG_EVALUE with "key: why" (value escaped) written to why[n].
 * Unknown keys and bind.* are not checked here. */
int config_check(const char *key, const char *value, char *why, size_t n);

/* "key: why" for the last value config_set/config_load refused, or the
 * syntax error of config_load's failing line. Borrowed. */
const char *config_why(const struct config *cfg);

/* The value of key, or its default, or NULL. */
const char *config_get(const struct config *cfg, const char *key);
int config_get_int(const struct config *cfg, const char *key, int def);
double config_get_float(const struct config *cfg, const char *key, double def);
int config_get_bool(const struct config *cfg, const char *key, int def);

/* Calls fn for each set key starting with prefix, in the order set. */
void config_each(const struct config *cfg, const char *prefix,
		 void (*fn)(const char *key, const char *value, void *arg), void *arg);

/* Parses a boolean (yes/no, true/false, on/off, 1/0): 1, 0, or -1 if none. */
int config_parse_bool(const char *s);

/*
 * Paths. Each writes into buf (size n) and returns 0, or CONFIG_ENOMEM when
 * the path does not fit. The directories are not created: see
 * config_mkdirs().
 *   config_path_file:     $XDG_CONFIG_HOME/emotune/config
 *   config_path_data:     $XDG_DATA_HOME/emotune/<name>     (library.db, ...)
 *   config_path_state:    $XDG_STATE_HOME/emotune/<name>    (resume state)
 *   config_path_runtime:  $XDG_RUNTIME_DIR/emotune/<name>   (socket)
 *   config_path_share:    installed read-only data (nets/, weights/, music/):
 *                         $EMOTUNE_DATADIR, else the first of
 *                         <exe>/.. (build tree) and <exe>/../share/emotune
 *                         that holds nets/, else the configured pkgdatadir.
 */
int config_path_file(char *buf, size_t n);
int config_path_data(char *buf, size_t n, const char *name);
int config_path_state(char *buf, size_t n, const char *name);
int config_path_runtime(char *buf, size_t n, const char *name);
int config_path_share(char *buf, size_t n, const char *name);
/* The library database: the `db` setting (--db) when set, else
 * config_path_data's library.db. 0, or -1 when it does not fit in n. */
int config_db_path(const struct config *c, char *buf, size_t n);

/* The path in setting key if set, else config_path_share(rel): for model
 * files (net -> nets/emotion.cfg, weights -> weights/emotion.weights). */
int config_path_setting(const struct config *cfg, const char *key, const char *rel,
			char *buf, size_t n);

/* Creates every missing directory above path (mode 0700). 0 or CONFIG_EIO. */
int config_mkdirs(const char *path);

const char *config_strerror(int err);

#endif
