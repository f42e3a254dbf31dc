/* Unit tests of the rules file parser (src/rules.c), hostile input included. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "oomtop.h"
#include "rules.h"
#include "strbuf.h"

/* Splits line and checks the words against want (NULL-terminated). */
static void words(const char *line, const char *const *want)
{
	char **tok;
	size_t n, i;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(rules_tokenize(line, strlen(line), &tok, &n, &err), 0);
	for (i = 0; want[i]; i++) {
		assert_true(i < n);
		assert_string_equal(tok[i], want[i]);
	}
	assert_int_equal(n, i);
	rules_free_tokens(tok, n);
	sb_free(&err);
}

/* Checks that line does not split, with the message want. */
static void bad_words(const char *line, size_t len, const char *want)
{
	char **tok;
	size_t n;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(rules_tokenize(line, len, &tok, &n, &err), -EINVAL);
	assert_null(tok);
	assert_int_equal(n, 0);
	assert_string_equal(sb_str(&err), want);
	sb_free(&err);
}

static void test_tokenize(void **state)
{
	(void)state;
	words("-1000 -x sshd", (const char *const[]){ "-1000", "-x", "sshd", NULL });
	words("  \t-1000\t\t-x   sshd  \r", (const char *const[]){ "-1000", "-x", "sshd", NULL });
	words("", (const char *const[]){ NULL });
	words("   # only a comment", (const char *const[]){ NULL });
	words("# -1000 sshd", (const char *const[]){ NULL });
	words("-1000 sshd # protect it", (const char *const[]){ "-1000", "sshd", NULL });
	words("-1000 ss#hd", (const char *const[]){ "-1000", "ss#hd", NULL }); /* # inside a word, as sh */
	words("500 -f 'java .*Elastic' x", (const char *const[]){ "500", "-f", "java .*Elastic", "x", NULL });
	words("500 'a\\.b' \"a\\.b\" a\\.b", (const char *const[]){ "500", "a\\.b", "a\\.b", "a.b", NULL });
	words("500 \"say \\\"hi\\\" \\\\ \\$x\"", (const char *const[]){ "500", "say \"hi\" \\ $x", NULL });
	words("500 '' x", (const char *const[]){ "500", "", "x", NULL });
	words("500 ab'c d'\"e f\"g", (const char *const[]){ "500", "abc de fg", NULL });
	words("500 '#not a comment'", (const char *const[]){ "500", "#not a comment", NULL });
	words("500 \\#x", (const char *const[]){ "500", "#x", NULL });
	words("500 \xff\xfe", (const char *const[]){ "500", "\xff\xfe", NULL });

	bad_words("500 'abc", 8, "unterminated ' quote");
	bad_words("500 \"abc", 8, "unterminated \" quote");
	bad_words("500 abc\\", 8, "a backslash ends the line (a rule cannot go on to the next line)");
	bad_words("500 a\0b", 7, "the line holds a NUL byte");
}

/* Parses one rule from line; returns its status and leaves the message in err. */
static int one_rule(const char *line, struct sel_rule *r, struct strbuf *err)
{
	char **tok;
	size_t n;
	int rc;

	sb_reset(err);
	sel_rule_init(r);
	assert_int_equal(rules_tokenize(line, strlen(line), &tok, &n, err), 0);
	assert_true(n > 0);
	rc = rules_parse_tokens(tok, n, r, NULL, err);
	rules_free_tokens(tok, n);
	return rc;
}

static void test_rule_options(void **state)
{
	(void)state;
	struct sel_rule r;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(one_rule("-1000 -x sshd", &r, &err), 0);
	assert_int_equal(r.adj, -1000);
	assert_int_equal(r.unit, ADJ_SCORE);
	assert_true(r.exact);
	assert_false(r.full);
	assert_int_equal(r.npatterns, 1);
	assert_string_equal(r.patterns[0], "sshd");
	assert_int_equal(r.max, SEL_MAX_DEFAULT);
	sel_rule_free(&r);

	assert_int_equal(one_rule("-17 --legacy -fxi -u mysql,27 --exe /usr/sbin/mariadbd --max 4 a b", &r, &err), 0);
	assert_int_equal(r.adj, -17);
	assert_int_equal(r.unit, ADJ_LEGACY);
	assert_true(r.full && r.exact && r.icase);
	assert_string_equal(r.users, "mysql,27");
	assert_string_equal(r.exe, "/usr/sbin/mariadbd");
	assert_int_equal(r.max, 4);
	assert_int_equal(r.npatterns, 2);
	sel_rule_free(&r);

	assert_int_equal(one_rule("0 --full --exact --ignore-case --user=a --user b --exe=/x --max=2 p", &r, &err), 0);
	assert_true(r.full && r.exact && r.icase);
	assert_string_equal(r.users, "a,b");
	assert_string_equal(r.exe, "/x");
	assert_int_equal(r.max, 2);
	sel_rule_free(&r);

	assert_int_equal(one_rule("0 -umysql", &r, &err), 0); /* -u alone selects a user's processes */
	assert_string_equal(r.users, "mysql");
	assert_int_equal(r.npatterns, 0);
	sel_rule_free(&r);

	/* --unit and --workload: alone, with each other and with the rest (ANDed) */
	assert_int_equal(one_rule("-900 --unit 'mysql*.service'", &r, &err), 0);
	assert_string_equal(r.unit_glob, "mysql*.service");
	assert_null(r.workload_pat);
	assert_int_equal(r.npatterns, 0);
	assert_true(sel_needs_workload(&r));
	sel_rule_free(&r);
	assert_int_equal(one_rule("100 --workload=default/web-* --unit=docker-*.scope -x -u root nginx", &r, &err), 0);
	assert_string_equal(r.workload_pat, "default/web-*");
	assert_string_equal(r.unit_glob, "docker-*.scope");
	assert_string_equal(r.users, "root");
	assert_int_equal(r.npatterns, 1);
	sel_rule_free(&r);
	assert_int_equal(one_rule("100 -x sshd", &r, &err), 0);
	assert_false(sel_needs_workload(&r));
	sel_rule_free(&r);

	/* "--" ends the options: a pattern may start with '-' */
	assert_int_equal(one_rule("100 -f -- --daemon", &r, &err), 0);
	assert_true(r.full);
	assert_string_equal(r.patterns[0], "--daemon");
	sel_rule_free(&r);
	/* after "--", a word that starts with '-' is a pattern, wherever it is */
	assert_int_equal(one_rule("100 -- a -b", &r, &err), 0);
	assert_int_equal(r.npatterns, 2);
	assert_string_equal(r.patterns[1], "-b");
	sel_rule_free(&r);
	sb_free(&err);
}

/* Checks that line is rejected with the message want. */
static void bad_rule(const char *line, const char *want)
{
	struct sel_rule r;
	struct strbuf err = STRBUF_INIT;

	assert_int_equal(one_rule(line, &r, &err), -EINVAL);
	assert_string_equal(sb_str(&err), want);
	sel_rule_free(&r);
	sb_free(&err);
}

static void test_rule_errors(void **state)
{
	(void)state;
	bad_rule("abc sshd", "'abc' is not a number (an oom_score_adj, -1000..1000)");
	bad_rule("1001 sshd", "oom_score_adj 1001 is out of range (-1000..1000)");
	bad_rule("-1001 sshd", "oom_score_adj -1001 is out of range (-1000..1000)");
	bad_rule("-500 --legacy sshd", "oom_adj -500 is out of range (-17..15)");
	bad_rule("16 --legacy sshd", "oom_adj 16 is out of range (-17..15)");
	bad_rule("-x sshd", "a rule starts with its value (ADJ, -1000..1000), not '-x'");
	bad_rule("-1000", "nothing to select: give a PATTERN, -u USER, --exe PATH, --unit GLOB or --workload PATTERN");
	bad_rule("-1000 -x", "nothing to select: give a PATTERN, -u USER, --exe PATH, --unit GLOB or --workload PATTERN");
	bad_rule("-1000 -q sshd", "unknown option '-q' (a rule takes -f, -x, -i, -u USER, --exe PATH, --unit GLOB, --workload PATTERN, --legacy, --max N)");
	bad_rule("-1000 -fq sshd",
		 "unknown option '-q' in '-fq' (a rule takes -f, -x, -i, -u USER, --exe PATH, --unit GLOB, --workload PATTERN, --legacy, --max N)");
	bad_rule("-1000 --adj=5 sshd",
		 "unknown option '--adj=5' (a rule takes -f, -x, -i, -u USER, --exe PATH, --unit GLOB, --workload PATTERN, --legacy, --max N)");
	bad_rule("-1000 --full=1 sshd",
		 "unknown option '--full=1' (a rule takes -f, -x, -i, -u USER, --exe PATH, --unit GLOB, --workload PATTERN, --legacy, --max N)");
	bad_rule("-1000 --unit", "--unit needs a value");
	bad_rule("-1000 --workload", "--workload needs a value");
	bad_rule("-1000 --unit ''", "--unit needs a unit name or glob, not an empty one");
	bad_rule("-1000 --workload=", "--workload needs a name, id or glob, not an empty one");
	bad_rule("-1000 --unit a.service --unit b.service",
		 "--unit given twice (a rule takes one; write one rule per unit)");
	bad_rule("-1000 --workload a --workload=b", "--workload given twice (a rule takes one; write one rule per unit)");
	bad_rule("-1000 sshd --unit ssh.service",
		 "'--unit' after a pattern: options come first (a pattern that starts with '-' goes after --)");
	bad_rule("-1000 -u", "-u needs a user");
	bad_rule("-1000 --exe", "--exe needs a value");
	bad_rule("-1000 --exe sshd", "--exe needs an absolute path, not 'sshd'");
	bad_rule("-1000 --max 0 sshd", "--max '0' is not a number of processes (1 or more)");
	bad_rule("-1000 --max x sshd", "--max 'x' is not a number of processes (1 or more)");
	bad_rule("-1000 'ss(hd'", "bad pattern 'ss(hd': Unmatched ( or \\(");
	bad_rule("-1000 ''", "an empty pattern would match every process");
	/* options come before the patterns: a late one would become a pattern */
	bad_rule("100 java -f", "'-f' after a pattern: options come first (a pattern that starts with '-' goes after --)");
	bad_rule("-5 -x many --max 2", "'--max' after a pattern: options come first (a pattern that starts with '-' goes "
				       "after --)");
}

static void test_file(void **state)
{
	(void)state;
	struct rules rs;
	struct strbuf err = STRBUF_INIT;
	const char good[] = "# oomtop rules\n"
			    "\n"
			    "-1000 -x sshd   # the door\n"
			    "  -900 -u mysql --exe /usr/sbin/mariadbd\r\n"
			    "500 -f '^/usr/bin/python3 .*/nightly'"; /* no newline at the end */

	assert_int_equal(rules_parse(good, strlen(good), "oomtop.conf", NULL, &rs, &err), 0);
	assert_string_equal(sb_str(&err), "");
	assert_int_equal(rs.n, 3);
	assert_int_equal(rs.v[0].line, 3);
	assert_int_equal(rs.v[1].line, 4);
	assert_int_equal(rs.v[1].adj, -900);
	assert_int_equal(rs.v[2].line, 5);
	assert_true(rs.v[2].full);
	rules_free(&rs);

	/* every bad line is reported, with its number; the good ones are kept */
	const char bad[] = "-1000 -x sshd\n"
			   "abc\n"
			   "100 'open\n"
			   "-1000 (\n"
			   "0 -x ok\n";
	assert_int_equal(rules_parse(bad, strlen(bad), "/etc/oomtop.conf", NULL, &rs, &err), -EINVAL);
	assert_string_equal(sb_str(&err), "/etc/oomtop.conf:2: 'abc' is not a number (an oom_score_adj, -1000..1000)\n"
					  "/etc/oomtop.conf:3: unterminated ' quote\n"
					  "/etc/oomtop.conf:4: bad pattern '(': Unmatched ( or \\(\n");
	assert_int_equal(rs.n, 2);
	rules_free(&rs);

	/* an empty file, a file of comments: no rules, no error */
	sb_reset(&err);
	assert_int_equal(rules_parse("", 0, "f", NULL, &rs, &err), 0);
	assert_int_equal(rs.n, 0);
	assert_int_equal(rules_parse("#\n#\n\n", 5, "f", NULL, &rs, &err), 0);
	assert_int_equal(rs.n, 0);

	/* binary junk and a NUL byte */
	const char junk[] = "\x7f" "ELF\x02\x01\x01\n-1000 a\0b\n";
	assert_int_equal(rules_parse(junk, sizeof(junk) - 1, "f", NULL, &rs, &err), -EINVAL);
	assert_true(strstr(sb_str(&err), "f:1: '\x7f" "ELF\x02\x01\x01' is not a number") != NULL);
	assert_true(strstr(sb_str(&err), "f:2: the line holds a NUL byte\n") != NULL);
	rules_free(&rs);
	sb_free(&err);
}

static void test_big_file(void **state)
{
	(void)state;
	/* a 100 KiB line and 10000 lines */
	struct rules rs;
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	sb_adds(&text, "100 -f '");
	for (int i = 0; i < 102400; i++)
		sb_addc(&text, 'a');
	sb_adds(&text, "'\n");
	for (int i = 0; i < 10000; i++)
		sb_addf(&text, "%d -x p%d\n", i % 1000, i);
	int rc = rules_parse(text.buf, text.len, "big", NULL, &rs, &err);
	if (rc == 0) {
		assert_int_equal(rs.n, 10001);
	} else {
		/* a 100 KiB pattern is refused (too complex for sel_compile); only that line is bad */
		assert_int_equal(rs.n, 10000);
		assert_true(strncmp(sb_str(&err), "big:1: pattern 'aaa", 19) == 0);
		assert_non_null(strstr(sb_str(&err), "is too complex"));
	}
	assert_int_equal(rs.v[rs.n - 1].line, 10001);
	rules_free(&rs);
	sb_free(&text);
	sb_free(&err);
}

static void test_file_budget(void **state)
{
	(void)state;
	/* a 1 MiB file of one-letter rules: compiling them all took 331 MiB; the file's budget stops at a line */
	struct rules rs;
	struct strbuf text = STRBUF_INIT, err = STRBUF_INIT;
	for (int i = 0; i < 262143; i++)
		sb_adds(&text, "1 a\n");
	assert_int_equal(rules_parse(text.buf, text.len, "big", NULL, &rs, &err), -EINVAL);
	assert_true(rs.n > 1000 && rs.n < 50000);
	/* one error, at the line that went past it, and nothing parsed after */
	assert_non_null(strstr(sb_str(&err), ": pattern 'a' is past the budget"));
	size_t lines = 0;
	for (const char *c = sb_str(&err); *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, 1);
	rules_free(&rs);
	sb_free(&text);
	sb_free(&err);
}

/* A resolver that refuses rules of the user "nobody-here". */
static int fake_resolve(struct sel_rule *r, struct strbuf *err)
{
	if (r->users && strcmp(r->users, "nobody-here") == 0) {
		sb_adds(err, "-u: no such user 'nobody-here'");
		return -EINVAL;
	}
	return 0;
}

static void test_resolve_in_line_order(void **state)
{
	(void)state;
	struct rules rs;
	struct strbuf err = STRBUF_INIT;
	const char text[] = "0 -u nobody-here\n1 (\n";
	assert_int_equal(rules_parse(text, strlen(text), "f", fake_resolve, &rs, &err), -EINVAL);
	assert_string_equal(sb_str(&err), "f:1: -u: no such user 'nobody-here'\nf:2: bad pattern '(': Unmatched ( or \\(\n");
	assert_int_equal(rs.n, 0);
	rules_free(&rs);
	sb_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenize),   cmocka_unit_test(test_rule_options),
		cmocka_unit_test(test_rule_errors), cmocka_unit_test(test_file),
		cmocka_unit_test(test_big_file),   cmocka_unit_test(test_resolve_in_line_order),
		cmocka_unit_test(test_file_budget),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
