/* vision: the vision thread and its snapshot. See vision.h. */
#include "vision.h"
#include "cap.h"
#include "config.h"
#include "facetrack.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define RETRY_S 1.0

/* Per-face state, keyed by the tracker's id. */
struct slot {
	int id;                    /* 0: free */
	double last_seen;
	struct moodwin win;        /* this face's window */
};

struct vision {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	pthread_t thread;
	int started, stop, camera_on, camera_changed, taken;
	int wake[2];
	struct vision_snapshot snap;      /* published, under lock */

	/* settings (read-only after vision_new) */
	struct vision_params p;
	char source[1024];                /* empty: automatic */
	struct cap_params capp;
	struct moodwin_params mp;
	struct vision_engine eng;

	/* thread state: touched by the vision thread only */
	struct vision_snapshot work;      /* built here, copied under lock */
	struct cap *cap;
	int is_camera;                    /* the source is (or was) a camera */
	double lost_since, next_retry;
	struct img small;                 /* the frame scaled for detection */
	struct moodwin group;
	struct facetrack *tracker;            /* identities and smoothed boxes */
	double last_t;
	double last_full;                 /* frame time of the last whole-frame search */
	double last_face;                 /* frame time a face was last tracked */
	double last_proc;                 /* frame time of the last processed frame */
	int fresh;                        /* the source was (re)opened */
	struct slot slots[VISION_MAX_FACES];
	double fps_last;
	double cpu_wall, cpu_used;
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double cpu_s(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts))
		return 0;
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void vision_params_default(struct vision_params *p)
{
	memset(p, 0, sizeof *p);
	p->camera_on = 1;
	p->detect_width = 320;
}

const char *vision_camera_name(enum vision_camera c)
{
	switch (c) {
	case VISION_CAM_STARTING: return "starting";
	case VISION_CAM_OK: return "ok";
	case VISION_CAM_LOST: return "lost";
	case VISION_CAM_ABSENT: return "absent";
	case VISION_CAM_OFF: return "off";
	case VISION_CAM_ENDED: return "ended";
	case VISION_CAM_ERROR: return "error";
	}
	return "?";
}

const char *vision_strerror(int err)
{
	switch (err) {
	case VISION_OK: return "success";
	case VISION_ENOMEM: return "out of memory";
	case VISION_EMODEL: return "model refused";
	case VISION_ESOURCE: return "cannot open the source";
	case VISION_ESYS: return "system error";
	}
	return "unknown error";
}

int vision_new(const struct config *cfg, const struct vision_params *p,
	       struct vision_engine *eng, struct vision **out, char *why, size_t n)
{
	*out = NULL;
	struct vision *v = calloc(1, sizeof *v);
	if (!v) {
		if (eng->free)
			eng->free(eng->ctx);
		snprintf(why, n, "out of memory");
		return VISION_ENOMEM;
	}
	v->eng = *eng;
	if (p)
		v->p = *p;
	else
		vision_params_default(&v->p);
	if (v->p.detect_width <= 0)
		v->p.detect_width = 320;
	const char *src = v->p.source;
	if (!src && cfg)
		src = config_get(cfg, "source");
	snprintf(v->source, sizeof v->source, "%s", src ? src : "");
	v->p.source = NULL;
	cap_params_default(&v->capp);
	v->capp.realtime = v->p.realtime;
	v->capp.loop = v->p.loop;
	moodwin_params_default(&v->mp);
	if (cfg) {
		v->mp.window_s = config_get_float(cfg, "window", v->mp.window_s);
		v->mp.hysteresis_s = config_get_float(cfg, "hysteresis", v->mp.hysteresis_s);
		v->mp.threshold = config_get_float(cfg, "threshold", v->mp.threshold);
		int g = moodwin_group_parse(config_get(cfg, "group"));
		if (g >= 0)
			v->mp.group = (enum moodwin_group)g;
	}
	moodwin_init(&v->group, &v->mp);
	v->tracker = facetrack_new();
	if (!v->tracker) {
		snprintf(why, n, "out of memory");
		if (eng->free)
			eng->free(eng->ctx);
		free(v);
		return VISION_ENOMEM;
	}
	v->camera_on = v->p.camera_on;
	v->wake[0] = v->wake[1] = -1;
	if (pipe(v->wake)) {
		snprintf(why, n, "pipe: %s", strerror(errno));
		vision_free(v);
		return VISION_ESYS;
	}
	for (int i = 0; i < 2; i++) {
		fcntl(v->wake[i], F_SETFL, fcntl(v->wake[i], F_GETFL) | O_NONBLOCK);
		fcntl(v->wake[i], F_SETFD, FD_CLOEXEC);
	}
	pthread_mutex_init(&v->lock, NULL);
	pthread_cond_init(&v->cond, NULL);
	v->snap.camera = VISION_CAM_STARTING;
	moodwin_result_empty(&v->snap.win);   /* no mood before the first frame */
	v->work = v->snap;
	v->taken = 1;
	v->last_full = v->last_proc = -1e9;
	v->fresh = 1;
	*out = v;
	return 0;
}

/* ---- publishing ---- */

static void publish(struct vision *v)
{
	pthread_mutex_lock(&v->lock);
	if (v->p.lockstep)
		while (!v->taken && !v->stop)
			pthread_cond_wait(&v->cond, &v->lock);
	v->snap = v->work;
	v->taken = 0;
	pthread_mutex_unlock(&v->lock);
	char b = 1;
	if (write(v->wake[1], &b, 1) < 0 && errno != EAGAIN) {
		/* nothing to do: the consumer polls anyway */
	}
}

static void set_state(struct vision *v, enum vision_camera st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_state(struct vision *v, enum vision_camera st, const char *fmt, ...)
{
	va_list ap;
	v->work.camera = st;
	va_start(ap, fmt);
	vsnprintf(v->work.camera_msg, sizeof v->work.camera_msg, fmt, ap);
	va_end(ap);
}

static void warn(struct vision *v, const char *msg)
{
	snprintf(v->work.warning, sizeof v->work.warning, "%s", msg);
	v->work.warning_seq++;
}

/* ---- the source ---- */

static int open_source(struct vision *v, int first)
{
	char why[256] = "", spec[1024];
	int automatic = !v->source[0];
	if (!automatic) {
		snprintf(spec, sizeof spec, "%s", v->source);
		v->is_camera = strncmp(spec, "v4l2:", 5) == 0;
	} else if (cap_find_camera(spec, sizeof spec) == 0) {
		v->is_camera = 1;
	} else if (!first && v->is_camera) {
		set_state(v, VISION_CAM_LOST, "camera lost, retrying");
		return -1;
	} else {
		snprintf(spec, sizeof spec, "test");
		v->is_camera = 0;
	}
	int err = cap_open(spec, &v->capp, &v->cap, why, sizeof why);
	if (err && automatic && v->is_camera && first) {
		/* the camera found is not usable: the demo source instead */
		char cwhy[256];
		snprintf(cwhy, sizeof cwhy, "%s", why);
		v->is_camera = 0;
		err = cap_open("test", &v->capp, &v->cap, why, sizeof why);
		if (!err) {
			v->work.demo = 1;
			set_state(v, VISION_CAM_OK, "no usable camera (%s): showing the demo source", cwhy);
		}
	} else if (!err && automatic && !v->is_camera) {
		v->work.demo = 1;
		set_state(v, VISION_CAM_OK, "no camera found: showing the demo source");
	} else if (!err) {
		v->work.demo = 0;
		set_state(v, VISION_CAM_OK, "%s", first ? "" : "camera back");
	}
	if (err) {
		if (v->is_camera && !first)
			set_state(v, VISION_CAM_LOST, "camera lost, retrying: %s", why);
		else if (v->is_camera)
			set_state(v, VISION_CAM_ABSENT, "%s", why);
		else
			set_state(v, VISION_CAM_ERROR, "%s", why);
		return -1;
	}
	cap_describe(v->cap, v->work.source, sizeof v->work.source);
	return 0;
}

static void close_source(struct vision *v)
{
	cap_close(v->cap);
	v->cap = NULL;
	v->fresh = 1;
	v->work.idle = 0;
}

/* ---- per-face windows, keyed by tracker id ---- */

/* The slot of face id (a free or the stalest slot for a new face); slots
 * unseen for the window length are freed. */
static struct slot *slot_for(struct vision *v, int id, double t)
{
	struct slot *free_s = NULL, *oldest = NULL;
	for (int k = 0; k < VISION_MAX_FACES; k++) {
		struct slot *sl = &v->slots[k];
		if (sl->id && (t - sl->last_seen > v->mp.window_s || t < sl->last_seen))
			sl->id = 0;
		if (sl->id == id) {
			sl->last_seen = t;
			return sl;
		}
		if (!sl->id && !free_s)
			free_s = sl;
		if (sl->id && (!oldest || sl->last_seen < oldest->last_seen))
			oldest = sl;
	}
	struct slot *sl = free_s ? free_s : oldest;
	sl->id = id;
	sl->last_seen = t;
	moodwin_init(&sl->win, &v->mp);
	return sl;
}

/* ---- one frame ---- */

static void preview(struct vision *v, const struct img *f)
{
	int pw = VISION_PREVIEW_W, ph = (int)((long)f->h * pw / f->w);
	if (ph > VISION_PREVIEW_H) {
		ph = VISION_PREVIEW_H;
		pw = (int)((long)f->w * ph / f->h);
	}
	if (pw < 1)
		pw = 1;
	if (ph < 1)
		ph = 1;
	struct img dst = { .w = pw, .h = ph, .stride = pw, .px = v->work.preview };
	img_resize(f, &dst);
	v->work.preview_w = pw;
	v->work.preview_h = ph;
}

#define ROI_MARGIN 0.5    /* searched around a tracked face, in face sides */
#define ROI_SIZE 1.5      /* faces of side / ROI_SIZE .. side * ROI_SIZE */

static int clampi(int x, int lo, int hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/* Searches the detection image d (scale s to frame units) around each face
 * tracked; boxes in d's units. */
static int detect_near(struct vision *v, const struct img *d, double s, struct vocab_box *box)
{
	struct facetrack_face tf[FACETRACK_MAX];
	int nt = facetrack_faces(v->tracker, tf, FACETRACK_MAX), nf = 0;
	for (int i = 0; i < nt && nf < VISION_MAX_FACES; i++) {
		double side = tf[i].size / s, m = side * ROI_MARGIN;
		int x0 = clampi((int)(tf[i].cx / s - side / 2 - m), 0, d->w);
		int y0 = clampi((int)(tf[i].cy / s - side / 2 - m), 0, d->h);
		int x1 = clampi((int)(tf[i].cx / s + side / 2 + m + 1), 0, d->w);
		int y1 = clampi((int)(tf[i].cy / s + side / 2 + m + 1), 0, d->h);
		if (x1 - x0 < 8 || y1 - y0 < 8)
			continue;
		struct img roi = { .w = x1 - x0, .h = y1 - y0, .stride = d->stride,
				   .px = d->px + (size_t)y0 * (size_t)d->stride + (size_t)x0 };
		int k = v->eng.detect_sized(v->eng.ctx, &roi, (int)(side / ROI_SIZE),
					    (int)(side * ROI_SIZE + 1), box + nf, VISION_MAX_FACES - nf);
		for (int j = 0; j < k && nf < VISION_MAX_FACES; j++) {
			struct vocab_box b = box[nf + j];
			b.x += x0;
			b.y += y0;
			int dup = 0;       /* two faces' margins can hold the same face */
			for (int q = 0; q < nf && !dup; q++)
				dup = facetrack_iou(&b, &box[q]) > 0.5;
			if (!dup)
				box[nf++] = b;
		}
	}
	return nf;
}

/* Faces in f at frame time t (boxes in frame units). *searched: 0 when this
 * frame was not searched at all (no face tracked, whole search not due). */
static int detect(struct vision *v, const struct img *f, double t, struct vocab_box *box,
		  int *searched)
{
	*searched = 1;
	if (f->w <= VISION_CROP_SIDE && f->h <= VISION_CROP_SIDE) {
		box[0] = (struct vocab_box){ 0, 0, f->w, f->h };
		return 1;
	}
	if (!v->eng.detect)
		return 0;
	int full = !v->eng.detect_sized || t - v->last_full >= VISION_FULL_EVERY_S - 1e-6 ||
		   t < v->last_full;
	struct facetrack_face tf[1];
	if (!full && facetrack_faces(v->tracker, tf, 1) == 0) {
		*searched = 0;
		return 0;
	}
	const struct img *d = f;
	double s = 1;
	if (f->w > v->p.detect_width) {
		int sw = v->p.detect_width, sh = (int)((long)f->h * sw / f->w);
		if (sh < 1)
			sh = 1;
		if (v->small.w != sw || v->small.h != sh) {
			img_free(&v->small);
			if (img_alloc(&v->small, sw, sh))
				return 0;
		}
		img_resize(f, &v->small);
		d = &v->small;
		s = (double)f->w / sw;
	}
	int nf;
	if (full) {
		nf = v->eng.detect(v->eng.ctx, d, box, VISION_MAX_FACES);
		v->last_full = t;
	} else {
		nf = detect_near(v, d, s, box);
	}
	if (nf < 0)
		return 0;
	if (nf > VISION_MAX_FACES)
		nf = VISION_MAX_FACES;
	for (int i = 0; i < nf && s != 1; i++) {
		box[i].x = (int)(box[i].x * s + 0.5);
		box[i].y = (int)(box[i].y * s + 0.5);
		box[i].w = (int)(box[i].w * s + 0.5);
		box[i].h = (int)(box[i].h * s + 0.5);
	}
	return nf;
}

static void process(struct vision *v, const struct cap_frame *fr, double t_read)
{
	const struct img *f = &fr->img;
	struct vocab_box box[VISION_MAX_FACES];
	struct facetrack_face tf[FACETRACK_MAX];
	float probs[VISION_MAX_FACES][VOCAB_NCLASSES];
	float sizes[VISION_MAX_FACES];
	int whole = f->w <= VISION_CROP_SIDE && f->h <= VISION_CROP_SIDE;
	if (fr->t < v->last_t || v->fresh) {
		facetrack_reset(v->tracker);       /* a looped file, a restarted camera */
		v->fresh = 0;
		v->last_full = -1e9;
		v->last_face = fr->t;
	}
	v->last_t = v->last_proc = fr->t;
	int searched, n = detect(v, f, fr->t, box, &searched), m = 0;
	if (searched)
		facetrack_update(v->tracker, box, n, fr->t);
	int nt = facetrack_faces(v->tracker, tf, FACETRACK_MAX);
	if (nt > 0)
		v->last_face = fr->t;
	v->work.idle = fr->t - v->last_face >= VISION_IDLE_S;
	for (int i = 0; i < nt && i < FACETRACK_MAX && m < VISION_MAX_FACES; i++) {
		if (tf[i].missed)              /* not found in this frame */
			continue;
		struct vocab_box b = tf[i].box;
		int rc = v->eng.classify ? v->eng.classify(v->eng.ctx, f, whole ? NULL : &b, probs[m]) : -1;
		if (rc < 0)
			continue;
		if (rc == 0)
			v->work.classified++;
		struct vision_face *vf = &v->work.faces[m];
		struct slot *sl = slot_for(v, tf[i].id, fr->t);
		vf->box = b;
		vf->id = tf[i].id;
		memcpy(vf->probs, probs[m], sizeof vf->probs);
		moodwin_add(&sl->win, fr->t, probs[m]);
		struct moodwin_result r;
		moodwin_update(&sl->win, fr->t, &r);
		memcpy(vf->mean, r.probs, sizeof vf->mean);
		sizes[m] = (float)b.w * (float)b.h;
		m++;
	}
	v->work.nfaces = m;
	float g[VOCAB_NCLASSES];
	if (moodwin_group(v->mp.group, (const float (*)[VOCAB_NCLASSES])probs, sizes, m, g) == 0)
		moodwin_add(&v->group, fr->t, g);
	moodwin_update(&v->group, fr->t, &v->work.win);
	v->work.frame_w = f->w;
	v->work.frame_h = f->h;
	v->work.t = fr->t;
	preview(v, f);
	double now = now_s();
	if (v->work.frame_seq && now > v->fps_last) {
		double inst = 1.0 / (now - v->fps_last);
		v->work.fps = v->work.fps > 0 ? (float)(0.9 * v->work.fps + 0.1 * inst) : (float)inst;
	}
	v->fps_last = now;
	double c = cpu_s();
	if (now - v->cpu_wall >= 1.0) {
		if (v->cpu_wall > 0)
			v->work.cpu = (float)((c - v->cpu_used) / (now - v->cpu_wall));
		v->cpu_wall = now;
		v->cpu_used = c;
	}
	v->work.latency_ms = (float)((now - t_read) * 1000.0);
	v->work.frame_seq++;
}

static int wanted_on(struct vision *v)
{
	pthread_mutex_lock(&v->lock);
	int on = v->camera_on;
	v->camera_changed = 0;
	pthread_mutex_unlock(&v->lock);
	return on;
}

/* Sleeps up to s seconds or until stop / a camera change. 1 if stopping. */
static int nap(struct vision *v, double s)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long ns = ts.tv_nsec + (long)((s - (long)s) * 1e9);
	ts.tv_sec += (time_t)s + ns / 1000000000L;
	ts.tv_nsec = ns % 1000000000L;
	pthread_mutex_lock(&v->lock);
	while (!v->stop && !v->camera_changed)
		if (pthread_cond_timedwait(&v->cond, &v->lock, &ts) == ETIMEDOUT)
			break;
	int stop = v->stop;
	pthread_mutex_unlock(&v->lock);
	return stop;
}

static int stopping(struct vision *v)
{
	pthread_mutex_lock(&v->lock);
	int s = v->stop;
	pthread_mutex_unlock(&v->lock);
	return s;
}

static void *run(void *arg)
{
	struct vision *v = arg;
	int first = 1;
	while (!stopping(v)) {
		if (!wanted_on(v)) {
			if (v->cap)
				close_source(v);
			set_state(v, VISION_CAM_OFF, "camera off");
			v->work.nfaces = 0;
			publish(v);
			while (!stopping(v) && !wanted_on(v))
				nap(v, 3600);
			first = 1;
			continue;
		}
		if (!v->cap) {
			if (open_source(v, first) < 0) {
				if (!v->is_camera) {   /* a file that cannot be read: the end */
					v->work.done = 1;
					publish(v);
					break;
				}
				publish(v);        /* absent or lost: retry */
				if (nap(v, RETRY_S))
					break;
				continue;
			}
			first = 0;
			publish(v);
		}
		struct cap_frame fr;
		char why[256];
		int err = cap_read(v->cap, &fr, 500, why, sizeof why);
		double t_read = now_s();
		if (err == CAP_EAGAIN)
			continue;
		if (err == CAP_ESKIP) {
			warn(v, why);
			publish(v);
			continue;
		}
		if (err == CAP_EOF) {
			close_source(v);
			set_state(v, VISION_CAM_ENDED, "end of %s", v->source[0] ? v->source : "source");
			v->work.done = 1;
			publish(v);
			break;
		}
		if (err) {
			close_source(v);
			if (v->is_camera) {
				set_state(v, VISION_CAM_LOST, "camera lost, retrying (%s)", why);
				publish(v);
				if (nap(v, RETRY_S))
					break;
				continue;
			}
			set_state(v, VISION_CAM_ERROR, "%s", why);
			v->work.done = 1;
			publish(v);
			break;
		}
		if (v->work.idle && (v->p.realtime || v->is_camera) && fr.t >= v->last_proc &&
		    fr.t - v->last_proc < 1.0 / VISION_IDLE_FPS - 1e-6)
			continue;          /* idle: this frame is dropped */
		process(v, &fr, t_read);
		publish(v);
	}
	if (v->cap)
		close_source(v);
	pthread_mutex_lock(&v->lock);
	v->snap.done = 1;
	pthread_mutex_unlock(&v->lock);
	char b = 1;
	if (write(v->wake[1], &b, 1) < 0 && errno != EAGAIN) {
		/* ignore */
	}
	return NULL;
}

int vision_start(struct vision *v)
{
	if (v->started)
		return 0;
	if (pthread_create(&v->thread, NULL, run, v))
		return VISION_ESYS;
	v->started = 1;
	return 0;
}

void vision_stop(struct vision *v)
{
	if (!v || !v->started)
		return;
	pthread_mutex_lock(&v->lock);
	v->stop = 1;
	pthread_cond_broadcast(&v->cond);
	pthread_mutex_unlock(&v->lock);
	pthread_join(v->thread, NULL);
	v->started = 0;
}

void vision_free(struct vision *v)
{
	if (!v)
		return;
	vision_stop(v);
	if (v->cap)
		close_source(v);
	img_free(&v->small);
	facetrack_free(v->tracker);
	if (v->eng.free)
		v->eng.free(v->eng.ctx);
	if (v->wake[0] >= 0) {
		close(v->wake[0]);
		close(v->wake[1]);
		pthread_mutex_destroy(&v->lock);
		pthread_cond_destroy(&v->cond);
	}
	free(v);
}

int vision_wake_fd(const struct vision *v)
{
	return v->wake[0];
}

void vision_drain(struct vision *v)
{
	char buf[64];
	while (read(v->wake[0], buf, sizeof buf) > 0)
		;
}

void vision_snapshot(struct vision *v, struct vision_snapshot *out)
{
	pthread_mutex_lock(&v->lock);
	*out = v->snap;
	v->taken = 1;
	pthread_cond_broadcast(&v->cond);
	pthread_mutex_unlock(&v->lock);
}

void vision_set_camera(struct vision *v, int on)
{
	pthread_mutex_lock(&v->lock);
	v->camera_on = on != 0;
	v->camera_changed = 1;
	pthread_cond_broadcast(&v->cond);
	pthread_mutex_unlock(&v->lock);
}
