/*
 * app_priv: what the parts of app share (app.c: life cycle, drain, tick,
 * snapshot; app_library.c, app_queue.c, app_play.c, app_vision.c,
 * app_commands.c). Not for other modules: they use app.h.
 *
 * Thread rules: struct app is owned by app.c (app_new, app_free). Every
 * function declared here that takes a struct app is called with a->mu held,
 * in the front end's thread (app_drain, app_command and the other public
 * functions of app.h take the lock and call them), or from app_new and
 * app_free while no other thread can reach the app; app_now, app_clean and
 * app_base_name are pure, app_wake only writes a byte to the app's pipe.
 * The modules' own threads (scan, player, vision) are only reached through
 * their locked setters, and reach the app only through their wake fds.
 */
#ifndef EMOTUNE_APP_PRIV_H
#define EMOTUNE_APP_PRIV_H

#include "app.h"
#include "app_cmd.h"
#include "config.h"
#include "feedback.h"
#include "history.h"
#include "lib_db.h"
#include "lib_scan.h"
#include "player.h"
#include "playlist.h"
#include "recommend.h"
#include "resume.h"
#include "vision.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>

#define NEVENTS 256
#define NHISTORY 64          /* recently played paths remembered */
#define QUEUE_TARGET 5       /* auto picks kept ahead */
#define ROOT_CHECK_S 2       /* music folders are checked this often */
#define MOOD_STABLE_S 5      /* a new mood must last this long to re-pick */
#define PREV_RESTART_S 3.0   /* prev after this far in restarts the track */
#define TICK_HZ 4            /* the timer: position refresh; the rest each second */
#define LIB_RELOAD_S 5.0     /* a running scan's results are loaded this often (big index) */

/* epoll tags */
enum { TAG_PIPE = 1, TAG_TIMER, TAG_SCAN, TAG_PLAYER, TAG_VISION };

struct app {
	struct config *cfg;           /* borrowed */
	pthread_mutex_t mu;
	int epfd, pipe[2], timerfd;
	int started;
	double t0;

	struct app_snapshot s;        /* the app's state, copied out by app_snapshot */
	struct app_event ev[NEVENTS]; /* ring */
	int ev_head, ev_count;

	char state_path[PATH_MAX];    /* resume file, empty: none */
	int dirty;                    /* resume state changed since saved */
	int resumed_playing;          /* the resume state was playing */

	/* library */
	char db_path[PATH_MAX];
	struct lib_db *db;
	struct history_rec *hist;     /* mood history; NULL: history = off or refused */
	struct lib_scan *scan;
	char **roots;                 /* NULL-terminated */
	int *root_ok;                 /* per root: readable at the last check */
	int nroots;
	int rescan;                   /* a scan is wanted when the current one ends */
	struct lib_track *lib;        /* the index, as lib_db_tracks() gave it (held once) */
	size_t nlib;
	unsigned long lib_gen;        /* changes whenever lib is replaced (app_library_row) */
	size_t scan_committed;        /* rows the running scan had committed at the last load */
	size_t nlib_planned;          /* the index's size when the auto picks were last planned */
	double lib_loaded_at;         /* when app_load_library() last ran */

	/* recommendation */
	char (*history)[1024];        /* ring of recently played paths */
	int nhistory, history_head;
	int no_repeat;
	int picked_mood;              /* mood the auto picks were made for */
	enum vocab_strategy picked_strategy;
	int step;                     /* picks made under this mood and strategy */
	double mood_since;            /* when the mood last changed */
	int camera_mood;              /* the camera's mood, -1 uncertain */
	float camera_probs[VOCAB_NCLASSES];
	unsigned seed;
	int autoplay;                 /* APP_AUTOPLAY_*: start playing by itself */
	int no_mood_calm;             /* no mood after APP_AUTOPLAY_WAIT_S: calm picks meanwhile */

	/* a loaded playlist: its entries go into the queue as it empties */
	char plist_dir[PATH_MAX];     /* folder of saved playlists */
	struct playlist plist;
	size_t plist_pos;             /* next entry to queue */
	size_t plist_skipped;         /* missing or unreadable entries passed over */
	char plist_name[PLAYLIST_NAME_MAX + 1];

	/* playback */
	struct player *pl;
	unsigned long pl_seq;         /* the player's track_seq last seen */
	char audio_err[256];          /* the player's device error last seen */

	/* camera */
	struct vision *vis;
	struct vision_snapshot *vsnap;
	int cam_state;                /* last enum vision_camera seen, -1: none */
	uint64_t vis_warning_seq;
	unsigned ticks;
};

/* app.c: time, wake-up, events and messages, the mood helpers. */
const char *app_mood_name(int m);
void app_mood_point(struct app *a);
double app_now(void);
void app_push_camera(struct app *a, enum app_camera cam, const char *why);
void app_push_event(struct app *a, enum app_event_type type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void app_set_message(struct app *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void app_wake(struct app *a);

/* app_library.c: music folders, the index, the scan, mood-history hooks. */
const char *app_base_name(const char *path);
void app_check_roots(struct app *a);
void app_entry_from(struct app_entry *e, const struct lib_track *t);
void app_free_roots(struct app *a);
void app_history_setting(struct app *a);
void app_history_tick(struct app *a);
const struct lib_track *app_lib_find(const struct app *a, const char *path);
void app_load_library(struct app *a);
void app_on_scan(struct app *a);
int app_path_root_ok(const struct app *a, const char *path);
int app_root_present(const struct app *a, const char *root);
int app_set_roots(struct app *a);
void app_start_scan(struct app *a);

/* app_queue.c: picks, the queue, the played ring, saved playlists (the
 * app_plist_* functions reply as the commands do). */
int app_hand_slot(struct app *a);
void app_history_push(struct app *a, const char *path);
int app_plist_list(struct app *a, char *reply, size_t n);
int app_plist_load(struct app *a, const char *name, char *reply, size_t n);
int app_plist_mood(struct app *a, int mood, const char *name, char *reply, size_t n);
int app_plist_save(struct app *a, const char *name, char *reply, size_t n);
void app_repick(struct app *a);
void app_top_up(struct app *a);

/* app_play.c: the player following the app's current track and queue. */
int app_advance(struct app *a, int play);
void app_fill_entry(struct app *a, struct app_entry *e);
void app_pb_pause(struct app *a, int paused);
void app_pb_poll(struct app *a);
void app_pb_seek(struct app *a, double pos);
void app_pb_settings(struct app *a);
void app_pb_sync_queue(struct app *a);
void app_record(struct app *a, const char *path, enum feedback_kind kind, double pos);
void app_start_track(struct app *a, const struct app_entry *e, double pos, int play);
void app_stop_playing(struct app *a);

/* app_vision.c: the camera's mood and state. */
void app_on_vision(struct app *a);
void app_start_vision(struct app *a);
void app_update_mood(struct app *a, int mood, const float *probs, float conf);

/* app_commands.c: reply helpers (app_reply_err returns err, "error: ..."
 * in reply). */
const char *app_clean(const char *in, char *buf, size_t n);
int app_reply_err(char *reply, size_t n, int err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
