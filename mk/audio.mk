# audio: playback (player, aout_*): issue 7; decoding: issue 18. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/audio/libaudio.a
src_audio_libaudio_a_SOURCES = src/audio/player.c src/audio/player.h src/audio/player_priv.h src/audio/player_dec.c \
	src/audio/player_out.c src/audio/aout.c src/audio/aout.h \
	src/audio/aout_ao.c src/audio/aout_null.c
AUDIO_LIBS = src/audio/libaudio.a $(BASE_LIBS)

check_PROGRAMS += tests/unit/test_player tests/unit/test_player_stress
tests_unit_test_player_SOURCES = tests/unit/test_player.c tests/unit/player_util.h
tests_unit_test_player_LDADD = $(AUDIO_LIBS) $(TEST_EXT)
tests_unit_test_player_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_player_stress_SOURCES = tests/unit/test_player_stress.c tests/unit/player_util.h
tests_unit_test_player_stress_LDADD = $(AUDIO_LIBS) $(TEST_EXT)
tests_unit_test_player_stress_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_player tests/unit/test_player_stress

# ThreadSanitizer (not part of `make check`: TSan cannot be combined with
# the ASan build): `make check-tsan`. In a build configured with
# --enable-tsan (a build dir of its own, see doc/HACKING.md), everything is
# instrumented and it runs the tests of the long-lived threads (TSAN_TESTS:
# player, scan workers, vision, the app driving them all, the soak, the
# remote socket) with halt_on_error=1 (TSAN_OPTIONS in Makefile.am); only
# what they link is built (check_PROGRAMS narrowed to them). In any
# other build it compiles only the player's sources with -fsanitize=thread.
TSAN_TESTS = tests/unit/test_player tests/unit/test_player_stress tests/unit/test_lib_scan \
	tests/unit/test_vision tests/unit/test_app tests/unit/test_soak tests/unit/test_remote
if TSAN
check-tsan:
	@rc=0; $(MAKE) $(AM_MAKEFLAGS) check-TESTS TESTS='$(TSAN_TESTS)' check_PROGRAMS='$(TSAN_TESTS)' || rc=1; \
	$(SHELL) $(top_srcdir)/tests/tap-summary.sh $(TEST_SUITE_LOG); exit $$rc
else
PLAYER_TSAN_LIB = src/audio/player.c src/audio/player_dec.c src/audio/player_out.c src/audio/aout.c src/audio/aout_ao.c src/audio/aout_null.c \
	src/audio/decode.c src/audio/decode_sndfile.c src/audio/decode_ffmpeg.c src/base/regfile.c
PLAYER_TSAN_CC = $(CC) -std=c11 -g -O1 -fsanitize=thread -fno-omit-frame-pointer $(DEFS) \
	$(SRC_INCLUDES) -I$(top_srcdir)/tests/unit $(AO_CFLAGS) $(SNDFILE_CFLAGS) \
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
endif
.PHONY: check-tsan
CLEANFILES += tests/player-stress-tsan tests/player-tsan
TESTS += tests/cli/play.sh
EXTRA_DIST += tests/cli/play.sh
noinst_PROGRAMS += tests/bench/bench_player
tests_bench_bench_player_SOURCES = tests/bench/bench_player.c
tests_bench_bench_player_LDADD = $(AUDIO_LIBS) $(EMO_LIBS)
BENCHES += tests/bench/player.sh
EXTRA_DIST += tests/bench/player.sh

# decoding (libsndfile and FFmpeg backends): issue 18
src_audio_libaudio_a_SOURCES += src/audio/decode.c src/audio/decode.h src/audio/decode_priv.h \
	src/audio/decode_sndfile.c src/audio/decode_ffmpeg.c
check_PROGRAMS += tests/unit/test_decode
tests_unit_test_decode_SOURCES = tests/unit/test_decode.c
tests_unit_test_decode_LDADD = $(AUDIO_LIBS) $(TEST_EXT)
tests_unit_test_decode_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_decode
