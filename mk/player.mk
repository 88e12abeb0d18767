# playback (player, aout_*): issue 7. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/player.c src/player.h src/aout.c src/aout.h \
	src/aout_ao.c src/aout_null.c
