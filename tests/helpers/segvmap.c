/*
 * segvmap: makes the kernel log a segfault line that carries a chosen
 * text, as any unprivileged user can.  It maps a file named NAME (in DIR)
 * without PROT_EXEC and jumps into it; the instruction fetch faults, and
 * arch/x86/mm/fault.c show_signal_msg() logs "COMM[PID]: segfault at ...
 * in NAME[START+SIZE]" (print_vma_addr() prints the mapped file's name).
 * The file is removed again; the process dies of SIGSEGV (exit 139 in sh).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char path[4096];
	void (*jump)(void);
	void *map;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: segvmap DIR NAME\n");
		return 2;
	}
	if (snprintf(path, sizeof(path), "%s/%s", argv[1], argv[2]) >= (int)sizeof(path) || strchr(argv[2], '/')) {
		fprintf(stderr, "segvmap: NAME may not hold '/' and must fit a path\n");
		return 2;
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || ftruncate(fd, 4096) < 0) {
		perror("segvmap: create");
		return 1;
	}
	map = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	unlink(path); /* the mapping keeps the name the kernel prints */
	if (map == MAP_FAILED) {
		perror("segvmap: mmap");
		return 1;
	}
	jump = (void (*)(void))map;
	jump();
	return 1;
}
