/*
 * cmd_mood: `emotune mood`: runs the vision pipeline without UI and prints
 * one JSON object per processed frame (each frame updates the mood window).
 * The format is documented in emotune(1), section "mood"; keep it stable.
 */
#include "cmd.h"
#include "config.h"
#include "vision.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void probs_json(FILE *f, const float *p)
{
	fputc('{', f);
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		fprintf(f, "%s\"%s\":%.4f", c ? "," : "", vocab_class_name(c), (double)p[c]);
	fputc('}', f);
}

static const char *label(int i)
{
	const char *s = vocab_class_name(i);
	return s ? s : "uncertain";
}

static void print_json(FILE *f, const struct vision_snapshot *s)
{
	const struct moodwin_result *w = &s->win;
	fprintf(f, "{\"t\":%.3f,\"frame\":%llu,\"size\":[%d,%d],\"faces\":[", s->t,
		(unsigned long long)(s->frame_seq - 1), s->frame_w, s->frame_h);
	for (int i = 0; i < s->nfaces; i++) {
		const struct vision_face *fc = &s->faces[i];
		fprintf(f, "%s{\"id\":%d,\"box\":[%d,%d,%d,%d],\"label\":\"%s\",\"probs\":",
			i ? "," : "", fc->id, fc->box.x, fc->box.y, fc->box.w, fc->box.h,
			vocab_class_name(moodwin_argmax(fc->probs)));
		probs_json(f, fc->probs);
		fputs(",\"mean\":", f);
		probs_json(f, fc->mean);
		fputc('}', f);
	}
	fputs("],\"ranking\":[", f);
	for (int c = 0; c < VOCAB_NCLASSES && w->ranking[c] >= 0; c++)   /* [] without data */
		fprintf(f, "%s\"%s\"", c ? "," : "", vocab_class_name(w->ranking[c]));
	fputs("],\"counts\":{", f);
	for (int c = 0; c < VOCAB_NCLASSES; c++)
		fprintf(f, "%s\"%s\":%d", c ? "," : "", vocab_class_name(c), w->counts[c]);
	fputs("},\"n\":", f);
	fprintf(f, "%d,\"probs\":", w->n);
	probs_json(f, w->probs);
	fprintf(f, ",\"mood\":\"%s\",\"candidate\":\"%s\",\"confidence\":%.4f,"
		"\"changed\":%s,\"fps\":%.1f,\"latency_ms\":%.2f}\n",
		label(w->mood), label(w->candidate), (double)w->confidence,
		w->changed ? "true" : "false", (double)s->fps, (double)s->latency_ms);
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	enum { OPT_FRAMES = 0x100, OPT_SECONDS, OPT_LOOP, OPT_REALTIME, OPT_STATS };
	static const struct option own[] = {
		{ "frames", 1, NULL, OPT_FRAMES },
		{ "seconds", 1, NULL, OPT_SECONDS },
		{ "loop", 0, NULL, OPT_LOOP },
		{ "realtime", 0, NULL, OPT_REALTIME },
		{ "stats", 0, NULL, OPT_STATS },
		{ NULL, 0, NULL, 0 },
	};
	long frames = -1;
	double seconds = -1;
	int o, stats = 0;
	struct vision_params vp;
	vision_params_default(&vp);
	vp.lockstep = 1;
	while ((o = cmd_getopt(ctx, &cmd_mood, argc, argv, NULL, own)) != -1) {
		char *end;
		switch (o) {
		case CMD_HELP:
			return CMD_OK;
		case OPT_FRAMES:
			errno = 0;
			frames = strtol(optarg, &end, 10);
			if (errno || *end || frames < 1) {
				cmd_error("mood", "--frames: '%s' is not a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		case OPT_SECONDS:
			seconds = strtod(optarg, &end);
			if (*end || !(seconds > 0)) {
				cmd_error("mood", "--seconds: '%s' is not a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		case OPT_LOOP:
			vp.loop = 1;
			break;
		case OPT_REALTIME:
			vp.realtime = 1;
			break;
		case OPT_STATS:
			stats = 1;
			break;
		default:
			return CMD_USAGE;
		}
	}
	if (optind < argc) {
		cmd_error("mood", "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	if (frames > 0 && seconds > 0) {
		cmd_error("mood", "--frames and --seconds exclude each other");
		return CMD_USAGE;
	}
	if (!config_get_bool(ctx->cfg, "camera", 1) && !config_get(ctx->cfg, "source")) {
		cmd_error("mood", "the camera is off (--no-camera) and no --source was given");
		return CMD_FAIL;
	}
	char why[512] = "";
	struct vision_engine eng;
	int err = vision_engine_default(ctx->cfg, &eng, why, sizeof why);
	if (err) {
		cmd_error("mood", "%s", why);
		return CMD_FAIL;
	}
	struct vision *v;
	err = vision_new(ctx->cfg, &vp, &eng, &v, why, sizeof why);
	if (err) {
		cmd_error("mood", "%s", why);
		return CMD_FAIL;
	}
	if (vision_start(v)) {
		cmd_error("mood", "cannot start the vision thread");
		vision_free(v);
		return CMD_FAIL;
	}
	struct vision_snapshot *s = malloc(sizeof *s);
	if (!s) {
		vision_free(v);
		cmd_error("mood", "out of memory");
		return CMD_FAIL;
	}
	uint64_t last_frame = 0, last_warn = 0;
	enum vision_camera last_cam = VISION_CAM_STARTING;
	char last_msg[sizeof s->camera_msg] = "";
	long printed = 0;
	int rc = CMD_OK;
	double start = mono();
	double fps_sum = 0, lat_sum = 0;
	clock_t cpu0 = clock();
	for (;;) {
		struct pollfd pfd = { .fd = vision_wake_fd(v), .events = POLLIN };
		int r = poll(&pfd, 1, 200);
		if (r < 0 && errno != EINTR)
			break;
		vision_drain(v);
		vision_snapshot(v, s);
		if (s->warning_seq != last_warn) {
			last_warn = s->warning_seq;
			cmd_error("mood", "%s", s->warning);
		}
		if (s->camera != last_cam || strcmp(s->camera_msg, last_msg) != 0) {
			if (s->camera_msg[0] && (s->camera != VISION_CAM_ENDED))
				cmd_error("mood", "%s", s->camera_msg);
			if (s->camera == VISION_CAM_OK && last_cam == VISION_CAM_STARTING && s->source[0])
				fprintf(stderr, "emotune: mood: reading %s\n", s->source);
			last_cam = s->camera;
			snprintf(last_msg, sizeof last_msg, "%s", s->camera_msg);
			if (s->camera == VISION_CAM_ABSENT || s->camera == VISION_CAM_ERROR) {
				rc = CMD_FAIL;
				break;
			}
		}
		if (s->frame_seq != last_frame) {
			last_frame = s->frame_seq;
			print_json(stdout, s);
			fflush(stdout);
			printed++;
			fps_sum += s->fps;
			lat_sum += s->latency_ms;
			if (frames > 0 && printed >= frames)
				break;
			if (seconds > 0 && s->t >= seconds)
				break;
		}
		if (seconds > 0 && mono() - start >= seconds && s->camera != VISION_CAM_OK)
			break;
		if (s->done)
			break;
	}
	if (ferror(stdout)) {
		cmd_error("mood", "writing the output failed");
		rc = CMD_FAIL;
	}
	vision_stop(v);
	if (stats && printed) {
		double wall = mono() - start, cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
		fprintf(stderr, "frames=%ld fps=%.1f latency_ms=%.2f cpu=%.2f cpu_ms_per_frame=%.2f "
			"wall_s=%.2f classified=%llu\n", printed, printed / wall, lat_sum / printed,
			cpu / wall, cpu * 1000 / printed, wall, (unsigned long long)s->classified);
	}
	(void)fps_sum;
	free(s);
	vision_free(v);
	return rc;
}

const struct cmd cmd_mood = {
	.name = "mood",
	.run = run,
	.usage = "mood [--source SPEC] [--frames N | --seconds S] [--loop] [--realtime] [--stats]",
	.help = "Runs the camera pipeline without UI; one JSON object per mood update "
		"(every frame), see emotune(1). --loop: files start again at their end; "
		"--realtime: files are paced at their rate (default: as fast as possible); "
		"--stats: a summary line (frames, fps, latency, CPU use, CPU ms per frame, faces the "
		"network ran on) on stderr.",
};
