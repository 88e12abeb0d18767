# capture and live mood (cap_*; vision and moodwin are mk/vision.mk's): issue 5. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/capture/libcapture.a
src_capture_libcapture_a_SOURCES = src/capture/cap.c src/capture/cap.h src/capture/cap_priv.h \
	src/capture/cap_v4l2.c src/capture/cap_file.c src/capture/cap_test.c
CAPTURE_LIBS = src/capture/libcapture.a $(DETECT_LIBS)

# The fake V4L2 camera (LD_PRELOAD) and a vision runner without models.
check_PROGRAMS += tests/fakev4l2/fakev4l2.so tests/fakev4l2/visionprobe
tests_fakev4l2_fakev4l2_so_SOURCES = tests/fakev4l2/fakev4l2.c
tests_fakev4l2_fakev4l2_so_CFLAGS = -fPIC -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter
tests_fakev4l2_fakev4l2_so_LDFLAGS = -shared -fPIC
tests_fakev4l2_fakev4l2_so_LDADD = $(STB_LIBS) -ldl -lpthread
tests_fakev4l2_visionprobe_SOURCES = tests/fakev4l2/visionprobe.c
tests_fakev4l2_visionprobe_LDADD = $(VISION_LIBS) $(TEST_EXT)
tests_fakev4l2_visionprobe_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/cli/fakecam.sh
EXTRA_DIST += tests/cli/fakecam.sh

check_PROGRAMS += tests/unit/test_moodwin tests/unit/test_cap
tests_unit_test_moodwin_LDADD = $(VISION_LIBS) $(TEST_EXT)
tests_unit_test_moodwin_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_cap_LDADD = $(CAPTURE_LIBS) $(TEST_EXT)
tests_unit_test_cap_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_moodwin tests/unit/test_cap
check_PROGRAMS += tests/fakev4l2/mky4m
tests_fakev4l2_mky4m_SOURCES = tests/fakev4l2/mky4m.c
tests_fakev4l2_mky4m_LDADD = $(DETECT_LIBS) $(TEST_EXT)
tests_fakev4l2_mky4m_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/cli/mood.sh tests/cli/mood-start.sh
EXTRA_DIST += tests/cli/mood.sh tests/cli/mood-start.sh
TESTS += tests/cli/fuzz-capture.sh
EXTRA_DIST += tests/cli/fuzz-capture.sh tests/fuzz/fuzz_y4m.c tests/fuzz/fuzz_pnm.c
BENCHES += tests/bench/live.sh
EXTRA_DIST += tests/bench/live.sh
check_PROGRAMS += tests/unit/test_vision
tests_unit_test_vision_LDADD = $(VISION_LIBS) $(TEST_EXT)
tests_unit_test_vision_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_vision
