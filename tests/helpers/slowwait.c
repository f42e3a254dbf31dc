/*
 * slowwait.so, an LD_PRELOAD library for tests/integ/t_tui.sh: before each
 * long poll() or ppoll() (a timeout over one second, or none: the live
 * view's wait for the next refresh), it creates the file $SLOWWAIT_FILE and
 * sleeps $SLOWWAIT_US microseconds, so that a test can send a signal that
 * lands for sure between the view's check of its flag and its wait.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Marks the window in $SLOWWAIT_FILE and sleeps in it, if the environment asks; signals interrupt the sleep. */
static void window(void)
{
	const char *file = getenv("SLOWWAIT_FILE"), *us = getenv("SLOWWAIT_US");
	long n = us ? atol(us) : 0;
	struct timespec ts = { n / 1000000, (n % 1000000) * 1000 };
	int fd;

	if (!file || n <= 0)
		return;
	fd = open(file, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	nanosleep(&ts, NULL);
}

/* poll(2) with the window before a long wait. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	int (*real)(struct pollfd *, nfds_t, int) = (int (*)(struct pollfd *, nfds_t, int))dlsym(RTLD_NEXT, "poll");

	if (timeout < 0 || timeout > 1000)
		window();
	return real(fds, nfds, timeout);
}

/* ppoll(2) with the window before a long wait. */
int ppoll(struct pollfd *fds, nfds_t nfds, const struct timespec *tmo, const sigset_t *mask)
{
	int (*real)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *) =
		(int (*)(struct pollfd *, nfds_t, const struct timespec *, const sigset_t *))dlsym(RTLD_NEXT, "ppoll");

	if (!tmo || tmo->tv_sec >= 1)
		window();
	return real(fds, nfds, tmo, mask);
}
