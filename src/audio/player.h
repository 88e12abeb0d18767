/*
 * player: plays a playlist of audio files through an aout backend (libao,
 * null, wav:FILE), gapless, with software volume and loudness
 * normalisation. Modelled on cmus player.c.
 *
 * Threads (long-lived, started by player_new, joined by player_free):
 *   decoder  opens tracks with libsndfile, reads them in blocks of up to
 *            PLAYER_BLOCK_FRAMES frames (integer PCM as int, so it is
 *            bit-exact; float/lossy codecs as float) and fills a ring of
 *            PLAYER_RING_BLOCKS blocks (~1.5 s at 44.1 kHz). When a track
 *            ends it goes straight on with the next one, so the next track
 *            is decoded before the current one has been heard to the end.
 *   output   takes blocks from the ring, applies gain (volume x
 *            normalisation, limited) and writes them to the device.
 *
 * Playlist: `current` is the item being heard, items after it the queue
 * (player_clear_queue drops those); played items are dropped (there is no
 * going back: the app keeps its own history). When the last item has
 * played out the state becomes PLAYER_STOPPED with no current track; a
 * later player_enqueue makes the new item current (still stopped: call
 * player_play).
 *
 * Formats and gapless playback: the device is opened with the format of
 * the first track played after a start, stop or jump (next/seek/play now).
 * The next track, when it follows without a jump, is converted to the open
 * format (channels mixed, rate changed with libsamplerate) instead of
 * reopening the device, so no sample is lost or inserted and a wav:FILE
 * output stays one file. With the same rate and channel count the samples
 * pass untouched; with volume 100 and no normalisation gain the output is
 * bit-exact (16-bit sources as 16 bits, 24-bit as 24, 32-bit as 32;
 * float and lossy sources as 16 bits). A jump on a live device reopens it
 * in the new track's format when that differs; a file output never
 * reopens.
 *
 * Loudness: with normalisation on (the default) and the item's integrated
 * loudness known (item.lufs, EBU R128, from the library index), the gain is
 * target - lufs dB (target -18 LUFS by default), limited to -30..+12 dB;
 * where it raises the level a peak limiter (instant attack, 100 ms
 * release, ceiling -0.2 dBFS) keeps samples from clipping. Unknown loudness
 * (NAN): gain 0 dB. Volume 0-100 is a cubic amplitude curve (50 = -18 dB);
 * changes are ramped over one block.
 *
 * Faults: a file that cannot be opened, has an unsupported format, or
 * fails while decoding is skipped (what was decoded is played) with a
 * message; playback goes on with the next item. A device that cannot be
 * opened, or a write that fails, gives a message naming the driver; the
 * output thread keeps the block and retries every retry_ms (2 s), and
 * everything else (commands, snapshot) keeps working.
 *
 * Wake-up pipe: player_wake_fd() becomes readable (one byte per event)
 * when the track changes, the state changes, the queue becomes nearly
 * empty (the current track is the last one: queue_low_seq grows), a
 * message is queued or the device fails or recovers. The position is not
 * announced: poll the snapshot on a timer for that.
 *
 * Thread-safety: every function may be called from any thread (one lock).
 * Ownership: player_new returns an object freed by player_free; strings
 * passed in are copied.
 *
 * Sources: player.c (life cycle, items, commands, snapshot), player_dec.c
 * (decoder thread), player_out.c (output thread, gain); player_priv.h is
 * what they share.
 */
#ifndef EMOTUNE_PLAYER_H
#define EMOTUNE_PLAYER_H

#include <stddef.h>

#define PLAYER_BLOCK_FRAMES 1024
#define PLAYER_RING_BLOCKS 64

enum player_err {
	PLAYER_OK = 0,
	PLAYER_ENOMEM = -1,
	PLAYER_EINVAL = -2,   /* bad argument */
	PLAYER_EEMPTY = -3,   /* nothing to play / no such track */
	PLAYER_EDEVICE = -4,  /* the audio device failed and playback gave up */
	PLAYER_EDRIVER = -5,  /* no such audio driver, or a bad wav:FILE spec */
	PLAYER_ESYS = -6,     /* a thread or pipe could not be created */
	PLAYER_EFULL = -7,    /* the queue holds 100,000 items already */
};

enum player_state { PLAYER_STOPPED, PLAYER_PLAYING, PLAYER_PAUSED };

struct player;

struct player_item {
	const char *path;
	double lufs;          /* integrated loudness, LUFS; NAN: unknown */
};

struct player_snapshot {
	int state;                  /* enum player_state */
	char path[1024];            /* current track; empty when none */
	double position, duration;  /* seconds; duration 0 until the track is opened */
	int volume, normalize;
	int queue_len;              /* items after the current one */
	unsigned long track_seq;    /* grows when the current track changes */
	char error[256];            /* last message (see player_next_message) */
	/* additions */
	unsigned long error_seq;    /* grows with every message */
	unsigned long queue_low_seq;/* grows when the current track becomes the last */
	unsigned long underruns;    /* times the ring ran dry while playing */
	double gain_db;             /* normalisation gain applied to the current track */
	double target_lufs;
	char driver[64];            /* "pulse", "null", "wav", ... */
	char audio_error[256];      /* non-empty while the device is failing */
	unsigned long id;           /* current item's id (player_add), 0: none */
	int index;                  /* how many items came before the current
	                               one (played or skipped), -1: none */
};

/* Test and benchmark knobs; player_new uses all zeros. */
struct player_opts {
	double pace;     /* > 0: output paced at pace x real time (file outputs
			    otherwise run as fast as they can; null runs at 1x) */
	int retry_ms;    /* device retry period; 0: 2000 */
	int give_up;     /* > 0: after this many failed device attempts in a row,
			    stop playback; player_wait_idle returns PLAYER_EDEVICE */
	char *errbuf;    /* where player_new puts why it failed (may be NULL) */
	size_t errlen;
};

/* audio: NULL (libao's default driver), "null", "wav:FILE", or a libao
 * driver name. Fails (PLAYER_EDRIVER) only for unknown driver names; a
 * device that does not open is retried while playing. */
int player_new(const char *audio, struct player **out);
int player_new_opts(const char *audio, const struct player_opts *opts, struct player **out);
/* Stops and joins the threads; one still stuck in a backend (e.g. opening
 * an output FIFO nobody reads) 3 s later is left behind, and p with it (a
 * leak, said on stderr), so that a signal can still end the program. */
void player_free(struct player *p);

int player_enqueue(struct player *p, const struct player_item *it);  /* copies */
/* Items have ids (never 0, never reused). player_add inserts a copy of it
 * right before the upcoming item `before` (0: at the end) and puts its
 * id in *id (may be NULL); PLAYER_EEMPTY when `before` is not upcoming.
 * player_remove drops an upcoming item (PLAYER_EEMPTY: not upcoming).
 * Items around them keep playing gaplessly. player_queue_ids copies the
 * ids of the first max upcoming items, in order, and returns how many. */
int player_add(struct player *p, const struct player_item *it, unsigned long before,
	       unsigned long *id);
int player_remove(struct player *p, unsigned long id);
int player_queue_ids(struct player *p, unsigned long *ids, int max);
int player_clear_queue(struct player *p);    /* upcoming only; current keeps playing */

int player_play(struct player *p);     /* start (stopped) or resume (paused) */
int player_pause(struct player *p);    /* playing: paused; otherwise nothing */
int player_stop(struct player *p);     /* position back to 0; current kept */
int player_next(struct player *p);     /* PLAYER_EEMPTY at the last item */
int player_seek(struct player *p, double seconds, int relative);
int player_set_volume(struct player *p, int vol);  /* clamped to 0-100 */
int player_set_normalize(struct player *p, int on);
void player_set_target_lufs(struct player *p, double lufs);

void player_snapshot(struct player *p, struct player_snapshot *out);
int player_wake_fd(const struct player *p);  /* readable on changes */
void player_drain_wake(struct player *p);
/* Pops the oldest queued message ("PATH: why, skipped", "audio driver
 * 'alsa': ..."): 1 and fills buf, or 0 when none. Keeps the last 32. */
int player_next_message(struct player *p, char *buf, size_t n);
/* Blocks until the state is PLAYER_STOPPED (the queue has played out, or
 * player_stop). 0, or PLAYER_EDEVICE when the device failed and playback
 * gave up (opts.give_up). */
int player_wait_idle(struct player *p);

const char *player_strerror(int err);

#endif
