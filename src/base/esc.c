/* esc: escaping for output. See esc.h. */
#include "esc.h"

#include <string.h>

size_t esc_utf8_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = p[0];
	size_t len;
	unsigned min;
	if (c == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2; min = 0x80; c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3; min = 0x800; c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4; min = 0x10000; c &= 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	return len;
}

void esc_json(FILE *f, const char *s)
{
	fputc('"', f);
	for (const char *p = s; *p;) {
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '"': fputs("\\\"", f); p++; continue;
		case '\\': fputs("\\\\", f); p++; continue;
		case '\n': fputs("\\n", f); p++; continue;
		case '\t': fputs("\\t", f); p++; continue;
		case '\r': fputs("\\r", f); p++; continue;
		}
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
			p++;
			continue;
		}
		size_t l = esc_utf8_len(p);
		if (!l) {
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
			p++;
			continue;
		}
		fwrite(p, 1, l, f);
		p += l;
	}
	fputc('"', f);
}

void esc_tsv(FILE *f, const char *s)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default: fputc(*p, f);
		}
	}
}

char *esc_text(char *buf, size_t n, const char *s, int flags)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (const char *p = s; *p;) {
		unsigned char c = (unsigned char)*p;
		char tmp[5];
		const char *piece = tmp;
		size_t l;
		if ((c == '\\' && !(flags & ESC_KEEP_BACKSLASH)) || c == '\n' || c == '\t' || c == '\r') {
			tmp[0] = '\\';
			tmp[1] = c == '\\' ? '\\' : c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			l = 2;
			p++;
		} else if (c < 0x20 || c == 0x7f || !(l = esc_utf8_len(p))) {
			tmp[0] = '\\';
			tmp[1] = 'x';
			tmp[2] = hex[c >> 4];
			tmp[3] = hex[c & 15];
			l = 4;
			p++;
		} else {
			piece = p;
			p += l;
		}
		if (o + l >= n)
			break;
		memcpy(buf + o, piece, l);
		o += l;
	}
	if (n)
		buf[o] = 0;
	return buf;
}
