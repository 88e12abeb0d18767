/*
 * regfile: opening the files emotune reads (media, images, models,
 * cascades, settings) so that a FIFO, a device or a directory given as a
 * file never blocks or misleads.
 *
 * Only regular files are opened. The path is checked with stat() first (so
 * a device is never opened at all), then opened with O_NONBLOCK (a file
 * swapped for a FIFO meanwhile cannot block the open), checked again with
 * fstat() and O_NONBLOCK is cleared. Errors come back in errno: EISDIR for
 * a directory, REGFILE_ENOTREG for anything else that is not a regular file
 * (FIFO, socket, device), else open()'s own; regfile_strerror() words them
 * for "emotune: FILE: why" messages.
 *
 * Pure libc, thread-safe. Descriptors are O_CLOEXEC and owned by the caller.
 */
#ifndef EMOTUNE_REGFILE_H
#define EMOTUNE_REGFILE_H

#include <errno.h>
#include <stdio.h>

/* errno for "exists but is not a regular file" (not a directory). */
#define REGFILE_ENOTREG ENODEV

/* 0 when path is a regular file (following symlinks), else -1 with errno. */
int regfile_check(const char *path);
/* A read-only descriptor of the regular file path, or -1 with errno. */
int regfile_open(const char *path);
/* The same as a stdio stream ("rb"), or NULL with errno. */
FILE *regfile_fopen(const char *path);
/* "is a directory", "not a regular file" (a FIFO, socket or device), or
 * strerror(errnum). */
const char *regfile_strerror(int errnum);

#endif
