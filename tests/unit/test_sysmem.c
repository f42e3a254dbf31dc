/*
 * Unit tests of src/sysmem.c: the meminfo, vmstat and PSI parsers, and the
 * readers on the fixture trees tests/corpus/root/v1 and v2 (sysroot_set()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sysmem.h"
#include "sysroot.h"

static void test_psi(void **state)
{
	(void)state;
	struct psi p;
	const char ok[] = "some avg10=1.50 avg60=0.25 avg300=0.00 total=4103517\n"
			  "full avg10=0.75 avg60=0.00 avg300=0.01 total=822228\n";
	assert_int_equal(sysmem_psi_parse(ok, strlen(ok), &p), 0);
	assert_true(p.have_some && p.have_full);
	assert_true(p.some.avg10 == 1.50 && p.some.avg60 == 0.25);
	assert_int_equal(p.some.total_us, 4103517);
	assert_true(p.full.avg300 == 0.01);
	/* before 5.13 the cpu file had no full line; memory always had it, but accept its absence */
	const char some[] = "some avg10=0.00 avg60=0.00 avg300=0.00 total=0";
	assert_int_equal(sysmem_psi_parse(some, strlen(some), &p), 0);
	assert_false(p.have_full);
	const char *bad[] = { "",
			      "\n",
			      "garbage\n",
			      "some avg10=1 avg60=2\n",
			      "some avg10=x avg60=0 avg300=0 total=0\n",
			      "some avg10=1 avg60=2 avg300=3 total=4 extra=5\n",
			      "full avg10=1 avg60=2 avg300=3 total=4\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sysmem_psi_parse(bad[i], strlen(bad[i]), &p), -EINVAL);
	/* a line longer than any real one is refused */
	char longl[600] = "some avg10=0.00 avg60=0.00 avg300=0.00 total=";
	memset(longl + strlen(longl), '9', 400);
	assert_int_equal(sysmem_psi_parse(longl, strlen(longl), &p), -EINVAL);
}

/* The cases the live view's copy of the parser had (tests/unit/test_tui.c before the two became one). */
static void test_psi_view(void **state)
{
	struct psi p;
	(void)state;
	const char ok[] = "some avg10=1.25 avg60=0.50 avg300=0.02 total=22201\n"
			  "full avg10=0.75 avg60=0.00 avg300=0.01 total=5043\n";
	assert_int_equal(sysmem_psi_parse(ok, strlen(ok), &p), 0);
	assert_true(p.some.avg10 == 1.25 && p.some.avg60 == 0.5 && p.some.avg300 == 0.02);
	assert_true(p.full.avg10 == 0.75 && p.full.avg300 == 0.01);
	/* no "full" line (cpu has none; memory has had it since 4.20) */
	const char some_only[] = "some avg10=3.00 avg60=2.00 avg300=1.00 total=7\n";
	assert_int_equal(sysmem_psi_parse(some_only, strlen(some_only), &p), 0);
	assert_true(p.some.avg10 == 3.0 && p.full.avg10 == 0.0);
	/* without the final newline (a short read) */
	assert_int_equal(sysmem_psi_parse(ok, strlen(ok) - 1, &p), 0);
	const char *bad[] = {
		"",
		"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n",
		"some avg10=x avg60=0.00 avg300=0.00 total=0\n",
		"some avg10=0.00 avg300=0.00 total=0\n",
		"some avg10=100.01 avg60=0 avg300=0 total=0\n",
		"some avg10=",
		"some\n",
		/* a malformed full line is refused as a malformed some line is */
		"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\nfull avg10=inf avg60=0 avg300=0 total=0\n",
		"some avg10=0x1p3 avg60=0.00 avg300=0.00 total=0\n",
		"some avg10=-1.00 avg60=0.00 avg300=0.00 total=0\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(sysmem_psi_parse(bad[i], strlen(bad[i]), &p), -EINVAL);
}

static void test_parse_key(void **state)
{
	(void)state;
	unsigned long long v;
	const char mi[] = "MemTotal:       24683584 kB\nMemFree:        22873444 kB\nHugePages_Total:       0\n"
			  "MemTotalX:  1 kB\nBad:   12x kB\n";
	assert_int_equal(sysmem_parse_key(mi, strlen(mi), "MemTotal", ':', &v), 0);
	assert_int_equal(v, 24683584);
	assert_int_equal(sysmem_parse_key(mi, strlen(mi), "HugePages_Total", ':', &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sysmem_parse_key(mi, strlen(mi), "Mem", ':', &v), -ENOENT);
	assert_int_equal(sysmem_parse_key(mi, strlen(mi), "Bad", ':', &v), -EINVAL);
	const char vm[] = "nr_free_pages 1\noom_kill_x 5\noom_kill 17\n";
	assert_int_equal(sysmem_parse_key(vm, strlen(vm), "oom_kill", ' ', &v), 0);
	assert_int_equal(v, 17);
	const char huge[] = "oom_kill 99999999999999999999999\n";
	assert_int_equal(sysmem_parse_key(huge, strlen(huge), "oom_kill", ' ', &v), -EINVAL);
}

/* The v1 fixture: 4000000 kB of RAM and 1000000 kB of swap, overcommit heuristic, 3 OOM kills. */
static void test_read_v1(void **state)
{
	(void)state;
	struct sysmem m;
	struct psi p;
	unsigned long kills = 0;

	assert_int_equal(sysroot_set("tests/corpus/root/v1"), 0);
	assert_int_equal(sysmem_read(&m), 0);
	assert_int_equal(m.mem_total_kib, 4000000);
	assert_int_equal(m.mem_available_kib, 3200000);
	assert_int_equal(m.swap_total_kib, 1000000);
	assert_int_equal(m.swap_free_kib, 900000);
	assert_int_equal(m.commit_limit_kib, 3000000);
	assert_int_equal(m.committed_as_kib, 2800000);
	/* totalram_pages() + total_swap_pages */
	assert_int_equal(m.totalpages, 4000000 / m.page_kib + 1000000 / m.page_kib);
	assert_int_equal(sysmem_oom_kills(&kills), 0);
	assert_int_equal(kills, 3);
	assert_int_equal(sysmem_vm_sysctl("overcommit_memory"), 0);
	assert_int_equal(sysmem_vm_sysctl("overcommit_ratio"), 50);
	assert_int_equal(sysmem_vm_sysctl("oom_dump_tasks"), 1);
	assert_int_equal(sysmem_vm_sysctl("swappiness"), 60);
	assert_int_equal(sysmem_vm_sysctl("no_such_sysctl"), -1);
	assert_int_equal(sysmem_vm_sysctl("../../meminfo"), -1);
	assert_int_equal(sysmem_psi_read(&p), 0);
	assert_true(p.have_full && p.some.avg10 == 1.50);
	assert_int_equal(sysroot_set(NULL), 0);
}

/* The v2 fixture: no swap, a kernel without MemAvailable (before 3.14), oom_kill (before 4.13) or PSI. */
static void test_read_v2(void **state)
{
	(void)state;
	struct sysmem m;
	struct psi p;
	unsigned long kills = 0;

	assert_int_equal(sysroot_set("tests/corpus/root/v2"), 0);
	assert_int_equal(sysmem_read(&m), 0);
	assert_int_equal(m.mem_total_kib, 2000000);
	assert_int_equal(m.mem_available_kib, 1500000); /* MemFree stands in */
	assert_int_equal(m.swap_total_kib, 0);
	assert_int_equal(m.totalpages, 2000000 / m.page_kib);
	assert_int_equal(sysmem_oom_kills(&kills), -ENODATA);
	assert_int_equal(sysmem_vm_sysctl("overcommit_memory"), 2);
	assert_int_equal(sysmem_vm_sysctl("panic_on_oom"), 1);
	assert_int_equal(sysmem_psi_read(&p), -ENOENT);
	assert_false(p.have_some);
	assert_int_equal(sysroot_set(NULL), 0);
}

/* A tree without /proc/meminfo, and the parser's refusal of a meminfo without MemTotal. */
static void test_missing(void **state)
{
	(void)state;
	struct sysmem m = { .page_kib = 4 };
	const char none[] = "MemFree: 1 kB\n";

	assert_int_equal(sysmem_parse_meminfo(none, strlen(none), &m), -ENODATA);
	assert_int_equal(sysroot_set("tests/corpus/root/v1/sys"), 0);
	assert_int_equal(sysmem_read(&m), -ENOENT);
	assert_int_equal(sysroot_set(NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psi),     cmocka_unit_test(test_psi_view), cmocka_unit_test(test_parse_key),
		cmocka_unit_test(test_read_v1), cmocka_unit_test(test_read_v2),  cmocka_unit_test(test_missing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
