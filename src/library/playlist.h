/*
 * playlist: M3U/M3U8 playlists: reading those of any player, writing ours.
 *
 * Reading (playlist_load): a UTF-8 byte-order mark, CRLF or CR line ends,
 * blank lines and comments are accepted; `#EXTINF:SECONDS,ARTIST - TITLE`
 * gives the next entry's duration, artist and title (other `#` lines are
 * comments). An entry is a path, absolute or relative to the playlist's
 * folder, or a `file://` URI (percent-decoded; `file://localhost/` too).
 * Entries keep their order. An entry whose file does not exist is kept and
 * marked PLAYLIST_MISSING (shown as missing, never dropped). These lines are
 * skipped and counted in `struct playlist_skips`: an entry that is a folder,
 * FIFO or anything but a regular file, a line holding a NUL byte (binary
 * data), a line longer than PLAYLIST_LINE_MAX, a URI of another scheme
 * (http://...). Names are bytes: invalid UTF-8 is kept as it is.
 *
 * Writing (playlist_save): `#EXTM3U`, then per entry an `#EXTINF` line
 * (whole seconds, -1 when unknown; "ARTIST - TITLE", or the title alone) and
 * the path, relative to the playlist's folder when the track is below it,
 * else absolute. Written to a temporary file beside it, fsynced, renamed.
 * Entries whose path holds a line break cannot be written in M3U: they are
 * left out and counted.
 *
 * Ownership: a struct playlist is the caller's; playlist_load() and
 * playlist_add() fill it, playlist_clear() frees what it holds. Strings
 * inside entries belong to the playlist. Thread rules: no shared state; a
 * playlist may be used by one thread at a time.
 */
#ifndef EMOTUNE_PLAYLIST_H
#define EMOTUNE_PLAYLIST_H

#include <stddef.h>
#include <stdio.h>

enum playlist_err {
	PLAYLIST_OK = 0,
	PLAYLIST_ENOMEM = -1,   /* out of memory */
	PLAYLIST_EIO = -2,      /* the file could not be read or written (why says) */
	PLAYLIST_ENAME = -3,    /* a playlist name that cannot be a file name */
	PLAYLIST_ERANGE = -4,   /* an index out of range */
	PLAYLIST_ETOOBIG = -5,  /* more than PLAYLIST_MAX_ENTRIES entries */
};

#define PLAYLIST_LINE_MAX 8192          /* longest line read, in bytes */
#define PLAYLIST_MAX_ENTRIES 1000000    /* most entries in one playlist */
#define PLAYLIST_NAME_MAX 200           /* longest name, in bytes */

enum playlist_state { PLAYLIST_PRESENT, PLAYLIST_MISSING };

struct playlist_entry {
	char *path;             /* as resolved: absolute, or as written if relative */
	char *artist, *title;   /* from #EXTINF; NULL when not given */
	double duration;        /* seconds; < 0 when unknown */
	enum playlist_state state;
};

struct playlist_skips {
	size_t not_regular;     /* folders, FIFOs, devices */
	size_t binary;          /* lines with a NUL byte */
	size_t too_long;        /* lines over PLAYLIST_LINE_MAX */
	size_t other_uri;       /* URIs other than file:// */
};

struct playlist {
	struct playlist_entry *v;
	size_t n, cap;
	struct playlist_skips skips;    /* what the last load left out */
};

/* Reads the playlist at path, appending its entries to pl (which may be
 * empty or hold entries). 0, or PLAYLIST_EIO/ENOMEM/ETOOBIG with a reason in
 * why (size n). The file itself must be a regular file (a FIFO or folder is
 * refused without blocking). */
int playlist_load(struct playlist *pl, const char *path, char *why, size_t n);

/* Appends an entry (copies the strings; artist/title may be NULL; duration
 * < 0 when unknown). The entry is PLAYLIST_PRESENT. */
int playlist_add(struct playlist *pl, const char *path, const char *artist,
		 const char *title, double duration);

/* Removes entry i; moves entry `from` to position `to` (the others shift). */
int playlist_remove(struct playlist *pl, size_t i);
int playlist_move(struct playlist *pl, size_t from, size_t to);

/* Writes pl to path as M3U8 (see the top). *left_out (if not NULL) is the
 * number of entries that could not be written. 0 or PLAYLIST_EIO/ENOMEM. */
int playlist_save(const struct playlist *pl, const char *path, size_t *left_out,
		  char *why, size_t n);

/* Writes pl as M3U8 (as playlist_save) to the stream f; paths below the
 * folder dir ("" : none) relative to it. *left_out (not NULL) is incremented per entry left out. */
void playlist_write(const struct playlist *pl, FILE *f, const char *dir, size_t *left_out);

/* Frees the entries and empties pl. */
void playlist_clear(struct playlist *pl);

/* 0 if name can be a saved playlist's name: 1..PLAYLIST_NAME_MAX bytes, no
 * '/', no control bytes, not starting with '.' (hides it, and refuses "..").
 * Else PLAYLIST_ENAME. */
int playlist_name_check(const char *name);

/* The saved playlists of folder dir: names without their .m3u8/.m3u
 * extension, sorted bytewise, in a malloc'd array of malloc'd strings
 * (*names, *count) the caller frees with playlist_names_free(). A missing
 * folder is an empty list. 0 or PLAYLIST_EIO/ENOMEM. */
int playlist_names(const char *dir, char ***names, size_t *count, char *why, size_t n);
void playlist_names_free(char **names, size_t count);

const char *playlist_strerror(int err);

#endif
