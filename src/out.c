/*
 * Text output helpers.  A process name or command line is chosen by whoever
 * started the process, so it is escaped before it reaches a terminal: one
 * process is always one line, and no byte can move the cursor or recolour
 * the screen.
 */
#include <langinfo.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include <wctype.h>

#include "out.h"

/*
 * Decodes one strict UTF-8 sequence at s (no overlongs, surrogates or code
 * points past U+10FFFF); returns its length in bytes with *cp set, or -1.
 */
int out_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c;
	int n;

	if (len == 0)
		return -1;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		return -1;
	}
	if (len < (size_t)n)
		return -1;
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return n;
}

/*
 * Returns whether a code point must never reach a terminal or a log viewer
 * as it is, whatever the locale: C0 controls and DEL, C1 controls (U+009B is
 * a one-byte CSI on some terminals), the soft hyphen, and the invisible
 * format characters that can reorder or hide text (zero-width marks, U+2028
 * and U+2029, the bidi embeddings, overrides and isolates, U+FEFF).
 */
bool out_cp_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp == 0xad || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff ||
	       (cp >= 0xfff9 && cp <= 0xfffb);
}

/* Returns whether a code point may go to a terminal as it is: not hidden, and printable in the locale. */
static bool printable_cp(uint32_t cp)
{
	if (out_cp_hidden(cp))
		return false;
	return iswprint((wint_t)cp) && wcwidth((wchar_t)cp) >= 0;
}

/*
 * Appends s to sb with everything that is not printable escaped: \ as \\,
 * newline and tab as \n and \t, other control bytes as \xHH, invalid UTF-8 (or any byte above 0x7f
 * when the locale is not UTF-8) as \xHH, unprintable code points as \uXXXX.
 */
void out_escape(struct strbuf *sb, const char *s, size_t len, bool utf8)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	sb_grow(sb, len);
	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp;
		int n;

		if (c == '\\') {
			/* doubled, so that the text \x1b in a name cannot pass for an escaped ESC */
			sb_adds(sb, "\\\\");
			i++;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			sb_addc(sb, (char)c);
			i++;
			continue;
		}
		if (c == '\n') {
			sb_adds(sb, "\\n");
			i++;
			continue;
		}
		if (c == '\t') {
			sb_adds(sb, "\\t");
			i++;
			continue;
		}
		if (c >= 0x80 && utf8 && (n = out_utf8_decode(p + i, len - i, &cp)) > 0) {
			if (printable_cp(cp))
				sb_add(sb, p + i, (size_t)n);
			else
				sb_addf(sb, "\\u%04x", (unsigned)cp);
			i += (size_t)n;
			continue;
		}
		sb_addf(sb, "\\x%02x", c);
		i++;
	}
}

/* Returns the display width of one code point (0 for combining marks). */
static size_t cp_width(uint32_t cp)
{
	int w = wcwidth((wchar_t)cp);

	return w < 0 ? 1 : (size_t)w;
}

/*
 * Returns how many bytes of the escaped text s fit in width display columns,
 * never cutting a UTF-8 sequence.
 */
size_t out_fit_width(const char *s, size_t len, size_t width, bool utf8)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used = 0;

	while (i < len) {
		uint32_t cp;
		int n = 1;
		size_t w = 1;

		if (utf8 && p[i] >= 0x80 && (n = out_utf8_decode(p + i, len - i, &cp)) > 0)
			w = cp_width(cp);
		else
			n = 1;
		if (used + w > width)
			break;
		used += w;
		i += (size_t)n;
	}
	return i;
}

/* Returns the display width of the escaped text s. */
size_t out_width(const char *s, size_t len, bool utf8)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used = 0;

	while (i < len) {
		uint32_t cp;
		int n;

		if (utf8 && p[i] >= 0x80 && (n = out_utf8_decode(p + i, len - i, &cp)) > 0) {
			used += cp_width(cp);
			i += (size_t)n;
		} else {
			used++;
			i++;
		}
	}
	return used;
}

/* Formats a size given in KiB the way top does: 812K, 8.0M, 24M, 1.5G, 12G, 2.0T. */
void out_size_kib(char *buf, size_t bufsz, unsigned long long kib)
{
	static const char units[] = "KMGTPE";
	double v = (double)kib;
	int u = 0;

	if (kib == 0) {
		snprintf(buf, bufsz, "0");
		return;
	}
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (u > 0 && v < 9.95)
		snprintf(buf, bufsz, "%.1f%c", v, units[u]);
	else
		snprintf(buf, bufsz, "%.0f%c", v, units[u]);
}

/* Returns whether the current locale encodes text as UTF-8. */
bool out_locale_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

/* Returns the width of the terminal on fd, or 0 when fd is not a terminal. */
int out_terminal_width(int fd)
{
	struct winsize ws;

	if (!isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}
