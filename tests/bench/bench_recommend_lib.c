/* bench_recommend_lib DB [N]: times recommend_lib_pick (N picks, as the
 * running program plans its queue: 5) for every strategy and the seven
 * one-hot moods on an existing index; prints per strategy the mean and
 * worst wall time, the candidates read and the plans made (rounds). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "recommend_lib.h"

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: bench_recommend_lib DB [N]\n");
		return 2;
	}
	size_t n = argc > 2 ? (size_t)atoi(argv[2]) : 5;
	struct lib_db *db;
	char why[256] = "";
	if (lib_db_open_ro(argv[1], &db, why, sizeof why)) {
		fprintf(stderr, "bench_recommend_lib: %s: %s\n", argv[1], why);
		return 1;
	}
	for (int st = 0; st < VOCAB_NSTRATEGIES; st++) {
		double sum = 0, worst = 0;
		size_t rows = 0;
		int rounds = 0;
		for (int cls = 0; cls < VOCAB_NCLASSES; cls++) {
			struct recommend_lib_query q = { .k = 0 };
			struct recommend_lib_picks r;
			recommend_onehot(cls, q.probs);
			recommend_params_default(&q.par);
			q.par.strategy = (enum vocab_strategy)st;
			double t0 = now();
			int err = recommend_lib_pick(db, &q, n, &r);
			double t = now() - t0;
			if (err) {
				fprintf(stderr, "bench_recommend_lib: %s\n", recommend_strerror(err));
				return 1;
			}
			sum += t;
			worst = t > worst ? t : worst;
			rows += r.nrows;
			rounds += r.rounds;
			recommend_lib_picks_free(&r);
		}
		printf("%-6s %zu picks: mean %.1f ms, worst %.1f ms; %zu candidates, %.1f plans a call\n",
		       vocab_strategy_name(st), n, 1e3 * sum / VOCAB_NCLASSES, 1e3 * worst,
		       rows / VOCAB_NCLASSES, (double)rounds / VOCAB_NCLASSES);
	}
	lib_db_close(db);
	return 0;
}
