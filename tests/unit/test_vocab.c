/* Unit tests for vocab: class and strategy names, exact and case-free parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "vocab.h"

/* The names of n entries joined by one space. */
static const char *joined(const char *(*name)(int), int n)
{
	static char buf[256];
	size_t o = 0;
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? " " : "", name(i));
	return buf;
}

static void classes(void **state)
{
	(void)state;
	/* the order of cli.md, of the network's outputs and of the history table */
	static const char *want[] = { "angry", "disgust", "fear", "happy", "neutral", "sad", "surprise" };
	assert_int_equal(sizeof want / sizeof *want, VOCAB_NCLASSES);
	for (int i = 0; i < VOCAB_NCLASSES; i++) {
		assert_string_equal(vocab_class_name(i), want[i]);
		assert_int_equal(vocab_class_parse(want[i], 0), i);
		assert_int_equal(vocab_class_parse(want[i], VOCAB_NOCASE), i);
	}
	assert_int_equal(VOCAB_HAPPY, 3);
	assert_int_equal(VOCAB_SAD, 5);
	assert_null(vocab_class_name(-1));
	assert_null(vocab_class_name(VOCAB_NCLASSES));
	assert_int_equal(vocab_class_parse("joy", 0), -1);
	assert_int_equal(vocab_class_parse("joy", VOCAB_NOCASE), -1);
	assert_int_equal(vocab_class_parse("SAD", 0), -1);   /* protocol, settings: exact */
	assert_int_equal(vocab_class_parse("SAD", VOCAB_NOCASE), VOCAB_SAD);
	assert_int_equal(vocab_class_parse("", 0), -1);
	assert_int_equal(vocab_class_parse(NULL, VOCAB_NOCASE), -1);
	assert_int_equal(vocab_class_parse("sad ", 0), -1);
	assert_string_equal(joined(vocab_class_name, VOCAB_NCLASSES), VOCAB_CLASS_WORDS);
}

static void strategies(void **state)
{
	(void)state;
	assert_string_equal(vocab_strategy_name(VOCAB_MATCH), "match");
	assert_string_equal(vocab_strategy_name(VOCAB_UPLIFT), "uplift");
	assert_string_equal(vocab_strategy_name(VOCAB_CALM), "calm");
	/* anything else (a number read back from a database) reads as the default */
	assert_string_equal(vocab_strategy_name(-1), "match");
	assert_string_equal(vocab_strategy_name(VOCAB_NSTRATEGIES), "match");
	for (int s = 0; s < VOCAB_NSTRATEGIES; s++)
		assert_int_equal(vocab_strategy_parse(vocab_strategy_name(s), 0), s);
	assert_int_equal(vocab_strategy_parse("Calm", 0), -1);
	assert_int_equal(vocab_strategy_parse("Calm", VOCAB_NOCASE), VOCAB_CALM);
	assert_int_equal(vocab_strategy_parse("next", 0), -1);
	assert_int_equal(vocab_strategy_parse("loud", VOCAB_NOCASE), -1);
	assert_int_equal(vocab_strategy_parse(NULL, 0), -1);
	assert_string_equal(joined(vocab_strategy_name, VOCAB_NSTRATEGIES), VOCAB_STRATEGY_WORDS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(classes),
		cmocka_unit_test(strategies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
