# mood history (history, history_svg, the history command, the timeline
# view): issue 21. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/history/libhistory.a
src_history_libhistory_a_SOURCES = src/history/history.c src/history/history.h \
	src/history/history_svg.c src/history/history_svg.h
HISTORY_LIBS = src/history/libhistory.a $(BASE_LIBS)

check_PROGRAMS += tests/unit/test_history
# The fixture opens the database with lib_db (the program hands history
# lib_db's SQLite handle): the test links the library area too.
tests_unit_test_history_LDADD = $(HISTORY_LIBS) $(LIBRARY_LIBS) $(TEST_EXT)
tests_unit_test_history_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_history
TESTS += tests/cli/ui-timeline.sh tests/cli/history.sh
EXTRA_DIST += tests/cli/ui-timeline.sh tests/cli/fer-fixture.sh tests/cli/history.sh

# The fixed fake history of tests/cli/history.sh, and the size/cost benchmark.
noinst_PROGRAMS += tests/bench/bench_history
tests_bench_bench_history_LDADD = $(HISTORY_LIBS) $(LIBRARY_LIBS) $(EMO_LIBS)
tests_bench_bench_history_LDFLAGS = -rdynamic
BENCHES += tests/bench/history.sh
EXTRA_DIST += tests/bench/history.sh
