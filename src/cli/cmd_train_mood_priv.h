/*
 * cmd_train_mood_priv.h: private to `emotune train-mood` (cmd_train_mood.c,
 * cmd_train_mood_clips.c): the music4q clips and their features.
 *
 * Ownership: a struct cmd_tm_set owns its clips' path and name strings;
 * cmd_tm_set_free() releases them. Threads: cmd_tm_extract_all() runs its
 * workers and joins them before it returns; the rest is single-threaded.
 */
#ifndef EMOTUNE_CMD_TRAIN_MOOD_PRIV_H
#define EMOTUNE_CMD_TRAIN_MOOD_PRIV_H

#include "analysis.h"

#include <stddef.h>

struct cmd_tm_clip {
	char *path;      /* DIR/Qn/name */
	char *name;      /* Qn/name, the cache key */
	int q;           /* 0..3 */
	int ok;
	float f[ANALYSIS_NFEAT];
};

struct cmd_tm_set {
	struct cmd_tm_clip *c;
	size_t n, cap;
};

/* Lists DIR/Q1..Q4/<clip> into *s, sorted by name (features not yet
 * read); 0, or -1 after saying why (out of memory: silently). */
int cmd_tm_list_clips(const char *dir, struct cmd_tm_set *s);

/* Reads the features of the clips of *s that the cache file at path holds
 * for this analysis version, feature count and excerpt; a missing or other
 * cache is ignored. */
void cmd_tm_cache_read(const char *path, struct cmd_tm_set *s, double excerpt);

/* Extracts the missing features with jobs threads (clips that fail are
 * reported and skipped), saving the cache (when not NULL) every 64 clips. */
void cmd_tm_extract_all(struct cmd_tm_set *s, double excerpt, int jobs, const char *cache);

/* Frees the clips of *s (not s itself). */
void cmd_tm_set_free(struct cmd_tm_set *s);

#endif
