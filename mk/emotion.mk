# emotion CNN (dn, emo, train, calib): issue 4. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/dn.c src/dn.h src/dn_cfg.c src/dn_priv.h src/emo.c src/emo.h src/train.c src/train.h src/train_data.c src/train_aug.c src/train_aug.h src/calib.c src/calib.h \
	src/cmd_face.c src/cmd_face.h
nobase_dist_pkgdata_DATA += nets/emotion.cfg

# FER2013 unpacked into the build tree (fer2013/) for training and evaluation.
FER_TARBALL = $${EMOTUNE_SHARED:-$(abs_top_srcdir)/../shared}/datasets/fer2013/fer2013-train-publictest.tar.gz
fer-data:
	@test -f $(FER_TARBALL) || { echo "no $(FER_TARBALL)"; exit 1; }
	@test -d fer2013/validation || { mkdir -p fer2013 && tar -xzf $(FER_TARBALL) -C fer2013; }
.PHONY: fer-data

check_PROGRAMS += tests/unit/test_dn tests/unit/test_emo tests/unit/test_calib tests/unit/test_train
tests_unit_test_dn_LDADD = $(TEST_LIBS)
tests_unit_test_dn_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_emo_LDADD = $(TEST_LIBS)
tests_unit_test_emo_LDFLAGS = $(TEST_RDYNAMIC)
tests_unit_test_calib_LDADD = $(TEST_LIBS)
tests_unit_test_train_LDADD = $(TEST_LIBS)
tests_unit_test_train_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_dn tests/unit/test_emo tests/unit/test_calib tests/unit/test_train
TESTS += tests/cli/emotion.sh tests/cli/eval-empty.sh
EXTRA_DIST += tests/cli/emotion.sh tests/cli/eval-empty.sh tests/known-gaps
noinst_PROGRAMS += tests/bench/bench_emo
tests_bench_bench_emo_LDADD = src/libemotune.a $(EMO_LIBS) $(OPENBLAS_LIBS)
tests_bench_bench_emo_LDFLAGS = -rdynamic
BENCHES += tests/bench/emotion.sh
EXTRA_DIST += tests/bench/emotion.sh
nobase_dist_pkgdata_DATA += weights/emotion.weights
