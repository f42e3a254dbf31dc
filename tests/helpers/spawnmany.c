/*
 * spawnmany N [MIN_KIB MAX_KIB]: starts N idle children, child i touching
 * (i % 128 + 1) pages of its own memory, or with MIN_KIB and MAX_KIB an
 * amount spread evenly over that range (16 2048: "touched 16 KiB to 2 MiB"),
 * prints "ready N" and waits; the children die with it.  It is the process
 * population of `make bench`.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 5000;
	long min_kib = argc > 3 ? strtol(argv[2], NULL, 10) : 0, max_kib = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
	long page = sysconf(_SC_PAGESIZE);
	pid_t self = getpid();

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	for (long i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0) {
			perror("spawnmany: fork");
			return 1;
		}
		if (pid == 0) {
			size_t len = (size_t)(i % 128 + 1) * (size_t)page;
			if (max_kib > min_kib && min_kib > 0)
				/* a stride coprime to most ranges: neighbours in pid order differ in size */
				len = (size_t)(min_kib + (i * 7919) % (max_kib - min_kib + 1)) * 1024;
			char *p;
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() != self)
				_exit(0);
			p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (p != MAP_FAILED)
				memset(p, 1, len);
			for (;;)
				pause();
		}
	}
	printf("ready %ld\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
