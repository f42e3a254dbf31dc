/*
 * libFuzzer harness for the command-line escaping: the input is the raw
 * bytes of /proc/PID/cmdline (argv with NULs).  It is joined into one line
 * (proc_join_cmdline), escaped for the terminal (out_escape, both with and
 * without a UTF-8 locale), cut to a width (out_fit_width), and escaped for
 * JSON and as a Prometheus label.  The terminal text must hold no control
 * byte and, outside UTF-8, no byte above 0x7f; the JSON and label text must
 * be valid UTF-8 with no control, C1, U+2028/2029 or bidi character, and
 * the label must use only the escapes the exposition format allows.
 */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"
#include "proc.h"
#include "promfmt.h"
#include "strbuf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts unless the len bytes at s are strict UTF-8. */
static void check_utf8(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		int n = out_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n <= 0)
			abort();
		i += (size_t)n;
	}
}

/* Aborts unless the len bytes at s are strict UTF-8 with no control or invisible format character (out_cp_hidden()). */
static void check_visible(const char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		int n = out_utf8_decode((const unsigned char *)s + i, len - i, &cp);
		if (n <= 0 || out_cp_hidden(cp))
			abort();
		i += (size_t)n;
	}
}

/*
 * Aborts unless a Prometheus label value uses only the escapes \\, \" and \n
 * (promtool refuses others) and has no unescaped quote.
 */
static void check_label(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			abort();
		if (s[i] != '\\')
			continue;
		if (i + 1 >= len || (s[i + 1] != '\\' && s[i + 1] != '"' && s[i + 1] != 'n'))
			abort();
		i++;
	}
}

/* Aborts if the terminal text holds a byte that could reach the terminal as a control. */
static void check_terminal(const struct strbuf *sb, bool utf8)
{
	for (size_t i = 0; i < sb->len; i++) {
		unsigned char c = (unsigned char)sb->buf[i];
		if (c < 0x20 || c == 0x7f || (!utf8 && c >= 0x80))
			abort();
	}
	if (utf8)
		check_utf8(sb->buf ? sb->buf : "", sb->len);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setlocale(LC_ALL, "C.UTF-8");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	char *line = malloc(size ? size : 1);
	size_t len, fit;

	memcpy(line, data, size);
	len = proc_join_cmdline(line, size);
	if (len > size || (len && memchr(line, '\0', len)))
		abort();
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		sb_reset(&sb);
		out_escape(&sb, line, len, utf8);
		check_terminal(&sb, utf8);
		fit = out_fit_width(sb.buf ? sb.buf : "", sb.len, (size_t)(size % 97), utf8);
		if (fit > sb.len)
			abort();
		out_width(sb.buf ? sb.buf : "", sb.len, utf8);
	}
	sb_reset(&sb);
	json_init(&j, &sb);
	json_strn(&j, line, len);
	check_visible(sb.buf, sb.len);
	sb_reset(&sb);
	promfmt_escape_label(&sb, line, len);
	if (sb.len) {
		check_visible(sb.buf, sb.len);
		check_label(sb.buf, sb.len);
	}
	sb_free(&sb);
	free(line);
	return 0;
}
