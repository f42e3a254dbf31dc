/*
 * vmshare: a process and a child that shares its memory (clone CLONE_VM
 * without CLONE_THREAD: two processes, one mm), so a test can see the kernel
 * write oom_score_adj to both.  Prints "ready PARENT CHILD" and waits; both
 * die with the test.
 */
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

static char stack[256 * 1024];

/* The child: dies with its parent, waits. */
static int child(void *arg)
{
	(void)arg;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	prctl(PR_SET_NAME, "vmshare-child");
	for (;;)
		pause();
	return 0;
}

int main(void)
{
	pid_t parent = getppid(), pid;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return 1;
	pid = clone(child, stack + sizeof(stack), CLONE_VM | SIGCHLD, NULL);
	if (pid < 0) {
		perror("vmshare: clone");
		return 1;
	}
	printf("ready %d %d\n", (int)getpid(), (int)pid);
	fflush(stdout);
	for (;;)
		pause();
}
