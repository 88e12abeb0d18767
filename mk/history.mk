# mood history (history, history_svg, the history command, the timeline
# view): issue 21. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/history/history.c src/history/history.h src/history/history_svg.c src/history/history_svg.h \
	src/cli/cmd_history.c

check_PROGRAMS += tests/unit/test_history
tests_unit_test_history_LDADD = $(TEST_LIBS)
tests_unit_test_history_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_history
TESTS += tests/cli/ui-timeline.sh tests/cli/history.sh
EXTRA_DIST += tests/cli/ui-timeline.sh tests/cli/fer-fixture.sh tests/cli/history.sh

# The fixed fake history of tests/cli/history.sh, and the size/cost benchmark.
noinst_PROGRAMS += tests/bench/bench_history
tests_bench_bench_history_LDADD = src/libemotune.a $(EMO_LIBS)
tests_bench_bench_history_LDFLAGS = -rdynamic
BENCHES += tests/bench/history.sh
EXTRA_DIST += tests/bench/history.sh
