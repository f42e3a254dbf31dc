/*
 * adjhold: identifies a process through the writer (adj_open), says so, and
 * writes its value only when a line arrives on stdin; so a test can let the
 * process exit and its PID be taken between the two.  Prints the writer's
 * line (adjfmt_result) and exits 0 when the write succeeded, 1 when it did not,
 * 2 when the process could not be identified at all.
 * usage: adjhold PID VALUE [START_TICKS]
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "adj.h"
#include "adjfmt.h"

int main(int argc, char **argv)
{
	struct adj_request req = { .unit = ADJ_SCORE, .cmd = "adjhold" };
	struct adj_result res;
	struct adj_proc *p = NULL;
	struct strbuf sb = STRBUF_INIT;
	char line[64];
	pid_t pid;
	int err;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: adjhold PID VALUE [START_TICKS]\n");
		return 2;
	}
	pid = (pid_t)atoi(argv[1]);
	req.value = atoi(argv[2]);
	if (argc == 4) {
		/* identity by pid and start time only, as a caller holding a scan would */
		printf("held %d\n", (int)pid);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 2;
		err = adj_set_pid(pid, strtoull(argv[3], NULL, 10), &req, &res);
	} else {
		err = adj_open(pid, 0, &p);
		if (err < 0) {
			fprintf(stderr, "adjhold: cannot identify %d: %d\n", (int)pid, err);
			return 2;
		}
		printf("held %d start %llu\n", (int)pid, adj_proc_ident(p)->start_ticks);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 2;
		err = adj_set(p, &req, &res);
		adj_close(p);
	}
	adjfmt_result(&sb, &res, false);
	printf("%s\n", sb_str(&sb));
	sb_free(&sb);
	return err < 0 ? 1 : 0;
}
