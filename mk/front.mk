# terminal UI (ui, ui_*, keys): issue 9. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/front/libfront.a
src_front_libfront_a_SOURCES = src/front/ui.c src/front/ui.h src/front/keys.c src/front/keys.h \
	src/front/ui_draw.c src/front/ui_draw.h src/front/ui_list.c src/front/ui_list.h \
	src/front/ui_preview.c src/front/ui_preview.h src/front/ui_bars.c src/front/ui_bars.h \
	src/front/ui_queue.c src/front/ui_queue.h src/front/ui_library.c src/front/ui_library.h \
	src/front/ui_shows.c src/front/ui_shows.h src/front/ui_status.c src/front/ui_status.h \
	src/front/ui_help.c src/front/ui_help.h src/front/ui_picker.c src/front/ui_picker.h \
	src/front/ui_timeline.c src/front/ui_timeline.h src/front/ui_playlists.c src/front/ui_playlists.h

# Unit tests: the key table, help generation, list movement, library search.
check_PROGRAMS += tests/unit/test_keys
tests_unit_test_keys_SOURCES = tests/unit/test_keys.c
tests_unit_test_keys_LDADD = $(FRONT_LIBS) $(TEST_EXT)
tests_unit_test_keys_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_keys

# The UI on a fake app (no camera, network or sound needed), driven in tmux.
check_PROGRAMS += tests/ui/ui_fake
tests_ui_ui_fake_SOURCES = tests/ui/ui_fake.c tests/ui/fake_app.c
tests_ui_ui_fake_LDADD = $(FRONT_LIBS) $(TEST_EXT)
tests_ui_ui_fake_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/cli/ui-fake.sh tests/cli/ui.sh tests/cli/ui-quiet.sh tests/cli/ui-playlists.sh
EXTRA_DIST += tests/cli/ui-fake.sh tests/cli/ui-lib.sh tests/cli/ui.sh tests/cli/ui-quiet.sh tests/cli/ui-y4m.py tests/cli/ui-playlists.sh

# Bytes a second sent to the terminal with the preview on (doc/BENCHMARKS.md).
BENCHES += tests/bench/ui-bandwidth.sh tests/bench/ui-big.sh
EXTRA_DIST += tests/bench/ui-bandwidth.sh tests/bench/ui-big.sh
bench: tests/ui/ui_fake
BENCHES += tests/bench/ui-start.sh
EXTRA_DIST += tests/bench/ui-start.sh

# The other front ends, headless and remote, on the same loop (front):
# issue 10 (their tests are in mk/app.mk). The area's link line.
src_front_libfront_a_SOURCES += src/front/remote.c src/front/remote.h src/front/headless.c src/front/headless.h \
	src/front/front.c src/front/front.h
FRONT_LIBS = src/front/libfront.a $(APP_LIBS) $(LIBRARY_LIBS) $(RECOMMEND_LIBS) $(HISTORY_LIBS)
