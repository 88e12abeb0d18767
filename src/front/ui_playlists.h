/*
 * ui_playlists: the playlists view (key 5). Lists the saved playlists of
 * the app's playlists folder (app_playlists_dir()); Enter opens one: its
 * tracks with their mood (the library's valence/arousal quadrant; files that
 * do not exist shown as "missing"). The view's own keys (ui_playlists_help
 * lists them for the help overlay) come before the key table's while it is
 * shown: L loads and plays the playlist, e enqueues (a track, or the whole
 * playlist as far as the queue holds), S saves the queue as a new playlist,
 * M saves the last hour's tracks for the current mood, r renames, D deletes
 * (y confirms), p/P move a track down/up, x removes a track (changes to an
 * open playlist are written at once), / searches the names or the tracks,
 * h, Backspace or Esc go back to the list.
 *
 * Work for the app comes out as command lines (app.h: "playlist-load NAME",
 * "next", "enqueue PATH", ...), '\n'-separated, for the caller to run.
 *
 * Ownership: ui_playlists_init() / ui_playlists_free(); UI thread only.
 */
#ifndef EMOTUNE_UI_PLAYLISTS_H
#define EMOTUNE_UI_PLAYLISTS_H

#include <stddef.h>

#include "app.h"
#include "playlist.h"
#include "ui_draw.h"
#include "ui_list.h"

/* Room for the command lines of one key (every queue slot enqueued). */
#define UI_PLAYLISTS_CMDS ((APP_MAX_QUEUE + 2) * 1100)

enum ui_playlists_input {
	UI_PL_NONE,
	UI_PL_SEARCH,       /* typing a query */
	UI_PL_RENAME,       /* typing the new name */
	UI_PL_SAVE,         /* typing the name for the queue */
	UI_PL_MOOD,         /* typing the name for the mood's picks */
	UI_PL_CONFIRM,      /* delete? y / anything else */
};

struct ui_playlists {
	char dir[4096];
	char **names;
	size_t nnames;
	int open;                     /* showing a playlist's tracks */
	char name[PLAYLIST_NAME_MAX + 1];
	char path[4300];              /* of the open playlist */
	struct playlist pl;
	size_t *match;                /* rows shown (indices into names or pl.v) */
	size_t nmatch, cap;
	struct ui_list list, tracks;
	char query[PLAYLIST_NAME_MAX + 1];
	enum ui_playlists_input input;
	char text[PLAYLIST_NAME_MAX + 1];
	int mood;                     /* the mood when M was pressed */
	char msg[512];                /* for the status line; msg_error: an error */
	int msg_error;
	unsigned msg_seq;
};

/* The help overlay's lines for this view (NULL-terminated). */
extern const char *const ui_playlists_help[];

void ui_playlists_init(struct ui_playlists *p, const char *dir);
void ui_playlists_free(struct ui_playlists *p);
/* Reads the folder again (names sorted). */
void ui_playlists_refresh(struct ui_playlists *p);

/* a: the app whose index gives the tracks' moods (app_library_find). */
void ui_playlists_draw(const struct ui_draw *d, struct ui_rect r, struct ui_playlists *p,
		       struct app *a);

/* A key while the view is shown, before the key table: 1 when used. s is
 * the app's latest snapshot; cmds (size n) gets the app command lines. */
int ui_playlists_key(struct ui_playlists *p, int key, int is_char, const struct app_snapshot *s,
		     char *cmds, size_t n);
/* A command of the key table (movement, "activate", "enqueue-selected"):
 * 1 when handled; cmds as above. */
int ui_playlists_cmd(struct ui_playlists *p, const char *cmd, int page, char *cmds, size_t n);

#endif
