# base: settings, escaping, regular-file opening, the shared vocabulary,
# growable arrays and failure reasons.
# Calls no other area (mk/layers.txt).
noinst_LIBRARIES += src/base/libbase.a
src_base_libbase_a_SOURCES = src/base/config.c src/base/config.h src/base/esc.c src/base/esc.h \
	src/base/regfile.c src/base/regfile.h src/base/vocab.c src/base/vocab.h \
	src/base/vec.c src/base/vec.h src/base/why.c src/base/why.h
BASE_LIBS = src/base/libbase.a

# Foundation tests
check_PROGRAMS += tests/unit/test_config
tests_unit_test_config_LDADD = $(BASE_LIBS) $(TEST_EXT)
tests_unit_test_config_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_config tests/cli/basics.sh tests/cli/check-cli.sh tests/cli/install.sh \
	tests/cli/odd-names.sh tests/cli/settings.sh tests/cli/fuzz-config.sh tests/cli/lazy-libs.sh
EXTRA_DIST += tests/cli/basics.sh tests/cli/check-cli.sh tests/cli/install.sh \
	tests/cli/odd-names.sh tests/cli/settings.sh tests/cli/fuzz-config.sh tests/cli/lazy-libs.sh \
	tests/fuzz/fuzz_config.c tests/fuzz/corpus-config/good tests/fuzz/corpus-config/floats \
	tests/fuzz/corpus-config/range tests/fuzz/corpus-config/nan tests/fuzz/corpus-config/words \
	tests/fuzz/corpus-config/syntax tests/fuzz/corpus-config/nul tests/fuzz/corpus-config/unknown

# Only regular files are opened (regfile)
check_PROGRAMS += tests/unit/test_regfile
tests_unit_test_regfile_LDADD = $(BASE_LIBS) $(TEST_EXT)
tests_unit_test_regfile_LDFLAGS = $(TEST_RDYNAMIC)
TESTS += tests/unit/test_regfile tests/cli/not-regular.sh
EXTRA_DIST += tests/cli/not-regular.sh tests/unit/test_tmp.h

# The shared vocabulary (vocab)
check_PROGRAMS += tests/unit/test_vocab
tests_unit_test_vocab_LDADD = $(BASE_LIBS) $(TEST_EXT)
TESTS += tests/unit/test_vocab

# Growable arrays (vec) and failure reasons (why)
check_PROGRAMS += tests/unit/test_vec
tests_unit_test_vec_LDADD = $(BASE_LIBS) $(TEST_EXT)
TESTS += tests/unit/test_vec
