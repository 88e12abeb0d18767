# emotion CNN (dn, emo, train, calib): issue 4. Appends to the lists of Makefile.am:
# noinst_LIBRARIES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
noinst_LIBRARIES += src/emotion/libemotion.a
src_emotion_libemotion_a_SOURCES = src/emotion/dn.c src/emotion/dn.h src/emotion/dn_cfg.c src/emotion/dn_norm.c src/emotion/dn_priv.h src/emotion/emo.c src/emotion/emo.h src/emotion/train.c src/emotion/train.h src/emotion/train_data.c src/emotion/train_aug.c src/emotion/train_aug.h src/emotion/calib.c src/emotion/calib.h src/emotion/capsim.c src/emotion/capsim.h
EMOTION_LIBS = src/emotion/libemotion.a $(DETECT_LIBS)
nobase_dist_pkgdata_DATA += nets/emotion.cfg

# FER2013 unpacked into the build tree (fer2013/) for training and evaluation.
FER_TARBALL = $${EMOTUNE_SHARED:-$(abs_top_srcdir)/../shared}/datasets/fer2013/fer2013-train-publictest.tar.gz
fer-data:
	@test -f $(FER_TARBALL) || { echo "no $(FER_TARBALL)"; exit 1; }
	@test -d fer2013/validation || { mkdir -p fer2013 && tar -xzf $(FER_TARBALL) -C fer2013; }
.PHONY: fer-data

check_PROGRAMS += tests/unit/test_dn tests/unit/test_emo tests/unit/test_calib tests/unit/test_train tests/unit/test_capsim
tests_unit_test_capsim_LDADD = $(EMOTION_LIBS) $(TEST_EXT)
tests_unit_test_dn_LDADD = $(EMOTION_LIBS) $(TEST_EXT)
tests_unit_test_dn_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_emo_LDADD = $(EMOTION_LIBS) $(TEST_EXT)
tests_unit_test_emo_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_calib_LDADD = $(EMOTION_LIBS) $(TEST_EXT)
tests_unit_test_train_LDADD = $(EMOTION_LIBS) $(TEST_EXT)
tests_unit_test_train_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_dn tests/unit/test_emo tests/unit/test_calib tests/unit/test_train tests/unit/test_capsim
TESTS += tests/cli/emotion.sh tests/cli/eval-empty.sh
EXTRA_DIST += tests/cli/emotion.sh tests/cli/eval-empty.sh tests/known-gaps
noinst_PROGRAMS += tests/bench/bench_emo
tests_bench_bench_emo_LDADD = $(EMOTION_LIBS) $(EMO_LIBS) $(OPENBLAS_LIBS)
tests_bench_bench_emo_LDFLAGS = -rdynamic
BENCHES += tests/bench/emotion.sh
EXTRA_DIST += tests/bench/emotion.sh
nobase_dist_pkgdata_DATA += weights/emotion.weights
