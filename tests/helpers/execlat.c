/*
 * execlat: exec storms and exec-to-value latencies for the tests and the
 * benchmark of `oomtop watch`.
 *   execlat burst N PROGRAM [ARG...]   runs PROGRAM N times, one after the
 *                                      other (fork, exec, wait); prints the
 *                                      execs per second
 *   execlat lat N ADJ SECS PROGRAM [ARG...]
 *                                      N times: starts PROGRAM and measures
 *                                      how long after the fork its
 *                                      oom_score_adj holds ADJ (polled every
 *                                      100 us, at most SECS seconds), then
 *                                      kills it; prints one line per run in
 *                                      microseconds ("timeout" past SECS),
 *                                      then "median P50 p99 P99 max MAX
 *                                      timeouts T"
 *   execlat rate R SECS PROGRAM [ARG...]
 *                                      starts PROGRAM R times a second for
 *                                      SECS seconds (each reaped)
 *   execlat listen PATH SECS           binds a datagram socket at PATH (as
 *                                      $NOTIFY_SOCKET), prints the first
 *                                      message it gets within SECS seconds
 * Children die with it (PR_SET_PDEATHSIG).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static pid_t start(char **argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int read_adj(pid_t pid, int *v)
{
	char path[64], buf[32];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	*v = atoi(buf);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (argc >= 4 && strcmp(argv[1], "burst") == 0) {
		long n = strtol(argv[2], NULL, 10);
		double t0 = now_us();
		for (long i = 0; i < n; i++) {
			pid_t pid = start(argv + 3);
			if (pid < 0) {
				perror("execlat: fork");
				return 1;
			}
			waitpid(pid, NULL, 0);
		}
		printf("%.0f execs/s\n", n / ((now_us() - t0) / 1e6));
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "rate") == 0) {
		long rate = strtol(argv[2], NULL, 10), secs = strtol(argv[3], NULL, 10);
		double t0 = now_us(), step = 1e6 / (double)rate;
		for (long i = 0; i < rate * secs; i++) {
			double due = t0 + (double)i * step, t = now_us();
			pid_t pid;
			if (due > t)
				usleep((useconds_t)(due - t));
			pid = start(argv + 4);
			if (pid > 0)
				waitpid(pid, NULL, 0);
		}
		return 0;
	}
	if (argc >= 6 && strcmp(argv[1], "lat") == 0) {
		long n = strtol(argv[2], NULL, 10);
		int want = atoi(argv[3]);
		double limit = strtod(argv[4], NULL) * 1e6, *lat = calloc((size_t)n, sizeof(double));
		long got = 0, timeouts = 0;
		if (!lat)
			return 1;
		for (long i = 0; i < n; i++) {
			double t0 = now_us(), t;
			pid_t pid = start(argv + 5);
			int v, held = 0;
			if (pid < 0) {
				perror("execlat: fork");
				return 1;
			}
			while ((t = now_us()) - t0 < limit) {
				if (read_adj(pid, &v) == 0 && v == want) {
					held = 1;
					break;
				}
				usleep(100);
			}
			if (held) {
				lat[got++] = t - t0;
				printf("%.0f\n", t - t0);
			} else {
				timeouts++;
				printf("timeout\n");
			}
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		qsort(lat, (size_t)got, sizeof(double), cmp);
		if (got)
			printf("median %.0f p99 %.0f max %.0f timeouts %ld\n", lat[got / 2],
			       lat[(size_t)((double)(got - 1) * 0.99)], lat[got - 1], timeouts);
		else
			printf("median - p99 - max - timeouts %ld\n", timeouts);
		free(lat);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "listen") == 0) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		char buf[4096];
		int fd = socket(AF_UNIX, SOCK_DGRAM, 0);
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		ssize_t n;
		snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", argv[2]);
		if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			perror("execlat: listen");
			return 1;
		}
		printf("listening\n");
		fflush(stdout);
		if (poll(&pfd, 1, atoi(argv[3]) * 1000) <= 0)
			return 1;
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n < 0)
			return 1;
		buf[n] = '\0';
		fputs(buf, stdout);
		return 0;
	}
	fprintf(stderr, "usage: execlat burst N PROGRAM [ARG...] | lat N ADJ SECS PROGRAM [ARG...] | "
			"rate R SECS PROGRAM [ARG...] | listen PATH SECS\n");
	return 2;
}
