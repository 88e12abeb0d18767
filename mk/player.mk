# playback (player, aout_*): issue 7. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/player.c src/player.h src/player_priv.h src/player_dec.c \
	src/player_out.c src/aout.c src/aout.h src/aout_ao.c src/aout_null.c

check_PROGRAMS += tests/unit/test_player tests/unit/test_player_stress
tests_unit_test_player_SOURCES = tests/unit/test_player.c tests/unit/player_util.h
tests_unit_test_player_LDADD = $(TEST_LIBS)
tests_unit_test_player_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_player_stress_SOURCES = tests/unit/test_player_stress.c tests/unit/player_util.h
tests_unit_test_player_stress_LDADD = $(TEST_LIBS)
tests_unit_test_player_stress_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_player tests/unit/test_player_stress

# ThreadSanitizer runs of the player tests (not part of `make check`: TSan
# cannot be combined with the ASan build): `make check-tsan`.
PLAYER_TSAN_LIB = src/player.c src/player_dec.c src/player_out.c src/aout.c src/aout_ao.c \
	src/aout_null.c src/decode.c src/decode_sndfile.c src/decode_ffmpeg.c src/regfile.c
PLAYER_TSAN_CC = $(CC) -std=c11 -g -O1 -fsanitize=thread -fno-omit-frame-pointer $(DEFS) \
	-I$(top_srcdir)/src -I$(top_srcdir)/tests/unit $(AO_CFLAGS) $(SNDFILE_CFLAGS) \
	$(SAMPLERATE_CFLAGS) $(FFMPEG_CFLAGS) $(CMOCKA_CFLAGS)
PLAYER_TSAN_LIBS = $(CMOCKA_LIBS) $(AO_LIBS) $(SNDFILE_LIBS) $(SAMPLERATE_LIBS) -ldl -lpthread -lm
check-tsan:
	@mkdir -p tests
	$(AM_V_CCLD)$(PLAYER_TSAN_CC) $(PLAYER_TSAN_LIB:%=$(srcdir)/%) \
	  $(srcdir)/tests/unit/test_player_stress.c -o tests/player-stress-tsan $(PLAYER_TSAN_LIBS)
	$(AM_V_CCLD)$(PLAYER_TSAN_CC) $(PLAYER_TSAN_LIB:%=$(srcdir)/%) \
	  $(srcdir)/tests/unit/test_player.c -o tests/player-tsan $(PLAYER_TSAN_LIBS)
	TSAN_OPTIONS='halt_on_error=1 second_deadlock_stack=1' CMOCKA_MESSAGE_OUTPUT=TAP \
	  ./tests/player-stress-tsan
	TSAN_OPTIONS='halt_on_error=1 second_deadlock_stack=1' CMOCKA_MESSAGE_OUTPUT=TAP \
	  ./tests/player-tsan
.PHONY: check-tsan
CLEANFILES += tests/player-stress-tsan tests/player-tsan
TESTS += tests/cli/play.sh
EXTRA_DIST += tests/cli/play.sh
noinst_PROGRAMS += tests/bench/bench_player
tests_bench_bench_player_SOURCES = tests/bench/bench_player.c
tests_bench_bench_player_LDADD = src/libemotune.a $(EMO_LIBS)
BENCHES += tests/bench/player.sh
EXTRA_DIST += tests/bench/player.sh

# decoding (libsndfile and FFmpeg backends): issue 18
src_libemotune_a_SOURCES += src/decode.c src/decode.h src/decode_priv.h \
	src/decode_sndfile.c src/decode_ffmpeg.c
check_PROGRAMS += tests/unit/test_decode
tests_unit_test_decode_SOURCES = tests/unit/test_decode.c
tests_unit_test_decode_LDADD = $(TEST_LIBS)
tests_unit_test_decode_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_decode

# playlists (M3U/M3U8 files): issue 22
src_libemotune_a_SOURCES += src/playlist.c src/playlist.h
check_PROGRAMS += tests/unit/test_playlist
tests_unit_test_playlist_SOURCES = tests/unit/test_playlist.c
tests_unit_test_playlist_LDADD = $(TEST_LIBS)
tests_unit_test_playlist_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_playlist
TESTS += tests/cli/playlist.sh tests/cli/playlist-remote.sh
EXTRA_DIST += tests/cli/playlist.sh tests/cli/playlist-remote.sh
