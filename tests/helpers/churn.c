/*
 * churn: creates and kills processes as fast as it can until it is killed
 * (or its parent dies), so that scans meet processes that vanish midway.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	pid_t parent = getppid();
	unsigned long spawned = 0;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return 1;
	pid_t self = getpid();

	printf("ready %d\n", (int)self);
	fflush(stdout);
	for (;;) {
		pid_t kids[16];
		for (int i = 0; i < 16; i++) {
			kids[i] = fork();
			if (kids[i] == 0) {
				prctl(PR_SET_PDEATHSIG, SIGKILL);
				if (getppid() != self)
					_exit(0); /* churn died before the prctl */
				if (i % 2)
					_exit(0); /* some exit at once, some are killed */
				pause();
				_exit(0);
			}
		}
		for (int i = 0; i < 16; i++) {
			if (kids[i] > 0) {
				kill(kids[i], SIGKILL);
				waitpid(kids[i], NULL, 0);
				spawned++;
			}
		}
	}
}
