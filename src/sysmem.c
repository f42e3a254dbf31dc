/*
 * Machine-wide memory figures: /proc/meminfo, /proc/vmstat, the vm sysctls
 * (Documentation/admin-guide/sysctl/vm.rst) and the memory pressure of
 * /proc/pressure/memory (Documentation/accounting/psi.rst, 4.20+), each
 * read through sysroot.c and parsed by a pure function here.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysmem.h"
#include "sysroot.h"

#define MEMINFO_MAX 16384 /* /proc/meminfo is ~1.5 KiB */
#define VMSTAT_MAX 65536  /* /proc/vmstat is ~5 KiB */
#define PSI_MAX 512       /* two lines of at most ~80 bytes */

/*
 * Returns the pages of the global OOM domain: totalram_pages() +
 * total_swap_pages (mm/oom_kill.c constrained_alloc()); /proc/meminfo shows
 * both in KiB as MemTotal and SwapTotal.
 */
unsigned long sysmem_totalpages(unsigned long mem_total_kib, unsigned long swap_total_kib, unsigned long page_kib)
{
	return mem_total_kib / page_kib + swap_total_kib / page_kib;
}

/* Parses the decimal digits [p, end) into *out; 0, or -EINVAL when there are none or they overflow. */
static int parse_digits(const char *p, const char *end, unsigned long long *out)
{
	unsigned long long v = 0;

	if (p == end)
		return -EINVAL;
	for (; p < end; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (*p < '0' || *p > '9' || v > (~0ULL - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * Finds the line "KEY<sep>  VALUE[ kB]" of a flat keyed file (meminfo's sep
 * is ':', vmstat's ' ') and parses VALUE into *out; 0, -ENOENT when no line
 * has that key, -EINVAL when its value is not a number.
 */
int sysmem_parse_key(const char *buf, size_t len, const char *key, char sep, unsigned long long *out)
{
	const char *p = buf, *end = buf + len;
	size_t kl = strlen(key);

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if ((size_t)(eol - p) > kl && memcmp(p, key, kl) == 0 && p[kl] == sep) {
			const char *v = p + kl + 1, *ve;
			while (v < eol && *v == ' ')
				v++;
			for (ve = v; ve < eol && *ve >= '0' && *ve <= '9'; ve++)
				;
			if (ve < eol && !(eol - ve == 3 && memcmp(ve, " kB", 3) == 0))
				return -EINVAL;
			return parse_digits(v, ve, out);
		}
		p = eol + 1;
	}
	return -ENOENT;
}

/* Returns the KiB of one /proc/meminfo field, 0 when it is missing or malformed. */
static unsigned long meminfo_kib(const char *buf, size_t len, const char *key)
{
	unsigned long long v;

	return sysmem_parse_key(buf, len, key, ':', &v) == 0 ? (unsigned long)v : 0;
}

/*
 * Fills the figures of m from the text of /proc/meminfo (m->page_kib must
 * be set); 0, or -ENODATA without a MemTotal.  Before 3.14 there is no
 * MemAvailable: MemFree stands in for it, as in procps.
 */
int sysmem_parse_meminfo(const char *buf, size_t len, struct sysmem *m)
{
	unsigned long long v;

	m->mem_total_kib = meminfo_kib(buf, len, "MemTotal");
	m->mem_free_kib = meminfo_kib(buf, len, "MemFree");
	m->mem_available_kib =
		sysmem_parse_key(buf, len, "MemAvailable", ':', &v) == 0 ? (unsigned long)v : m->mem_free_kib;
	m->swap_total_kib = meminfo_kib(buf, len, "SwapTotal");
	m->swap_free_kib = meminfo_kib(buf, len, "SwapFree");
	m->commit_limit_kib = meminfo_kib(buf, len, "CommitLimit");
	m->committed_as_kib = meminfo_kib(buf, len, "Committed_AS");
	if (m->mem_total_kib == 0 || m->page_kib == 0)
		return -ENODATA;
	m->totalpages = sysmem_totalpages(m->mem_total_kib, m->swap_total_kib, m->page_kib);
	return 0;
}

/* Fills m from /proc/meminfo; 0 or -errno. */
int sysmem_read(struct sysmem *m)
{
	char buf[MEMINFO_MAX];
	long pagesize = sysconf(_SC_PAGESIZE);
	ssize_t n;

	memset(m, 0, sizeof(*m));
	m->page_kib = pagesize > 0 ? (unsigned long)pagesize / 1024 : 4;
	n = sysroot_read("/proc/meminfo", buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return sysmem_parse_meminfo(buf, (size_t)n, m);
}

/* Reads the count of OOM kills since boot (/proc/vmstat oom_kill, 4.13+); 0 or -errno (-ENODATA: none). */
int sysmem_oom_kills(unsigned long *count)
{
	char *buf;
	size_t len;
	unsigned long long v;
	int err = sysroot_read_whole("/proc/vmstat", VMSTAT_MAX, &buf, &len);

	if (err < 0)
		return err;
	err = sysmem_parse_key(buf, len, "oom_kill", ' ', &v);
	free(buf);
	if (err < 0)
		return -ENODATA;
	*count = (unsigned long)v;
	return 0;
}

/* Reads the integer sysctl /proc/sys/vm/NAME; its value (0 or more), or -1 when it cannot be read or parsed. */
long sysmem_vm_sysctl(const char *name)
{
	char path[64];
	long v;

	if (snprintf(path, sizeof(path), "/proc/sys/vm/%s", name) >= (int)sizeof(path))
		return -1;
	return sysroot_read_long(path, 0, LONG_MAX, &v) == 0 ? v : -1;
}

/* Parses a PSI average, "%lu.%02lu" of a percentage (kernel/sched/psi.c psi_show()), at most 100; 0 or -EINVAL. */
static int parse_avg(const char *p, const char *end, double *out)
{
	unsigned long long whole, frac = 0;
	const char *dot = memchr(p, '.', (size_t)(end - p));
	double scale = 1;

	if (parse_digits(p, dot ? dot : end, &whole) < 0 || whole > 100)
		return -EINVAL;
	if (dot) {
		if (end - dot - 1 > 6 || parse_digits(dot + 1, end, &frac) < 0)
			return -EINVAL;
		for (const char *q = dot + 1; q < end; q++)
			scale *= 10;
	}
	*out = (double)whole + (double)frac / scale;
	return *out > 100.0 ? -EINVAL : 0;
}

/* Parses "avg10=A avg60=B avg300=C total=T", the kernel's fields in its order, at [p, end); 0 or -EINVAL. */
static int parse_psi_line(const char *p, const char *end, struct psi_line *l)
{
	static const char *const keys[4] = { "avg10=", "avg60=", "avg300=", "total=" };
	double *avgs[3] = { &l->avg10, &l->avg60, &l->avg300 };

	for (int i = 0; i < 4; i++) {
		size_t kl = strlen(keys[i]);
		const char *v, *ve;
		while (p < end && *p == ' ')
			p++;
		if ((size_t)(end - p) < kl || memcmp(p, keys[i], kl) != 0)
			return -EINVAL;
		v = p + kl;
		ve = memchr(v, ' ', (size_t)(end - v));
		if (!ve)
			ve = end;
		if (i < 3 ? parse_avg(v, ve, avgs[i]) < 0 : parse_digits(v, ve, &l->total_us) < 0)
			return -EINVAL;
		p = ve;
	}
	while (p < end && *p == ' ')
		p++;
	return p == end ? 0 : -EINVAL;
}

/*
 * Parses /proc/pressure/memory: a "some" line and, since 4.20 for memory
 * (5.13 for cpu), a "full" line, each "avg10=X avg60=Y avg300=Z total=N"
 * (kernel/sched/psi.c psi_show()).  0 when the "some" line parsed; -EINVAL
 * when it is missing or either line is malformed.
 */
int sysmem_psi_parse(const char *buf, size_t len, struct psi *out)
{
	const char *p = buf, *end = buf + len;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		if (!eol)
			eol = end;
		if (eol - p >= 5 && memcmp(p, "some ", 5) == 0) {
			if (parse_psi_line(p + 5, eol, &out->some) < 0)
				return -EINVAL;
			out->have_some = true;
		} else if (eol - p >= 5 && memcmp(p, "full ", 5) == 0) {
			if (parse_psi_line(p + 5, eol, &out->full) < 0)
				return -EINVAL;
			out->have_full = true;
		}
		p = eol + 1;
	}
	if (!out->have_some) {
		memset(out, 0, sizeof(*out));
		return -EINVAL;
	}
	return 0;
}

/* Reads the memory pressure (/proc/pressure/memory) into out; 0 or -errno (-ENOENT: no PSI in this kernel). */
int sysmem_psi_read(struct psi *out)
{
	char buf[PSI_MAX];
	ssize_t n = sysroot_read("/proc/pressure/memory", buf, sizeof(buf));

	memset(out, 0, sizeof(*out));
	if (n < 0)
		return (int)n;
	return sysmem_psi_parse(buf, (size_t)n, out);
}
