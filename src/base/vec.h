/*
 * vec: growing the arrays that modules keep as a pointer, a count and a
 * capacity (T *v; size_t n, cap;). Pure libc, no state: thread-safe as
 * long as the caller owns the array it grows (its own lock, if shared).
 *
 *   vec_grow  makes room for at least need elements of size bytes: when
 *             need > *cap the array is reallocated to first elements (the
 *             first time) or doubled until it holds need. 0 on success
 *             (the array may have moved); -ENOMEM when the memory is not
 *             there or the new size would not fit a size_t, and then the
 *             array and *cap are unchanged (still owned by the caller,
 *             who frees it as before). pv points to the caller's T *
 *             (&v); the new elements are not initialized. Each module
 *             turns -ENOMEM into its own error code at the call site.
 */
#ifndef EMOTUNE_VEC_H
#define EMOTUNE_VEC_H

#include <stddef.h>

/* pv: the address of a T * (NULL or from malloc/realloc); size > 0;
 * first: the capacity of a first allocation (0 counts as 1). */
int vec_grow(void *pv, size_t *cap, size_t need, size_t size, size_t first);

#endif
