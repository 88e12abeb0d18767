/*
 * facetrack: keeps the identity of faces between frames and smooths their boxes.
 *
 * Feed it the faces found in a frame (boxes from haar_detect() or a vision
 * engine, in full-frame coordinates) with the frame's time in seconds; it
 * matches them to the faces it knows (greedy, by overlap, else by centre
 * distance), smooths each box towards its new detection with a time
 * constant (so the smoothing is the same at 10 or 30 detections per
 * second), starts a new face for every unmatched detection and drops a face
 * missed for more than max_missed updates or not seen for max_gap seconds.
 * "facetrack", not "track": a track is a piece of music everywhere else.
 *
 * For live video under a tight budget, detect on a downscaled frame (scale
 * the boxes back with haar_rects_scale()) and/or only every Nth frame:
 * between detections facetrack_faces() keeps returning the last smoothed
 * boxes, so a display or a classifier still has a box for every frame. Call
 * facetrack_update() only for frames that were actually searched (n may be 0).
 *
 * Ownership: facetrack_new() returns an object freed with facetrack_free().
 * It holds at most FACETRACK_MAX faces and never allocates after
 * facetrack_new(). Not thread-safe: one per vision thread.
 */
#ifndef EMOTUNE_FACETRACK_H
#define EMOTUNE_FACETRACK_H

#include "vocab.h"

#define FACETRACK_MAX 32

struct facetrack_params {
	double tau;           /* smoothing time constant, s (0.1); 0: no smoothing */
	double min_iou;       /* overlap that matches a detection to a face (0.3) */
	int max_missed;       /* updates a face survives without detection (5) */
	double max_gap;       /* seconds a face survives without detection (1.0) */
};

struct facetrack_face {
	int id;               /* 1, 2, ... never reused by one tracker */
	struct vocab_box box; /* smoothed box, rounded */
	double cx, cy, size;  /* smoothed centre and side, unrounded */
	int age;              /* updates since the face appeared */
	int hits;             /* updates in which it was detected */
	int missed;           /* updates since it was last detected (0: now) */
	double first, last;   /* times it was first and last detected */
};

struct facetrack;

void facetrack_params_default(struct facetrack_params *p);
/* NULL on out of memory. */
struct facetrack *facetrack_new(void);
struct facetrack *facetrack_new_params(const struct facetrack_params *p);
void facetrack_free(struct facetrack *t);
/* Forgets every face (ids keep increasing). */
void facetrack_reset(struct facetrack *t);

/* One searched frame at time t (seconds, non-decreasing): dets[0..n-1]
 * (borrowed). Returns the number of faces now tracked. */
int facetrack_update(struct facetrack *tr, const struct vocab_box *dets, int n, double t);

/* Copies up to max faces, oldest first; returns how many are tracked. */
int facetrack_faces(const struct facetrack *tr, struct facetrack_face *out, int max);

/* Intersection over union of two boxes, 0..1. */
double facetrack_iou(const struct vocab_box *a, const struct vocab_box *b);

#endif
