# face detection (img, haar, facetrack): issue 3. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/detect/libdetect.a
src_detect_libdetect_a_SOURCES = src/detect/img.c src/detect/img.h src/detect/haar.c src/detect/haar.h src/detect/haar_load.c src/detect/haar_priv.h
src_detect_libdetect_a_SOURCES += src/detect/facetrack.c src/detect/facetrack.h
DETECT_LIBS = src/detect/libdetect.a $(BASE_LIBS)

check_PROGRAMS += tests/unit/test_img tests/unit/test_haar tests/unit/test_facetrack
tests_unit_test_img_LDADD = $(DETECT_LIBS) $(TEST_EXT)
tests_unit_test_img_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_haar_LDADD = $(DETECT_LIBS) $(TEST_EXT)
tests_unit_test_haar_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_facetrack_LDADD = $(DETECT_LIBS) $(TEST_EXT)
tests_unit_test_facetrack_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_img tests/unit/test_haar tests/unit/test_facetrack
TESTS += tests/cli/detect.sh tests/cli/detect-parity.sh
EXTRA_DIST += tests/cli/detect.sh tests/cli/detect-parity.sh tests/cli/detect_parity.py
TESTS += tests/fuzz/fuzz-cascade.sh
EXTRA_DIST += tests/fuzz/fuzz-cascade.sh tests/fuzz/fuzz_cascade.c \
	tests/fuzz/corpus/haar_stump.xml tests/fuzz/corpus/haar_tree_tilted.xml \
	tests/fuzz/corpus/lbp.xml
noinst_PROGRAMS += tests/bench/bench_detect
tests_bench_bench_detect_LDADD = $(DETECT_LIBS) $(EMO_LIBS)
BENCHES += tests/bench/detect.sh
EXTRA_DIST += tests/bench/detect.sh tests/bench/cv_detect_time.py
BENCHES += tests/bench/fer-box.sh
EXTRA_DIST += tests/bench/fer-box.sh
