/*
 * app: emotune running. Wires the vision thread (camera -> faces -> mood),
 * the library (scan in the background, index), the recommender and the
 * player together, and is driven by text commands and observed through
 * snapshots. The terminal UI (ui.c) and the headless loop (headless.c,
 * with the remote-control socket) are its two front ends; neither touches
 * another module's threads directly.
 *
 * Protocol:
 *   app_new(cfg)           reads settings; starts nothing
 *   app_start()            starts the threads: vision (unless the camera is
 *                          off or absent: reported as an event, not fatal),
 *                          player, background scan of the music roots;
 *                          restores the resume state (queue, track, position,
 *                          volume, strategy)
 *   loop: poll(app_wake_fd(), POLLIN) with the front end's own fds;
 *         app_drain(); app_snapshot(); app_next_event() until it returns 0
 *   app_command("next")    from keys or the socket; same words for both
 *   app_stop(); app_free() saves the resume state, joins every thread
 *
 * Commands (one line, words separated by spaces; reply "ok" or
 * "error: <why>", or for "status" key=value lines):
 *   play | pause | toggle | stop | next | prev
 *   seek [+|-]SECONDS        relative with a sign, absolute without
 *   volume [+|-]N            0-100
 *   like | dislike           the current track, with the current mood
 *   mood EMOTION             set the mood by hand; "auto" returns to the camera
 *   auto
 *   strategy match|uplift|calm|next
 *   camera on|off|toggle
 *   normalize on|off|toggle
 *   play-path PATH           play this library track now
 *   enqueue PATH             append to the queue
 *   status
 *   history [N]              the last N (default 20) mood-history rows as
 *                            TSV lines (header first; the oldest left out
 *                            when they do not fit in the reply)
 *   quit                     asks the front end to stop (snapshot.quit)
 *
 * Thread-safety: every app_* function may be called from any one front-end
 * thread; the app locks internally. Ownership: app_new() returns an object
 * freed by app_free(); cfg is borrowed and must outlive it.
 */
#ifndef EMOTUNE_APP_H
#define EMOTUNE_APP_H

#include <stddef.h>
#include <stdint.h>

#include "vocab.h"

struct config;
struct app;

enum app_err {
	APP_OK = 0,
	APP_ENOMEM = -1,
	APP_EINVAL = -2,     /* unknown command or bad argument */
	APP_ESTATE = -3,     /* not possible now (e.g. like with nothing playing) */
	APP_ESYS = -4,       /* a system call failed (errno) */
};

#define APP_MAX_FACES 8
#define APP_MAX_QUEUE 32
#define APP_PREVIEW_W 160
#define APP_PREVIEW_H 120

enum app_play_state { APP_STOPPED, APP_PLAYING, APP_PAUSED };

struct app_face {
	struct vocab_box box;         /* in frame coordinates */
	int id;                       /* tracker identity */
	float probs[VOCAB_NCLASSES];
};

/* Why an entry is in the queue. */
enum app_pick {
	APP_PICK_HAND,      /* play-path, enqueue */
	APP_PICK_MOOD,      /* an auto pick for the mood: re-planned when it changes */
	APP_PICK_RESUMED,   /* from the resume file */
	APP_PICK_PREV,      /* brought back by prev */
};

struct app_entry {
	char path[1024];
	char title[128];
	char artist[128];
	double duration;
	float valence, arousal;
	enum app_pick pick;
	unsigned long id;             /* the player's item id; 0: not in the player */
	char reason[192];             /* for people: "mood sad: ...", "queued by hand" */
};

struct app_snapshot {
	/* camera and mood */
	int camera_on;                /* wanted by the user */
	int camera_ok;                /* frames are arriving */
	int camera_idle;              /* no face for a while: fewer frames looked at */
	char camera_msg[160];         /* "no camera: press m to pick a mood", ... */
	int frame_w, frame_h;
	int preview_w, preview_h;     /* <= APP_PREVIEW_W x APP_PREVIEW_H */
	uint8_t preview[APP_PREVIEW_W * APP_PREVIEW_H];  /* downscaled gray frame */
	uint64_t frame_seq;           /* changes with every new preview */
	int nfaces;
	struct app_face faces[APP_MAX_FACES];
	float probs[VOCAB_NCLASSES];    /* window mean (group mood) */
	int ranking[VOCAB_NCLASSES];    /* classes by frequency as top label; all -1 without data */
	int mood;                     /* class index, -1: uncertain */
	int mood_manual;              /* set by "mood EMOTION" */
	float confidence;
	float fps;
	float latency_ms;             /* frame to mood */
	float valence, arousal;       /* the mood point */
	enum vocab_strategy strategy;

	/* player */
	enum app_play_state state;
	struct app_entry current;     /* empty path when none */
	double position;              /* seconds */
	int volume;                   /* 0-100 */
	int normalize;
	char audio_msg[160];          /* "no audio device (driver pulse): ..." or empty */

	/* queue (upcoming picks) */
	int nqueue;
	struct app_entry queue[APP_MAX_QUEUE];

	/* library scan */
	int scanning;
	int scan_done, scan_total;
	int ntracks;                  /* tracks in the index */

	/* last message for the status line */
	char message[256];
	uint64_t message_seq;

	int quit;                     /* "quit" was asked */
};

enum app_event_type {
	APP_EV_MOOD,        /* mood changed: text = emotion or "uncertain" */
	APP_EV_TRACK_START, /* text = path */
	APP_EV_TRACK_END,   /* text = path */
	APP_EV_CAMERA,      /* text = "on", "off", "lost", "back", "absent" */
	APP_EV_SCAN,        /* text = "started", "done N tracks" */
	APP_EV_WARNING,
	APP_EV_ERROR,
};

/* The camera's state in an APP_EV_CAMERA event (its text names it too,
 * followed by ": why" where there is a reason). */
enum app_camera {
	APP_CAM_ON,         /* switched on with no vision thread (no event follows) */
	APP_CAM_OFF,
	APP_CAM_OK,         /* frames arriving */
	APP_CAM_BACK,       /* frames arriving again after APP_CAM_LOST */
	APP_CAM_LOST,       /* was working, retrying */
	APP_CAM_ABSENT,     /* none found, or no model */
	APP_CAM_ENDED,      /* a file source ended */
	APP_CAM_ERROR,
};

struct app_event {
	enum app_event_type type;
	double t;                     /* seconds since app_start */
	enum app_camera camera;       /* APP_EV_CAMERA only */
	char text[1024];
};

int app_new(struct config *cfg, struct app **out);
int app_start(struct app *a);
void app_stop(struct app *a);
void app_free(struct app *a);

int app_wake_fd(const struct app *a);
void app_drain(struct app *a);

void app_snapshot(struct app *a, struct app_snapshot *out);
/* 1 and fills ev when an event is waiting, else 0. */
int app_next_event(struct app *a, struct app_event *ev);

/* Runs one command line; reply (size n) gets "ok", "error: ..." or the
 * status lines. Returns 0 or a negative app_err. */
int app_command(struct app *a, const char *line, char *reply, size_t n);

/* The library view reads the index rows the app holds (no copy of them),
 * by row number (0 .. total-1, in path order) within a generation: when
 * the rows are replaced (a scan's results loaded) the generation changes
 * and older numbers are refused.
 * app_library_rows: the numbers of the rows whose title (as an entry shows
 * it), artist or path keep() accepts (keep NULL: every row) into *rows
 * (free with free(); NULL when none), how many in *n, the number of rows
 * in *total and the generation in *gen; keep runs under the app's lock
 * and must not call the app.
 * app_library_row: the entry of row `row` of generation gen; APP_ESTATE
 * when the rows changed since, APP_EINVAL past their end.
 * app_library_find: the entry of the indexed track at path; APP_EINVAL
 * when the index has none. */
typedef int (*app_library_keep)(void *ctx, const char *title, const char *artist, const char *path);
int app_library_rows(struct app *a, app_library_keep keep, void *ctx, size_t **rows, size_t *n,
		     size_t *total, unsigned long *gen);
int app_library_row(struct app *a, size_t row, unsigned long gen, struct app_entry *e);
int app_library_find(struct app *a, const char *path, struct app_entry *e);

/* The mood history (history.h) with since <= t < until, the last `last`
 * rows only when last > 0, rows not written yet included; free with
 * history_rows_free(). APP_ESTATE when no history is kept (history = off,
 * no database, or the table refused). */
struct history_row;
int app_history(struct app *a, double since, double until, size_t last,
		struct history_row **out, size_t *n);

/* Playing by itself (until the first play/stop/next command, track chosen
 * by hand or app_set_autoplay(a, APP_AUTOPLAY_OFF)):
 *   APP_AUTOPLAY_NOW   the kiosk: as soon as the library has tracks
 *   APP_AUTOPLAY_MOOD  the UI's first run: once the first mood is known, or
 *                      after APP_AUTOPLAY_WAIT_S without one (then the picks
 *                      are calm ones until a mood is known)
 * The track started this way sets the message to why it was chosen. */
enum { APP_AUTOPLAY_OFF, APP_AUTOPLAY_NOW, APP_AUTOPLAY_MOOD };
#define APP_AUTOPLAY_WAIT_S 6.0
void app_set_autoplay(struct app *a, int mode);

/* The folder of saved playlists (setting playlists, else
 * $XDG_DATA_HOME/emotune/playlists); fixed from app_new() on. */
const char *app_playlists_dir(const struct app *a);

/* Re-applies the settings in cfg (after the front end re-read the settings
 * file, e.g. on SIGHUP): strategy, volume, normalisation, camera, music
 * roots (rescanned when changed). Returns 0 or a negative app_err. */
int app_reload(struct app *a);

const char *app_strerror(int err);

#endif
