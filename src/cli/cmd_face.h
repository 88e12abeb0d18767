/*
 * cmd_face: face detection for the one-shot commands (classify, eval):
 * the cascade named by the settings (`cascade`, default OpenCV's frontal
 * face Haar cascade) and a detector grown to the largest image seen.
 * Small images (under 160 px) are searched at an enlarged size, so a
 * 48x48 face crop can still be found.
 * Ownership: cmd_face_open() returns an object freed by cmd_face_close().
 */
#ifndef EMOTUNE_CMD_FACE_H
#define EMOTUNE_CMD_FACE_H

#include "capsim.h"
#include "cmd.h"
#include "emo.h"
#include "img.h"

struct cmd_face;

/* Prints the reason and returns CMD_FAIL when the cascade is refused. */
int cmd_face_open(struct cmd_ctx *ctx, const char *who, struct cmd_face **out);
void cmd_face_close(struct cmd_face *f);

/* Finds up to max faces in im (frame coordinates), largest first;
 * returns how many, or a negative haar error. */
int cmd_face_find(struct cmd_face *f, const struct img *im, struct vocab_box *out, int max);

/* The largest face: 1 and *box, or 0 when there is none. */
int cmd_face_largest(struct cmd_face *f, const struct img *im, struct vocab_box *box);

/* Options of classify and eval besides the common ones. */
struct cmd_emo_opts {
	int nodetect;              /* --no-detect: the whole image is the face */
	int notta;                 /* --no-tta */
	enum capsim_cond capture;  /* --capture COND: rendered before detection */
};

/* Parses them into o. Returns -1 when parsed, else CMD_OK (after --help)
 * or CMD_USAGE. Defined in cmd_classify.c. */
int cmd_emo_options(struct cmd_ctx *ctx, const struct cmd *c, int argc, char **argv,
		    struct cmd_emo_opts *o);

/* Loads path and renders o's capture condition on it (seeded by the file's
 * name); prints the reason and returns non-zero when it cannot. */
int cmd_emo_load(const struct cmd_emo_opts *o, const char *path, struct img *im);

#endif
