# terminal UI (ui, ui_*, keys): issue 9. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/ui.c src/ui.h src/keys.c src/keys.h \
	src/ui_draw.c src/ui_draw.h src/ui_list.c src/ui_list.h \
	src/ui_preview.c src/ui_preview.h src/ui_bars.c src/ui_bars.h \
	src/ui_queue.c src/ui_queue.h src/ui_library.c src/ui_library.h \
	src/ui_shows.c src/ui_shows.h src/ui_status.c src/ui_status.h \
	src/ui_help.c src/ui_help.h src/ui_picker.c src/ui_picker.h \
	src/ui_timeline.c src/ui_timeline.h src/ui_playlists.c src/ui_playlists.h

# Unit tests: the key table, help generation, list movement, library search.
check_PROGRAMS += tests/unit/test_keys
tests_unit_test_keys_SOURCES = tests/unit/test_keys.c
tests_unit_test_keys_LDADD = $(TEST_LIBS)
tests_unit_test_keys_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_keys

# The UI on a fake app (no camera, network or sound needed), driven in tmux.
check_PROGRAMS += tests/ui/ui_fake
tests_ui_ui_fake_SOURCES = tests/ui/ui_fake.c tests/ui/fake_app.c
tests_ui_ui_fake_LDADD = $(TEST_LIBS)
tests_ui_ui_fake_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/cli/ui-fake.sh tests/cli/ui.sh tests/cli/ui-quiet.sh tests/cli/ui-playlists.sh
EXTRA_DIST += tests/cli/ui-fake.sh tests/cli/ui-lib.sh tests/cli/ui.sh tests/cli/ui-quiet.sh tests/cli/ui-y4m.py tests/cli/ui-playlists.sh

# Bytes a second sent to the terminal with the preview on (doc/BENCHMARKS.md).
BENCHES += tests/bench/ui-bandwidth.sh tests/bench/ui-big.sh
EXTRA_DIST += tests/bench/ui-bandwidth.sh tests/bench/ui-big.sh
bench: tests/ui/ui_fake
BENCHES += tests/bench/ui-start.sh
EXTRA_DIST += tests/bench/ui-start.sh
