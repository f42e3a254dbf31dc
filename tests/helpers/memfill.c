/*
 * memfill: the trigger of a memory cgroup OOM that is never the biggest
 * process.  It joins a cgroup, fills the cgroup's limit up to a small margin
 * with shmem that no process maps (a memfd it writes and keeps open: charged
 * to the cgroup, counted in nobody's rss), prints "filled KIB", then
 * allocates anonymous memory in small steps until the cgroup's oom_kill
 * counter moves, prints "oom" and waits to be killed.  So when the kernel
 * chooses a victim, this process holds only the margin plus its own
 * executable: it loses against any process bigger than that.  With
 * --global (only where a global OOM is allowed: the VM lane) it fills the
 * machine instead, until MemAvailable is down to the margin, and watches
 * /proc/vmstat's oom_kill.  With --exit it exits after "oom" (status 0) or
 * "no-oom" (status 3), freeing what it filled, so that the caller can simply
 * wait for it: a caller polling in a shell would allocate while memory is
 * short, and be killed itself when vm.oom_kill_allocating_task is set.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#define KIB 1024UL

/* Prints how to call memfill and exits. */
static void usage(void)
{
	fprintf(stderr,
		"usage: memfill --cgroup DIR [--limit-dir DIR] [--leave-kib K] [--step-kib K]\n"
		"               [--max-kib K] [--adj N] [--name COMM] [--no-grow] [--exit]\n"
		"       memfill --global [--leave-kib K] ...\n"
		"  joins DIR, fills the cgroup that holds the limit (--limit-dir, default DIR)\n"
		"  with unmapped shmem until K KiB are left, then grows until one OOM kill\n");
	exit(2);
}

/* Reads the first number of a file, or of the line starting with key; 0 or -1. */
static int read_number(const char *dir, const char *file, const char *key, unsigned long long *out)
{
	char path[4096], line[256];
	size_t klen = key ? strlen(key) : 0;
	FILE *f;
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (key && (strncmp(line, key, klen) != 0 || line[klen] != ' '))
			continue;
		if (!key && strncmp(line, "max", 3) == 0) {
			*out = ~0ULL;
			rc = 0;
			break;
		}
		*out = strtoull(line + klen, NULL, 10);
		rc = 0;
		break;
	}
	fclose(f);
	return rc;
}

/* The limit of the cgroup at dir in bytes (v2 memory.max, v1 memory.limit_in_bytes); 0 or -1. */
static int cg_limit(const char *dir, unsigned long long *out)
{
	if (read_number(dir, "memory.max", NULL, out) == 0)
		return 0;
	return read_number(dir, "memory.limit_in_bytes", NULL, out);
}

/* What the cgroup at dir is charged now, in bytes; 0 or -1. */
static int cg_usage(const char *dir, unsigned long long *out)
{
	if (read_number(dir, "memory.current", NULL, out) == 0)
		return 0;
	return read_number(dir, "memory.usage_in_bytes", NULL, out);
}

/* How many OOM kills the cgroup at dir has seen (v2 memory.events, v1 memory.oom_control); 0 or -1. */
static int cg_oom_kills(const char *dir, unsigned long long *out)
{
	if (read_number(dir, "memory.events", "oom_kill", out) == 0)
		return 0;
	return read_number(dir, "memory.oom_control", "oom_kill", out);
}

static int global;

/* Reads "Key: N kB" from /proc/meminfo in bytes; 0 or -1. */
static int meminfo_bytes(const char *key, unsigned long long *out)
{
	char line[256];
	size_t kl = strlen(key);
	FILE *f = fopen("/proc/meminfo", "r");
	int rc = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
			*out = strtoull(line + kl + 1, NULL, 10) * KIB;
			rc = 0;
			break;
		}
	fclose(f);
	return rc;
}

/* The room left: under the cgroup's limit, or (--global) MemAvailable; 0 or -1. */
static int room_left(const char *dir, unsigned long long *out)
{
	unsigned long long limit, usage;

	if (global)
		return meminfo_bytes("MemAvailable", out);
	if (cg_limit(dir, &limit) < 0 || cg_usage(dir, &usage) < 0)
		return -1;
	*out = usage < limit ? limit - usage : 0;
	return 0;
}

/* The OOM kills so far: the cgroup's, or (--global) /proc/vmstat oom_kill; 0 or -1. */
static int oom_kills(const char *dir, unsigned long long *out)
{
	char line[256];
	FILE *f;

	if (!global)
		return cg_oom_kills(dir, out);
	f = fopen("/proc/vmstat", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "oom_kill ", 9) == 0) {
			*out = strtoull(line + 9, NULL, 10);
			fclose(f);
			return 0;
		}
	fclose(f);
	return -1;
}

/* Writes a small string to a file; exits on failure. */
static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		fprintf(stderr, "memfill: %s: %s\n", path, strerror(errno));
		exit(1);
	}
	close(fd);
}

/* Writes pages into a memfd until the cgroup at dir (or the machine) has leave bytes left; returns the KiB written. */
static unsigned long fill(const char *dir, unsigned long long leave)
{
	static char chunk[64 * KIB];
	unsigned long long limit, room;
	unsigned long written = 0;
	int fd = memfd_create("memfill", 0);

	if (fd < 0 || (!global && (cg_limit(dir, &limit) < 0 || limit == ~0ULL))) {
		fprintf(stderr, "memfill: %s: no memfd or no limit to fill\n", dir ? dir : "");
		exit(1);
	}
	memset(chunk, 1, sizeof(chunk));
	for (;;) {
		if (room_left(dir, &room) < 0) {
			fprintf(stderr, "memfill: cannot read the room left\n");
			exit(1);
		}
		if (room < leave + sizeof(chunk))
			break;
		if (write(fd, chunk, sizeof(chunk)) != (ssize_t)sizeof(chunk)) {
			fprintf(stderr, "memfill: memfd write: %s\n", strerror(errno));
			exit(1);
		}
		written += sizeof(chunk) / KIB;
	}
	return written; /* fd stays open: the pages stay charged */
}

int main(int argc, char **argv)
{
	const char *cgroup = NULL, *limit_dir = NULL, *adj = NULL, *name = NULL;
	unsigned long long leave = 2048 * KIB, step = 64 * KIB, max = 64 * 1024 * KIB, kills0 = 0, kills;
	pid_t parent = getppid();
	char pid[32], path[4096];
	int grow = 1, exit_after = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--no-grow") == 0) {
			grow = 0;
			continue;
		}
		if (strcmp(a, "--global") == 0) {
			global = 1;
			continue;
		}
		if (strcmp(a, "--exit") == 0) {
			exit_after = 1;
			continue;
		}
		if (!v)
			usage();
		if (strcmp(a, "--cgroup") == 0)
			cgroup = v;
		else if (strcmp(a, "--limit-dir") == 0)
			limit_dir = v;
		else if (strcmp(a, "--leave-kib") == 0)
			leave = strtoull(v, NULL, 10) * KIB;
		else if (strcmp(a, "--step-kib") == 0)
			step = strtoull(v, NULL, 10) * KIB;
		else if (strcmp(a, "--max-kib") == 0)
			max = strtoull(v, NULL, 10) * KIB;
		else if (strcmp(a, "--adj") == 0)
			adj = v;
		else if (strcmp(a, "--name") == 0)
			name = v;
		else
			usage();
		i++;
	}
	if ((!cgroup && !global) || step == 0)
		usage();
	if (global && !getenv("OOMTOP_ALLOW_GLOBAL_OOM")) {
		/* a global OOM kills processes that are not the test's: only in a throwaway VM */
		fprintf(stderr, "memfill: --global needs OOMTOP_ALLOW_GLOBAL_OOM=1 (the VM test lane only)\n");
		return 2;
	}
	if (!limit_dir)
		limit_dir = cgroup;
	if (cgroup) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cgroup);
		snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
		write_file(path, pid);
	}
	if (adj)
		write_file("/proc/self/oom_score_adj", adj);
	if (name)
		prctl(PR_SET_NAME, name);

	printf("filled %lu\n", fill(limit_dir, leave));
	fflush(stdout);
	if (oom_kills(limit_dir, &kills0) < 0) {
		fprintf(stderr, "memfill: no oom_kill counter\n");
		return 1;
	}
	for (unsigned long long done = 0; grow && done < max; done += step) {
		char *p = mmap(NULL, step, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("memfill: mmap");
			return 1;
		}
		for (unsigned long long off = 0; off < step; off += 4096)
			p[off] = 1;
		if (oom_kills(limit_dir, &kills) == 0 && kills != kills0) {
			printf("oom %llu\n", kills - kills0);
			fflush(stdout);
			if (exit_after)
				return 0;
			break;
		}
	}
	if (grow && oom_kills(limit_dir, &kills) == 0 && kills == kills0) {
		printf("no-oom\n");
		fflush(stdout);
		if (exit_after)
			return 3;
	}
	for (;;)
		pause();
}
