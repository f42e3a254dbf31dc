/*
 * memhog: a test process with a known memory footprint.  It sets its
 * oom_score_adj, touches the memory it was asked for, prints "ready PID" and
 * waits to be killed.  It dies with its parent (PR_SET_PDEATHSIG), so a test
 * that fails never leaves one behind.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define MIB (1024UL * 1024UL)

/* Prints how to call memhog and exits. */
static void usage(void)
{
	fprintf(stderr,
		"usage: memhog [--anon-kib K] [--anon MIB] [--shmem MIB] [--file MIB] [--adj N]\n"
		"              [--name COMM] [--user USER] [--cgroup DIR] [--grow] [--grow-step-kib K]\n"
		"              [--until-oom-kill] [--share-mm] [-- ARG...]\n");
	exit(2);
}

/* Writes every page of [p, p+len) so that it becomes resident. */
static void touch(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += 4096)
		p[i] = (char)(i | 1);
}

/* Maps and touches len bytes of anonymous memory, shared or private. */
static void hog_anon(size_t len, int shared)
{
	char *p;

	if (!len)
		return;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("memhog: mmap");
		exit(1);
	}
	touch(p, len);
}

/* Maps a file of len bytes in the working directory and reads it in (RssFile). */
static void hog_file(size_t len)
{
	char path[] = "memhog.XXXXXX";
	volatile char sum = 0;
	char *p;
	int fd;

	if (!len)
		return;
	fd = mkstemp(path);
	if (fd < 0 || ftruncate(fd, (off_t)len) < 0) {
		perror("memhog: file");
		exit(1);
	}
	unlink(path);
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED) {
		perror("memhog: mmap file");
		exit(1);
	}
	touch(p, len);
	for (size_t i = 0; i < len; i += 4096)
		sum += p[i];
	(void)sum;
}

/* Writes the oom_score_adj of this process. */
static void set_adj(const char *adj)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd < 0 || write(fd, adj, strlen(adj)) < 0) {
		fprintf(stderr, "memhog: oom_score_adj %s: %s\n", adj, strerror(errno));
		exit(1);
	}
	close(fd);
}

/* Returns the kernel's count of OOM kills so far (oom_kill in /proc/vmstat, since 4.13), or -1. */
static long oom_kills(void)
{
	char line[128];
	long n = -1;
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "oom_kill %ld", &n) == 1)
			break;
	fclose(f);
	return n;
}

/* The second process of --share-mm: it only waits, and dies with the first. */
static int twin_main(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (;;)
		pause();
	return 0;
}

/*
 * Starts a second process that shares this one's memory (CLONE_VM without
 * CLONE_THREAD: its own pid and oom_score_adj, the same mm), so that both
 * have exactly the same rss and page tables.  Returns its pid.
 */
static pid_t share_mm(void)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	pid_t pid = clone(twin_main, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL);

	if (pid < 0) {
		perror("memhog: clone");
		exit(1);
	}
	return pid;
}

/* Moves this process into the cgroup directory dir (v1 or v2), before it touches memory. */
static void join_cgroup(const char *dir)
{
	char path[4096], pid[32];
	int fd;

	snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, pid, strlen(pid)) < 0) {
		fprintf(stderr, "memhog: join %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	size_t anon = 0, shmem = 0, file = 0, step = MIB;
	const char *adj = NULL, *name = NULL, *user = NULL, *cgroup = NULL;
	pid_t parent = getppid();
	int grow = 0, until_oom_kill = 0, twin = 0, i;
	long kills = -1;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--grow") == 0) {
			grow = 1;
			continue;
		}
		if (strcmp(a, "--share-mm") == 0) {
			twin = 1; /* "ready PID TWIN": a second process with this one's memory */
			continue;
		}
		if (strcmp(a, "--until-oom-kill") == 0) {
			until_oom_kill = 1; /* with --grow: stop at the next OOM kill, whoever it hits */
			continue;
		}
		if (strncmp(a, "--", 2) != 0 || strcmp(a, "--") == 0)
			break; /* the rest is decoration for the command line */
		if (!v)
			usage();
		if (strcmp(a, "--anon-kib") == 0)
			anon += strtoul(v, NULL, 10) * 1024;
		else if (strcmp(a, "--anon") == 0)
			anon += strtoul(v, NULL, 10) * MIB;
		else if (strcmp(a, "--shmem") == 0)
			shmem = strtoul(v, NULL, 10) * MIB;
		else if (strcmp(a, "--file") == 0)
			file = strtoul(v, NULL, 10) * MIB;
		else if (strcmp(a, "--adj") == 0)
			adj = v;
		else if (strcmp(a, "--name") == 0)
			name = v;
		else if (strcmp(a, "--user") == 0)
			user = v;
		else if (strcmp(a, "--cgroup") == 0)
			cgroup = v;
		else if (strcmp(a, "--grow-step-kib") == 0)
			step = strtoul(v, NULL, 10) * 1024;
		else
			usage();
		i++;
	}
	if (cgroup)
		join_cgroup(cgroup);
	if (adj)
		set_adj(adj);
	if (user) {
		struct passwd *pw = getpwnam(user);
		if (!pw || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
			fprintf(stderr, "memhog: cannot become %s\n", user);
			return 1;
		}
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* setuid clears it */
		prctl(PR_SET_DUMPABLE, 1);        /* keep /proc/PID owned by the new uid */
	}
	if (name)
		prctl(PR_SET_NAME, name);
	hog_anon(anon, 0);
	hog_anon(shmem, 1);
	hog_file(file);
	if (until_oom_kill && (kills = oom_kills()) < 0) {
		fprintf(stderr, "memhog: no oom_kill in /proc/vmstat\n");
		return 1;
	}
	if (twin)
		printf("ready %d %d\n", (int)getpid(), (int)share_mm());
	else
		printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (grow) {
		char *p = malloc(step);
		if (p)
			touch(p, step);
		if (until_oom_kill && oom_kills() != kills) {
			/* exit, and so free everything, before a second kill is needed */
			printf("oom-kill seen\n");
			return 0;
		}
	}
	for (;;)
		pause();
}
