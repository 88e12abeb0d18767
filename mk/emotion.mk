# emotion CNN (emo, dnfast, train): issue 4. Appends to the lists of Makefile.am:
# src_libemotune_a_SOURCES, check_PROGRAMS, TESTS, EXTRA_DIST,
# nobase_dist_pkgdata_DATA, noinst_PROGRAMS, BENCHES, CLEANFILES.
src_libemotune_a_SOURCES += src/dn.c src/dn.h src/emo.c src/emo.h src/train.c src/train.h
nobase_dist_pkgdata_DATA += nets/emotion.cfg

# FER2013 unpacked into the build tree for training and evaluation.
FER_TARBALL = $${EMOTUNE_SHARED:-$(abs_top_srcdir)/../shared}/datasets/fer2013/fer2013-train-publictest.tar.gz
fer-data:
	@test -f $(FER_TARBALL) || { echo "no $(FER_TARBALL)"; exit 1; }
	@test -d data/fer2013/validation || { mkdir -p data/fer2013 && tar -xzf $(FER_TARBALL) -C data/fer2013; }
.PHONY: fer-data
