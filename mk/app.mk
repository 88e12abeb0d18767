# the running program (app, app_*, resume) and the tests of headless mode
# and remote control (sources in mk/front.mk): issue 10. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/app/libapp.a
src_app_libapp_a_SOURCES = src/app/app.c src/app/app.h src/app/app_priv.h src/app/app_library.c src/app/app_queue.c \
	src/app/app_play.c src/app/app_vision.c src/app/app_commands.c \
	src/app/app_cmd.c src/app/app_cmd.h \
	src/app/resume.c src/app/resume.h
APP_LIBS = src/app/libapp.a $(VISION_LIBS) $(LIBRARY_LIBS) $(RECOMMEND_LIBS) $(HISTORY_LIBS) $(AUDIO_LIBS)
check_PROGRAMS += tests/unit/test_remote
tests_unit_test_remote_LDADD = $(FRONT_LIBS) $(TEST_EXT)
tests_unit_test_remote_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_remote
TESTS += tests/cli/fuzz-app-cmd.sh
EXTRA_DIST += tests/cli/fuzz-app-cmd.sh tests/fuzz/fuzz_app_cmd.c tests/fuzz/fuzz_remote_args.c \
	tests/fuzz/corpus-app-cmd/req1 tests/fuzz/corpus-app-cmd/req2 tests/fuzz/corpus-app-cmd/req3 \
	tests/fuzz/corpus-app-cmd/req4 tests/fuzz/corpus-app-cmd/req5 tests/fuzz/corpus-app-cmd/req6 \
	tests/fuzz/corpus-app-cmd/req7 tests/fuzz/corpus-app-cmd/req8 tests/fuzz/corpus-app-cmd/req9 \
	tests/fuzz/corpus-app-cmd/req10 tests/fuzz/corpus-app-cmd/req11 tests/fuzz/corpus-app-cmd/req12 \
	tests/fuzz/corpus-app-cmd/req13 tests/fuzz/corpus-app-cmd/req14
TESTS += tests/cli/remote.sh
EXTRA_DIST += tests/cli/remote.sh tests/cli/remote-common.sh
TESTS += tests/cli/remote-perm.sh
EXTRA_DIST += tests/cli/remote-perm.sh
TESTS += tests/cli/remote-hostile.sh
EXTRA_DIST += tests/cli/remote-hostile.sh
TESTS += tests/cli/faults.sh tests/cli/service.sh
EXTRA_DIST += tests/cli/faults.sh tests/cli/service.sh
dist_doc_DATA += doc/emotune.service
TESTS += tests/cli/resume.sh tests/cli/rotation.sh
EXTRA_DIST += tests/cli/resume.sh tests/cli/rotation.sh
check_PROGRAMS += tests/unit/test_app tests/unit/test_soak
tests_unit_test_app_SOURCES = tests/unit/test_app.c tests/unit/app_util.h
tests_unit_test_app_LDADD = $(APP_LIBS) $(TEST_EXT)
tests_unit_test_app_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_soak_SOURCES = tests/unit/test_soak.c tests/unit/app_util.h
tests_unit_test_soak_LDADD = $(APP_LIBS) $(TEST_EXT)
tests_unit_test_soak_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_app tests/unit/test_soak
BENCHES += tests/bench/remote.sh
EXTRA_DIST += tests/bench/remote.sh

# `make soak`: the issue's full soak (not part of `make check`): 10,000
# frames and 200 tracks. Meant for an --enable-sanitizers build (leak check
# at exit); figures in doc/BENCHMARKS.md.
SOAK_FRAMES = 10000
SOAK_TRACKS = 200
if SANITIZERS
SOAK_NOTE = :
else
SOAK_NOTE = echo "make soak: not an --enable-sanitizers build: no leak check"
endif
soak: tests/unit/test_soak
	@$(SOAK_NOTE)
	$(AM_TESTS_ENVIRONMENT) EMOTUNE_SOAK_FRAMES=$(SOAK_FRAMES) EMOTUNE_SOAK_TRACKS=$(SOAK_TRACKS) \
		CMOCKA_MESSAGE_OUTPUT=STDOUT tests/unit/test_soak
.PHONY: soak
BENCHES += tests/bench/headless.sh tests/bench/headless-big.sh
EXTRA_DIST += tests/bench/headless.sh tests/bench/headless-big.sh
