/*
 * visionprobe: runs the vision thread on a source with a stand-in engine
 * (no models: one fixed face box at the frame centre, uniform
 * probabilities), for the capture tests. Prints one line per frame:
 *   frame SEQ W H camera=STATE faces=N preview=WxH mean=MEAN_LUMA
 * and camera state changes / warnings on stderr as `emotune mood` does.
 * Usage: visionprobe SPEC FRAMES [realtime]. Exit 1 when the source is
 * absent or unreadable.
 */
#include "vision.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int detect(void *ctx, const struct img *g, struct vocab_box *out, int max)
{
	(void)ctx;
	out[0] = (struct vocab_box){ g->w / 4, g->h / 4, g->w / 2, g->h / 2 };
	return max > 0;
}

static int classify(void *ctx, const struct img *g, const struct vocab_box *b, float p[VOCAB_NCLASSES])
{
	(void)ctx;
	(void)g;
	(void)b;
	for (int i = 0; i < VOCAB_NCLASSES; i++)
		p[i] = 1.0f / VOCAB_NCLASSES;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: visionprobe SPEC FRAMES [realtime]\n");
		return 2;
	}
	struct vision_params vp;
	vision_params_default(&vp);
	vp.source = argv[1];
	vp.lockstep = 1;
	vp.realtime = argc > 3;
	struct vision_engine eng = { .detect = detect, .classify = classify };
	struct vision *v;
	char why[256];
	if (vision_new(NULL, &vp, &eng, &v, why, sizeof why) || vision_start(v)) {
		fprintf(stderr, "visionprobe: %s\n", why);
		return 1;
	}
	static struct vision_snapshot s;
	long want = atol(argv[2]), got = 0;
	uint64_t last = 0, lastw = 0;
	char msg[200] = "";
	enum vision_camera cam = VISION_CAM_STARTING;
	int rc = 0;
	while (got < want) {
		struct pollfd p = { .fd = vision_wake_fd(v), .events = POLLIN };
		poll(&p, 1, 200);
		vision_drain(v);
		vision_snapshot(v, &s);
		if (s.warning_seq != lastw) {
			lastw = s.warning_seq;
			fprintf(stderr, "warning: %s\n", s.warning);
		}
		if (s.camera != cam || strcmp(s.camera_msg, msg)) {
			cam = s.camera;
			snprintf(msg, sizeof msg, "%s", s.camera_msg);
			fprintf(stderr, "camera %s: %s\n", vision_camera_name(cam), msg);
			if (cam == VISION_CAM_ABSENT || cam == VISION_CAM_ERROR) {
				rc = 1;
				break;
			}
		}
		if (s.frame_seq != last) {
			last = s.frame_seq;
			got++;
			long sum = 0;
			for (int i = 0; i < s.preview_w * s.preview_h; i++)
				sum += s.preview[i];
			printf("frame %llu %d %d camera=%s faces=%d preview=%dx%d mean=%ld\n",
			       (unsigned long long)s.frame_seq, s.frame_w, s.frame_h,
			       vision_camera_name(s.camera), s.nfaces, s.preview_w, s.preview_h,
			       s.preview_w ? sum / (s.preview_w * s.preview_h) : 0);
			fflush(stdout);
		}
		if (s.done)
			break;
	}
	vision_free(v);
	return rc;
}
