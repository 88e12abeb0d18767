/*
 * track: keeps the identity of faces between frames and smooths their boxes.
 *
 * Feed it the faces found in a frame (haar_detect() output, in full-frame
 * coordinates) with the frame's time in seconds; it matches them to the
 * faces it knows (greedy, by overlap, else by centre distance), smooths each
 * box towards its new detection with a time constant (so the smoothing is
 * the same at 10 or 30 detections per second), starts a new face for every
 * unmatched detection and drops a face missed for more than max_missed
 * updates or not seen for max_gap seconds.
 *
 * For live video under a tight budget, detect on a downscaled frame (scale
 * the boxes back with haar_rects_scale()) and/or only every Nth frame:
 * between detections track_faces() keeps returning the last smoothed boxes,
 * so a display or a classifier still has a box for every frame. Call
 * track_update() only for frames that were actually searched (n may be 0).
 *
 * Ownership: track_new() returns an object freed with track_free(). It holds
 * at most TRACK_MAX faces and never allocates after track_new(). Not
 * thread-safe: one per vision thread.
 */
#ifndef EMOTUNE_TRACK_H
#define EMOTUNE_TRACK_H

#include "haar.h"

#define TRACK_MAX 32

struct track_params {
	double tau;           /* smoothing time constant, s (0.1); 0: no smoothing */
	double min_iou;       /* overlap that matches a detection to a face (0.3) */
	int max_missed;       /* updates a face survives without detection (5) */
	double max_gap;       /* seconds a face survives without detection (1.0) */
};

struct track_face {
	int id;               /* 1, 2, ... never reused by one tracker */
	int x, y, w, h;       /* smoothed box, rounded */
	double cx, cy, size;  /* smoothed centre and side, unrounded */
	int age;              /* updates since the face appeared */
	int hits;             /* updates in which it was detected */
	int missed;           /* updates since it was last detected (0: now) */
	double first, last;   /* times it was first and last detected */
	int neighbors;        /* of its last detection */
};

struct track;

void track_params_default(struct track_params *p);
/* NULL on out of memory. */
struct track *track_new(void);
struct track *track_new_params(const struct track_params *p);
void track_free(struct track *t);
/* Forgets every face (ids keep increasing). */
void track_reset(struct track *t);

/* One searched frame at time t (seconds, non-decreasing): dets[0..n-1]
 * (borrowed). Returns the number of faces now tracked. */
int track_update(struct track *tr, const struct haar_rect *dets, int n, double t);

/* Copies up to max faces, oldest first; returns how many are tracked. */
int track_faces(const struct track *tr, struct track_face *out, int max);

/* Intersection over union of two boxes, 0..1. */
double track_iou(int ax, int ay, int aw, int ah, int bx, int by, int bw, int bh);

#endif
