/* bench_nearest DB [QUERIES] [N]: times lib_db_nearest (N nearest tracks to a
 * random valence/arousal point) and lib_db_tracks on an existing index. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lib_db.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_nearest DB [QUERIES] [N]\n");
		return 2;
	}
	int queries = argc > 2 ? atoi(argv[2]) : 200, n = argc > 3 ? atoi(argv[3]) : 50;
	struct lib_db *db;
	if (lib_db_open(argv[1], &db, NULL, 0)) {
		fprintf(stderr, "bench_nearest: cannot open %s\n", argv[1]);
		return 1;
	}
	size_t count;
	lib_db_count(db, &count);
	srand(1);
	double worst = 0, total = 0;
	for (int q = 0; q < queries; q++) {
		float v = rand() / (float)RAND_MAX * 2 - 1, a = rand() / (float)RAND_MAX * 2 - 1;
		struct lib_track *t;
		size_t got;
		double t0 = now();
		if (lib_db_nearest(db, v, a, (size_t)n, &t, &got)) {
			fprintf(stderr, "bench_nearest: query failed: %s\n", lib_db_errmsg(db));
			return 1;
		}
		double dt = now() - t0;
		total += dt;
		if (dt > worst)
			worst = dt;
		lib_tracks_free(t, got);
	}
	struct lib_track *all;
	size_t m;
	double t0 = now();
	lib_db_tracks(db, &all, &m);
	double tall = now() - t0;
	lib_tracks_free(all, m);
	printf("nearest-mood query, %d nearest of %zu tracks: mean %.2f ms, worst %.2f ms (%d queries); "
	       "loading all tracks: %.0f ms\n", n, count, total / queries * 1000, worst * 1000, queries, tall * 1000);
	lib_db_close(db);
	return 0;
}
