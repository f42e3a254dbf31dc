/* oomtop: program-wide constants shared by every command. */
#ifndef OOMTOP_H
#define OOMTOP_H

#include <errno.h>

#define OOMTOP_NAME "oomtop"
#ifndef OOMTOP_VERSION
#define OOMTOP_VERSION "0.1.0"
#endif

/* Exit statuses of the inspection commands (top, explain, status, log). */
enum {
	EXIT_OK = 0,
	EXIT_NOMATCH = 1, /* nothing matched / some process failed */
	EXIT_USAGE = 2,   /* bad command line or input */
	EXIT_FAIL = 3,    /* the system could not be read or written */
};

/* The kernel's limits, include/uapi/linux/oom.h. */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15

/*
 * Returns -errno after a failed system call, or -EIO when the call left errno
 * at 0, so that a failure can never be returned as success (0).
 */
static inline int oomtop_errno(void)
{
	int neg = -errno;

	return neg < 0 ? neg : -EIO;
}

#endif
