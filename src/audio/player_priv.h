/*
 * player_priv.h: what the parts of the player share (not for other
 * modules; their contract is player.h).
 *
 *   player.c      life cycle, the items (queue bookkeeping), commands,
 *                 snapshot, wake pipe, message queue, the lock-held helpers
 *   player_dec.c  the decoder thread (player_dec_main): files -> ring
 *   player_out.c  the output thread (player_out_main): ring -> gain ->
 *                 device, and the gain rules (player_norm_db)
 *
 * Thread rules: every field of struct player is guarded by mu, except the
 * fields set by player_new_opts before the threads start and only read
 * after (wake, ao, pace, retry_ms, give_up, ring: the pointer). The
 * decoder and output threads hold mu except while they decode, open, write
 * or close the device; across those they keep local copies and check
 * gen/dgen (bumped by every flush, every decoder restart) when they take
 * mu back. Only the output thread calls the aout functions that touch the
 * device (aout_open/write/close). Functions declared here that take a
 * struct player run with mu held unless said otherwise.
 *
 * Ownership: items[] and their paths belong to the player (copies);
 * the threads' scratch buffers to the thread that allocated them.
 */
#ifndef EMOTUNE_PLAYER_PRIV_H
#define EMOTUNE_PLAYER_PRIV_H

#include "player.h"
#include "aout.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#define MAX_CH 8
#define MAX_ITEMS 100000   /* items held (played not yet dropped + current + queue) */
#define NMSG 32

struct item {
	char *path;
	double lufs;
	unsigned long id;
	double duration;
};

struct block {
	size_t idx;               /* playlist index of its track */
	double t;                 /* start, seconds into the track */
	int frames;
	struct aout_format fmt;
	int32_t data[PLAYER_BLOCK_FRAMES * MAX_CH];
};

struct player {
	pthread_mutex_t mu;
	pthread_cond_t dec_cv;    /* decoder: room in the ring, new work */
	pthread_cond_t out_cv;    /* output: data, state changes */
	pthread_cond_t idle_cv;   /* player_wait_idle */
	pthread_t dec_th, out_th;
	int wake[2];
	struct aout *ao;          /* only the output thread calls it */
	double pace;
	int retry_ms, give_up;

	/* Playlist positions are absolute: they only grow, so blocks, the
	 * decoder and the output thread keep them across a drop of played
	 * items; item i lives in items[i - base] (ITEM()). */
	struct item *items;
	size_t base;              /* position of items[0]; those before were dropped */
	size_t n, cap;            /* n: position after the last item; cap: of items[] */
	unsigned long next_id;
	size_t cur;               /* current item; == n: none */
	int state;
	double pos;               /* seconds into cur */
	double start_pos;         /* stopped: where play starts */

	struct block *ring;       /* PLAYER_RING_BLOCKS */
	int head, count;
	unsigned gen;             /* bumped by every flush of the ring */
	unsigned dgen;            /* bumped by every decoder restart */
	size_t dec_idx;           /* item the decoder works on; >= n: none left */
	double dec_seek;          /* where the restarted decoder starts */
	int dec_fresh;            /* the restart may choose a new device format */
	struct aout_format out_fmt;
	int out_fmt_set;

	int volume, normalize;
	double target_lufs;

	unsigned long track_seq, error_seq, queue_low_seq, underruns;
	char error[256];
	char audio_error[256];
	char msgs[NMSG][256];
	int msg_head, msg_count;
	int dev_fails, gave_up;
	int quit;
};

#define ITEM(p, i) ((p)->items[(i) - (p)->base])

/* player.c: helpers, mu held */
void player_trim_played(struct player *p);
void player_wake_up(struct player *p);   /* any thread, lock or not */
void player_push_msg(struct player *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void player_check_queue_low(struct player *p);
void player_set_stopped(struct player *p);
/* no lock needed */
void player_timespec_in(struct timespec *ts, double s);
double player_now_s(void);

/* player_dec.c, player_out.c: the thread bodies (arg: the player; they
 * take mu themselves and end when quit is set) */
void *player_dec_main(void *arg);
void *player_out_main(void *arg);
/* player_out.c: normalisation gain in dB for item idx, mu held */
double player_norm_db(const struct player *p, size_t idx);

#endif
