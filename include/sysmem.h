/* The machine's memory totals (/proc/meminfo, /proc/vmstat), the vm sysctls and the memory pressure. */
#ifndef OOMTOP_SYSMEM_H
#define OOMTOP_SYSMEM_H

#include <stdbool.h>
#include <stddef.h>

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

/* One line of /proc/pressure/memory. */
struct psi_line {
	double avg10, avg60, avg300; /* percent */
	unsigned long long total_us;
};

struct psi {
	bool have_some, have_full;
	struct psi_line some, full;
};

int sysmem_parse_key(const char *buf, size_t len, const char *key, char sep, unsigned long long *out);
int sysmem_parse_meminfo(const char *buf, size_t len, struct sysmem *m);
int sysmem_psi_parse(const char *buf, size_t len, struct psi *out);
int sysmem_psi_read(struct psi *out);
int sysmem_read(struct sysmem *m);
int sysmem_oom_kills(unsigned long *count);
long sysmem_vm_sysctl(const char *name);
unsigned long sysmem_totalpages(unsigned long mem_total_kib, unsigned long swap_total_kib, unsigned long page_kib);

#endif
