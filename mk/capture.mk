# capture and live mood (cap_*, vision, moodwin): issue 5. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/cap.c src/cap.h src/cap_priv.h src/cap_v4l2.c \
	src/cap_file.c src/cap_test.c src/moodwin.c src/moodwin.h \
	src/vision.c src/vision.h
src_libemotune_a_SOURCES += src/vision_engine.c
