/*
 * app_vision: vision: the camera's mood and its camera-state events; a part
 * of app, see app_priv.h.
 */
#include "app_priv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

/* The camera's mood (ignored while a mood is set by hand). */
void app_update_mood(struct app *a, int mood, const float *probs, float conf)
{
	struct app_snapshot *s = &a->s;
	a->camera_mood = mood;
	if (probs)
		memcpy(a->camera_probs, probs, sizeof a->camera_probs);
	if (s->mood_manual)
		return;
	memcpy(s->probs, a->camera_probs, sizeof s->probs);
	s->confidence = conf;
	app_mood_point(a);
	if (mood != s->mood) {
		s->mood = mood;
		a->mood_since = app_now();
		app_push_event(a, APP_EV_MOOD, "%s", app_mood_name(mood));
	}
}

/* The event for a change of the vision thread's camera state; -1: none. */
static int camera_event(int old, int now_state)
{
	switch (now_state) {
	case VISION_CAM_OK: return old == VISION_CAM_LOST ? APP_CAM_BACK : APP_CAM_OK;
	case VISION_CAM_LOST: return APP_CAM_LOST;
	case VISION_CAM_ABSENT: return APP_CAM_ABSENT;
	case VISION_CAM_OFF: return APP_CAM_OFF;
	case VISION_CAM_ENDED: return APP_CAM_ENDED;
	case VISION_CAM_ERROR: return APP_CAM_ERROR;
	}
	return -1;
}

/* Follows the vision thread: camera state, preview, faces, mood. */
void app_on_vision(struct app *a)
{
	struct app_snapshot *s = &a->s;
	struct vision_snapshot *v = a->vsnap;
	vision_drain(a->vis);
	vision_snapshot(a->vis, v);
	if ((int)v->camera != a->cam_state) {
		int ev = camera_event(a->cam_state, (int)v->camera);
		if (ev >= 0 && !(v->camera == VISION_CAM_OFF && !s->camera_on && a->cam_state < 0))
			app_push_camera(a, (enum app_camera)ev, v->camera_msg);
		a->cam_state = (int)v->camera;
	}
	if (v->warning_seq != a->vis_warning_seq) {
		a->vis_warning_seq = v->warning_seq;
		if (v->warning[0])
			app_push_event(a, APP_EV_WARNING, "camera: %s", v->warning);
	}
	if (v->idle != s->camera_idle && v->camera == VISION_CAM_OK)
		app_push_event(a, APP_EV_CAMERA, v->idle ? "idle: no face for %.0f s, looking %.0f times a second"
			   : "active: face found", VISION_IDLE_S, VISION_IDLE_FPS);
	s->camera_idle = v->idle;
	s->camera_ok = v->camera == VISION_CAM_OK;
	snprintf(s->camera_msg, sizeof s->camera_msg, "%s", v->camera_msg);
	s->frame_w = v->frame_w;
	s->frame_h = v->frame_h;
	if (v->frame_seq != s->frame_seq) {
		s->frame_seq = v->frame_seq;
		s->preview_w = v->preview_w < APP_PREVIEW_W ? v->preview_w : APP_PREVIEW_W;
		s->preview_h = v->preview_h < APP_PREVIEW_H ? v->preview_h : APP_PREVIEW_H;
		for (int y = 0; y < s->preview_h; y++)
			memcpy(s->preview + y * s->preview_w, v->preview + y * v->preview_w, (size_t)s->preview_w);
	}
	s->nfaces = v->nfaces < APP_MAX_FACES ? v->nfaces : APP_MAX_FACES;
	for (int i = 0; i < s->nfaces; i++) {
		const struct vision_face *f = &v->faces[i];
		s->faces[i] = (struct app_face){ .box = f->box, .id = f->id };
		memcpy(s->faces[i].probs, f->probs, sizeof s->faces[i].probs);
	}
	s->fps = v->fps;
	s->latency_ms = v->latency_ms;
	if (!s->mood_manual)
		memcpy(s->ranking, v->win.ranking, sizeof s->ranking);
	app_update_mood(a, v->win.mood, v->win.probs, v->win.confidence);
}

/* Starts the camera pipeline; a missing model or camera is reported, not fatal. */
void app_start_vision(struct app *a)
{
	char why[512] = "";
	struct vision_engine eng;
	struct vision_params p;
	if (a->vis)
		return;
	if (!a->vsnap && !(a->vsnap = calloc(1, sizeof *a->vsnap)))
		return;
	int err = vision_engine_default(a->cfg, &eng, why, sizeof why);
	if (!err) {
		vision_params_default(&p);
		p.realtime = config_get_bool(a->cfg, "pace", 1);
		p.loop = 1;
		p.camera_on = 1;
		err = vision_new(a->cfg, &p, &eng, &a->vis, why, sizeof why);
		if (!err && (err = vision_start(a->vis)) != 0) {
			vision_free(a->vis);
			snprintf(why, sizeof why, "%s", vision_strerror(err));
		}
	}
	if (err) {
		a->vis = NULL;
		a->s.camera_ok = 0;
		snprintf(a->s.camera_msg, sizeof a->s.camera_msg, "no camera (%.100s): pick a mood by hand", why);
		app_push_camera(a, APP_CAM_ABSENT, why[0] ? why : vision_strerror(err));
		a->cam_state = VISION_CAM_ABSENT;
		return;
	}
	a->cam_state = -1;
	struct epoll_event ev = { .events = EPOLLIN, .data.u32 = TAG_VISION };
	epoll_ctl(a->epfd, EPOLL_CTL_ADD, vision_wake_fd(a->vis), &ev);
}
