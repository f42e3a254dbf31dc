/* The machine's memory totals, through libproc2's meminfo and vmstat interfaces. */
#ifndef OOMTOP_SYSMEM_H
#define OOMTOP_SYSMEM_H

struct sysmem {
	unsigned long page_kib; /* PAGE_SIZE in KiB */
	unsigned long mem_total_kib;
	unsigned long mem_free_kib;
	unsigned long mem_available_kib;
	unsigned long swap_total_kib;
	unsigned long swap_free_kib;
	unsigned long commit_limit_kib;
	unsigned long committed_as_kib;
	unsigned long totalpages; /* RAM + swap in pages: the global OOM domain */
};

int sysmem_read(struct sysmem *m);
int sysmem_oom_kills(unsigned long *count);
long sysmem_vm_sysctl(const char *name);
unsigned long sysmem_totalpages(unsigned long mem_total_kib, unsigned long swap_total_kib, unsigned long page_kib);

#endif
