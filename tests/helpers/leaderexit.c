/*
 * leaderexit: a process whose main thread has exited.  It joins a cgroup,
 * sets its oom_score_adj, optionally forks a child that touches memory and
 * exits unreaped (a zombie), starts a thread that touches --anon MiB, prints
 * "ready PID [ZOMBIE_PID]" and ends its main thread with pthread_exit().
 * The process lives on in its thread: /proc/PID/status of the leader shows
 * "Z (zombie)" without memory lines, yet the OOM killer finds the thread's mm
 * (mm/oom_kill.c find_lock_task_mm()).  It dies with its parent.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)

static size_t anon;

/* Writes text to the file at path; exits on failure. */
static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		fprintf(stderr, "leaderexit: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

/* Maps and touches len bytes of private anonymous memory. */
static void touch(size_t len)
{
	char *p;

	if (!len)
		return;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("leaderexit: mmap");
		exit(1);
	}
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
}

/* The thread that keeps the process alive with its memory. */
static void *holder(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL); /* the setting is per thread; the leader's goes with it */
	touch(anon);
	for (;;)
		pause();
	return NULL;
}

int main(int argc, char **argv)
{
	const char *cgroup = NULL, *adj = NULL, *name = NULL;
	size_t zombie = 0;
	pid_t parent = getppid(), child = 0;
	pthread_t t;
	char buf[4096];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return 1;
	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--cgroup") == 0)
			cgroup = argv[i + 1];
		else if (strcmp(argv[i], "--anon") == 0)
			anon = strtoul(argv[i + 1], NULL, 10) * MIB;
		else if (strcmp(argv[i], "--zombie-child") == 0)
			zombie = strtoul(argv[i + 1], NULL, 10) * MIB;
		else if (strcmp(argv[i], "--adj") == 0)
			adj = argv[i + 1];
		else if (strcmp(argv[i], "--name") == 0)
			name = argv[i + 1];
		else {
			fprintf(stderr, "usage: leaderexit [--cgroup DIR] [--anon MIB] [--zombie-child MIB] "
					"[--adj N] [--name COMM]\n");
			return 2;
		}
	}
	if (cgroup) {
		snprintf(buf, sizeof(buf), "%s/cgroup.procs", cgroup);
		char pid[32];
		snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
		write_file(buf, pid);
	}
	if (adj)
		write_file("/proc/self/oom_score_adj", adj);
	if (name)
		prctl(PR_SET_NAME, name);
	if (zombie) {
		child = fork();
		if (child == 0) {
			touch(zombie);
			_exit(0);
		}
		while (kill(child, 0) == 0) {
			/* wait until it is a zombie: its stat says Z */
			char path[64], st[256];
			snprintf(path, sizeof(path), "/proc/%d/stat", (int)child);
			FILE *f = fopen(path, "r");
			if (!f)
				break;
			size_t n = fread(st, 1, sizeof(st) - 1, f);
			fclose(f);
			st[n] = '\0';
			char *close = strrchr(st, ')');
			if (close && close[1] == ' ' && close[2] == 'Z')
				break;
			usleep(1000);
		}
	}
	if (pthread_create(&t, NULL, holder, NULL) != 0) {
		fprintf(stderr, "leaderexit: pthread_create failed\n");
		return 1;
	}
	/* let the thread touch its memory before announcing */
	for (int i = 0; i < 1000; i++) {
		FILE *f = fopen("/proc/self/status", "r");
		unsigned long kib = 0;
		while (f && fgets(buf, sizeof(buf), f))
			if (sscanf(buf, "RssAnon: %lu", &kib) == 1)
				break;
		if (f)
			fclose(f);
		if (kib * 1024 >= anon)
			break;
		usleep(2000);
	}
	if (child)
		printf("ready %d %d\n", (int)getpid(), (int)child);
	else
		printf("ready %d\n", (int)getpid());
	fflush(stdout);
	pthread_exit(NULL);
}
