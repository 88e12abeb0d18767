/* why: a failure's reason in the caller's buffer. See why.h. */
#include "why.h"

#include <stdarg.h>
#include <stdio.h>

void why_set(char *why, size_t n, const char *fmt, ...)
{
	if (!why || !n)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
}
