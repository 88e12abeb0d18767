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

/* What the command line asked for. */
struct mood_opts {
	long frames;                 /* -1: no limit */
	double seconds;              /* -1: no limit */
	int stats;
	struct vision_params vp;
};

/* Parses the options into *m: -1 to go on, or the CMD_* code to return. */
static int parse_opts(struct cmd_ctx *ctx, int argc, char **argv, struct mood_opts *m)
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
	int o;
	m->frames = -1;
	m->seconds = -1;
	m->stats = 0;
	vision_params_default(&m->vp);
	m->vp.lockstep = 1;
	while ((o = cmd_getopt(ctx, &cmd_mood, argc, argv, NULL, own)) != -1) {
		char *end;
		switch (o) {
		case CMD_HELP:
			return CMD_OK;
		case OPT_FRAMES:
			errno = 0;
			m->frames = strtol(optarg, &end, 10);
			if (errno || *end || m->frames < 1) {
				cmd_error("mood", "--frames: '%s' is not a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		case OPT_SECONDS:
			m->seconds = strtod(optarg, &end);
			if (*end || !(m->seconds > 0)) {
				cmd_error("mood", "--seconds: '%s' is not a positive number", optarg);
				return CMD_USAGE;
			}
			break;
		case OPT_LOOP:
			m->vp.loop = 1;
			break;
		case OPT_REALTIME:
			m->vp.realtime = 1;
			break;
		case OPT_STATS:
			m->stats = 1;
			break;
		default:
			return CMD_USAGE;
		}
	}
	if (optind < argc) {
		cmd_error("mood", "unexpected argument '%s'", argv[optind]);
		return CMD_USAGE;
	}
	if (m->frames > 0 && m->seconds > 0) {
		cmd_error("mood", "--frames and --seconds exclude each other");
		return CMD_USAGE;
	}
	return -1;
}

/* Creates and starts the vision pipeline: 0, or -1 after saying why. */
static int start_vision(struct cmd_ctx *ctx, const struct vision_params *vp, struct vision **out)
{
	char why[512] = "";
	struct vision_engine eng;
	int err = vision_engine_default(ctx->cfg, &eng, why, sizeof why);
	if (err) {
		cmd_error("mood", "%s", why);
		return -1;
	}
	struct vision *v;
	err = vision_new(ctx->cfg, vp, &eng, &v, why, sizeof why);
	if (err) {
		cmd_error("mood", "%s", why);
		return -1;
	}
	if (vision_start(v)) {
		cmd_error("mood", "cannot start the vision thread");
		vision_free(v);
		return -1;
	}
	*out = v;
	return 0;
}

/* What the print loop has seen so far. */
struct mood_follow {
	uint64_t last_frame, last_warn;
	enum vision_camera last_cam;
	char last_msg[sizeof ((struct vision_snapshot *)0)->camera_msg];
	long printed;
	double start, lat_sum;
};

/* Reports a new warning or camera state on stderr; 1 when the camera is
 * gone for good (absent or failed), else 0. */
static int report_camera(struct mood_follow *fw, const struct vision_snapshot *s)
{
	if (s->warning_seq != fw->last_warn) {
		fw->last_warn = s->warning_seq;
		cmd_error("mood", "%s", s->warning);
	}
	if (s->camera != fw->last_cam || strcmp(s->camera_msg, fw->last_msg) != 0) {
		if (s->camera_msg[0] && (s->camera != VISION_CAM_ENDED))
			cmd_error("mood", "%s", s->camera_msg);
		if (s->camera == VISION_CAM_OK && fw->last_cam == VISION_CAM_STARTING && s->source[0])
			fprintf(stderr, "emotune: mood: reading %s\n", s->source);
		fw->last_cam = s->camera;
		snprintf(fw->last_msg, sizeof fw->last_msg, "%s", s->camera_msg);
		if (s->camera == VISION_CAM_ABSENT || s->camera == VISION_CAM_ERROR)
			return 1;
	}
	return 0;
}

/* Prints one JSON line per new frame until a limit, the end of the source
 * or a camera failure; CMD_OK or CMD_FAIL. */
static int follow(struct vision *v, const struct mood_opts *m, struct vision_snapshot *s,
		  struct mood_follow *fw)
{
	for (;;) {
		struct pollfd pfd = { .fd = vision_wake_fd(v), .events = POLLIN };
		int r = poll(&pfd, 1, 200);
		if (r < 0 && errno != EINTR)
			break;
		vision_drain(v);
		vision_snapshot(v, s);
		if (report_camera(fw, s))
			return CMD_FAIL;
		if (s->frame_seq != fw->last_frame) {
			fw->last_frame = s->frame_seq;
			print_json(stdout, s);
			fflush(stdout);
			fw->printed++;
			fw->lat_sum += s->latency_ms;
			if (m->frames > 0 && fw->printed >= m->frames)
				break;
			if (m->seconds > 0 && s->t >= m->seconds)
				break;
		}
		if (m->seconds > 0 && mono() - fw->start >= m->seconds && s->camera != VISION_CAM_OK)
			break;
		if (s->done)
			break;
	}
	return CMD_OK;
}

static int run(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct mood_opts m;
	int rc = parse_opts(ctx, argc, argv, &m);
	if (rc >= 0)
		return rc;
	if (!config_get_bool(ctx->cfg, "camera", 1) && !config_get(ctx->cfg, "source")) {
		cmd_error("mood", "the camera is off (--no-camera) and no --source was given");
		return CMD_FAIL;
	}
	struct vision *v;
	if (start_vision(ctx, &m.vp, &v))
		return CMD_FAIL;
	struct vision_snapshot *s = malloc(sizeof *s);
	if (!s) {
		vision_free(v);
		cmd_error("mood", "out of memory");
		return CMD_FAIL;
	}
	struct mood_follow fw = { .last_cam = VISION_CAM_STARTING, .start = mono() };
	clock_t cpu0 = clock();
	rc = follow(v, &m, s, &fw);
	if (ferror(stdout)) {
		cmd_error("mood", "writing the output failed");
		rc = CMD_FAIL;
	}
	vision_stop(v);
	if (m.stats && fw.printed) {
		double wall = mono() - fw.start, cpu = (double)(clock() - cpu0) / CLOCKS_PER_SEC;
		fprintf(stderr, "frames=%ld fps=%.1f latency_ms=%.2f cpu=%.2f cpu_ms_per_frame=%.2f "
			"wall_s=%.2f classified=%llu\n", fw.printed, fw.printed / wall,
			fw.lat_sum / fw.printed, cpu / wall, cpu * 1000 / fw.printed, wall,
			(unsigned long long)s->classified);
	}
	free(s);
	vision_free(v);
	return rc;
}

const struct cmd cmd_mood = {
	.name = "mood",
	.summary = "run the camera pipeline, JSON lines of mood updates",
	.run = run,
	.usage = "mood [--source SPEC] [--frames N | --seconds S] [--loop] [--realtime] [--stats]",
	.help = "Runs the camera pipeline without UI; one JSON object per mood update "
		"(every frame), see emotune(1). --loop: files start again at their end; "
		"--realtime: files are paced at their rate (default: as fast as possible); "
		"--stats: a summary line (frames, fps, latency, CPU use, CPU ms per frame, faces the "
		"network ran on) on stderr.",
};
