/* bench_history: the mood history's size and cost, and the fixed fake
 * history of the CLI tests.
 *
 *   bench_history fixture DB     writes the fixed fake history (seconds from
 *                                2025-12-03T14:00:00Z: 0 happy a, 60 happy a,
 *                                100 sad b, 130 none, 400 happy c, 460
 *                                uncertain c, 470 manual:angry, 1000 happy a,
 *                                1090 none) through the recorder
 *   bench_history day DB DAYS FACE_HOURS [unbatched]
 *                                simulates DAYS days of a kiosk sampled at 4 Hz
 *                                like the app: a face seen FACE_HOURS a day,
 *                                the mood changing every 30-150 s (seeded),
 *                                a track every 210 s; prints rows a day,
 *                                bytes a day (file after a checkpoint) and
 *                                CPU time per day simulated and per row
 *                                written. "unbatched" writes each row in its
 *                                own transaction (the reference).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "history.h"
#include "lib_db.h"

#define T0 1764770400.0

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long long file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (long long)st.st_size : 0;
}

static int fixture(sqlite3 *db)
{
	static const struct { double t; int state, mood; const char *track; } v[] = {
		{ 0, HISTORY_CAMERA, 3, "/m/a.flac" }, { 60, HISTORY_CAMERA, 3, "/m/a.flac" },
		{ 100, HISTORY_CAMERA, 5, "/m/b.flac" }, { 130, HISTORY_NOFACE, -1, "/m/b.flac" },
		{ 400, HISTORY_CAMERA, 3, "/m/c.flac" }, { 460, HISTORY_CAMERA, -1, "/m/c.flac" },
		{ 470, HISTORY_MANUAL, 0, NULL }, { 1000, HISTORY_CAMERA, 3, "/m/a.flac" },
		{ 1090, HISTORY_NOFACE, -1, NULL },
	};
	struct history_rec *r;
	if (history_rec_new(db, 0, T0, &r))
		return 1;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct history_sample s = {
			.t = T0 + v[i].t, .state = (enum history_state)v[i].state, .mood = v[i].mood,
			.valence = v[i].mood == 3 ? 0.8f : v[i].mood == 5 ? -0.7f : 0.1f * (float)i,
			.arousal = v[i].mood == 3 ? 0.45f : -0.2f, .confidence = 0.75f,
			.faces = v[i].state == HISTORY_NOFACE ? 0 : 1, .strategy = i >= 4 ? 2 : 0,
			.track = v[i].track,
		};
		if (history_rec_observe(r, &s) < 0)
			return 1;
	}
	history_rec_free(r);
	return 0;
}

static int day(sqlite3 *db, const char *path, int days, double face_h, int unbatched)
{
	struct history_rec *r;
	uint64_t x = 88172645463325252ULL;
	if (history_rec_new(db, 90, T0, &r))
		return 1;
	sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	long long base = file_size(path);
	double next_mood = T0, c0 = cpu_now();
	int mood = 3;
	long samples = 0;
	char track[64] = "";
	for (double t = T0; t < T0 + days * 86400.0; t += 0.25) {
		double tod = (t - T0) - 86400.0 * (long)((t - T0) / 86400.0);
		int face = tod < face_h * 3600;
		if (t >= next_mood) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			mood = (int)(x % 8) - 1;
			next_mood = t + 30 + (double)(x >> 40 & 0xffff) / 65536.0 * 120;
		}
		snprintf(track, sizeof track, "/music/artist%02ld/track%04ld.flac",
			 (long)(t / 210) % 40, (long)(t / 210) % 2000);
		struct history_sample s = {
			.t = t, .state = face ? HISTORY_CAMERA : HISTORY_NOFACE, .mood = face ? mood : -1,
			.valence = 0.3f, .arousal = -0.1f, .confidence = 0.6f, .faces = face,
			.strategy = 0, .track = track,
		};
		int rc = history_rec_observe(r, &s);
		if (rc < 0)
			return 1;
		if (rc == 1 && unbatched && history_rec_flush(r))
			return 1;
		samples++;
	}
	history_rec_flush(r);
	double cpu = cpu_now() - c0;
	size_t rows = history_rec_written(r);
	history_rec_free(r);
	sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
	long long bytes = file_size(path) - base;
	printf("history %s: %d days, face %.0f h/day: %.0f rows/day, %.1f KiB/day (%.1f B/row),"
	       " CPU %.3f s/day simulated (%.2f us/sample, %.1f us/row)\n",
	       unbatched ? "unbatched" : "batched", days, face_h, (double)rows / days,
	       bytes / 1024.0 / days, rows ? (double)bytes / rows : 0, cpu / days, 1e6 * cpu / samples,
	       rows ? 1e6 * cpu / rows : 0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_history fixture DB | day DB DAYS FACE_HOURS [unbatched]\n");
		return 2;
	}
	struct lib_db *d;
	if (lib_db_open(argv[2], &d, NULL, 0)) {
		fprintf(stderr, "bench_history: %s: cannot open\n", argv[2]);
		return 1;
	}
	int rc;
	if (!strcmp(argv[1], "fixture"))
		rc = fixture(lib_db_sqlite(d));
	else if (!strcmp(argv[1], "day") && argc >= 5)
		rc = day(lib_db_sqlite(d), argv[2], atoi(argv[3]), atof(argv[4]),
			 argc > 5 && !strcmp(argv[5], "unbatched"));
	else
		rc = 2;
	lib_db_close(d);
	return rc;
}
