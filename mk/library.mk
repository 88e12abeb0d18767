# music library (lib_scan, analysis, lib_db, mood model): issue 6. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/analysis.c src/analysis.h src/lib_db.c src/lib_db.h \
	src/lib_scan.c src/lib_scan.h src/musicmood.c src/musicmood.h \
	src/musicmood_aux.c src/musicmood_aux.h
nobase_dist_pkgdata_DATA += nets/music_mood.cfg weights/music_mood.svm weights/music_mood.norm \
	weights/music_mood.stack0.svr weights/music_mood.stack1.svr

# The demo library's synthesiser: `make music-demo` renders music/ again.
noinst_PROGRAMS += tools/synth
tools_synth_SOURCES = tools/synth.c
tools_synth_LDADD = $(SNDFILE_LIBS) $(EBUR128_LIBS) -lm
MUSIC_DEMO = music/q1-sunny-run.flac music/q1-bright-steps.flac \
	music/q2-red-alert.flac music/q2-storm-engine.flac \
	music/q3-grey-window.flac music/q3-long-letter.flac \
	music/q4-still-lake.flac music/q4-warm-evening.flac
nobase_dist_pkgdata_DATA += $(MUSIC_DEMO)
music-demo: tools/synth$(EXEEXT)
	mkdir -p $(top_srcdir)/music && tools/synth$(EXEEXT) $(top_srcdir)/music 20
.PHONY: music-demo

# Unit tests
check_PROGRAMS += tests/unit/test_analysis tests/unit/test_lib_db tests/unit/test_musicmood \
	tests/unit/test_lib_scan
tests_unit_test_analysis_LDADD = $(TEST_LIBS)
tests_unit_test_analysis_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_lib_db_LDADD = $(TEST_LIBS)
tests_unit_test_lib_db_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_musicmood_LDADD = $(TEST_LIBS)
tests_unit_test_musicmood_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_lib_scan_LDADD = $(TEST_LIBS)
tests_unit_test_lib_scan_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_analysis tests/unit/test_lib_db tests/unit/test_musicmood \
	tests/unit/test_lib_scan

# Shell tests
LIBRARY_CLI_TESTS = tests/cli/library.sh tests/cli/library-bad.sh tests/cli/library-kill.sh \
	tests/cli/train-mood.sh tests/cli/library-ro.sh tests/cli/codec.sh \
	tests/cli/library-formats.sh tests/cli/library-incremental.sh
TESTS += $(LIBRARY_CLI_TESTS)
EXTRA_DIST += $(LIBRARY_CLI_TESTS)

# Benchmarks (figures in doc/BENCHMARKS.md, "Music library")
noinst_PROGRAMS += tests/bench/bench_nearest
tests_bench_bench_nearest_SOURCES = tests/bench/bench_nearest.c
tests_bench_bench_nearest_LDADD = src/libemotune.a $(EMO_LIBS)
tests_bench_bench_nearest_LDFLAGS = -rdynamic
BENCHES += tests/bench/library.sh tests/bench/analysis.sh
EXTRA_DIST += tests/bench/library.sh tests/bench/analysis.sh tests/bench/big-index.sh
