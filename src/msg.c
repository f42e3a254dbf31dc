/* User-facing messages in one format, and the stdout write check at exit. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "oomtop.h"
#include "out.h"
#include "strbuf.h"

/*
 * Writes text to stderr with every byte a user could have supplied escaped
 * as the tables do (out_escape(): control bytes, C1, bidi controls, invalid
 * UTF-8, the backslash), but each of its own newlines kept as a line break.
 */
static void put_escaped_lines(const char *text, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	bool utf8 = out_locale_utf8();
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		out_escape(&sb, text + start, i - start, utf8);
		if (i < len)
			sb_addc(&sb, '\n');
		start = i + 1;
	}
	if (sb.len)
		fwrite(sb.buf, 1, sb.len, stderr);
	sb_free(&sb);
}

/*
 * Prints "oomtop: CMD: message" (or "oomtop: message" without a command) on
 * stderr as one line: the message is formatted first and then escaped whole,
 * so no argument (a token of a rules file, a pattern, a comm) can reach the
 * terminal raw, and a newline inside it shows as \n.
 */
static void vmsg(const char *cmd, const char *fmt, va_list ap)
{
	struct strbuf text = STRBUF_INIT, line = STRBUF_INIT;
	va_list again;
	int n;

	fflush(stdout);
	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n > 0) {
		sb_grow(&text, (size_t)n + 1);
		vsnprintf(text.buf, (size_t)n + 1, fmt, ap);
		text.len = (size_t)n;
	}
	if (cmd)
		sb_addf(&line, "%s: %s: ", OOMTOP_NAME, cmd);
	else
		sb_addf(&line, "%s: ", OOMTOP_NAME);
	out_escape(&line, text.buf ? text.buf : "", text.len, out_locale_utf8());
	sb_addc(&line, '\n');
	fwrite(line.buf, 1, line.len, stderr);
	sb_free(&line);
	sb_free(&text);
}

/*
 * Prints text that already holds whole lines ("FILE:LINE: reason\n", as
 * rules_parse() collects them) on stderr, each line escaped.
 */
void msg_lines(const char *text)
{
	fflush(stdout);
	put_escaped_lines(text, strlen(text));
}

/* Prints an error or warning line for cmd. */
void msg_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, fmt, ap);
	va_end(ap);
}

/* Prints a usage error with the pointer to --help, and returns EXIT_USAGE. */
int msg_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmsg(cmd, fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s%s%s --help' for more information.\n", OOMTOP_NAME, cmd ? " " : "", cmd ? cmd : "");
	return EXIT_USAGE;
}

/*
 * Flushes and closes stdout at exit and fails loudly when the output was
 * lost (util-linux closestream.h close_stream()): an error already on the
 * stream, or a failing fclose() while output was pending.  A stdout that was
 * closed before oomtop started (`>&-`) fails fclose() with EBADF; when
 * nothing was written to it, nothing was lost.
 */
static void close_stdout(void)
{
	bool pending = __fpending(stdout) != 0;
	int prev_err = ferror(stdout);
	int close_err = fclose(stdout) != 0;

	if (prev_err || (close_err && (pending || errno != EBADF))) {
		/* a closed pipe (| head) is the reader's choice, not an error */
		if (errno == EPIPE && !prev_err)
			_exit(EXIT_OK);
		fprintf(stderr, "%s: write error: %s\n", OOMTOP_NAME,
			errno ? strerror(errno) : "output could not be written");
		_exit(EXIT_FAIL);
	}
}

/* Registers the stdout check to run at exit. */
void msg_close_stdout_atexit(void)
{
	atexit(close_stdout);
}

/* Writes len bytes to stdout; 0 or -errno. */
int msg_write_stdout(const char *buf, unsigned long len)
{
	if (len && fwrite(buf, 1, len, stdout) != len)
		return -errno;
	return 0;
}
