/*
 * resume: the state emotune picks up again after a restart (queue, current
 * track and position, volume, strategy), as a small text file under
 * config_path_state("resume"). Written atomically (temporary file, fsync,
 * rename), so a crash or kill -9 leaves either the old or the new state.
 *
 * Format: "emotune-resume 1" then "key=value" lines: volume, strategy,
 * normalize, playing, position, current, and one "queue=PATH" line per
 * queued track in order. Unknown keys are ignored (newer versions).
 */
#ifndef EMOTUNE_RESUME_H
#define EMOTUNE_RESUME_H

#include <stddef.h>

#define RESUME_MAX_QUEUE 32
#define RESUME_PATH_MAX 1024

enum resume_err {
	RESUME_OK = 0,
	RESUME_ENOENT = -1,   /* no saved state */
	RESUME_EIO = -2,      /* read/write failed (errno) */
	RESUME_EFORMAT = -3,  /* not a resume file, or a bad value */
};

struct resume_state {
	int volume;           /* 0-100 */
	int strategy;         /* enum vocab_strategy */
	int normalize;
	int playing;          /* was playing (1) or paused/stopped (0) */
	double position;      /* seconds into current */
	char current[RESUME_PATH_MAX];   /* empty: none */
	int nqueue;
	char queue[RESUME_MAX_QUEUE][RESUME_PATH_MAX];
};

/* Fills st with defaults (volume 100, match, normalize on, nothing queued). */
void resume_defaults(struct resume_state *st);
/* Saves st to path atomically. Paths with a newline are left out. */
int resume_save(const char *path, const struct resume_state *st);
/* Loads path into st (defaults first). On error st holds the defaults. */
int resume_load(const char *path, struct resume_state *st);
const char *resume_strerror(int err);

#endif
