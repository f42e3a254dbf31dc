/*
 * /dev/kmsg: each read() returns one record "PRIO,SEQ,USEC,FLAGS;message\n"
 * followed by dictionary lines " KEY=value\n" (Documentation/ABI/testing/
 * dev-kmsg).  A reader that fell behind the ring buffer gets EPIPE once and
 * continues with the oldest record still there; a non-blocking reader gets
 * EAGAIN at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kmsg.h"

/* Opens the ring buffer for reading from its oldest record, without blocking; 0 or -errno. */
int kmsg_open(const char *path, int *fd)
{
	int f = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (f < 0)
		return -errno;
	*fd = f;
	return 0;
}

/*
 * Reads one record and cuts it to its first line (the dictionary is not
 * needed); returns 0, -EAGAIN at the end, -EPIPE when older records were
 * overwritten before they could be read (call again), or another -errno.
 */
int kmsg_read(int fd, char *buf, size_t size, size_t *len)
{
	ssize_t n;
	char *nl;

	for (;;) {
		n = read(fd, buf, size);
		if (n >= 0)
			break;
		if (errno != EINTR)
			return -errno;
	}
	if (n == 0)
		return -EAGAIN; /* a regular file given as --kmsg source: its end */
	nl = memchr(buf, '\n', (size_t)n);
	*len = nl ? (size_t)(nl - buf) : (size_t)n;
	return 0;
}

/*
 * Reads the sequence number of a record ("PRIO,SEQ,..."): the kernel
 * numbers records from 0 at boot, so a first record above 0 means older
 * ones were overwritten (kernel/printk/printk.c devkmsg_read()).  Returns
 * 0, or -EINVAL when the text is not a record's prefix.
 */
int kmsg_record_seq(const char *buf, size_t len, unsigned long long *seq)
{
	size_t i = 0;
	unsigned long long v = 0;

	while (i < len && buf[i] >= '0' && buf[i] <= '9')
		i++;
	if (i == 0 || i >= len || buf[i] != ',')
		return -EINVAL;
	i++;
	if (i >= len || buf[i] < '0' || buf[i] > '9')
		return -EINVAL;
	for (; i < len && buf[i] >= '0' && buf[i] <= '9'; i++) {
		if (v > (~0ULL - 9) / 10)
			return -EINVAL;
		v = v * 10 + (unsigned long long)(buf[i] - '0');
	}
	if (i >= len || buf[i] != ',')
		return -EINVAL;
	*seq = v;
	return 0;
}

/* Waits until a record can be read or timeout_ms passed; 1 readable, 0 timeout, or -errno. */
int kmsg_wait(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	return n > 0;
}

/*
 * Returns the wall-clock time of boot in usec for dating kmsg timestamps.
 * Those come from local_clock(), which like CLOCK_MONOTONIC stops during
 * suspend; CLOCK_REALTIME - CLOCK_MONOTONIC therefore dates a record
 * correctly even after a suspend, where /proc/stat's btime (REALTIME -
 * BOOTTIME) would be early by the time spent suspended.
 */
int kmsg_boot_usec(long long *out)
{
	struct timespec mono, real, mono2;

	if (clock_gettime(CLOCK_MONOTONIC, &mono) < 0 || clock_gettime(CLOCK_REALTIME, &real) < 0 ||
	    clock_gettime(CLOCK_MONOTONIC, &mono2) < 0)
		return -errno;
	long long m = (mono.tv_sec + mono2.tv_sec) * 500000LL + (mono.tv_nsec + mono2.tv_nsec) / 2000;
	*out = real.tv_sec * 1000000LL + real.tv_nsec / 1000 - m;
	return 0;
}
