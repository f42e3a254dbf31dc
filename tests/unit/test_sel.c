/* Unit tests of the pgrep-like selection (src/sel.c): the decision, the safety rules, the report. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oomtop.h"
#include "sel.h"
#include "strbuf.h"

/* Builds and compiles a rule of one pattern with the given flags. */
static void rule(struct sel_rule *r, const char *pattern, bool full, bool exact, bool icase)
{
	struct strbuf err = STRBUF_INIT;
	sel_rule_init(r);
	if (pattern)
		sel_rule_add_pattern(r, pattern);
	r->full = full;
	r->exact = exact;
	r->icase = icase;
	assert_int_equal(sel_compile(r, NULL, &err), 0);
	sb_free(&err);
}

/* A user process named comm with command line cmdline. */
static struct sel_subject subject(const char *comm, const char *cmdline)
{
	struct sel_subject s = { .ruid = 0, .comm = comm, .cmdline = cmdline, .exe_match = -1 };
	return s;
}

static void test_name_and_cmdline(void **state)
{
	(void)state;
	struct sel_rule r;
	struct sel_subject sshd = subject("sshd", "sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups");
	struct sel_subject shell = subject("bash", "bash -c pgrep -f sshd");

	/* by default the regex looks at the name only, anywhere in it */
	rule(&r, "ssh", false, false, false);
	assert_int_equal(sel_decide(&r, &sshd), SEL_YES);
	assert_int_equal(sel_decide(&r, &shell), SEL_NO);
	sel_rule_free(&r);
	/* -x: the whole name */
	rule(&r, "ssh", false, true, false);
	assert_int_equal(sel_decide(&r, &sshd), SEL_NO);
	sel_rule_free(&r);
	rule(&r, "sshd|mysqld", false, true, false); /* alternation stays inside the anchors */
	assert_int_equal(sel_decide(&r, &sshd), SEL_YES);
	struct sel_subject evil = subject("xsshdx", "");
	assert_int_equal(sel_decide(&r, &evil), SEL_NO);
	sel_rule_free(&r);
	/* -f: the whole command line */
	rule(&r, "sshd", true, false, false);
	assert_int_equal(sel_decide(&r, &shell), SEL_YES);
	sel_rule_free(&r);
	rule(&r, "^sshd: /usr/sbin/sshd", true, false, false);
	assert_int_equal(sel_decide(&r, &sshd), SEL_YES);
	assert_int_equal(sel_decide(&r, &shell), SEL_NO);
	sel_rule_free(&r);
	/* -f on a process without command line falls back to the name, as pgrep */
	struct sel_subject zombie = subject("sshd", "");
	rule(&r, "^sshd$", true, false, false);
	assert_int_equal(sel_decide(&r, &zombie), SEL_YES);
	sel_rule_free(&r);
	/* -i */
	rule(&r, "SSHD", false, true, true);
	assert_int_equal(sel_decide(&r, &sshd), SEL_YES);
	sel_rule_free(&r);
	rule(&r, "SSHD", false, true, false);
	assert_int_equal(sel_decide(&r, &sshd), SEL_NO);
	sel_rule_free(&r);
}

static void test_several_patterns(void **state)
{
	(void)state;
	struct sel_rule r;
	struct strbuf err = STRBUF_INIT;
	struct sel_subject a = subject("mysqld", NULL), b = subject("sshd", NULL), c = subject("bash", NULL);

	sel_rule_init(&r);
	sel_rule_add_pattern(&r, "mysqld");
	sel_rule_add_pattern(&r, "sshd");
	r.exact = true;
	assert_int_equal(sel_compile(&r, NULL, &err), 0);
	assert_int_equal(sel_decide(&r, &a), SEL_YES);
	assert_int_equal(sel_decide(&r, &b), SEL_YES);
	assert_int_equal(sel_decide(&r, &c), SEL_NO);
	sel_rule_free(&r);
	sb_free(&err);
}

static void test_exclusions(void **state)
{
	(void)state;
	struct sel_rule r;
	struct sel_subject s = subject("kworker/0:1", "");

	rule(&r, "kworker", false, false, false);
	s.kthread = true;
	assert_int_equal(sel_decide(&r, &s), SEL_KTHREAD);
	sel_rule_free(&r);
	/* the classic self-match: `oomtop protect -f oomtop` and its shell */
	rule(&r, "oomtop", true, false, false);
	s = subject("oomtop", "oomtop protect -f oomtop");
	s.self_or_ancestor = true;
	assert_int_equal(sel_decide(&r, &s), SEL_SELF);
	s.self_or_ancestor = false;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	/* an exclusion only matters for what matches */
	s = subject("bash", "bash");
	s.self_or_ancestor = true;
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	sel_rule_free(&r);
}

static void test_users_and_exe(void **state)
{
	(void)state;
	struct sel_rule r;
	struct sel_subject s = subject("mysqld", NULL);
	uid_t uids[2] = { 27, 28 };

	rule(&r, "mysqld", false, true, false);
	r.uids = malloc(sizeof(uids));
	memcpy(r.uids, uids, sizeof(uids));
	r.nuids = 2;
	s.ruid = 28;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	s.ruid = 1000;
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	sel_rule_free(&r);

	/* --exe alone: an unresolved file matches nothing; not known yet passes the first look */
	sel_rule_init(&r);
	r.exe = strdup("/usr/sbin/mariadbd");
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	r.have_exe = true;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	s.exe_match = 0;
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	s.exe_match = 1;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	sel_rule_free(&r);
}

static void test_workloads(void **state)
{
	(void)state;
	struct sel_rule r;
	struct sel_subject s = subject("nginx", NULL);
	struct workload web, pod, root;

	assert_int_equal(workload_parse("/system.slice/oomtop-t1-web.service/worker", &web), 0);
	assert_int_equal(workload_parse("/kubepods/burstable/pod0a1b2c3d-1111-2222-3333-444455556666/"
					"aaaabbbbccccddddeeeeffff00001111aaaabbbbccccddddeeeeffff00001111",
					&pod),
			 0);
	assert_int_equal(workload_parse("/", &root), 0);

	/* --unit alone: the unit as systemctl names it, a glob */
	sel_rule_init(&r);
	r.unit_glob = strdup("oomtop-t1-*.service");
	assert_int_equal(sel_decide(&r, &s), SEL_NO); /* no workload read: no match */
	s.workload = &web;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	s.workload = &pod;
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	s.workload = &root;
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	sel_rule_free(&r);

	/* ANDed with a pattern: both must match */
	rule(&r, "nginx", false, true, false);
	r.unit_glob = strdup("oomtop-t1-web.service");
	s.workload = &web;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	s.comm = "php-fpm";
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	s.comm = "nginx";
	/* and the exclusions still hold */
	s.self_or_ancestor = true;
	assert_int_equal(sel_decide(&r, &s), SEL_SELF);
	s.self_or_ancestor = false;
	sel_rule_free(&r);

	/* --workload: an id prefix of 4 or more, a pod UID prefix */
	sel_rule_init(&r);
	r.workload_pat = strdup("aaaabbbb");
	s.workload = &pod;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	s.workload = &web;
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	free(r.workload_pat);
	r.workload_pat = strdup("0a1b2c3d");
	s.workload = &pod;
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	/* --unit and --workload together: both */
	r.unit_glob = strdup("*.service");
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	sel_rule_free(&r);
}

/* An owner whose real, effective and saved uids are r, e and s. */
static struct sel_owner owner(uid_t r, uid_t e, uid_t s)
{
	struct sel_owner o = { .ruid = r, .euid = e, .suid = s };
	return o;
}

static void test_refuse_lowering(void **state)
{
	(void)state;
	struct sel_rule r;
	struct sel_owner user = owner(1000, 1000, 1000), root = owner(0, 0, 0);
	/* su run by uid 1000, waiting at Password: (setuid root: euid and saved uid 0) */
	struct sel_owner su = owner(1000, 0, 0);
	/* a root daemon that switched its effective uid for a while (seteuid) */
	struct sel_owner dropped = owner(0, 1000, 0);

	sel_rule_init(&r);
	/* root lowering someone else's process without -u: refused */
	assert_true(sel_refuse_lowering(&r, 0, &user, 0, -1000));
	/* its own, or raising, or equal: fine */
	assert_false(sel_refuse_lowering(&r, 0, &root, 0, -1000));
	assert_false(sel_refuse_lowering(&r, 0, &user, 0, 500));
	assert_false(sel_refuse_lowering(&r, 0, &user, -1000, -1000));
	/* a user running protect is held to the same rule for root's processes */
	assert_true(sel_refuse_lowering(&r, 1000, &root, 500, 0));
	/* the setuid look-alike: effective uid 0 is not root's process (the owner check looked at it alone) */
	assert_true(sel_refuse_lowering(&r, 0, &su, 500, 100));
	assert_true(sel_refuse_lowering(&r, 0, &dropped, 500, 100));
	assert_true(sel_refuse_lowering(&r, 1000, &su, 500, 100));
	assert_false(sel_refuse_lowering(&r, 0, &su, 100, 500)); /* raising stays fine */
	/* -u names the users whose processes may be lowered */
	r.uids = malloc(2 * sizeof(uid_t));
	r.uids[0] = 1000;
	r.nuids = 1;
	assert_false(sel_refuse_lowering(&r, 0, &user, 0, -1000));
	/* and must name every one of a setuid program's uids */
	assert_true(sel_refuse_lowering(&r, 0, &su, 500, 100));
	r.uids[1] = 0;
	r.nuids = 2;
	assert_false(sel_refuse_lowering(&r, 0, &su, 500, 100));
	assert_false(sel_refuse_lowering(&r, 0, &dropped, 500, 100));
	sel_rule_free(&r);
	/* the legacy unit is compared in oom_score_adj */
	sel_rule_init(&r);
	r.unit = ADJ_LEGACY;
	r.adj = -17;
	assert_int_equal(sel_target_score(&r), -1000);
	r.adj = 15;
	assert_int_equal(sel_target_score(&r), 1000);
	sel_rule_free(&r);
}

/* Compiles one pattern; returns sel_compile()'s result. */
static int compile_one(const char *pat)
{
	struct sel_rule r;
	struct strbuf err = STRBUF_INIT;
	int rc;

	sel_rule_init(&r);
	sel_rule_add_pattern(&r, pat);
	rc = sel_compile(&r, NULL, &err);
	if (rc < 0)
		assert_non_null(strstr(sb_str(&err), "is too complex"));
	sel_rule_free(&r);
	sb_free(&err);
	return rc;
}

static void test_pattern_complexity(void **state)
{
	(void)state;
	/* patterns people write compile */
	assert_int_equal(compile_one("sshd"), 0);
	assert_int_equal(compile_one("^(mysqld|mariadbd)$"), 0);
	assert_int_equal(compile_one("[a-z]+d{1,3}"), 0);
	assert_int_equal(compile_one("java.*-Xmx[0-9]+[gm]"), 0);
	assert_int_equal(compile_one("(a|b){0,20}x+"), 0);
	/* repetitions whose expansion in glibc's regcomp grows exponentially do not
	 * (the first took 2 GiB in fuzz_rules: each '+' copies what it repeats) */
	assert_int_equal(compile_one("anr/++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++++b"), -EINVAL);
	assert_int_equal(compile_one("((((((((((((((((a+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+)+"), -EINVAL);
	assert_int_equal(compile_one("((a{100}){100}){100}"), -EINVAL);
	assert_int_equal(compile_one("[+{]+\\+\\{x"), 0);
	/* an unclosed '{' ended the old count early, after 25 '+' had already cost regcomp 6 GiB */
	assert_int_equal(compile_one("(a+++++++++++++++++++++++++)(b{"), -EINVAL);
	assert_true(sel_pattern_nodes("(a+++++++++++++++++++++++++)(b{") > (1ULL << 25));
	assert_int_equal(compile_one("(a+++++++++++++++++++++++++"), -EINVAL); /* an unclosed group counts too */
	assert_int_equal(compile_one("[[:alpha:]](a{100}){100}"), -EINVAL);    /* ']' of a class name ends nothing */
	assert_int_equal(compile_one("[](a{100}){100}]"), 0);                   /* one bracket: "](a{100}){100}" */
	assert_int_equal(compile_one("((a{100}){100}"), -EINVAL);
	/* groups nest at most 32 deep: regcomp's parser recurses per group */
	assert_int_equal(compile_one("((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))"), 0);
	assert_int_equal(compile_one("(((((((((((((((((((((((((((((((((a)))))))))))))))))))))))))))))))))"), -EINVAL);
	/* the estimate is an upper bound of what regcomp builds: a few known shapes */
	assert_int_equal(sel_pattern_nodes("a"), 1);
	assert_int_equal(sel_pattern_nodes("ab"), 3);        /* a, b, CONCAT */
	assert_int_equal(sel_pattern_nodes("a+"), 6);        /* a and its copy, each with a STAR or CONCAT, at most */
	assert_int_equal(sel_pattern_nodes("a{3}"), 12);     /* 4 copies of a and CONCAT, at most */
	assert_int_equal(sel_pattern_nodes("(a)"), 6);       /* a, SUBEXP, OPEN, CLOSE and two CONCATs */
	assert_int_equal(sel_pattern_nodes("\xc3\xa9"), 3); /* a UTF-8 character: a node per byte */
	assert_true(sel_pattern_nodes("((a{10}){10}){10}") > 1000);
	struct sel_pattern_cost c;
	sel_pattern_cost("a?a?", &c);
	assert_int_equal(c.eps, 2);
	assert_int_equal(c.loop_diamonds, 0);
	/* calc_eclosure_iter walks every epsilon path again inside a loop: (a?)? doubles them (the fuzz timeout) */
	sel_pattern_cost("(((a?)?)((a?)?))*", &c);
	assert_int_equal(c.loop_diamonds, 3);
	assert_int_equal(compile_one("(((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?))*"), 0);
	assert_int_equal(compile_one("(((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)"
				     "((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?)((a?)?))*"),
			 -EINVAL);
	assert_int_equal(compile_one("q3uote\xa7+++k++++++++???????????????????@??????+++++?<?????0"), -EINVAL);
	assert_int_equal(compile_one("(a?)+(a?)+(a?)+(a?)+"), 0); /* a? cannot be empty twice: no diamond */
	sel_pattern_cost("(a?{33}){20}", &c);
	assert_true(sel_compile_bytes(&c) > 5300000); /* measured 5.3 MB */
}

static void test_full_name(void **state)
{
	(void)state;
	char buf[64];
	struct sel_rule r;
	struct sel_subject s = subject("systemd-journal", NULL);
	struct sel_item it;
	struct strbuf sb = STRBUF_INIT;

	/* the kernel keeps 15 characters: the name it was cut from, from argv[0], else the executable */
	assert_string_equal(sel_full_name("systemd-journal", "/lib/systemd/systemd-journald", NULL, buf, sizeof(buf)),
			    "systemd-journald");
	assert_string_equal(sel_full_name("systemd-journal", "-", "/usr/lib/systemd/systemd-journald (deleted)", buf,
					  sizeof(buf)),
			    "systemd-journald");
	/* a shorter name is whole; an argv[0] that the name was not cut from does not count */
	assert_null(sel_full_name("sshd", "/usr/sbin/sshd-session", NULL, buf, sizeof(buf)));
	assert_null(sel_full_name("systemd-journal", "sshd", "/usr/sbin/sshd", buf, sizeof(buf)));
	assert_null(sel_full_name("systemd-journal", "systemd-journal", NULL, buf, sizeof(buf)));
	/* the decision: the pattern matches the full name too, and says so */
	rule(&r, "systemd-journald", false, true, false);
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	s.fullname = "systemd-journald";
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	assert_true(s.by_fullname);
	sel_rule_free(&r);
	rule(&r, "systemd-journal", false, true, false);
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	assert_false(s.by_fullname);
	sel_rule_free(&r);
	/* the note: only for a pattern longer than 15 characters, and not with -q */
	rule(&r, "systemd-journald", false, true, false);
	memset(&it, 0, sizeof(it));
	it.outcome = SEL_CHANGED;
	it.res.id.pid = 300;
	strcpy(it.res.id.comm, "systemd-journal");
	it.by_fullname = true;
	strcpy(it.fullname, "systemd-journald");
	assert_true(sel_note(&sb, &r, &it, false, true));
	assert_string_equal(sb_str(&sb), "300 (systemd-journal) matched by its full name 'systemd-journald': the kernel "
					 "keeps 15 characters of a process name");
	sb_reset(&sb);
	assert_false(sel_note(&sb, &r, &it, true, true));
	/* a deleted executable matched by --exe: always, even with -q */
	it.by_fullname = false;
	it.exe_deleted = true;
	r.exe = strdup("/usr/sbin/sshd");
	assert_true(sel_note(&sb, &r, &it, true, true));
	assert_non_null(strstr(sb_str(&sb), "--exe /usr/sbin/sshd: 300 (systemd-journal) runs a deleted file"));
	sel_rule_free(&r);
	sb_free(&sb);
}

static void test_compile_budget(void **state)
{
	(void)state;
	struct sel_rule r;
	struct sel_budget b;
	struct strbuf err = STRBUF_INIT;
	size_t n = 0;

	/* 500,000 one-letter patterns took more than 512 MiB in regcomp: the budget stops them early (100,000 here) */
	sel_budget_init(&b);
	sel_rule_init(&r);
	for (int i = 0; i < 100000; i++)
		sel_rule_add_pattern(&r, "a");
	assert_int_equal(sel_compile(&r, &b, &err), -E2BIG);
	assert_non_null(strstr(sb_str(&err), "pattern 'a' is past the budget: the patterns up to here would need more "
					     "than 64 MiB to compile"));
	n = r.nregs;
	assert_true(n > 1000 && n < 50000);
	sel_rule_free(&r);
	/* the budget is shared: once spent, the next rule's first pattern is refused */
	sel_rule_init(&r);
	sel_rule_add_pattern(&r, "sshd");
	assert_int_equal(sel_compile(&r, &b, &err), -E2BIG);
	sel_rule_free(&r);
	/* a budget of its own (NULL) for one rule of a few patterns */
	sel_rule_init(&r);
	sel_rule_add_pattern(&r, "sshd");
	assert_int_equal(sel_compile(&r, NULL, &err), 0);
	sel_rule_free(&r);
	sb_free(&err);
}

static void test_compile_errors(void **state)
{
	(void)state;
	struct sel_rule r;
	struct strbuf err = STRBUF_INIT;

	sel_rule_init(&r);
	sel_rule_add_pattern(&r, "(");
	assert_int_equal(sel_compile(&r, NULL, &err), -EINVAL);
	assert_true(strncmp(sb_str(&err), "bad pattern '(': ", 17) == 0);
	sel_rule_free(&r);
	sb_reset(&err);
	sel_rule_init(&r);
	sel_rule_add_pattern(&r, "");
	assert_int_equal(sel_compile(&r, NULL, &err), -EINVAL);
	assert_string_equal(sb_str(&err), "an empty pattern would match every process");
	sel_rule_free(&r);
	sb_reset(&err);
	/* hostile patterns: a 100 KiB one compiles or fails cleanly */
	char *big = malloc(102401);
	memset(big, 'a', 102400);
	big[102400] = '\0';
	sel_rule_init(&r);
	sel_rule_add_pattern(&r, big);
	if (sel_compile(&r, NULL, &err) == 0) {
		struct sel_subject s = subject(big, NULL);
		assert_int_equal(sel_decide(&r, &s), SEL_YES);
	}
	sel_rule_free(&r);
	free(big);
	sb_free(&err);
	long max;
	assert_int_equal(sel_parse_max("0", &max), -ERANGE);
	assert_int_equal(sel_parse_max("x", &max), -EINVAL);
	assert_int_equal(sel_parse_max("32", &max), 0);
	assert_int_equal(max, 32);
}

static void test_hostile_names(void **state)
{
	(void)state;
	struct sel_rule r;
	/* names with regex syntax, parentheses and invalid UTF-8 are text, not syntax */
	struct sel_subject s = subject("a) Z (b", NULL);
	rule(&r, "^a\\) Z \\(b$", false, false, false);
	assert_int_equal(sel_decide(&r, &s), SEL_YES);
	sel_rule_free(&r);
	s = subject("\xff\xfe.*", NULL);
	rule(&r, "sshd", false, false, false);
	assert_int_equal(sel_decide(&r, &s), SEL_NO);
	sel_rule_free(&r);
}

static void test_report(void **state)
{
	(void)state;
	struct sel_item items[3];
	size_t matched[1] = { 3 };
	enum sel_refusal refused[1] = { SEL_ALLOWED };
	struct sel_report rep = { .items = items, .nitems = 3, .matched = matched, .refused = refused };
	struct strbuf sb = STRBUF_INIT;

	memset(items, 0, sizeof(items));
	items[0].outcome = SEL_CHANGED;
	items[1].outcome = SEL_UNCHANGED;
	items[2].outcome = SEL_SKIPPED;
	assert_int_equal(sel_exit_status(&rep, 1), EXIT_OK);
	items[1].outcome = SEL_FAILED;
	assert_int_equal(sel_exit_status(&rep, 1), EXIT_FAIL);
	/* only skipped or gone: nothing was selected */
	items[0].outcome = SEL_GONE;
	items[1].outcome = SEL_SKIPPED;
	assert_int_equal(sel_exit_status(&rep, 1), EXIT_NOMATCH);
	rep.nitems = 0;
	assert_int_equal(sel_exit_status(&rep, 1), EXIT_NOMATCH);
	refused[0] = SEL_REFUSED_MAX;
	assert_int_equal(sel_exit_status(&rep, 1), EXIT_FAIL);

	/* the warning about another user's process tells how to include it */
	items[2].res.id.pid = 4242;
	strcpy(items[2].res.id.comm, "sshd");
	items[2].res.id.uid = items[2].res.id.ruid = items[2].res.id.suid = 1000;
	items[2].res.owner_name = "mallory";
	items[2].res.old_score = 0;
	items[2].res.target_score = -1000;
	assert_int_equal(sel_format_item(&sb, &items[2], false, true), SEL_STDERR);
	assert_string_equal(sb_str(&sb), "4242 (sshd): not lowered from 0 to -1000: it belongs to uid 1000 (mallory), "
					 "and a process's name is chosen by whoever starts it; add -u mallory to include "
					 "that user's processes");
	sb_reset(&sb);
	assert_int_equal(sel_format_item(&sb, &items[2], true, true), SEL_QUIET);
	/* a skip that is why its rule was refused is printed even with -q */
	items[2].loud = true;
	assert_int_equal(sel_format_item(&sb, &items[2], true, true), SEL_STDERR);
	items[2].loud = false;
	sb_reset(&sb);
	/* a setuid program: the real uid started it; -u must name all three */
	items[2].res.id.uid = items[2].res.id.suid = 0;
	items[2].owner_names[0] = "mallory";
	items[2].owner_names[1] = items[2].owner_names[2] = "root";
	assert_int_equal(sel_format_item(&sb, &items[2], false, true), SEL_STDERR);
	assert_string_equal(sb_str(&sb), "4242 (sshd): not lowered from 0 to -1000: its real, effective and saved uids "
					 "differ (1000, 0, 0): a setuid program, or one that changed its ids, was started "
					 "and named by uid 1000 (mallory); add -u mallory,root (all of them) to include it");
	sb_reset(&sb);
	items[2].res.id.uid = items[2].res.id.suid = 1000;
	/* -q: unchanged is quiet, changed and failed are not */
	items[1].outcome = SEL_UNCHANGED;
	items[1].res.have_old = true;
	assert_int_equal(sel_format_item(&sb, &items[1], true, true), SEL_QUIET);
	assert_int_equal(sel_format_item(&sb, &items[1], false, true), SEL_STDOUT);
	items[1].outcome = SEL_CHANGED;
	assert_int_equal(sel_format_item(&sb, &items[1], true, true), SEL_STDOUT);
	items[1].outcome = SEL_FAILED;
	items[1].res.err = -EPERM;
	assert_int_equal(sel_format_item(&sb, &items[1], true, true), SEL_STDERR);
	sb_free(&sb);
}

static void test_count_guards(void **state)
{
	(void)state;
	struct sel_rule r;
	struct strbuf sb = STRBUF_INIT;

	sel_rule_init(&r);
	/* --max, default 32 */
	assert_int_equal(sel_check_count(&r, 32, 1000), SEL_ALLOWED);
	assert_int_equal(sel_check_count(&r, 33, 1000), SEL_REFUSED_MAX);
	/* half of a small machine: `protect .` on 25 processes */
	assert_int_equal(sel_check_count(&r, 25, 30), SEL_REFUSED_SHARE);
	assert_int_equal(sel_check_count(&r, 15, 30), SEL_ALLOWED);
	assert_int_equal(sel_check_count(&r, 16, 30), SEL_REFUSED_SHARE);
	/* a few processes are always fine: a container of two */
	assert_int_equal(sel_check_count(&r, 2, 2), SEL_ALLOWED);
	assert_int_equal(sel_check_count(&r, 4, 4), SEL_ALLOWED);
	assert_int_equal(sel_check_count(&r, 5, 5), SEL_REFUSED_SHARE);
	assert_int_equal(sel_check_count(&r, 0, 0), SEL_ALLOWED);
	sel_format_refusal(&sb, &r, 25, 0, 30, SEL_REFUSED_SHARE);
	assert_string_equal(sb_str(&sb), "the pattern matches 25 of the 30 processes on this machine: refused, nothing "
					 "written (narrow it down with -x, -u or --exe, or confirm the count with --max 25)");
	/* --max given confirms the count, and still caps it */
	r.max = 25;
	r.max_set = true;
	assert_int_equal(sel_check_count(&r, 25, 30), SEL_ALLOWED);
	assert_int_equal(sel_check_count(&r, 26, 30), SEL_REFUSED_MAX);
	sb_reset(&sb);
	sel_format_refusal(&sb, &r, 26, 0, 30, SEL_REFUSED_MAX);
	assert_string_equal(sb_str(&sb), "the pattern matches 26 processes, more than --max 25: refused, nothing written "
					 "(narrow it down with -x, -u or --exe, or raise --max)");
	/* the skipped ones are counted apart (they no longer block the rule) */
	sb_reset(&sb);
	sel_format_refusal(&sb, &r, 26, 33, 30, SEL_REFUSED_MAX);
	assert_string_equal(sb_str(&sb), "the pattern matches 26 processes, more than --max 25: refused, nothing written "
					 "(narrow it down with -x, -u or --exe, or raise --max); 33 more matched that are "
					 "not plainly yours and would not be lowered (not counted)");
	sb_reset(&sb);
	sel_format_refusal(&sb, &r, 0, 1, 30, SEL_REFUSED_SKIPPED);
	assert_string_equal(sb_str(&sb), "the pattern matches only 1 process that is not plainly yours and would be "
					 "lowered: refused, nothing written (-u USER names the users whose processes may "
					 "be lowered)");
	sb_free(&sb);
	sel_rule_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_name_and_cmdline), cmocka_unit_test(test_several_patterns),
		cmocka_unit_test(test_exclusions),       cmocka_unit_test(test_users_and_exe), cmocka_unit_test(test_workloads),
		cmocka_unit_test(test_refuse_lowering),  cmocka_unit_test(test_compile_errors),
		cmocka_unit_test(test_hostile_names),    cmocka_unit_test(test_report),
		cmocka_unit_test(test_count_guards),     cmocka_unit_test(test_pattern_complexity),
		cmocka_unit_test(test_compile_budget),   cmocka_unit_test(test_full_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
