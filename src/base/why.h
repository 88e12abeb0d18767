/*
 * why: the reason a call failed, written into the caller's buffer (the
 * `char *why, size_t n` pair that loaders and parsers take). Pure libc,
 * thread-safe; the buffer is the caller's.
 *
 *   why_set  formats like snprintf into why (size n), truncated and
 *            NUL-terminated; does nothing when why is NULL or n is 0 (the
 *            caller did not ask for a reason).
 */
#ifndef EMOTUNE_WHY_H
#define EMOTUNE_WHY_H

#include <stddef.h>

void why_set(char *why, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
