/* User-facing messages in one format, and the stdout write check at exit. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "oomtop.h"

/* Prints "oomtop: CMD: message" (or "oomtop: message" without a command) on stderr. */
static void vmsg(const char *cmd, const char *fmt, va_list ap)
{
	fflush(stdout);
	if (cmd)
		fprintf(stderr, "%s: %s: ", OOMTOP_NAME, cmd);
	else
		fprintf(stderr, "%s: ", OOMTOP_NAME);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
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

/* Flushes and closes stdout at exit and fails loudly when the output was lost (util-linux closestream). */
static void close_stdout(void)
{
	int prev_err = ferror(stdout);
	int close_err = fclose(stdout) != 0;

	if (prev_err || close_err) {
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
