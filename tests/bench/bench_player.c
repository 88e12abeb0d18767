/* bench_player: plays files through the player and reports the process's
 * CPU time (getrusage: all threads) against wall time, the ring underruns
 * and the speed relative to real time.
 *   bench_player LABEL AUDIO PACE LUFS FILE...
 * AUDIO: null, wav:FILE, a libao driver; PACE: 0 = the output's own
 * (null: real time), else x real time; LUFS: loudness given to the items
 * ("nan": unknown, so gain 0 dB), normalisation on. Prints one TSV row:
 * label wall_s cpu_s cpu_pct_of_one_core underruns audio_s x_realtime */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <sndfile.h>

#include "player.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static double cpu(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
	       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

int main(int argc, char **argv)
{
	if (argc < 6) {
		fprintf(stderr, "usage: bench_player LABEL AUDIO PACE LUFS FILE...\n");
		return 2;
	}
	struct player *p;
	struct player_opts o = { .pace = atof(argv[3]) };
	double lufs = strcmp(argv[4], "nan") == 0 ? NAN : atof(argv[4]);
	if (player_new_opts(argv[2], &o, &p)) {
		fprintf(stderr, "bench_player: cannot open %s\n", argv[2]);
		return 1;
	}
	double audio = 0;
	for (int i = 5; i < argc; i++) {
		struct player_item it = { .path = argv[i], .lufs = lufs };
		SF_INFO info;
		memset(&info, 0, sizeof info);
		SNDFILE *sf = sf_open(argv[i], SFM_READ, &info);
		if (sf) {
			audio += (double)info.frames / info.samplerate;
			sf_close(sf);
		}
		player_enqueue(p, &it);
	}
	struct player_snapshot s;
	double t0 = now(), c0 = cpu();
	player_play(p);
	player_wait_idle(p);
	double wall = now() - t0, used = cpu() - c0;
	player_snapshot(p, &s);
	player_free(p);
	char under[32] = "n/a";   /* meaningless when not in real time */
	if (o.pace <= 1.0)
		snprintf(under, sizeof under, "%lu", s.underruns);
	printf("%s\t%.2f\t%.3f\t%.2f\t%s\t%.1f\t%.1f\n", argv[1], wall, used,
	       100.0 * used / wall, under, audio, audio / wall);
	return 0;
}
