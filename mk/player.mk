# playback (player, aout_*): issue 7. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/player.c src/player.h src/aout.c src/aout.h \
	src/aout_ao.c src/aout_null.c

check_PROGRAMS += tests/unit/test_player tests/unit/test_player_stress
tests_unit_test_player_SOURCES = tests/unit/test_player.c tests/unit/player_util.h
tests_unit_test_player_LDADD = $(TEST_LIBS)
tests_unit_test_player_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_player_stress_SOURCES = tests/unit/test_player_stress.c tests/unit/player_util.h
tests_unit_test_player_stress_LDADD = $(TEST_LIBS)
tests_unit_test_player_stress_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_player tests/unit/test_player_stress
