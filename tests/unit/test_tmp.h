/*
 * test_tmp: the temporary folder of a unit test, removed with what it holds
 * at the end. Header-only, for tests.
 */
#ifndef EMOTUNE_TEST_TMP_H
#define EMOTUNE_TEST_TMP_H

#include <stdio.h>
#include <stdlib.h>

/* rm -rf DIR (DIR made by mkdtemp: no quote in it): 0, or -1. */
static inline int test_tmp_remove(const char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

#endif
