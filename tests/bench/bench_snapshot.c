/*
 * bench_snapshot: the size of struct app_snapshot (what app_snapshot()
 * copies under the app's lock for the UI and the headless kiosk at each
 * update) and of its parts, and the time of one copy (doc/BENCHMARKS.md,
 * "Headless and remote control"). Usage: bench_snapshot [COPIES]
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static struct app_snapshot a, b;
	int n = argc > 1 ? atoi(argv[1]) : 20000;
	if (n < 1)
		n = 1;
	memset(&a, 1, sizeof a);
	double best = 1e9, t0 = now();
	for (int i = 0; i < n; i++) {
		double t1 = now();
		a.nqueue = i;
		b = a;
		__asm__ volatile("" : : "r"(&b) : "memory");
		double d = now() - t1;
		if (d < best)
			best = d;
	}
	double mean = (now() - t0) / n;
	printf("struct app_snapshot: %zu bytes (%.1f KiB): %d entries of %zu bytes (path %zu), preview %zu\n",
	       sizeof a, sizeof a / 1024.0, APP_MAX_QUEUE + 1, sizeof a.current, sizeof a.current.path,
	       sizeof a.preview);
	printf("struct app_event: %zu bytes\n", sizeof(struct app_event));
	printf("copy: %.2f us mean, %.2f us best (%d copies)\n", mean * 1e6, best * 1e6, n);
	return b.nqueue != n - 1;
}
