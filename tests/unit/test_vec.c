/* Unit tests for vec (growable arrays) and why (a failure's reason). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vec.h"
#include "why.h"

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifdef UNDER_ASAN
/* A refused allocation returns NULL (as in a plain build) instead of aborting. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}
#endif

struct pt {
	int x, y;
};

/* Grows one at a time as the modules do (n == cap): first, then doubled. */
static void grows_by_doubling(void **state)
{
	(void)state;
	struct pt *v = NULL;
	size_t n = 0, cap = 0;
	size_t seen[8], k = 0;
	for (int i = 0; i < 100; i++) {
		size_t before = cap;
		assert_int_equal(vec_grow(&v, &cap, n + 1, sizeof *v, 16), 0);
		if (cap != before && k < 8)
			seen[k++] = cap;
		v[n++] = (struct pt){ i, -i };
	}
	assert_int_equal(k, 4);
	assert_int_equal(seen[0], 16);
	assert_int_equal(seen[1], 32);
	assert_int_equal(seen[2], 64);
	assert_int_equal(seen[3], 128);
	for (int i = 0; i < 100; i++)
		assert_true(v[i].x == i && v[i].y == -i);   /* kept across moves */
	free(v);
}

static void no_growth_when_room(void **state)
{
	(void)state;
	int *v = malloc(4 * sizeof *v);
	assert_non_null(v);
	int *was = v;
	size_t cap = 4;
	assert_int_equal(vec_grow(&v, &cap, 4, sizeof *v, 16), 0);
	assert_ptr_equal(v, was);
	assert_int_equal(cap, 4);
	assert_int_equal(vec_grow(&v, &cap, 0, sizeof *v, 16), 0);
	assert_int_equal(cap, 4);
	/* a need far past cap doubles as often as it takes */
	assert_int_equal(vec_grow(&v, &cap, 33, sizeof *v, 16), 0);
	assert_int_equal(cap, 64);
	/* first 0 counts as 1 */
	int *w = NULL;
	size_t wc = 0;
	assert_int_equal(vec_grow(&w, &wc, 1, sizeof *w, 0), 0);
	assert_int_equal(wc, 1);
	assert_int_equal(vec_grow(&w, &wc, 2, sizeof *w, 0), 0);
	assert_int_equal(wc, 2);
	free(v);
	free(w);
}

/* A size that does not fit a size_t: -ENOMEM, array and cap unchanged. */
static void overflow_refused(void **state)
{
	(void)state;
	double *v = NULL;
	size_t cap = 0;
	assert_int_equal(vec_grow(&v, &cap, 8, sizeof *v, 8), 0);
	double *was = v;
	v[7] = 7.5;
	/* the count itself: doubling 8 would pass SIZE_MAX */
	assert_int_equal(vec_grow(&v, &cap, SIZE_MAX, sizeof *v, 8), -ENOMEM);
	assert_ptr_equal(v, was);
	assert_int_equal(cap, 8);
	/* count * size: 2^61 elements of 8 bytes */
	assert_int_equal(vec_grow(&v, &cap, SIZE_MAX / 8 + 1, sizeof *v, 8), -ENOMEM);
	assert_ptr_equal(v, was);
	assert_int_equal(cap, 8);
	/* the first allocation too */
	struct pt *p = NULL;
	size_t pc = 0;
	assert_int_equal(vec_grow(&p, &pc, 1, SIZE_MAX / 4, 8), -ENOMEM);
	assert_null(p);
	assert_int_equal(pc, 0);
	assert_int_equal(vec_grow(&p, &pc, 1, 0, 8), -ENOMEM);
	assert_true(v[7] == 7.5);
	free(v);
}

/* realloc refuses (a size that fits a size_t but no memory): unchanged. */
static void no_memory(void **state)
{
	(void)state;
	char *v = NULL;
	size_t cap = 0;
	assert_int_equal(vec_grow(&v, &cap, 3, 1, 4), 0);
	memcpy(v, "abc", 3);
	char *was = v;
	assert_int_equal(vec_grow(&v, &cap, SIZE_MAX / 4, 1, 4), -ENOMEM);
	assert_ptr_equal(v, was);
	assert_int_equal(cap, 4);
	assert_memory_equal(v, "abc", 3);
	free(v);
}

static void why_formats(void **state)
{
	(void)state;
	char buf[8];
	why_set(buf, sizeof buf, "%s:%d", "ab", 42);
	assert_string_equal(buf, "ab:42");
	why_set(buf, sizeof buf, "%s", "a long reason");   /* truncated, terminated */
	assert_string_equal(buf, "a long ");
	memcpy(buf, "keep", 5);
	why_set(buf, 0, "x");   /* n 0: untouched */
	assert_string_equal(buf, "keep");
	why_set(NULL, 8, "x");   /* no buffer: nothing */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grows_by_doubling),
		cmocka_unit_test(no_growth_when_room),
		cmocka_unit_test(overflow_refused),
		cmocka_unit_test(no_memory),
		cmocka_unit_test(why_formats),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
