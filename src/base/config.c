/* config: settings file, defaults and XDG paths. See config.h. */
#include "config.h"
#include "regfile.h"
#include "esc.h"
#include "vocab.h"
#include "vec.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/emotune"
#endif

/* Every known setting with its type, default and accepted values: a number
 * in [min, max] (both 0: any int / any finite number), a word of choices. */
static const struct config_key keys[] = {
	{ "source",      CONFIG_STR,   NULL,   "capture source: v4l2:/dev/videoN, file:PATH or test (default: first camera, else the demo source)", 0, 0, NULL },
	{ "camera",      CONFIG_BOOL,  "yes",  "use the camera at all (--no-camera turns it off)", 0, 0, NULL },
	{ "music",       CONFIG_STR,   NULL,   "music library roots, separated by ':' (default: the bundled demo music)", 0, 0, NULL },
	{ "db",          CONFIG_STR,   NULL,   "library database (default $XDG_DATA_HOME/emotune/library.db)", 0, 0, NULL },
	{ "playlists",   CONFIG_STR,   NULL,   "folder of saved playlists (default $XDG_DATA_HOME/emotune/playlists)", 0, 0, NULL },
	{ "autoplay",    CONFIG_BOOL,  "yes",  "the UI starts playing by itself once the first mood is known (or after a few seconds without a face); a key pressed before keeps control", 0, 0, NULL },
	{ "net",         CONFIG_STR,   NULL,   "emotion network cfg (default nets/emotion.cfg)", 0, 0, NULL },
	{ "weights",     CONFIG_STR,   NULL,   "emotion network weights (default weights/emotion.weights)", 0, 0, NULL },
	{ "cascade",     CONFIG_STR,   NULL,   "face detector cascade XML (default OpenCV's haarcascade_frontalface_default.xml)", 0, 0, NULL },
	{ "audio",       CONFIG_STR,   NULL,   "libao driver: a driver name, null, or wav:FILE (default: libao's default driver)", 0, 0, NULL },
	{ "normalize",   CONFIG_BOOL,  "yes",  "loudness normalisation toward target_lufs", 0, 0, NULL },
	{ "target_lufs", CONFIG_FLOAT, "-18",  "loudness normalisation target in LUFS", -70, 0, NULL },
	{ "volume",      CONFIG_INT,   "100",  "software volume 0-100", 0, 100, NULL },
	{ "strategy",    CONFIG_STR,   "match","recommendation strategy: match, uplift or calm", 0, 0, VOCAB_STRATEGY_WORDS },
	{ "window",      CONFIG_FLOAT, "3",    "mood window in seconds", 0.1, 60, NULL },
	{ "hysteresis",  CONFIG_FLOAT, "1",    "seconds a new emotion must lead before the mood changes", 0, 60, NULL },
	{ "threshold",   CONFIG_FLOAT, "0.4",  "mean probability below which the mood is 'uncertain'", 0, 1, NULL },
	{ "group",       CONFIG_STR,   "weighted", "group mood of several faces: weighted (size and confidence) or mean", 0, 0, "weighted mean" },
	{ "no_repeat",   CONFIG_INT,   "20",   "tracks played recently that are not picked again", 0, 100000, NULL },
	{ "seed",        CONFIG_INT,   "1",    "random seed for recommendation diversity", 0, 0, NULL },
	{ "jobs",        CONFIG_INT,   "0",    "analysis threads for scans (0: all cores)", 0, 1024, NULL },
	{ "pace",        CONFIG_BOOL,  "yes",  "pace file and test capture sources at their frame rate (no: as fast as they decode; for tests)", 0, 0, NULL },
	{ "tta",         CONFIG_BOOL,  "yes",  "live pipeline: classify each face and its mirror image, averaged (no: one pass, half the cost)", 0, 0, NULL },
	{ "preview_fps", CONFIG_FLOAT, "5",    "face preview refreshes a second in the UI (0: off; bounds the bytes sent to the terminal)", 0, 60, NULL },
	{ "history",     CONFIG_BOOL,  "yes",  "keep the mood history in the library database (emotune history; no images)", 0, 0, NULL },
	{ "history_days", CONFIG_INT,  "90",   "days of mood history kept (older rows are removed at start; 0: keep all)", 0, 36500, NULL },
	{ "color",       CONFIG_BOOL,  "yes",  "use colours in the UI (NO_COLOR in the environment turns them off)", 0, 0, NULL },
	{ NULL, 0, NULL, NULL, 0, 0, NULL },
};

struct entry {
	char *key;
	char *value;
};

struct config {
	struct entry *v;
	size_t n, cap;
	char why[320];  /* "key: reason" of the last refused value */
};

const struct config_key *config_keys(void)
{
	return keys;
}

static const struct config_key *find_key(const char *name)
{
	for (const struct config_key *k = keys; k->name; k++)
		if (strcmp(k->name, name) == 0)
			return k;
	return NULL;
}

struct config *config_new(void)
{
	return calloc(1, sizeof(struct config));
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->n; i++) {
		free(cfg->v[i].key);
		free(cfg->v[i].value);
	}
	free(cfg->v);
	free(cfg);
}

int config_parse_bool(const char *s)
{
	static const char *yes[] = { "1", "yes", "true", "on" };
	static const char *no[] = { "0", "no", "false", "off" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0)
			return 1;
		if (strcasecmp(s, no[i]) == 0)
			return 0;
	}
	return -1;
}

/* Is word one of the space-separated words of list? */
static int one_of(const char *list, const char *word)
{
	size_t len = strlen(word);
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, " ");
		if (l == len && strncmp(p, word, l) == 0)
			return 1;
		p += l;
		p += *p == ' ';
	}
	return 0;
}

int config_check(const char *key, const char *value, char *why, size_t n)
{
	const struct config_key *k = find_key(key);
	char shown[128];
	char *end;
	double v = 0;
	if (!k)
		return 0;
	esc_text(shown, sizeof shown, value, 0);
	switch (k->type) {
	case CONFIG_STR:
		if (k->choices && !one_of(k->choices, value)) {
			snprintf(why, n, "%s: '%s' is not one of: %s", key, shown, k->choices);
			return CONFIG_EVALUE;
		}
		return 0;
	case CONFIG_BOOL:
		if (config_parse_bool(value) < 0) {
			snprintf(why, n, "%s: '%s' is not yes or no", key, shown);
			return CONFIG_EVALUE;
		}
		return 0;
	case CONFIG_INT: {
		errno = 0;
		long l = strtol(value, &end, 10);
		if (end == value || *end) {
			snprintf(why, n, "%s: '%s' is not an integer", key, shown);
			return CONFIG_EVALUE;
		}
		if (errno || l < INT_MIN || l > INT_MAX) {
			snprintf(why, n, "%s: %s is out of range", key, shown);
			return CONFIG_EVALUE;
		}
		v = (double)l;
		break;
	}
	case CONFIG_FLOAT:
		v = strtod(value, &end);
		if (end == value || *end) {
			snprintf(why, n, "%s: '%s' is not a number", key, shown);
			return CONFIG_EVALUE;
		}
		if (!isfinite(v)) {
			snprintf(why, n, "%s: %s is not a finite number", key, shown);
			return CONFIG_EVALUE;
		}
		break;
	}
	if ((k->min != 0 || k->max != 0) && !(v >= k->min && v <= k->max)) {
		snprintf(why, n, "%s: %s is out of range (%g to %g)", key, shown, k->min, k->max);
		return CONFIG_EVALUE;
	}
	return 0;
}

static int append(struct config *cfg, const char *key, const char *value)
{
	if (vec_grow(&cfg->v, &cfg->cap, cfg->n + 1, sizeof *cfg->v, 16))
		return CONFIG_ENOMEM;
	char *k = strdup(key), *val = strdup(value);
	if (!k || !val) {
		free(k);
		free(val);
		return CONFIG_ENOMEM;
	}
	cfg->v[cfg->n].key = k;
	cfg->v[cfg->n].value = val;
	cfg->n++;
	return 0;
}

int config_set(struct config *cfg, const char *key, const char *value)
{
	int err = config_check(key, value, cfg->why, sizeof cfg->why);
	if (err)
		return err;
	if (strncmp(key, "bind.", 5) == 0)
		return append(cfg, key, value);
	for (size_t i = 0; i < cfg->n; i++) {
		if (strcmp(cfg->v[i].key, key) == 0) {
			char *val = strdup(value);
			if (!val)
				return CONFIG_ENOMEM;
			free(cfg->v[i].value);
			cfg->v[i].value = val;
			return 0;
		}
	}
	return append(cfg, key, value);
}

const char *config_get(const struct config *cfg, const char *key)
{
	for (size_t i = cfg->n; i-- > 0;)
		if (strcmp(cfg->v[i].key, key) == 0)
			return cfg->v[i].value;
	const struct config_key *k = find_key(key);
	return k ? k->def : NULL;
}

int config_get_int(const struct config *cfg, const char *key, int def)
{
	const char *s = config_get(cfg, key);
	char *end;
	if (!s)
		return def;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < INT_MIN || v > INT_MAX)
		return def;
	return (int)v;
}

double config_get_float(const struct config *cfg, const char *key, double def)
{
	const char *s = config_get(cfg, key);
	char *end;
	if (!s)
		return def;
	double v = strtod(s, &end);
	return (end == s || *end) ? def : v;
}

int config_get_bool(const struct config *cfg, const char *key, int def)
{
	const char *s = config_get(cfg, key);
	int b = s ? config_parse_bool(s) : -1;
	return b < 0 ? def : b;
}

void config_each(const struct config *cfg, const char *prefix,
		 void (*fn)(const char *key, const char *value, void *arg), void *arg)
{
	size_t len = strlen(prefix);
	for (size_t i = 0; i < cfg->n; i++)
		if (strncmp(cfg->v[i].key, prefix, len) == 0)
			fn(cfg->v[i].key, cfg->v[i].value, arg);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

enum { LINE_MAX_BYTES = 4096 };

/* Reads one line (without its newline) into buf[LINE_MAX_BYTES]: 1, 0 at
 * the end of the file, or a negative config_err with why set. Stops
 * reading at the limit, so an endless line costs nothing. */
static int read_line(FILE *f, char *buf, char *why, size_t n)
{
	size_t len = 0;
	int c, nul = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (c == 0)
			nul = 1;
		if (len + 1 >= LINE_MAX_BYTES) {
			snprintf(why, n, "line too long (more than %d bytes)", LINE_MAX_BYTES - 1);
			return CONFIG_ESYNTAX;
		}
		buf[len++] = (char)c;
	}
	buf[len] = 0;
	if (ferror(f)) {
		snprintf(why, n, "%s", strerror(errno));
		return CONFIG_EIO;
	}
	if (nul) {
		snprintf(why, n, "NUL byte in the line");
		return CONFIG_ESYNTAX;
	}
	return c == EOF && len == 0 ? 0 : 1;
}

int config_load(struct config *cfg, const char *path, int *line)
{
	FILE *f = regfile_fopen(path);
	struct config *tmp;
	char *buf;
	int lineno = 0, err = 0, r;
	if (!f)
		return errno == ENOENT ? CONFIG_ENOENT : CONFIG_EIO;
	tmp = config_new();
	buf = malloc(LINE_MAX_BYTES);
	if (!tmp || !buf) {
		fclose(f);
		free(buf);
		config_free(tmp);
		return CONFIG_ENOMEM;
	}
	cfg->why[0] = 0;
	while ((r = read_line(f, buf, cfg->why, sizeof cfg->why)) > 0) {
		lineno++;
		char *s = trim(buf);
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			err = CONFIG_ESYNTAX;
			break;
		}
		*eq = '\0';
		char *key = trim(s), *value = trim(eq + 1);
		if (!*key) {
			err = CONFIG_ESYNTAX;
			break;
		}
		if (!find_key(key) && strncmp(key, "bind.", 5) != 0) {
			char shown[256];
			fprintf(stderr, "emotune: %s:%d: unknown setting '%s' ignored\n", path, lineno,
				esc_text(shown, sizeof shown, key, 0));
		}
		if ((err = config_set(tmp, key, value)) != 0) {
			snprintf(cfg->why, sizeof cfg->why, "%s", tmp->why);
			break;
		}
	}
	if (r < 0) {
		err = r;
		lineno++;
	}
	fclose(f);
	free(buf);
	/* All or nothing: a refused file changes no setting. */
	for (size_t i = 0; !err && i < tmp->n; i++)
		err = config_set(cfg, tmp->v[i].key, tmp->v[i].value);
	config_free(tmp);
	if (err == CONFIG_ESYNTAX && !cfg->why[0])
		snprintf(cfg->why, sizeof cfg->why, "%s", config_strerror(err));
	if (err && line)
		*line = lineno;
	return err;
}

const char *config_why(const struct config *cfg)
{
	return cfg->why;
}

static int join(char *buf, size_t n, const char *a, const char *b, const char *c)
{
	int len = snprintf(buf, n, "%s%s%s%s%s", a, b ? "/" : "", b ? b : "",
			   c && *c ? "/" : "", c ? c : "");
	return (len < 0 || (size_t)len >= n) ? CONFIG_ENOMEM : 0;
}

/* $VAR if set and absolute, else $HOME/fallback. */
static int xdg(char *buf, size_t n, const char *var, const char *fallback, const char *name)
{
	const char *v = getenv(var);
	if (v && v[0] == '/')
		return join(buf, n, v, "emotune", name);
	const char *home = getenv("HOME");
	if (!home || !*home)
		home = "/tmp";
	char base[PATH_MAX];
	if (join(base, sizeof base, home, fallback, NULL))
		return CONFIG_ENOMEM;
	return join(buf, n, base, "emotune", name);
}

int config_path_file(char *buf, size_t n)
{
	return xdg(buf, n, "XDG_CONFIG_HOME", ".config", "config");
}

int config_path_data(char *buf, size_t n, const char *name)
{
	return xdg(buf, n, "XDG_DATA_HOME", ".local/share", name);
}

int config_db_path(const struct config *c, char *buf, size_t n)
{
	const char *db = config_get(c, "db");
	if (db && *db)
		return snprintf(buf, n, "%s", db) < (int)n ? 0 : -1;
	return config_path_data(buf, n, "library.db");
}

int config_path_state(char *buf, size_t n, const char *name)
{
	return xdg(buf, n, "XDG_STATE_HOME", ".local/state", name);
}

int config_path_runtime(char *buf, size_t n, const char *name)
{
	const char *v = getenv("XDG_RUNTIME_DIR");
	if (v && v[0] == '/')
		return join(buf, n, v, "emotune", name);
	char base[64];
	snprintf(base, sizeof base, "/tmp/emotune-%ld", (long)getuid());
	return join(buf, n, base, NULL, name);
}

static int is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int config_path_share(char *buf, size_t n, const char *name)
{
	const char *env = getenv("EMOTUNE_DATADIR");
	if (env && *env)
		return join(buf, n, env, NULL, name);
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (len > 0) {
		exe[len] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			/* <exe>/.. is the build tree (nets/ linked there by make),
			 * <exe>/../share/emotune an installed, relocated prefix. */
			static const char *rel[] = { "..", "../share/emotune" };
			for (size_t i = 0; i < 2; i++) {
				char dir[PATH_MAX], probe[PATH_MAX];
				if (join(dir, sizeof dir, exe, rel[i], NULL) ||
				    join(probe, sizeof probe, dir, "nets", NULL))
					continue;
				if (is_dir(probe))
					return join(buf, n, dir, NULL, name);
			}
		}
	}
	return join(buf, n, PKGDATADIR, NULL, name);
}

int config_path_setting(const struct config *cfg, const char *key, const char *rel,
			char *buf, size_t n)
{
	const char *v = config_get(cfg, key);
	if (v && *v) {
		int len = snprintf(buf, n, "%s", v);
		return (len < 0 || (size_t)len >= n) ? CONFIG_ENOMEM : 0;
	}
	return config_path_share(buf, n, rel);
}

int config_mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof tmp, "%s", path) >= (int)sizeof tmp)
		return CONFIG_ENOMEM;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return CONFIG_EIO;
		*p = '/';
	}
	return 0;
}

const char *config_strerror(int err)
{
	switch (err) {
	case CONFIG_OK: return "success";
	case CONFIG_ENOMEM: return "out of memory or path too long";
	case CONFIG_EIO: return regfile_strerror(errno);
	case CONFIG_ESYNTAX: return "expected 'key = value'";
	case CONFIG_EVALUE: return "value out of the setting's type or range";
	case CONFIG_ENOENT: return "no such file";
	}
	return "unknown error";
}
