/* bench_recommend: CPU time of recommend_plan() on a synthetic library
 * (uniform on the plane, 500 artists, albums of 10) with a 20-play history.
 * Usage: bench_recommend [NTRACKS [NPICKS [REPEATS]]]. Prints one line. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "recommend.h"

static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	size_t nt = argc > 1 ? strtoul(argv[1], NULL, 10) : 10000;
	size_t np = argc > 2 ? strtoul(argv[2], NULL, 10) : 10;
	int reps = argc > 3 ? atoi(argv[3]) : 200;
	struct recommend_track *t = calloc(nt ? nt : 1, sizeof *t);
	char (*paths)[64] = calloc(nt ? nt : 1, sizeof *paths);
	char (*artists)[32] = calloc(500, sizeof *artists);
	char (*albums)[32] = calloc(nt / 10 + 1, sizeof *albums);
	struct recommend_pick *pk = calloc(np ? np : 1, sizeof *pk);
	const char *hist[20];
	uint64_t x = 88172645463325252ULL;
	if (!t || !paths || !artists || !albums || !pk || nt < 20)
		return 1;
	for (size_t i = 0; i < 500; i++)
		snprintf(artists[i], sizeof artists[i], "artist%zu", i);
	for (size_t i = 0; i <= nt / 10; i++)
		snprintf(albums[i], sizeof albums[i], "album%zu", i);
	for (size_t i = 0; i < nt; i++) {
		snprintf(paths[i], sizeof paths[i], "/music/a%03zu/t%06zu.flac", i % 500, i);
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		float v = (float)((x >> 11) % 20001) / 10000.0f - 1;
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		float a = (float)((x >> 11) % 20001) / 10000.0f - 1;
		t[i] = (struct recommend_track){ .path = paths[i], .artist = artists[i % 500],
			.album = albums[i / 10], .valence = v, .arousal = a,
			.feedback = i % 97 == 0 ? 0.5f : 0 };
	}
	for (int i = 0; i < 20; i++)
		hist[i] = paths[(size_t)i * 7 % nt];
	float probs[VOCAB_NCLASSES] = { 0.1f, 0, 0.1f, 0.1f, 0.2f, 0.5f, 0 };
	struct recommend_params par;
	recommend_params_default(&par);
	par.strategy = VOCAB_UPLIFT;
	size_t got = 0;
	double t0 = cpu_now();
	for (int r = 0; r < reps; r++) {
		par.seed = (uint64_t)r;
		if (recommend_plan(probs, t, nt, hist, 20, &par, pk, np, &got))
			return 1;
	}
	double dt = (cpu_now() - t0) / reps;
	printf("recommend_plan: %zu tracks, %zu picks, 20-play history: %.2f ms CPU per plan\n",
	       nt, got, 1e3 * dt);
	free(t); free(paths); free(artists); free(albums); free(pk);
	return 0;
}
