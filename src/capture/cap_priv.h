/*
 * cap_priv: what cap.c shares with the capture backends (cap_v4l2.c,
 * cap_file.c, cap_test.c). Not for other modules: they use cap.h.
 */
#ifndef EMOTUNE_CAP_PRIV_H
#define EMOTUNE_CAP_PRIV_H

#include "cap.h"
#include "why.h"

struct cap {
	const struct cap_ops *ops;
	struct cap_params p;
	char spec[1024];
	struct cap_frame frame;  /* the backend fills img (its own buffer) and t */
	double fps;              /* set by open */
	int live;                /* camera: never paced by cap.c */
	double start;            /* monotonic time of the first frame (pacing) */
	void *priv;              /* the backend's state */
};

/* Monotonic seconds. */
double cap_now(void);

/* The Y4M reader of cap_file.c, shared with the fuzzer (tests/fuzz). */
struct cap_y4m {
	int w, h;
	int depth;               /* bits per sample: 8, or 9-16 in 2 bytes (C420p10) */
	double fps;
	size_t frame_bytes;      /* luma + chroma bytes after "FRAME...\n" */
	long data_start;         /* offset of the first FRAME */
};
#include <stdio.h>
/* Parses the stream header at the current position of f. CAP_EDECODE with
 * why filled on a bad header. */
int cap_y4m_header(FILE *f, struct cap_y4m *y, char *why, size_t n);
/* Reads one frame's luma into px (w*h bytes, stride w; samples deeper than
 * 8 bits keep their 8 high bits); CAP_EOF at a clean
 * end, CAP_EDECODE on a bad frame header or a truncated frame. */
int cap_y4m_frame(FILE *f, const struct cap_y4m *y, uint8_t *px, char *why, size_t n);

#endif
