/* Helpers shared by test_app.c and test_soak.c: a throw-away library of
 * short WAV files indexed straight into a library database, a small y4m
 * video of face-sized frames, and a poll loop around the app. */
#ifndef EMOTUNE_TEST_APP_UTIL_H
#define EMOTUNE_TEST_APP_UTIL_H

#include <math.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "config.h"
#include "lib_db.h"

/* A mono 16-bit WAV of secs seconds at 8 kHz: a tone. */
static void util_wav(const char *path, double secs, int tone)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	uint32_t n = (uint32_t)(secs * 8000), bytes = n * 2, v;
	uint16_t s;
	fwrite("RIFF", 1, 4, f);
	v = 36 + bytes; fwrite(&v, 4, 1, f);
	fwrite("WAVEfmt ", 1, 8, f);
	v = 16; fwrite(&v, 4, 1, f);
	s = 1; fwrite(&s, 2, 1, f);      /* PCM */
	s = 1; fwrite(&s, 2, 1, f);      /* mono */
	v = 8000; fwrite(&v, 4, 1, f);
	v = 16000; fwrite(&v, 4, 1, f);
	s = 2; fwrite(&s, 2, 1, f);
	s = 16; fwrite(&s, 2, 1, f);
	fwrite("data", 1, 4, f);
	fwrite(&bytes, 4, 1, f);
	for (uint32_t i = 0; i < n; i++) {
		int16_t x = (int16_t)(6000 * sin(2 * M_PI * (200 + 40 * tone) * i / 8000.0));
		fwrite(&x, 2, 1, f);
	}
	fclose(f);
}

/* n tracks dir/tNNN.wav, indexed into db with valence/arousal spread over
 * the four quadrants (track i in quadrant i % 4 + 1). */
static void util_library(const char *dir, const char *db_path, int n, double secs)
{
	static const float va[4][2] = { { 0.6f, 0.5f }, { -0.6f, 0.5f }, { -0.6f, -0.5f }, { 0.6f, -0.5f } };
	struct lib_db *db;
	mkdir(dir, 0700);
	if (lib_db_open(db_path, &db, NULL, 0) != 0)
		abort();
	lib_db_begin(db);
	for (int i = 0; i < n; i++) {
		char path[512], title[64];
		snprintf(path, sizeof path, "%s/t%03d.wav", dir, i);
		snprintf(title, sizeof title, "Track %d", i);
		util_wav(path, secs, i % 16);
		struct lib_record r;
		memset(&r, 0, sizeof r);
		r.t.path = path;
		r.t.title = title;
		r.t.artist = i % 2 ? "Odd" : "Even";
		r.t.album = "";
		r.t.duration = secs;
		r.t.rate = 8000;
		r.t.channels = 1;
		r.t.lufs = -20;
		r.t.valence = va[i % 4][0] + 0.01f * (float)(i % 7);
		r.t.arousal = va[i % 4][1] - 0.01f * (float)(i % 5);
		r.mtime = time(NULL);
		r.size = 44 + (int64_t)(secs * 16000);
		r.model = "test";
		if (lib_db_put(db, &r) != 0)
			abort();
	}
	lib_db_commit(db);
	lib_db_close(db);
}

/* A y4m of n 48x48 frames (face crops for the vision thread). */
static void util_y4m(const char *path, int n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fprintf(f, "YUV4MPEG2 W48 H48 F25:1 Ip A1:1 C420jpeg\n");
	uint8_t y[48 * 48], uv[24 * 24 * 2];
	memset(uv, 128, sizeof uv);
	for (int k = 0; k < n; k++) {
		for (int i = 0; i < 48 * 48; i++)
			y[i] = (uint8_t)((i % 48) * 3 + (i / 48) * 2 + k * 7);
		fprintf(f, "FRAME\n");
		fwrite(y, 1, sizeof y, f);
		fwrite(uv, 1, sizeof uv, f);
	}
	fclose(f);
}

static double util_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Counts of the events seen by util_run. */
struct util_seen {
	int starts, ends, moods, cameras, warnings, errors;
	char last_camera[sizeof ((struct app_event *)0)->text], last_warning[sizeof ((struct app_event *)0)->text];
	char log[16384];              /* every warning and camera event, '\n'-separated */
};

static void util_log(struct util_seen *n, const char *text)
{
	size_t l = strlen(n->log), t = strlen(text);
	if (l + t + 2 > sizeof n->log) {  /* keep the newer half */
		memmove(n->log, n->log + l / 2, l - l / 2 + 1);
		l = strlen(n->log);
	}
	if (l + t + 2 <= sizeof n->log) {
		memcpy(n->log + l, text, t);
		n->log[l + t] = '\n';
		n->log[l + t + 1] = 0;
	}
}

/* Runs the app's loop until done(a, snap, seen, arg) is true or secs pass;
 * returns 1 when done. */
static int util_run(struct app *a, struct app_snapshot *snap, struct util_seen *seen, double secs,
		    int (*done)(struct app *, const struct app_snapshot *, const struct util_seen *, void *),
		    void *arg)
{
	double end = util_now() + secs;
	for (;;) {
		app_snapshot(a, snap);
		if (done(a, snap, seen, arg))
			return 1;
		if (util_now() > end)
			return 0;
		struct pollfd p = { .fd = app_wake_fd(a), .events = POLLIN };
		poll(&p, 1, 200);
		app_drain(a);
		struct app_event ev;
		while (app_next_event(a, &ev)) {
			switch (ev.type) {
			case APP_EV_TRACK_START: seen->starts++; break;
			case APP_EV_TRACK_END: seen->ends++; break;
			case APP_EV_MOOD: seen->moods++; break;
			case APP_EV_CAMERA:
				seen->cameras++;
				snprintf(seen->last_camera, sizeof seen->last_camera, "%s", ev.text);
				util_log(seen, ev.text);
				break;
			case APP_EV_WARNING:
				seen->warnings++;
				snprintf(seen->last_warning, sizeof seen->last_warning, "%s", ev.text);
				util_log(seen, ev.text);
				break;
			case APP_EV_ERROR: seen->errors++; break;
			default: break;
			}
			if (getenv("EMOTUNE_TEST_VERBOSE"))
				fprintf(stderr, "# event %d %.2f %s\n", ev.type, ev.t, ev.text);
		}
	}
}

#endif
