/*
 * proc2scan: the `oomtop top -n 10` scan written with libproc2's pids
 * interface instead of oomtop's own reader, for `make bench` to measure the
 * choice.  libproc2 has no page-table size, so VmPTE is read from status a
 * second time, as oomtop would have to.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/pids.h>

enum { I_PID, I_EUID, I_STATE, I_ADJ, I_ANON, I_FILE, I_SHMEM, I_SWAP };

int main(void)
{
	enum pids_item items[] = { PIDS_ID_PID,      PIDS_ID_EUID,     PIDS_STATE,
				   PIDS_OOM_ADJ,     PIDS_VM_RSS_ANON, PIDS_VM_RSS_FILE,
				   PIDS_VM_RSS_SHARED, PIDS_VM_SWAP };
	struct pids_info *info = NULL;
	struct pids_fetch *f;
	long best[10] = { 0 };
	int best_pid[10] = { 0 };

	if (procps_pids_new(&info, items, sizeof(items) / sizeof(items[0])) < 0)
		return 3;
	f = procps_pids_reap(info, PIDS_FETCH_TASKS_ONLY);
	if (!f)
		return 3;
	for (int i = 0; i < f->counts->total; i++) {
		struct pids_stack *s = f->stacks[i];
		int pid = PIDS_VAL(I_PID, s_int, s, info);
		char path[64], buf[8192];
		long pte = 0, pts;
		ssize_t n;
		int fd;

		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			continue;
		buf[n] = '\0';
		for (char *p = buf; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
			if (sscanf(p, "VmPTE: %ld", &pte) == 1)
				break;
		pts = (long)(PIDS_VAL(I_ANON, ul_int, s, info) + PIDS_VAL(I_FILE, ul_int, s, info) +
			     PIDS_VAL(I_SHMEM, ul_int, s, info) + PIDS_VAL(I_SWAP, ul_int, s, info) + pte) / 4;
		for (int k = 0; k < 10; k++) {
			if (pts > best[k]) {
				for (int m = 9; m > k; m--) {
					best[m] = best[m - 1];
					best_pid[m] = best_pid[m - 1];
				}
				best[k] = pts;
				best_pid[k] = pid;
				break;
			}
		}
	}
	for (int k = 0; k < 10 && best_pid[k]; k++)
		printf("%d %ld\n", best_pid[k], best[k]);
	procps_pids_unref(&info);
	return 0;
}
