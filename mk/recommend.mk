# recommendation (recommend, shows): issue 8. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/recommend/librecommend.a
src_recommend_librecommend_a_SOURCES = src/recommend/recommend.c src/recommend/recommend.h \
	src/recommend/feedback.c src/recommend/feedback.h src/recommend/shows.c src/recommend/shows.h \
	src/recommend/recommend_lib.c src/recommend/recommend_lib.h
# recommend_lib reads the index (lib_db): the library area comes with it.
RECOMMEND_LIBS = src/recommend/librecommend.a $(LIBRARY_LIBS) $(BASE_LIBS)

# The films and series catalogue, found at run time with
# config_path_share("data/shows.tsv").
nobase_dist_pkgdata_DATA += data/shows.tsv

check_PROGRAMS += tests/unit/test_recommend tests/unit/test_feedback tests/unit/test_shows \
	tests/unit/test_recommend_lib
tests_unit_test_recommend_LDADD = $(RECOMMEND_LIBS) $(TEST_EXT)
tests_unit_test_recommend_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_feedback_LDADD = $(RECOMMEND_LIBS) $(TEST_EXT)
tests_unit_test_feedback_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_shows_LDADD = $(RECOMMEND_LIBS) $(TEST_EXT)
tests_unit_test_shows_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_recommend_lib_LDADD = $(RECOMMEND_LIBS) $(TEST_EXT)
tests_unit_test_recommend_lib_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_recommend tests/unit/test_feedback tests/unit/test_shows tests/unit/test_recommend_lib \
	tests/cli/recommend.sh tests/cli/recommend-app.sh tests/cli/shows.sh
EXTRA_DIST += tests/cli/recommend.sh tests/cli/recommend-app.sh tests/cli/shows.sh tests/bench/recommend.sh

BENCHES += tests/bench/recommend.sh tests/bench/recommend-lib.sh
EXTRA_DIST += tests/bench/recommend-lib.sh
noinst_PROGRAMS += tests/bench/bench_recommend tests/bench/bench_recommend_lib
tests_bench_bench_recommend_LDADD = $(RECOMMEND_LIBS) $(EMO_LIBS)
tests_bench_bench_recommend_lib_LDADD = $(RECOMMEND_LIBS) $(EMO_LIBS)
tests_bench_bench_recommend_lib_LDFLAGS = -rdynamic
tests_bench_bench_recommend_LDFLAGS = -rdynamic
EXTRA_DIST += doc/recommendation.md
