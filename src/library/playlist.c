/*
 * playlist: M3U/M3U8 reading and writing (see playlist.h).
 */
#include "playlist.h"
#include "regfile.h"
#include "vec.h"
#include "why.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int playlist_add(struct playlist *pl, const char *path, const char *artist,
		 const char *title, double duration)
{
	if (pl->n >= PLAYLIST_MAX_ENTRIES)
		return PLAYLIST_ETOOBIG;
	if (vec_grow(&pl->v, &pl->cap, pl->n + 1, sizeof *pl->v, 16))
		return PLAYLIST_ENOMEM;
	struct playlist_entry *e = &pl->v[pl->n];
	*e = (struct playlist_entry){ .path = strdup(path), .artist = dup_or_null(artist),
				      .title = dup_or_null(title), .duration = duration,
				      .state = PLAYLIST_PRESENT };
	if (!e->path || (artist && !e->artist) || (title && !e->title)) {
		free(e->path);
		free(e->artist);
		free(e->title);
		return PLAYLIST_ENOMEM;
	}
	pl->n++;
	return 0;
}

static void entry_free(struct playlist_entry *e)
{
	free(e->path);
	free(e->artist);
	free(e->title);
}

int playlist_remove(struct playlist *pl, size_t i)
{
	if (i >= pl->n)
		return PLAYLIST_ERANGE;
	entry_free(&pl->v[i]);
	memmove(&pl->v[i], &pl->v[i + 1], (pl->n - i - 1) * sizeof pl->v[0]);
	pl->n--;
	return 0;
}

int playlist_move(struct playlist *pl, size_t from, size_t to)
{
	if (from >= pl->n || to >= pl->n)
		return PLAYLIST_ERANGE;
	struct playlist_entry e = pl->v[from];
	if (from < to)
		memmove(&pl->v[from], &pl->v[from + 1], (to - from) * sizeof e);
	else
		memmove(&pl->v[to + 1], &pl->v[to], (from - to) * sizeof e);
	pl->v[to] = e;
	return 0;
}

void playlist_clear(struct playlist *pl)
{
	for (size_t i = 0; i < pl->n; i++)
		entry_free(&pl->v[i]);
	free(pl->v);
	*pl = (struct playlist){ 0 };
}

/* --- reading */

/* One line of f into buf (size PLAYLIST_LINE_MAX + 1), without its end
 * (\n, \r\n or \r). Returns 1 for a line, 0 at the end of the file; *nul
 * and *long_line say whether it held a NUL byte or was cut. */
static int read_line(FILE *f, char *buf, int *nul, int *long_line)
{
	size_t len = 0;
	int c, any = 0;
	*nul = *long_line = 0;
	while ((c = getc(f)) != EOF) {
		any = 1;
		if (c == '\n')
			break;
		if (c == '\r') {
			int d = getc(f);
			if (d != '\n' && d != EOF)
				ungetc(d, f);
			break;
		}
		if (c == 0)
			*nul = 1;
		if (len < PLAYLIST_LINE_MAX)
			buf[len++] = (char)c;
		else
			*long_line = 1;
	}
	buf[len] = 0;
	return any;
}

/* "#EXTINF:" already removed: "SECONDS[ attributes],ARTIST - TITLE". */
static void parse_extinf(const char *s, double *duration, char **artist, char **title)
{
	char *end;
	double d = strtod(s, &end);
	*duration = end != s && d >= 0 ? d : -1;
	int quoted = 0;
	const char *p = end;
	for (; *p && (quoted || *p != ','); p++)   /* skip key="value" attributes */
		if (*p == '"')
			quoted = !quoted;
	free(*artist);
	free(*title);
	*artist = *title = NULL;
	if (*p != ',')
		return;
	p++;
	while (*p == ' ')
		p++;
	const char *dash = strstr(p, " - ");
	if (dash) {
		*artist = strndup(p, (size_t)(dash - p));
		*title = strdup(dash + 3);
	} else if (*p) {
		*title = strdup(p);
	}
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decodes s in place (a bad escape stays as it is; %00 too). */
static void percent_decode(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 &&
		    (hi | lo)) {
			*o++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
}

/* 1 if s starts with a URI scheme ("http://", ...). */
static int has_scheme(const char *s)
{
	if (!isalpha((unsigned char)*s))
		return 0;
	while (isalnum((unsigned char)*s) || *s == '+' || *s == '-' || *s == '.')
		s++;
	return strncmp(s, "://", 3) == 0;
}

/* The entry's path for line (malloc'd), or NULL with *other_uri set for a
 * URI we do not read (or NULL on memory failure). */
static char *entry_path(const char *line, const char *dir, int *other_uri)
{
	*other_uri = 0;
	if (strncmp(line, "file://", 7) == 0) {
		const char *p = line + 7;
		if (strncmp(p, "localhost/", 10) == 0)
			p += 9;
		if (*p != '/') {
			*other_uri = 1;
			return NULL;
		}
		char *s = strdup(p);
		if (s)
			percent_decode(s);
		return s;
	}
	if (has_scheme(line)) {
		*other_uri = 1;
		return NULL;
	}
	if (line[0] == '/' || !dir[0])
		return strdup(line);
	size_t n = strlen(dir) + strlen(line) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s", dir, line);
	return s;
}

/* The folder of path into dir (size n): "" for a bare name. */
static void dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;
	if (slash && len == 0)
		len = 1;                                /* "/x.m3u" */
	if (len >= n)
		len = n - 1;
	memcpy(dir, path, len);
	dir[len] = 0;
}

/* Adds the entry of one path line; 0 or a negative playlist_err. */
static int load_entry(struct playlist *pl, const char *line, const char *dir,
		      char *artist, char *title, double duration)
{
	int other;
	char *path = entry_path(line, dir, &other);
	if (!path) {
		if (!other)
			return PLAYLIST_ENOMEM;
		pl->skips.other_uri++;
		return 0;
	}
	struct stat st;
	enum playlist_state state = PLAYLIST_PRESENT;
	if (stat(path, &st) < 0) {
		state = PLAYLIST_MISSING;
	} else if (!S_ISREG(st.st_mode)) {
		pl->skips.not_regular++;
		free(path);
		return 0;
	}
	int rc = playlist_add(pl, path, artist, title, duration);
	free(path);
	if (rc == 0)
		pl->v[pl->n - 1].state = state;
	return rc;
}

int playlist_load(struct playlist *pl, const char *path, char *why, size_t n)
{
	FILE *f = regfile_fopen(path);
	if (!f) {
		why_set(why, n, "%s", regfile_strerror(errno));
		return PLAYLIST_EIO;
	}
	char dir[4096];
	dir_of(path, dir, sizeof dir);
	char *buf = malloc(PLAYLIST_LINE_MAX + 1);
	if (!buf) {
		fclose(f);
		return PLAYLIST_ENOMEM;
	}
	pl->skips = (struct playlist_skips){ 0 };
	char *artist = NULL, *title = NULL;
	double duration = -1;
	int rc = 0, nul, cut, first = 1;
	while (rc == 0 && read_line(f, buf, &nul, &cut)) {
		char *line = buf;
		if (first && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB &&
		    (unsigned char)line[2] == 0xBF)
			line += 3;                            /* UTF-8 BOM */
		first = 0;
		if (nul || cut) {
			if (nul)
				pl->skips.binary++;
			else
				pl->skips.too_long++;
			continue;
		}
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			continue;
		if (*line == '#') {
			if (strncmp(line, "#EXTINF:", 8) == 0)
				parse_extinf(line + 8, &duration, &artist, &title);
			continue;
		}
		rc = load_entry(pl, line, dir, artist, title, duration);
		free(artist);
		free(title);
		artist = title = NULL;
		duration = -1;
	}
	if (rc == 0 && ferror(f)) {
		why_set(why, n, "%s", strerror(errno));
		rc = PLAYLIST_EIO;
	} else if (rc == PLAYLIST_ETOOBIG) {
		why_set(why, n, "more than %d entries", PLAYLIST_MAX_ENTRIES);
	} else if (rc) {
		why_set(why, n, "%s", playlist_strerror(rc));
	}
	free(artist);
	free(title);
	free(buf);
	fclose(f);
	return rc;
}

/* --- writing */

/* Writes s with line breaks replaced by spaces. */
static void put_field(FILE *f, const char *s)
{
	for (; *s; s++)
		putc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

void playlist_write(const struct playlist *pl, FILE *f, const char *dir, size_t *left_out)
{
	size_t dl = strlen(dir);
	fputs("#EXTM3U\n", f);
	for (size_t i = 0; i < pl->n; i++) {
		const struct playlist_entry *e = &pl->v[i];
		if (strpbrk(e->path, "\r\n")) {
			(*left_out)++;
			continue;
		}
		fprintf(f, "#EXTINF:%.0f,", e->duration < 0 ? -1 : e->duration);
		if (e->artist && e->title) {
			put_field(f, e->artist);
			fputs(" - ", f);
		}
		put_field(f, e->title ? e->title : e->artist ? e->artist : "");
		putc('\n', f);
		const char *p = e->path;
		if (dl && strncmp(p, dir, dl) == 0 && p[dl] == '/' && p[dl + 1])
			p += dl + 1;
		fprintf(f, "%s\n", p);
	}
}

int playlist_save(const struct playlist *pl, const char *path, size_t *left_out,
		  char *why, size_t n)
{
	size_t skipped = 0;
	char dir[4096], tmp[4200];
	dir_of(path, dir, sizeof dir);
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmpXXXXXX", path) >= sizeof tmp) {
		why_set(why, n, "path too long");
		return PLAYLIST_EIO;
	}
	int fd = mkstemp(tmp);
	if (fd < 0) {
		why_set(why, n, "%s", strerror(errno));
		return PLAYLIST_EIO;
	}
	FILE *f = fchmod(fd, 0644) == 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		why_set(why, n, "%s", strerror(errno));
		close(fd);
		unlink(tmp);
		return PLAYLIST_EIO;
	}
	char absdir[4096] = "";
	if (dir[0] == '/' || !dir[0] || !realpath(dir, absdir))
		snprintf(absdir, sizeof absdir, "%s", dir);
	playlist_write(pl, f, absdir, &skipped);
	int bad = fflush(f) != 0 || fsync(fileno(f)) != 0;
	int err = errno;
	if (fclose(f) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	if (!bad && rename(tmp, path) != 0) {
		bad = 1;
		err = errno;
	}
	if (bad) {
		why_set(why, n, "%s", strerror(err));
		unlink(tmp);
		return PLAYLIST_EIO;
	}
	if (left_out)
		*left_out = skipped;
	return 0;
}

/* --- names */

int playlist_name_check(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len > PLAYLIST_NAME_MAX || name[0] == '.' || strchr(name, '/'))
		return PLAYLIST_ENAME;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return PLAYLIST_ENAME;
	return 0;
}

/* The length of name without a .m3u8/.m3u extension, or 0 if it has none. */
static size_t stem_len(const char *name)
{
	size_t len = strlen(name);
	if (len > 5 && strcmp(name + len - 5, ".m3u8") == 0)
		return len - 5;
	if (len > 4 && strcmp(name + len - 4, ".m3u") == 0)
		return len - 4;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void playlist_names_free(char **names, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

int playlist_names(const char *dir, char ***names, size_t *count, char *why, size_t n)
{
	*names = NULL;
	*count = 0;
	DIR *d = opendir(dir);
	if (!d) {
		if (errno == ENOENT)
			return 0;
		why_set(why, n, "%s", strerror(errno));
		return PLAYLIST_EIO;
	}
	char **v = NULL;
	size_t nv = 0, cap = 0;
	int rc = 0;
	struct dirent *de;
	while (rc == 0 && (de = readdir(d))) {
		size_t stem = stem_len(de->d_name);
		struct stat st;
		if (!stem || de->d_name[0] == '.' ||
		    fstatat(dirfd(d), de->d_name, &st, 0) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (vec_grow(&v, &cap, nv + 1, sizeof *v, 16)) {
			rc = PLAYLIST_ENOMEM;
			break;
		}
		if (!(v[nv] = strndup(de->d_name, stem)))
			rc = PLAYLIST_ENOMEM;
		else
			nv++;
	}
	closedir(d);
	if (rc) {
		playlist_names_free(v, nv);
		why_set(why, n, "%s", playlist_strerror(rc));
		return rc;
	}
	if (nv)
		qsort(v, nv, sizeof *v, cmp_str);
	size_t o = 0;                              /* x.m3u and x.m3u8: one name */
	for (size_t i = 0; i < nv; i++) {
		if (o && strcmp(v[o - 1], v[i]) == 0)
			free(v[i]);
		else
			v[o++] = v[i];
	}
	*names = v;
	*count = o;
	return 0;
}

const char *playlist_strerror(int err)
{
	switch (err) {
	case PLAYLIST_OK: return "success";
	case PLAYLIST_ENOMEM: return "out of memory";
	case PLAYLIST_EIO: return "input/output error";
	case PLAYLIST_ENAME: return "not a valid playlist name (1-200 bytes, no '/', no control bytes, not starting with '.')";
	case PLAYLIST_ERANGE: return "no such entry";
	case PLAYLIST_ETOOBIG: return "too many entries";
	}
	return "unknown error";
}
