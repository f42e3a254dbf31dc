/*
 * Pure parsers for the /proc files oomtop reads.  They take the bytes the
 * kernel wrote and never trust them: every field is bounded and checked.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oomtop.h"
#include "proc.h"

/* Parses an unsigned decimal at *p (skipping blanks); advances *p; 0 or -EINVAL. */
static int parse_ulong_at(const char **p, const char *end, unsigned long long *out)
{
	const char *s = *p;
	unsigned long long v = 0;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	if (s >= end || !isdigit((unsigned char)*s))
		return -EINVAL;
	while (s < end && isdigit((unsigned char)*s)) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (~0ULL - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
		s++;
	}
	*p = s;
	*out = v;
	return 0;
}

/*
 * Undoes the escaping of the Name: line into a NUL-terminated string.
 * fs/proc/array.c proc_task_name() escapes '\n' and '\\' ("\n", "\\" since
 * 5.x via seq_escape_str, as octal "\012", "\134" before that).
 */
void proc_unescape_name(const char *in, size_t len, char *out, size_t outsz)
{
	size_t i = 0, o = 0;

	if (outsz == 0)
		return;
	while (i < len && o + 1 < outsz) {
		char c = in[i];
		if (c == '\\' && i + 1 < len) {
			char n = in[i + 1];
			if (n == 'n') {
				c = '\n';
				i += 2;
			} else if (n == '\\') {
				c = '\\';
				i += 2;
			} else if (i + 3 < len && n >= '0' && n <= '3' && in[i + 2] >= '0' && in[i + 2] <= '7' &&
				   in[i + 3] >= '0' && in[i + 3] <= '7') {
				c = (char)((n - '0') * 64 + (in[i + 2] - '0') * 8 + (in[i + 3] - '0'));
				i += 4;
			} else {
				i++;
			}
		} else {
			i++;
		}
		out[o++] = c;
	}
	out[o] = '\0';
}

/* Parses a "NNN kB" value; 0 or -EINVAL. */
static int parse_kib(const char *v, const char *end, unsigned long *out)
{
	unsigned long long x;

	if (parse_ulong_at(&v, end, &x) < 0 || x > (unsigned long)-1)
		return -EINVAL;
	*out = (unsigned long)x;
	return 0;
}

/*
 * Parses the text of /proc/PID/status into st; returns 0, or -EINVAL when the
 * Name: line is missing or a field oomtop needs is malformed.
 */
int proc_parse_status(const char *buf, size_t len, struct proc_status *st)
{
	const char *p = buf, *end = buf + len;
	bool have_name = false, have_split = false, have_vmrss = false;
	unsigned long vmrss_kib = 0;
	int err = 0;

	memset(st, 0, sizeof(*st));
	st->kthread = -1;
	st->state = '?';
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *colon, *v;
		size_t klen;

		if (!eol)
			eol = end;
		colon = memchr(p, ':', (size_t)(eol - p));
		if (!colon)
			goto next;
		klen = (size_t)(colon - p);
		v = colon + 1;
		while (v < eol && (*v == '\t' || *v == ' '))
			v++;

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(p, k, sizeof(k) - 1) == 0)
		if (KEY("Name")) {
			proc_unescape_name(v, (size_t)(eol - v), st->name, sizeof(st->name));
			have_name = true;
		} else if (KEY("State")) {
			if (v < eol)
				st->state = *v;
		} else if (KEY("PPid")) {
			unsigned long long x;
			const char *q = v;
			if (parse_ulong_at(&q, eol, &x) < 0 || x > 0x7fffffff)
				err = -EINVAL;
			else
				st->ppid = (pid_t)x;
		} else if (KEY("Uid")) {
			/* real, effective, saved, fs (fs/proc/array.c task_state()) */
			unsigned long long real, eff, saved;
			const char *q = v;
			if (parse_ulong_at(&q, eol, &real) < 0 || parse_ulong_at(&q, eol, &eff) < 0 ||
			    real > 0xffffffffULL || eff > 0xffffffffULL) {
				err = -EINVAL;
			} else {
				st->uid = (uid_t)eff;
				st->ruid = (uid_t)real;
				/* an older or hand-made status may stop after two: saved is then the effective */
				st->suid = parse_ulong_at(&q, eol, &saved) == 0 && saved <= 0xffffffffULL ? (uid_t)saved
													  : (uid_t)eff;
			}
		} else if (KEY("CapEff")) {
			/* 16 hex digits (fs/proc/array.c render_cap_t()); CAP_SYS_ADMIN is bit 21 */
			unsigned long long caps = 0;
			const char *q = v;
			int digits = 0;
			for (; q < eol && digits < 16 && isxdigit((unsigned char)*q); q++, digits++)
				caps = caps << 4 |
				       (unsigned long long)(isdigit((unsigned char)*q) ? *q - '0'
										       : (*q | 0x20) - 'a' + 10);
			if (digits > 0 && (q == eol || !isxdigit((unsigned char)*q)))
				st->cap_sys_admin = (caps >> 21) & 1;
		} else if (KEY("Kthread")) {
			st->kthread = (v < eol && *v == '1');
		} else if (KEY("VmSize")) {
			st->has_mm = true;
		} else if (KEY("Threads")) {
			unsigned long long x;
			const char *q = v;
			if (parse_ulong_at(&q, eol, &x) == 0 && x <= 0x7fffffff)
				st->threads = (int)x;
		} else if (KEY("VmRSS")) {
			err |= parse_kib(v, eol, &vmrss_kib);
			have_vmrss = true;
		} else if (KEY("RssAnon")) {
			err |= parse_kib(v, eol, &st->anon_kib);
			have_split = true;
		} else if (KEY("RssFile")) {
			err |= parse_kib(v, eol, &st->file_kib);
			have_split = true;
		} else if (KEY("RssShmem")) {
			err |= parse_kib(v, eol, &st->shmem_kib);
			have_split = true;
		} else if (KEY("VmSwap")) {
			err |= parse_kib(v, eol, &st->swap_kib);
		} else if (KEY("VmPTE")) {
			err |= parse_kib(v, eol, &st->pte_kib);
		}
#undef KEY
	next:
		p = eol + 1;
	}
	if (!have_name || err)
		return -EINVAL;
	/*
	 * Before 4.5 status has no Rss* lines (fs/proc/task_mmu.c task_mem()): VmRSS is
	 * then get_mm_rss(), the anon and file pages oom_badness() counts, and
	 * stands in for them as anonymous memory.
	 */
	if (!have_split) {
		st->anon_kib = vmrss_kib;
		st->rss_vmrss = have_vmrss;
	}
	return 0;
}

/*
 * Parses the text of /proc/PID/stat into st; returns 0 or -EINVAL.  The comm
 * field may hold any byte, ')' and spaces included, so it ends at the last ')'.
 */
int proc_parse_stat(const char *buf, size_t len, struct proc_stat *st)
{
	const char *open = memchr(buf, '(', len);
	const char *close = NULL, *p, *end = buf + len;
	unsigned long long field[20];
	size_t clen;

	memset(st, 0, sizeof(*st));
	if (!open)
		return -EINVAL;
	for (p = end; p > open; p--) {
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	}
	if (!close)
		return -EINVAL;
	clen = (size_t)(close - open - 1);
	if (clen >= sizeof(st->comm))
		clen = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, clen);
	st->comm[clen] = '\0';

	p = close + 1;
	while (p < end && *p == ' ')
		p++;
	if (p >= end)
		return -EINVAL;
	st->state = *p++;
	/* fields 4..22 of proc(5): ppid ... starttime; some may be negative */
	for (int i = 1; i < 20; i++) {
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p == '-')
			p++;
		if (parse_ulong_at(&p, end, &field[i]) < 0)
			return -EINVAL;
	}
	st->ppid = (pid_t)field[1];
	st->flags = (unsigned long)field[6];
	st->start_ticks = field[19];
	/* fields 23 (vsize) and 24 (rss), present since 2.6 but optional here */
	unsigned long long vsize, rss;
	while (p < end && *p == ' ')
		p++;
	if (parse_ulong_at(&p, end, &vsize) == 0) {
		while (p < end && *p == ' ')
			p++;
		if (p < end && *p != '-' && parse_ulong_at(&p, end, &rss) == 0 && rss <= (unsigned long)-1) {
			st->rss_pages = (unsigned long)rss;
			st->has_rss = true;
		}
	}
	return 0;
}

/*
 * Parses a file that holds one decimal integer and a newline (oom_score,
 * oom_score_adj, oom_adj); 0, or -EINVAL/-ERANGE.
 */
int proc_parse_long(const char *buf, size_t len, long min, long max, long *out)
{
	char tmp[32];
	char *endp;
	long v;

	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
		len--;
	if (len == 0 || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	errno = 0;
	v = strtol(tmp, &endp, 10);
	if (*endp != '\0' || endp == tmp || isspace((unsigned char)tmp[0]))
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * Turns the NUL-separated argv of /proc/PID/cmdline into one line in place:
 * trailing NULs are dropped and the others become spaces; returns the length.
 */
size_t proc_join_cmdline(char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] == '\0')
		len--;
	for (size_t i = 0; i < len; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	return len;
}

/*
 * Returns whether the OOM killer of the kernel release (uname -r) counts rss
 * with the approximate per-cpu counters that /proc/PID/stat shows, rather
 * than the exact sums of /proc/PID/status: mm rss became a percpu_counter in
 * 6.2 (commit f1a7941243c1), status sums it exactly since 6.16 (commit
 * 82241a83cd15) and oom_badness() since 6.19 (commit 5898aa8f9a0b).  Before
 * 6.16 both files show the same numbers, so reading stat is only needed from
 * 6.16 to 6.18, but it is right from 6.2 on.  An unparsable release is
 * taken as a new kernel.
 */
bool proc_kernel_counts_approx(const char *release)
{
	unsigned long long major, minor;
	const char *p = release, *end = release + strlen(release);

	if (parse_ulong_at(&p, end, &major) < 0 || p >= end || *p != '.')
		return false;
	p++;
	if (parse_ulong_at(&p, end, &minor) < 0)
		return false;
	if (major != 6)
		return false;
	return minor >= 2 && minor < 19;
}

/*
 * Returns how far (in pages) the OOM killer's count of a process may be from
 * the exact one while it reads the approximate counters: each of the four
 * counters it adds (file, anon, shmem, swap) keeps up to one batch per cpu
 * unflushed, and the batch is max(32, 2 * cpus) (lib/percpu_counter.c
 * compute_batch_value()).
 */
unsigned long proc_count_error_pages(long ncpus)
{
	unsigned long cpus = ncpus > 0 ? (unsigned long)ncpus : 1;
	unsigned long batch = 2 * cpus > 32 ? 2 * cpus : 32;

	return 4 * batch * cpus;
}

/*
 * Converts a record's counters into the pages oom_badness() counts: rss from
 * status, or where the kernel counts with the approximate counters and they
 * were read (PROC_HAVE_KRSS), from those.
 */
void proc_badness_mem(const struct proc_record *rec, unsigned long page_kib, struct badness_mem *mem)
{
	mem->rss_pages = (rec->anon_kib + rec->file_kib + rec->shmem_kib) / page_kib;
	if (rec->known & PROC_HAVE_KRSS)
		mem->rss_pages = rec->kernel_rss_pages;
	mem->swap_pages = rec->swap_kib / page_kib;
	/* VmPTE is pgtables_bytes >> 10; pgtables are whole pages, so this is exact */
	mem->pgtables_pages = rec->pte_kib / page_kib;
}

/* Fills what every generation's oom_badness() reads of a record: its memory, oom_score_adj, CAP_SYS_ADMIN. */
void proc_badness_task(const struct proc_record *rec, unsigned long page_kib, struct badness_task *task)
{
	proc_badness_mem(rec, page_kib, &task->mem);
	task->oom_score_adj = rec->oom_score_adj;
	task->cap_sys_admin = rec->cap_sys_admin;
}

/*
 * Returns why the OOM killer will never choose rec, or PROC_KILLABLE.
 * mm/oom_kill.c: oom_unkillable_task() (global init, PF_KTHREAD), then
 * find_lock_task_mm() (no mm left) and OOM_SCORE_ADJ_MIN in oom_badness().
 */
enum proc_unkillable proc_unkillable(const struct proc_record *rec)
{
	if (!(rec->known & PROC_HAVE_STATUS))
		return PROC_UNK_UNKNOWN;
	if (rec->global_init)
		return PROC_UNK_INIT;
	if (rec->kthread)
		return PROC_UNK_KTHREAD;
	if (!rec->has_mm)
		return PROC_UNK_NO_MM;
	if (!(rec->known & PROC_HAVE_ADJ))
		return PROC_UNK_UNKNOWN;
	if (rec->oom_score_adj <= OOM_SCORE_ADJ_MIN)
		return PROC_UNK_ADJ_MIN;
	return PROC_KILLABLE;
}

/* Returns a short phrase for an unkillable reason, or "" for PROC_KILLABLE. */
const char *proc_unkillable_text(enum proc_unkillable why)
{
	switch (why) {
	case PROC_KILLABLE:
		return "";
	case PROC_UNK_INIT:
		return "init (pid 1)";
	case PROC_UNK_KTHREAD:
		return "kernel thread";
	case PROC_UNK_NO_MM:
		return "no memory (zombie or exiting)";
	case PROC_UNK_ADJ_MIN:
		return "oom_score_adj -1000";
	case PROC_UNK_KERNEL:
		return "kernel reports 0 (vfork child or already reaped)";
	case PROC_UNK_UNKNOWN:
		break;
	}
	return "unknown (not readable)";
}
