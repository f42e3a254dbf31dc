/* Machine-wide memory figures, read through libproc2 (procps-ng 4). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libproc2/meminfo.h>
#include <libproc2/vmstat.h>

#include "sysmem.h"

/*
 * Returns the pages of the global OOM domain: totalram_pages() +
 * total_swap_pages (mm/oom_kill.c constrained_alloc()); /proc/meminfo shows
 * both in KiB as MemTotal and SwapTotal.
 */
unsigned long sysmem_totalpages(unsigned long mem_total_kib, unsigned long swap_total_kib, unsigned long page_kib)
{
	return mem_total_kib / page_kib + swap_total_kib / page_kib;
}

/* Fills m from /proc/meminfo and /proc/vmstat; 0 or -errno. */
int sysmem_read(struct sysmem *m)
{
	struct meminfo_info *mi = NULL;
	long pagesize = sysconf(_SC_PAGESIZE);
	int err;

	memset(m, 0, sizeof(*m));
	m->page_kib = pagesize > 0 ? (unsigned long)pagesize / 1024 : 4;
	err = procps_meminfo_new(&mi);
	if (err < 0)
		return err;
	m->mem_total_kib = MEMINFO_GET(mi, MEMINFO_MEM_TOTAL, ul_int);
	m->mem_free_kib = MEMINFO_GET(mi, MEMINFO_MEM_FREE, ul_int);
	m->mem_available_kib = MEMINFO_GET(mi, MEMINFO_MEM_AVAILABLE, ul_int);
	m->swap_total_kib = MEMINFO_GET(mi, MEMINFO_SWAP_TOTAL, ul_int);
	m->swap_free_kib = MEMINFO_GET(mi, MEMINFO_SWAP_FREE, ul_int);
	m->commit_limit_kib = MEMINFO_GET(mi, MEMINFO_MEM_COMMIT_LIMIT, ul_int);
	m->committed_as_kib = MEMINFO_GET(mi, MEMINFO_MEM_COMMITTED_AS, ul_int);
	procps_meminfo_unref(&mi);
	if (m->mem_total_kib == 0)
		return -ENODATA;
	m->totalpages = sysmem_totalpages(m->mem_total_kib, m->swap_total_kib, m->page_kib);
	return 0;
}

/* Reads the count of OOM kills since boot (/proc/vmstat oom_kill, 4.13+); 0 or -errno. */
int sysmem_oom_kills(unsigned long *count)
{
	struct vmstat_info *vi = NULL;
	struct vmstat_result *r;
	int err = procps_vmstat_new(&vi);

	if (err < 0)
		return err;
	r = procps_vmstat_get(vi, VMSTAT_OOM_KILL);
	if (r)
		*count = r->result.ul_int;
	procps_vmstat_unref(&vi);
	return r ? 0 : -ENODATA;
}

/* Reads the integer sysctl /proc/sys/vm/NAME; its value (0 or more), or -1 when it cannot be read or parsed. */
long sysmem_vm_sysctl(const char *name)
{
	char path[64], buf[32], *end;
	ssize_t n;
	long v;
	int fd;

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	errno = 0;
	v = strtol(buf, &end, 10);
	if (end == buf || (*end && *end != '\n') || errno || v < 0)
		return -1;
	return v;
}
