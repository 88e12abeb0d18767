# recommendation (recommend, shows): issue 8. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/recommend.c src/recommend.h \
	src/feedback.c src/feedback.h src/shows.c src/shows.h src/recommend_lib.c src/recommend_lib.h

# The films and series catalogue, found at run time with
# config_path_share("data/shows.tsv").
nobase_dist_pkgdata_DATA += data/shows.tsv

check_PROGRAMS += tests/unit/test_recommend tests/unit/test_feedback tests/unit/test_shows \
	tests/unit/test_recommend_lib
tests_unit_test_recommend_LDADD = $(TEST_LIBS)
tests_unit_test_recommend_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_feedback_LDADD = $(TEST_LIBS)
tests_unit_test_feedback_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_shows_LDADD = $(TEST_LIBS)
tests_unit_test_shows_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_recommend_lib_LDADD = $(TEST_LIBS)
tests_unit_test_recommend_lib_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_recommend tests/unit/test_feedback tests/unit/test_shows tests/unit/test_recommend_lib \
	tests/cli/recommend.sh tests/cli/recommend-app.sh tests/cli/shows.sh
EXTRA_DIST += tests/cli/recommend.sh tests/cli/recommend-app.sh tests/cli/shows.sh tests/bench/recommend.sh

BENCHES += tests/bench/recommend.sh tests/bench/recommend-lib.sh
EXTRA_DIST += tests/bench/recommend-lib.sh
noinst_PROGRAMS += tests/bench/bench_recommend tests/bench/bench_recommend_lib
tests_bench_bench_recommend_lib_LDADD = src/libemotune.a $(EMO_LIBS)
tests_bench_bench_recommend_lib_LDFLAGS = -rdynamic
tests_bench_bench_recommend_LDADD = src/libemotune.a $(EMO_LIBS)
tests_bench_bench_recommend_LDFLAGS = -rdynamic
EXTRA_DIST += doc/recommendation.md
