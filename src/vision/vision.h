/*
 * vision: the long-lived vision thread. capture -> gray -> detect faces ->
 * track -> classify each face -> mood window; publishes a snapshot under a
 * mutex and writes a byte to a wake-up pipe. No allocation per frame, no
 * thread per frame.
 *
 * Protocol (front ends: app_vision.c for the UI and headless modes, cmd_mood.c):
 *   vision_engine_default(cfg, &eng, why, n)   load the models (or build
 *                                               your own engine: tests)
 *   vision_new(cfg, &params, &eng, &v, why, n) takes the engine; no thread yet
 *   vision_start(v)                            starts the thread
 *   loop: poll(vision_wake_fd(v), POLLIN); vision_drain(v);
 *         vision_snapshot(v, &snap)            copies the latest state
 *   vision_set_camera(v, 0/1)                  closes / reopens the source
 *   vision_stop(v); vision_free(v)             joins the thread, frees all
 *
 * Source choice: params.source, else the setting `source`, else the first
 * working V4L2 camera, else the demo source (`test`, a synthetic face) with
 * a notice in camera_msg. A camera that fails while streaming is reported
 * as VISION_CAM_LOST ("camera lost, retrying") and reopened every second
 * until it comes back. A file source that ends gives VISION_CAM_ENDED.
 *
 * Detection: the frame is scaled to detect_width; the whole of it is searched
 * every VISION_FULL_EVERY_S seconds (of frame time), and on the frames in
 * between only a margin around each tracked face, for faces of about its
 * size (when the engine has detect_sized; track.c keeps identities). A face
 * that appears is found by the next whole-frame search. After VISION_IDLE_S
 * without a face the snapshot says idle, and a live source (camera, or
 * realtime) is processed at VISION_IDLE_FPS frames a second, each searched
 * whole (the others are read and dropped) until a face is found.
 *
 * Frames of at most VISION_CROP_SIDE pixels on both sides (e.g. FER2013's
 * 48x48 images) are taken to be a face crop already: one face, the whole
 * frame, without detection.
 *
 * Thread-safety: vision_snapshot, vision_set_camera, vision_wake_fd and
 * vision_drain may be called from any one consumer thread.
 * Ownership: vision_new() returns an object freed by vision_free(); it owns
 * the engine from then on (also on failure); cfg is borrowed during
 * vision_new() only.
 */
#ifndef EMOTUNE_VISION_H
#define EMOTUNE_VISION_H

#include <stddef.h>
#include <stdint.h>

#include "img.h"
#include "moodwin.h"
#include "vocab.h"

struct config;
struct vision;

#define VISION_MAX_FACES 8
#define VISION_PREVIEW_W 160
#define VISION_PREVIEW_H 120
#define VISION_CROP_SIDE 96
#define VISION_FULL_EVERY_S 0.2   /* the whole frame is searched this often */
#define VISION_IDLE_S 10.0        /* no face for this long: idle */
#define VISION_IDLE_FPS 5.0       /* frames processed a second while idle */

enum vision_err {
	VISION_OK = 0,
	VISION_ENOMEM = -1,
	VISION_EMODEL = -2,   /* a model (cascade, network) was refused: see why */
	VISION_ESOURCE = -3,  /* the source named could not be opened: see why */
	VISION_ESYS = -4,     /* thread or pipe creation failed */
};

enum vision_camera {
	VISION_CAM_STARTING,  /* opening the source */
	VISION_CAM_OK,        /* frames are arriving */
	VISION_CAM_LOST,      /* the camera failed while streaming: retrying */
	VISION_CAM_ABSENT,    /* no camera could be opened: see camera_msg */
	VISION_CAM_OFF,       /* turned off by vision_set_camera(v, 0) */
	VISION_CAM_ENDED,     /* a file source reached its end */
	VISION_CAM_ERROR,     /* a file source is unreadable: see camera_msg */
};

/* The models the thread uses; ctx belongs to the engine. detect returns the
 * number of faces written to out (at most max) or < 0; classify fills 7
 * probabilities for the face at box (NULL: the whole image) and returns 0
 * when it ran the network, 1 when it gave a previous result again (the face
 * has not changed), or < 0. Both are called from the vision thread only. */
struct vision_engine {
	void *ctx;
	int (*detect)(void *ctx, const struct img *gray, struct vocab_box *out, int max);
	int (*classify)(void *ctx, const struct img *gray, const struct vocab_box *box,
			float probs[VOCAB_NCLASSES]);
	void (*free)(void *ctx);
	/* Optional: detect limited to faces of min_size..max_size pixels
	 * (gray is then a part of the frame around a tracked face). NULL: the
	 * thread searches the whole frame on every frame. */
	int (*detect_sized)(void *ctx, const struct img *gray, int min_size, int max_size,
			    struct vocab_box *out, int max);
};

struct vision_params {
	const char *source;   /* NULL: setting `source`, camera, demo */
	int realtime;         /* pace file/test sources at their rate (UI: 1) */
	int loop;             /* start files again at their end */
	int lockstep;         /* the thread waits for each snapshot to be
				 taken before the next frame (mood command) */
	int camera_on;        /* start with the camera on (setting `camera`) */
	int detect_width;     /* frames are scaled to this width for
				 detection (0: 320; boxes are in frame units) */
};

struct vision_face {
	struct vocab_box box;             /* in frame coordinates */
	int id;                           /* tracker identity (1, 2, ...) */
	float probs[VOCAB_NCLASSES];     /* this frame */
	float mean[VOCAB_NCLASSES];      /* this face over the window */
};

struct vision_snapshot {
	enum vision_camera camera;
	char camera_msg[160];             /* "camera lost, retrying", ... */
	char source[256];                 /* what is being read, in words */
	int demo;                         /* the demo source stands in for a camera */
	int frame_w, frame_h;
	int preview_w, preview_h;         /* <= VISION_PREVIEW_W x _H */
	uint8_t preview[VISION_PREVIEW_W * VISION_PREVIEW_H];  /* gray, stride preview_w */
	uint64_t frame_seq;               /* frames processed; changes per frame */
	uint64_t classified;              /* faces the network ran on (not reused) */
	double t;                         /* the frame's time (s since the first) */
	int nfaces;
	struct vision_face faces[VISION_MAX_FACES];
	struct moodwin_result win;        /* group mood: probs, ranking, mood, ... */
	float fps;                        /* frames processed per second */
	float latency_ms;                 /* frame read -> mood published */
	float cpu;                        /* vision thread CPU use, 0..1 of a core */
	char warning[256];                /* last non-fatal problem (skipped file) */
	uint64_t warning_seq;             /* changes with every new warning */
	int done;                         /* the thread has ended (file end, error) */
	int idle;                         /* no face for VISION_IDLE_S: a live source
					     is processed at VISION_IDLE_FPS only */
};

void vision_params_default(struct vision_params *p);

/* The real models: Haar cascade (setting `cascade`) and the emotion
 * network (settings `net`, `weights`, defaults under the share dir). */
int vision_engine_default(const struct config *cfg, struct vision_engine *out,
			  char *why, size_t n);

int vision_new(const struct config *cfg, const struct vision_params *p,
	       struct vision_engine *eng, struct vision **out, char *why, size_t n);
int vision_start(struct vision *v);
void vision_stop(struct vision *v);
void vision_free(struct vision *v);

int vision_wake_fd(const struct vision *v);
/* Empties the wake-up pipe. */
void vision_drain(struct vision *v);
void vision_snapshot(struct vision *v, struct vision_snapshot *out);
void vision_set_camera(struct vision *v, int on);

const char *vision_camera_name(enum vision_camera c);  /* "ok", "lost", ... */
const char *vision_strerror(int err);

#endif
