/*
 * esc: the one place untrusted bytes (file names, tags, settings keys,
 * remote arguments) are escaped for output. Pure functions, thread-safe,
 * libc only.
 *
 *   esc_json  a JSON string literal (with its quotes): `"` `\` and control
 *             bytes escaped (\n \t \r, else \u00XX; DEL too); valid UTF-8
 *             kept; each byte that is not part of valid UTF-8 (overlong
 *             forms, surrogates and code points above U+10FFFF included)
 *             is written as U+FFFD, so the output is always valid JSON.
 *   esc_tsv   one TSV field: `\` -> `\\`, newline -> `\n`, tab -> `\t`,
 *             carriage return -> `\r`; every other byte unchanged, so a
 *             record is one line and the field round-trips exactly.
 *   esc_text  for messages on a terminal: printable ASCII and valid UTF-8
 *             kept, `\` -> `\\`, \n \t \r, other control bytes, DEL and
 *             invalid UTF-8 bytes as \xNN. Truncated (at a whole escape
 *             or character) to fit buf; always NUL-terminated. With
 *             ESC_KEEP_BACKSLASH a backslash stays single: for text that
 *             was escaped once already (a remote server's error message)
 *             and must only be made safe to print.
 */
#ifndef EMOTUNE_ESC_H
#define EMOTUNE_ESC_H

#include <stddef.h>
#include <stdio.h>

void esc_json(FILE *f, const char *s);
void esc_tsv(FILE *f, const char *s);
/* Writes the escaped s into buf (size n > 0) and returns buf. flags: 0
 * or ESC_KEEP_BACKSLASH. */
enum { ESC_KEEP_BACKSLASH = 1 };
char *esc_text(char *buf, size_t n, const char *s, int flags);

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when s[0] does not
 * start one (or s[0] is NUL). */
size_t esc_utf8_len(const char *s);

#endif
