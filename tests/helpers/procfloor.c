/*
 * procfloor: the least any tool must do to rank by badness, for the
 * benchmark's floor: for every process open, read to the end and close
 * /proc/PID/status and /proc/PID/oom_score_adj, nothing else.  Prints the
 * number of processes read.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

/* Reads the file name under dirfd to its end and drops the bytes. */
static void drain(int dirfd, const char *name)
{
	char buf[4096];
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	close(fd);
}

int main(void)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = procfd < 0 ? NULL : fdopendir(dup(procfd));
	struct dirent *e;
	char path[300];
	long n = 0;

	if (!d) {
		perror("procfloor: /proc");
		return 1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "%s/status", e->d_name);
		drain(procfd, path);
		snprintf(path, sizeof(path), "%s/oom_score_adj", e->d_name);
		drain(procfd, path);
		n++;
	}
	printf("%ld\n", n);
	closedir(d);
	close(procfd);
	return 0;
}
