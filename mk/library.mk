# music library (lib_scan, analysis, lib_db, mood model): issue 6. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/library/liblibrary.a
src_library_liblibrary_a_SOURCES = src/library/analysis.c src/library/analysis.h src/library/analysis_priv.h \
	src/library/analysis_rhythm.c src/library/analysis_signal.c src/library/analysis_tonal.c \
	src/library/lib_db.c src/library/lib_db.h \
	src/library/lib_scan.c src/library/lib_scan.h src/library/lib_scan_priv.h \
	src/library/lib_scan_walk.c src/library/lib_scan_db.c src/library/musicmood.c src/library/musicmood.h \
	src/library/musicmood_aux.c src/library/musicmood_aux.h \
	src/library/musicmood_qnorm.c src/library/musicmood_qnorm.h
LIBRARY_LIBS = src/library/liblibrary.a $(AUDIO_LIBS) $(EMOTION_LIBS)
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
tests_unit_test_analysis_LDADD = $(LIBRARY_LIBS) $(TEST_EXT)
tests_unit_test_analysis_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_lib_db_LDADD = $(LIBRARY_LIBS) $(TEST_EXT)
tests_unit_test_lib_db_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_musicmood_LDADD = $(LIBRARY_LIBS) $(TEST_EXT)
tests_unit_test_musicmood_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_lib_scan_LDADD = $(LIBRARY_LIBS) $(TEST_EXT)
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
tests_bench_bench_nearest_LDADD = $(LIBRARY_LIBS) $(EMO_LIBS)
tests_bench_bench_nearest_LDFLAGS = -rdynamic
noinst_PROGRAMS += tests/bench/bench_musicmood
tests_bench_bench_musicmood_SOURCES = tests/bench/bench_musicmood.c
tests_bench_bench_musicmood_LDADD = $(LIBRARY_LIBS) $(EMO_LIBS)
tests_bench_bench_musicmood_LDFLAGS = -rdynamic
BENCHES += tests/bench/library.sh tests/bench/analysis.sh
EXTRA_DIST += tests/bench/library.sh tests/bench/analysis.sh tests/bench/big-index.sh

# playlists (M3U/M3U8 files): issue 22
src_library_liblibrary_a_SOURCES += src/library/playlist.c src/library/playlist.h
check_PROGRAMS += tests/unit/test_playlist
tests_unit_test_playlist_SOURCES = tests/unit/test_playlist.c
tests_unit_test_playlist_LDADD = $(LIBRARY_LIBS) $(TEST_EXT)
tests_unit_test_playlist_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_playlist
TESTS += tests/cli/playlist.sh tests/cli/playlist-remote.sh
EXTRA_DIST += tests/cli/playlist.sh tests/cli/playlist-remote.sh
