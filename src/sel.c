/*
 * pgrep-like selection for `protect` and `apply`.  The decision is a pure
 * function of what was read about a process; sel_run() makes it twice: once
 * on the scan (cheap, by PID) and once more on what it reads through the
 * pinned /proc/PID directory, so what is written is what matched.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adjfmt.h"
#include "cgroup.h"
#include "num.h"
#include "oomtop.h"
#include "out.h"
#include "proc.h"
#include "sel.h"
#include "users.h"
#include "xalloc.h"

#define MAX_ANCESTORS 4096

/* Sets r to an empty rule with the defaults of `protect`. */
void sel_rule_init(struct sel_rule *r)
{
	memset(r, 0, sizeof(*r));
	r->adj = OOM_SCORE_ADJ_MIN;
	r->unit = ADJ_SCORE;
	r->max = SEL_MAX_DEFAULT;
}

/* Releases everything r owns and leaves it empty. */
void sel_rule_free(struct sel_rule *r)
{
	for (size_t i = 0; i < r->npatterns; i++)
		free(r->patterns[i]);
	free(r->patterns);
	for (size_t i = 0; i < r->nregs; i++)
		regfree(&r->regs[i]);
	free(r->regs);
	free(r->users);
	free(r->uids);
	free(r->exe);
	free(r->exe_real);
	free(r->unit_glob);
	free(r->workload_pat);
	sel_rule_init(r);
}

/* Tells whether n is 0 or a power of two: where an array grown by doubling is full. */
static bool full_at(size_t n)
{
	return (n & (n - 1)) == 0;
}

/* Adds a copy of pattern to r. */
void sel_rule_add_pattern(struct sel_rule *r, const char *pattern)
{
	/* doubling: a command line or a line of a rules file may hold 500,000 patterns */
	if (full_at(r->npatterns))
		r->patterns = xreallocarray(r->patterns, r->npatterns ? 2 * r->npatterns : 1, sizeof(*r->patterns));
	r->patterns[r->npatterns++] = xstrdup(pattern);
}

/* Parses --max: a count of processes, 1 or more; 0, -EINVAL or -ERANGE. */
int sel_parse_max(const char *s, long *out)
{
	return num_parse_long(s, 1, 1000000, out);
}

/* Saturating arithmetic for the estimates below: past SEL_COST_CAP they only grow to it. */
#define SEL_COST_CAP (1ULL << 48)

/* Adds, saturating at SEL_COST_CAP. */
static unsigned long long cost_add(unsigned long long a, unsigned long long b)
{
	return a + b > SEL_COST_CAP ? SEL_COST_CAP : a + b;
}

/* Multiplies, saturating at SEL_COST_CAP. */
static unsigned long long cost_mul(unsigned long long a, unsigned long long b)
{
	return b && a > SEL_COST_CAP / b ? SEL_COST_CAP : a * b;
}

/* Reads the decimal number at *p (advancing it) into *out, saturated; false when there is no digit. */
static bool interval_number(const char **p, unsigned long long *out)
{
	if (**p < '0' || **p > '9')
		return false;
	*out = 0;
	for (; **p >= '0' && **p <= '9'; (*p)++)
		*out = cost_add(cost_mul(*out, 10), (unsigned long long)(**p - '0'));
	return true;
}

/*
 * Returns where the bracket expression that starts at p ('[') ends: after its
 * ']', as glibc's parse_bracket_exp() reads it ("[]...]" and "[^]...]" hold a
 * ']', "[:alpha:]", "[.x.]", "[=x=]" hold one in their names), or NULL when it
 * is not closed (regcomp then fails with REG_EBRACK, having built nothing more).
 */
static const char *bracket_end(const char *p)
{
	p++;
	if (*p == '^')
		p++;
	if (*p == ']')
		p++;
	while (*p && *p != ']') {
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			char delim = p[1];
			const char *q = p + 2;
			while (*q && !(q[0] == delim && q[1] == ']'))
				q++;
			if (!*q)
				return NULL;
			p = q + 2;
		} else {
			p++;
		}
	}
	return *p ? p + 1 : NULL;
}

/* The bytes of the UTF-8 character that starts at p (1 for ASCII and for a byte that starts none). */
static size_t char_bytes(const char *p)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t n = 1;

	if (u[0] >= 0xc0)
		while (n < 6 && u[n] >= 0x80 && u[n] < 0xc0)
			n++;
	return n;
}

/* What an expression costs regcomp(): its tree nodes, its epsilon nodes, its "diamonds". */
struct cost {
	unsigned long long nodes;    /* tree nodes, CONCATs included */
	unsigned long long eps;      /* epsilon nodes of the NFA: ALT, STAR, OPEN/CLOSE_SUBEXP, anchors */
	unsigned long long diamonds; /* optional parts whose body can match empty: two epsilon paths meet */
	bool nullable;               /* can match the empty string */
	bool loop;                   /* holds a '*', '+' or {m,}: a cycle of epsilon edges */
};

/* One level of the estimate: a parenthesised group, or the whole pattern. */
struct cost_frame {
	struct cost done;   /* finished branches, joined by their ALT nodes */
	struct cost branch; /* finished expressions of this branch, joined by CONCATs */
	struct cost last;   /* the last expression: what a repetition copies */
	bool have_done, have_branch, have_last;
};

/* Returns a joined by CONCAT with b. */
static struct cost cost_concat(struct cost a, struct cost b)
{
	struct cost c = {
		.nodes = cost_add(cost_add(a.nodes, b.nodes), 1),
		.eps = cost_add(a.eps, b.eps),
		.diamonds = cost_add(a.diamonds, b.diamonds),
		.nullable = a.nullable && b.nullable,
		.loop = a.loop || b.loop,
	};
	return c;
}

/* Returns the alternation of a and b (an ALT node); two empty-matching branches are a diamond. */
static struct cost cost_alt(struct cost a, struct cost b)
{
	struct cost c = {
		.nodes = cost_add(cost_add(a.nodes, b.nodes), 1),
		.eps = cost_add(cost_add(a.eps, b.eps), 1),
		.diamonds = cost_add(cost_add(a.diamonds, b.diamonds), a.nullable && b.nullable),
		.nullable = a.nullable || b.nullable,
		.loop = a.loop || b.loop,
	};
	return c;
}

/* Returns x repeated: copies copies of it (and of a node each), optional or starred; see sel_pattern_nodes(). */
static struct cost cost_repeat(struct cost x, unsigned long long copies, bool optional, bool star)
{
	struct cost c = {
		.nodes = cost_mul(cost_add(x.nodes, 2), copies),
		.eps = cost_mul(cost_add(x.eps, 1), copies),
		.diamonds = cost_mul(cost_add(x.diamonds, x.nullable), copies),
		.nullable = optional || x.nullable,
		.loop = star || x.loop,
	};
	return c;
}

/* Ends the last expression of a frame's branch and starts one of cost atom. */
static void push_atom(struct cost_frame *f, struct cost atom)
{
	if (f->have_last)
		f->branch = f->have_branch ? cost_concat(f->branch, f->last) : f->last;
	f->have_branch |= f->have_last;
	f->last = atom;
	f->have_last = true;
}

/* Returns what a frame's branch costs so far (an empty one matches the empty string). */
static struct cost branch_cost(const struct cost_frame *f)
{
	struct cost empty = { .nullable = true };

	if (!f->have_last)
		return f->have_branch ? f->branch : empty;
	return f->have_branch ? cost_concat(f->branch, f->last) : f->last;
}

/* Returns what a frame costs so far: its branches and their ALT nodes. */
static struct cost frame_cost(const struct cost_frame *f)
{
	struct cost b = branch_cost(f);
	return f->have_done ? cost_alt(f->done, b) : b;
}

/* Returns the cost of an atom of nodes nodes, eps of them epsilon nodes. */
static struct cost atom_cost(unsigned long long nodes, unsigned long long eps, bool nullable)
{
	struct cost c = { .nodes = nodes, .eps = eps, .nullable = nullable };
	return c;
}

/*
 * Estimates, as an upper bound, what glibc's regcomp() builds for an extended
 * regex, following posix/regcomp.c: an atom is one tree node (a UTF-8
 * character one per byte, a bracket or \w up to three: the single-byte set,
 * the multibyte set and their ALT), each concatenation a CONCAT node, a group
 * its SUBEXP plus the OPEN/CLOSE_SUBEXP pair lower_subexp() adds; '*' and '?'
 * add a node, while '+' and {m,n} copy what they repeat (parse_dup_op() calls
 * duplicate_tree() max(m, n) + 1 times at most, and the copies stay allocated
 * even when {0} drops them), so nested repetitions multiply.  It also counts
 * the epsilon nodes (the closures calc_eclosure() builds are at most that
 * long per node) and the "diamonds", optional parts whose body can match the
 * empty string: in a pattern with a loop ('*', '+', {m,}) calc_eclosure_iter()
 * does not keep what it computes inside the loop and walks every epsilon path
 * again, and each diamond doubles the paths ("(((a?)?)...)*": twice the time
 * per diamond; a fuzz input ran 2.7 s).  Whatever does not parse is counted as
 * literals, which only overestimates, and an unclosed construct still counts
 * all that came before it: regcomp builds that much before it reports the
 * error.  Saturates at SEL_COST_CAP; more than SEL_PATTERN_MAX_DEPTH open
 * groups cost the cap (regcomp's parser recurses once per group).
 */
void sel_pattern_cost(const char *p, struct sel_pattern_cost *out)
{
	struct cost_frame f[SEL_PATTERN_MAX_DEPTH + 1];
	struct cost total;
	int depth = 0;

	memset(&f[0], 0, sizeof(f[0]));
	memset(out, 0, sizeof(*out));
	while (*p) {
		struct cost atom;
		unsigned long long m, n;
		const char *q;
		struct cost *last = &f[depth].last;
		struct cost one = atom_cost(1, 0, false);

		switch (*p) {
		case '(':
			if (++depth > SEL_PATTERN_MAX_DEPTH) {
				out->nodes = out->eps = out->loop_diamonds = SEL_COST_CAP;
				return;
			}
			memset(&f[depth], 0, sizeof(f[depth]));
			p++;
			continue;
		case ')':
			p++;
			if (depth == 0) {
				atom = one; /* RE_UNMATCHED_RIGHT_PAREN_ORD: a literal */
				break;
			}
			atom = frame_cost(&f[depth]);
			atom.nodes = cost_add(atom.nodes, 5);
			atom.eps = cost_add(atom.eps, 2);
			depth--;
			break;
		case '|':
			p++;
			f[depth].done = frame_cost(&f[depth]);
			f[depth].have_done = true;
			f[depth].have_branch = f[depth].have_last = false;
			continue;
		case '*':
		case '?':
		case '+':
			/* a* is a STAR, a? an ALT with nothing, a+ is aa*: a copy, a STAR and a CONCAT */
			if (!f[depth].have_last)
				push_atom(&f[depth], one);
			*last = cost_repeat(*last, *p == '+' ? 2 : 1, *p != '+', *p != '?');
			p++;
			continue;
		case '{':
			q = p + 1;
			if (interval_number(&q, &m)) {
				bool open = false;
				n = m;
				if (*q == ',') {
					q++;
					open = !interval_number(&q, &n); /* {m,}: m copies and a starred one */
					if (open)
						n = m;
				}
				if (*q == '}') {
					if (!f[depth].have_last)
						push_atom(&f[depth], one);
					*last = cost_repeat(*last, cost_add(m > n ? m : n, 1), m == 0, open);
					p = q + 1;
					continue;
				}
			}
			p++;
			atom = one; /* not an interval: counted as a literal */
			break;
		case '[':
			q = bracket_end(p);
			p = q ? q : p + strlen(p);
			atom = atom_cost(3, 1, false);
			break;
		case '\\':
			p += p[1] ? 2 : 1;
			atom = atom_cost(3, 1, true); /* \w, \W, \s, \S build a bracket; \b, \<, ... are anchors */
			break;
		case '^':
		case '$':
			p++;
			atom = atom_cost(1, 1, true);
			break;
		default:
			n = char_bytes(p);
			p += n;
			atom = atom_cost(2 * n - 1, 0, false);
		}
		push_atom(&f[depth], atom);
		if (f[depth].branch.nodes >= SEL_COST_CAP)
			break;
	}
	/* groups left open: regcomp fails with REG_EPAREN after building them */
	for (; depth > 0; depth--) {
		struct cost g = frame_cost(&f[depth]);
		g.nodes = cost_add(g.nodes, 5);
		g.eps = cost_add(g.eps, 2);
		push_atom(&f[depth - 1], g);
	}
	total = frame_cost(&f[0]);
	out->nodes = total.nodes;
	out->eps = total.eps;
	out->loop_diamonds = total.loop ? total.diamonds : 0;
}

/* Returns the tree nodes of sel_pattern_cost(). */
unsigned long long sel_pattern_nodes(const char *pattern)
{
	struct sel_pattern_cost c;

	sel_pattern_cost(pattern, &c);
	return c.nodes;
}

/*
 * Estimates the bytes regcomp() holds at its peak for a pattern of cost c: a
 * fixed part (the DFA, its state table, the fastmap: about 1 KiB with glibc
 * 2.36), the tree and the NFA, and the epsilon closures, each at most as long
 * as the epsilon nodes, of 8-byte indexes, twice (the inverse closures).  An
 * upper bound of what was measured ("(a?{33}){20}": 5.3 MB), not glibc's formula.
 */
unsigned long long sel_compile_bytes(const struct sel_pattern_cost *c)
{
	return cost_add(cost_add(2048, cost_mul(c->nodes, 160)), cost_mul(cost_mul(c->nodes, cost_add(c->eps, 1)), 16));
}

/* Starts a budget for the patterns of one rules file or one command line. */
void sel_budget_init(struct sel_budget *b)
{
	b->bytes_left = SEL_BUDGET_BYTES;
}

/*
 * Compiles the patterns of r as POSIX extended regexes (anchored for -x,
 * case-blind for -i); 0, or -EINVAL with "'PATTERN': reason" in err.
 */
int sel_compile(struct sel_rule *r, struct sel_budget *budget, struct strbuf *err)
{
	int flags = REG_EXTENDED | REG_NOSUB | (r->icase ? REG_ICASE : 0);
	struct sel_budget own;

	if (!budget) {
		sel_budget_init(&own);
		budget = &own;
	}
	r->regs = xcalloc(r->npatterns ? r->npatterns : 1, sizeof(*r->regs));
	for (size_t i = 0; i < r->npatterns; i++) {
		const char *pat = r->patterns[i];
		char *anchored = NULL;
		struct sel_pattern_cost cost;
		unsigned long long bytes;
		int rc;

		if (!*pat) {
			sb_adds(err, "an empty pattern would match every process");
			return -EINVAL;
		}
		if (r->exact)
			anchored = xasprintf("^(%s)$", pat); /* pgrep -x: the whole name */
		/* every cost is bounded before regcomp() pays it */
		sel_pattern_cost(anchored ? anchored : pat, &cost);
		if (cost.nodes > SEL_PATTERN_MAX_NODES || cost.loop_diamonds > SEL_PATTERN_MAX_DIAMONDS) {
			free(anchored);
			sb_addf(err,
				"pattern '%s' is too complex: the regex library would build more than %lu nodes "
				"for it, or take exponential time (repetitions such as '+' and {m,n} copy what they "
				"repeat, nested ones multiply; a loop may hold at most %d optional parts that can match "
				"nothing, such as (a?)?; groups nest at most %d deep)",
				pat, SEL_PATTERN_MAX_NODES, SEL_PATTERN_MAX_DIAMONDS, SEL_PATTERN_MAX_DEPTH);
			return -EINVAL;
		}
		bytes = sel_compile_bytes(&cost);
		if (bytes > budget->bytes_left) {
			free(anchored);
			sb_addf(err,
				"pattern '%s' is past the budget: the patterns up to here would need more than %llu MiB "
				"to compile, all that one rules file or command line may use; nothing is compiled past it",
				pat, SEL_BUDGET_BYTES >> 20);
			return -E2BIG;
		}
		budget->bytes_left -= bytes;
		rc = regcomp(&r->regs[i], anchored ? anchored : pat, flags);
		free(anchored);
		if (rc != 0) {
			char msg[256];
			regerror(rc, &r->regs[i], msg, sizeof(msg));
			regfree(&r->regs[i]);
			sb_addf(err, "bad pattern '%s': %s", pat, msg);
			return -EINVAL;
		}
		r->nregs++;
	}
	return 0;
}

/* Returns the last part of a path (the path itself when it has no '/'). */
static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

/*
 * Returns the full name a comm of SEL_COMM_MAX characters was cut from, into
 * buf: the last part of argv0, else of the executable's path exe_target
 * (without " (deleted)"), whichever is longer than comm and starts with it
 * (either may be NULL); NULL when comm is shorter, or neither qualifies.
 */
const char *sel_full_name(const char *comm, const char *argv0, const char *exe_target, char *buf, size_t size)
{
	const char *cands[2] = { argv0, exe_target };
	size_t clen = strlen(comm);

	if (clen != SEL_COMM_MAX || size == 0)
		return NULL;
	for (size_t i = 0; i < 2; i++) {
		const char *name;
		size_t len;

		if (!cands[i])
			continue;
		name = base_name(cands[i]);
		len = strlen(name);
		if (i == 1 && len > 10 && strcmp(name + len - 10, " (deleted)") == 0)
			len -= 10;
		if (len > clen && len < size && strncmp(name, comm, clen) == 0) {
			memcpy(buf, name, len);
			buf[len] = '\0';
			return buf;
		}
	}
	return NULL;
}

/* Tells whether the command line is needed to decide about r (-f with patterns). */
bool sel_needs_cmdline(const struct sel_rule *r)
{
	return r->full && r->npatterns > 0;
}

/* Tells whether the workload is needed to decide about r (--unit, --workload). */
bool sel_needs_workload(const struct sel_rule *r)
{
	return r->unit_glob || r->workload_pat;
}

/* Returns the oom_score_adj r asks for, whatever its unit. */
int sel_target_score(const struct sel_rule *r)
{
	return r->unit == ADJ_LEGACY ? badness_legacy_to_adj(r->adj) : r->adj;
}

/* Tells whether -u of r names uid. */
static bool uid_listed(const struct sel_rule *r, uid_t uid)
{
	for (size_t i = 0; i < r->nuids; i++)
		if (r->uids[i] == uid)
			return true;
	return false;
}

/*
 * Decides whether a process is selected by r: like pgrep, a user filter, any
 * pattern on the name (a cut one also on its full name, s->fullname; with -f
 * on the command line), --exe; then the two
 * exclusions that no option lifts, kernel threads and oomtop's own line.
 */
enum sel_verdict sel_decide(const struct sel_rule *r, struct sel_subject *s)
{
	s->by_fullname = false;
	if (r->nuids && !uid_listed(r, s->ruid))
		return SEL_NO;
	if (r->npatterns) {
		/* pgrep -f falls back to the name when there is no command line */
		const char *text = r->full && s->cmdline && *s->cmdline ? s->cmdline : s->comm;
		size_t i;
		for (i = 0; i < r->nregs; i++)
			if (regexec(&r->regs[i], text, 0, NULL, 0) == 0)
				break;
		/* a name of 15 characters may be cut: the name it was cut from matches too */
		if (i == r->nregs && text == s->comm && s->fullname) {
			for (i = 0; i < r->nregs; i++)
				if (regexec(&r->regs[i], s->fullname, 0, NULL, 0) == 0)
					break;
			s->by_fullname = i < r->nregs;
		}
		if (i == r->nregs)
			return SEL_NO;
	}
	if (r->exe && ((!r->have_exe && !r->have_exe_dir) || s->exe_match == 0))
		return SEL_NO;
	/* --unit and --workload: ANDed with the rest, as -u and --exe are */
	if (sel_needs_workload(r) && !s->workload)
		return SEL_NO;
	if (r->unit_glob && !workload_unit_match(s->workload, r->unit_glob))
		return SEL_NO;
	if (r->workload_pat && !workload_match(s->workload, r->workload_pat))
		return SEL_NO;
	if (s->kthread)
		return SEL_KTHREAD;
	if (s->self_or_ancestor)
		return SEL_SELF;
	return SEL_YES;
}

/*
 * Tells whether writing r would lower a process that is not plainly the
 * runner's, or not plainly of the users -u names: a process name or command
 * line is chosen by whoever starts the process, so a pattern alone must never
 * protect someone else's.  "Plainly" means the real, effective and saved uids
 * all qualify: a setuid program (su waiting at Password:, effective uid 0)
 * was started and named by its real uid, so the effective uid alone says nothing.
 */
bool sel_refuse_lowering(const struct sel_rule *r, uid_t runner, const struct sel_owner *owner, int old_score,
			 int new_score)
{
	const uid_t ids[3] = { owner->ruid, owner->euid, owner->suid };

	if (new_score >= old_score)
		return false;
	for (size_t i = 0; i < 3; i++)
		if (r->nuids ? !uid_listed(r, ids[i]) : ids[i] != runner)
			return true;
	return false;
}

/*
 * Decides whether a rule that selected matched of the eligible processes may
 * be applied: never more than --max, and, unless --max confirms the count,
 * never more than half of the machine (a small machine has fewer than 32
 * processes, and `protect .` must not make it unkillable).
 */
enum sel_refusal sel_check_count(const struct sel_rule *r, size_t matched, size_t eligible)
{
	if (matched > (size_t)r->max)
		return SEL_REFUSED_MAX;
	if (!r->max_set && matched > SEL_SHARE_FLOOR && matched * 2 > eligible)
		return SEL_REFUSED_SHARE;
	return SEL_ALLOWED;
}

/* Appends why a rule was refused and how to proceed (no newline); skipped processes are counted apart. */
void sel_format_refusal(struct strbuf *sb, const struct sel_rule *r, size_t matched, size_t skipped, size_t eligible,
			enum sel_refusal why)
{
	if (why == SEL_REFUSED_SKIPPED) {
		sb_addf(sb,
			"the pattern matches only %zu process%s that %s not plainly yours and would be lowered: "
			"refused, nothing written (-u USER names the users whose processes may be lowered)",
			skipped, skipped == 1 ? "" : "es", skipped == 1 ? "is" : "are");
		return;
	}
	if (why == SEL_REFUSED_MAX)
		sb_addf(sb,
			"the pattern matches %zu processes, more than --max %ld: refused, nothing written "
			"(narrow it down with -x, -u or --exe, or raise --max)",
			matched, r->max);
	else
		sb_addf(sb,
			"the pattern matches %zu of the %zu processes on this machine: refused, nothing "
			"written (narrow it down with -x, -u or --exe, or confirm the count with --max %zu)",
			matched, eligible, matched);
	if (skipped)
		sb_addf(sb, "; %zu more matched that %s not plainly yours and would not be lowered (not counted)",
			skipped, skipped == 1 ? "is" : "are");
}

/*
 * Resolves what r names on this system: the users of -u (an unknown one is
 * an error, with "-u: ..." in err) and the file of --exe (a missing one
 * matches only processes that still run the deleted file of that path:
 * exe_errno says why it is missing).  0 or -EINVAL.
 */
int sel_resolve(struct sel_rule *r, struct strbuf *err)
{
	struct stat st;

	if (r->users && !r->uids) {
		char *copy = xstrdup(r->users), *rest = copy, *tok;
		while ((tok = strsep(&rest, ",")) != NULL) {
			uid_t uid;
			if (!*tok || users_parse(tok, &uid) < 0) {
				sb_addf(err, "-u: no such user '%s' (a user name or a numeric uid)", tok);
				free(copy);
				free(r->uids);
				r->uids = NULL;
				r->nuids = 0;
				return -EINVAL;
			}
			r->uids = xreallocarray(r->uids, r->nuids + 1, sizeof(*r->uids));
			r->uids[r->nuids++] = uid;
		}
		free(copy);
	}
	if (r->exe) {
		char *dir = xstrdup(r->exe), *slash = strrchr(dir, '/'), *real_dir;

		if (stat(r->exe, &st) == 0) {
			r->have_exe = true;
			r->exe_dev = st.st_dev;
			r->exe_ino = st.st_ino;
		} else {
			r->exe_errno = errno;
		}
		/* the path a running process's exe link shows once the file is deleted or replaced */
		*slash = '\0';
		r->exe_real = r->have_exe ? realpath(r->exe, NULL) : NULL;
		real_dir = r->exe_real ? NULL : realpath(*dir ? dir : "/", NULL);
		if (r->exe_real) {
			r->have_exe_dir = true;
			r->exe_dir_dev = r->exe_dev;
		} else if (real_dir && stat(real_dir, &st) == 0) {
			r->exe_real = xasprintf("%s/%s", strcmp(real_dir, "/") == 0 ? "" : real_dir, slash + 1);
			r->have_exe_dir = true;
			r->exe_dir_dev = st.st_dev;
		}
		free(real_dir);
		free(dir);
	}
	return 0;
}

/* Returns whether pid is in the list. */
static bool pid_in(const pid_t *pids, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (pids[i] == pid)
			return true;
	return false;
}

/* Fills anc with this process and its ancestors, from the scan; returns how many. */
static size_t find_ancestors(struct proc_table *t, pid_t *anc, size_t max)
{
	size_t n = 0;
	pid_t pid = getpid();

	while (pid > 0 && n < max && !pid_in(anc, n, pid)) {
		struct proc_record *rec = proc_table_find(t, pid);
		anc[n++] = pid;
		if (!rec || !(rec->known & PROC_HAVE_STATUS))
			break;
		pid = rec->ppid;
	}
	if (n < max && !pid_in(anc, n, getppid()))
		anc[n++] = getppid();
	return n;
}

/* A pinned candidate of one rule, and whether the owner rules let it be lowered. */
struct candidate {
	struct adj_proc *p;
	size_t rule;
	bool skip;      /* another user's (or a setuid program's) process that the rule would lower */
	int old_score;  /* when skip */
	int old_legacy; /* when skip */
	bool by_fullname;
	bool exe_deleted;
	char fullname[64];
	struct workload *workload; /* owned; NULL unless read through the pinned directory */
};

/*
 * Tells whether the pinned p runs the file of --exe: 1 the same file, 2 a
 * deleted one that had its path (an upgrade replaced or removed it: the
 * exe link reads "PATH (deleted)", on the device of PATH's directory), 0 not.
 */
static int exe_match(const struct sel_rule *r, struct adj_proc *p)
{
	char target[4096];
	bool same = false;
	size_t len;
	dev_t dev;

	if (r->have_exe && adj_same_exe(p, r->exe_dev, r->exe_ino, &same) == 0 && same)
		return 1;
	if (!r->have_exe_dir || adj_exe_target(p, target, sizeof(target), &dev) < 0 || dev != r->exe_dir_dev)
		return 0;
	len = strlen(r->exe_real);
	return strncmp(target, r->exe_real, len) == 0 && strcmp(target + len, " (deleted)") == 0 ? 2 : 0;
}

/*
 * Reads the workload of the pinned candidate into c from its /proc/PID/cgroup
 * (named through the cache wl); false when it cannot be read (it then
 * matches no --unit or --workload).
 */
static bool read_workload(struct candidate *c, struct workload_cache *wl)
{
	char path[CGROUP_PATH_MAX], *buf;
	size_t len;
	int err;

	if (adj_read_cgroup(c->p, &buf, &len) < 0)
		return false;
	err = len ? workload_choose_path(buf, len, path, sizeof(path)) : -ENOENT;
	free(buf);
	if (err < 0)
		return false;
	c->workload = xmalloc(sizeof(*c->workload));
	*c->workload = *workload_cache_get(wl, path);
	return true;
}

/*
 * Returns the first rule that selects the pinned candidate c->p, or nrules;
 * notes how in c.  The workload is read when a rule needs it or want says so.
 */
static size_t decide_pinned(struct sel_rule *rules, size_t nrules, struct candidate *c, const pid_t *anc, size_t nanc,
			    struct workload_cache *wl, bool want)
{
	const struct adj_ident *id = adj_proc_ident(c->p);
	struct sel_subject s = {
		.ruid = id->ruid,
		.comm = id->comm,
		.kthread = id->kthread,
		.self_or_ancestor = pid_in(anc, nanc, id->pid),
		.exe_match = -1,
	};
	char *cmdline = NULL, argv0[4096], target[4096];
	size_t len, i;
	dev_t dev;

	for (i = 0; i < nrules && !want; i++)
		want = sel_needs_workload(&rules[i]);
	if (want && read_workload(c, wl))
		s.workload = c->workload;
	if (strlen(id->comm) == SEL_COMM_MAX) {
		bool have_argv0 = adj_read_argv0(c->p, argv0, sizeof(argv0)) == 0;
		bool have_target = adj_exe_target(c->p, target, sizeof(target), &dev) == 0;
		s.fullname = sel_full_name(id->comm, have_argv0 ? argv0 : NULL, have_target ? target : NULL,
					   c->fullname, sizeof(c->fullname));
	}
	for (i = 0; i < nrules; i++) {
		struct sel_rule *r = &rules[i];
		if (sel_needs_cmdline(r) && !cmdline) {
			if (adj_read_cmdline(c->p, &cmdline, &len) < 0)
				cmdline = xstrdup("");
			s.cmdline = cmdline;
		}
		s.exe_match = r->exe ? exe_match(r, c->p) : -1;
		if (sel_decide(r, &s) == SEL_YES)
			break;
	}
	c->by_fullname = i < nrules && s.by_fullname;
	c->exe_deleted = i < nrules && s.exe_match == 2;
	free(cmdline);
	return i;
}

/* Appends an item to the report and returns it. */
static struct sel_item *add_item(struct sel_report *rep, size_t rule, enum sel_outcome outcome)
{
	struct sel_item *it;

	/* doubling: a pass may select thousands */
	if (full_at(rep->nitems))
		rep->items = xreallocarray(rep->items, rep->nitems ? 2 * rep->nitems : 1, sizeof(*rep->items));
	it = &rep->items[rep->nitems++];
	memset(it, 0, sizeof(*it));
	it->rule = rule;
	it->outcome = outcome;
	return it;
}

/*
 * Tells whether the pinned candidate c may not be lowered by r
 * (sel_refuse_lowering); reads its current value into c.  A process whose
 * value cannot be read is not skipped: the writer then reports why.
 */
static void check_owner(const struct sel_rule *r, struct candidate *c)
{
	const struct adj_ident *id = adj_proc_ident(c->p);
	struct sel_owner owner = { .ruid = id->ruid, .euid = id->uid, .suid = id->suid };
	bool fallback;

	c->skip = adj_read(c->p, &c->old_score, &c->old_legacy, &fallback) == 0 &&
		  sel_refuse_lowering(r, geteuid(), &owner, c->old_score, sel_target_score(r));
}

/* Copies into an item how its candidate was selected, and hands it the candidate's workload. */
static void copy_notes(struct sel_item *it, struct candidate *c)
{
	it->by_fullname = c->by_fullname;
	it->exe_deleted = c->exe_deleted;
	memcpy(it->fullname, c->fullname, sizeof(it->fullname));
	it->workload = c->workload; /* the item owns it now */
	c->workload = NULL;
}

/* Records a candidate that r may not lower; loud when that is why r was refused. */
static void add_skipped(const struct sel_rule *r, size_t rule, struct candidate *c, bool loud, struct sel_report *rep)
{
	const struct adj_ident *id = adj_proc_ident(c->p);
	struct sel_item *it = add_item(rep, rule, SEL_SKIPPED);

	it->loud = loud;
	copy_notes(it, c);
	it->res.id = *id;
	it->res.unit = r->unit;
	it->res.requested = r->adj;
	it->res.have_old = true;
	it->res.old_score = it->res.new_score = c->old_score;
	it->res.old_legacy = it->res.new_legacy = c->old_legacy;
	it->res.target_score = sel_target_score(r);
	it->res.target_legacy =
		r->unit == ADJ_LEGACY ? r->adj : adj_legacy_after(adj_proc_rules(c->p), ADJ_SCORE, r->adj);
	it->res.self_uid = geteuid();
	it->res.owner_name = users_name(id->ruid);
	it->owner_names[0] = it->res.owner_name;
	it->owner_names[1] = users_name(id->uid);
	it->owner_names[2] = users_name(id->suid);
}

/* The pids of a scan's processes but kernel threads: where a write looks for the processes sharing its memory. */
struct pid_list {
	pid_t *v; /* owned */
	size_t n;
};

/* Sets one pinned candidate of rule r, looking for sharers among peers (NULL: all of /proc); records what happened. */
static void set_one(const struct sel_rule *r, size_t rule, struct candidate *c, const struct sel_opts *o,
		    const struct pid_list *peers, struct sel_report *rep)
{
	struct adj_request req = { .unit = r->unit,
				   .value = r->adj,
				   .dry_run = o->dry_run,
				   .cmd = o->cmd,
				   .no_sharers = o->no_sharers,
				   .peers = peers ? peers->v : NULL,
				   .npeers = peers ? peers->n : 0 };
	struct sel_item *it = add_item(rep, rule, SEL_FAILED);
	int err = adj_set(c->p, &req, &it->res);

	copy_notes(it, c);
	if (err == -ESRCH && !it->res.changed)
		it->outcome = SEL_GONE;
	else if (err == 0)
		it->outcome = adj_result_changes(&it->res) ? SEL_CHANGED : SEL_UNCHANGED;
}

/*
 * Scans /proc and applies the rules: each process goes to the first rule
 * that selects it (decided again on what was read through its pinned
 * directory); a rule that selects too many processes (sel_check_count) is
 * refused and writes nothing.  Fills *rep; returns 0, or -errno when /proc cannot be read.
 */
int sel_run(struct sel_rule *rules, size_t nrules, const struct sel_opts *o, struct sel_report *rep)
{
	struct proc_table *t = proc_table_new();
	struct candidate *cands = NULL;
	struct pid_list peers = { 0 };
	size_t ncands = 0, nanc;
	pid_t anc[MAX_ANCESTORS];
	bool need_cmdline = false, need_workload = false;
	struct workload_cache *wl = workload_cache_new();
	int err;

	memset(rep, 0, sizeof(*rep));
	rep->matched = xcalloc(nrules ? nrules : 1, sizeof(*rep->matched));
	rep->refused = xcalloc(nrules ? nrules : 1, sizeof(*rep->refused));
	rep->skipped = xcalloc(nrules ? nrules : 1, sizeof(*rep->skipped));
	err = proc_scan(t);
	if (err < 0) {
		rep->scan_errno = -err;
		proc_table_free(t);
		workload_cache_free(wl);
		return err;
	}
	nanc = find_ancestors(t, anc, MAX_ANCESTORS);
	for (size_t i = 0; i < nrules; i++) {
		need_cmdline |= sel_needs_cmdline(&rules[i]);
		need_workload |= sel_needs_workload(&rules[i]);
	}

	for (size_t k = 0; k < proc_table_len(t); k++) {
		struct proc_record *rec = proc_table_at(t, k);
		struct sel_subject s = {
			.ruid = rec->ruid,
			.comm = rec->comm,
			.kthread = rec->kthread,
			.self_or_ancestor = pid_in(anc, nanc, rec->pid),
			.exe_match = -1,
		};
		struct adj_proc *p;
		size_t i;

		if (!(rec->known & PROC_HAVE_STATUS) || rec->kthread || s.self_or_ancestor)
			continue;
		rep->eligible++;
		if (need_cmdline && proc_read_cmdline(t, rec) == 0)
			s.cmdline = rec->cmdline;
		/* a first look, one cgroup named once: the pinned look reads it again */
		if (need_workload && workload_cache_of_pid(wl, rec->pid, &s.workload) < 0)
			s.workload = NULL;
		for (i = 0; i < nrules; i++)
			if (sel_decide(&rules[i], &s) == SEL_YES)
				break;
		/* a name of 15 characters may be cut: only the pinned look reads the full one */
		if (i == nrules && strlen(rec->comm) != SEL_COMM_MAX)
			continue;
		/* pin it, then decide again on what belongs to the pinned process */
		if (adj_open(rec->pid, 0, &p) < 0)
			continue; /* exited meanwhile: as pkill, not an error */
		cands = xreallocarray(cands, ncands + 1, sizeof(*cands));
		memset(&cands[ncands], 0, sizeof(cands[ncands]));
		cands[ncands].p = p;
		i = decide_pinned(rules, nrules, &cands[ncands], anc, nanc, wl, o->want_workload);
		if (i == nrules) {
			adj_close(p);
			free(cands[ncands].workload);
			continue;
		}
		cands[ncands].rule = i;
		/* only what the rule would write counts toward --max and the machine's half */
		check_owner(&rules[i], &cands[ncands]);
		if (cands[ncands].skip)
			rep->skipped[i]++;
		else
			rep->matched[i]++;
		ncands++;
	}
	peers.v = xcalloc(proc_table_len(t) ? proc_table_len(t) : 1, sizeof(*peers.v));
	for (size_t k = 0; k < proc_table_len(t); k++) {
		const struct proc_record *rec = proc_table_at(t, k);
		if (!rec->kthread) /* (kcmp settles the rest) */
			peers.v[peers.n++] = rec->pid;
	}
	proc_table_free(t);

	for (size_t i = 0; i < nrules; i++) {
		rep->refused[i] = sel_check_count(&rules[i], rep->matched[i], rep->eligible);
		if (!rep->refused[i] && rep->matched[i] == 0 && rep->skipped[i] > 0)
			rep->refused[i] = SEL_REFUSED_SKIPPED;
		if (rep->refused[i] && rep->refused[i] != SEL_REFUSED_SKIPPED)
			continue;
		for (size_t c = 0; c < ncands; c++) {
			if (cands[c].rule != i)
				continue;
			if (cands[c].skip)
				add_skipped(&rules[i], i, &cands[c], rep->refused[i] == SEL_REFUSED_SKIPPED, rep);
			else
				set_one(&rules[i], i, &cands[c], o, &peers, rep);
		}
	}
	for (size_t c = 0; c < ncands; c++) {
		adj_close(cands[c].p);
		free(cands[c].workload);
	}
	free(cands);
	free(peers.v);
	workload_cache_free(wl);
	return 0;
}

/*
 * Returns whether any rule could select a process named comm, whoever owns
 * it: false only when every rule matches by name and none of its patterns
 * matches comm (a rule with -f, without patterns, or a name of 15
 * characters that may have been cut could match, so they say true).  A
 * cheap first look for a caller that sees one process at a time.
 */
bool sel_name_may_match(const struct sel_rule *rules, size_t nrules, const char *comm)
{
	if (strlen(comm) >= SEL_COMM_MAX)
		return true;
	for (size_t i = 0; i < nrules; i++) {
		const struct sel_rule *r = &rules[i];
		if (r->full || !r->npatterns)
			return true;
		for (size_t k = 0; k < r->nregs; k++)
			if (regexec(&r->regs[k], comm, 0, NULL, 0) == 0)
				return true;
	}
	return false;
}

/* Fills anc with this process and its ancestors, read through /proc/PID of each; returns how many. */
static size_t own_ancestors(pid_t *anc, size_t max)
{
	size_t n = 0;
	pid_t pid = getpid();

	while (pid > 0 && n < max && !pid_in(anc, n, pid)) {
		struct adj_proc *p;
		anc[n++] = pid;
		if (adj_open(pid, 0, &p) < 0)
			break;
		pid = adj_proc_ident(p)->ppid;
		adj_close(p);
	}
	return n;
}

/*
 * Applies the rules to one process, as sel_run() does to each: the first
 * rule that selects it, decided on what was read through its pinned
 * directory, the same owner rules, and the same refusals, counting held[i]
 * processes that rule i already holds and eligible processes on the machine
 * (from the last full pass).  Fills *rep (one rule's count at most);
 * returns 0, or -ENOENT when the process is gone (nothing to report).
 */
int sel_run_pid(struct sel_rule *rules, size_t nrules, pid_t pid, const size_t *held, size_t eligible,
		const struct sel_opts *o, struct sel_report *rep)
{
	/* the daemon's own line changes rarely: read again when its parent changed or 10 s passed */
	static pid_t anc[MAX_ANCESTORS], anc_parent;
	static size_t nanc;
	static time_t anc_time;
	/* the names of workloads, kept as long as the daemon's line: a renamed container is seen within 10 s */
	static struct workload_cache *wl;
	time_t now = time(NULL);
	struct candidate c;
	size_t i;

	if (nanc == 0 || anc_parent != getppid() || now - anc_time >= 10 || now < anc_time) {
		nanc = own_ancestors(anc, MAX_ANCESTORS);
		anc_parent = getppid();
		anc_time = now;
		workload_cache_free(wl);
		wl = NULL;
	}
	if (!wl)
		wl = workload_cache_new();

	memset(rep, 0, sizeof(*rep));
	memset(&c, 0, sizeof(c));
	rep->matched = xcalloc(nrules ? nrules : 1, sizeof(*rep->matched));
	rep->refused = xcalloc(nrules ? nrules : 1, sizeof(*rep->refused));
	rep->skipped = xcalloc(nrules ? nrules : 1, sizeof(*rep->skipped));
	rep->eligible = eligible;
	if (adj_open(pid, 0, &c.p) < 0)
		return -ENOENT;
	if (adj_proc_ident(c.p)->kthread || pid_in(anc, nanc, pid)) {
		adj_close(c.p);
		return 0;
	}
	i = decide_pinned(rules, nrules, &c, anc, nanc, wl, o->want_workload);
	if (i < nrules) {
		c.rule = i;
		check_owner(&rules[i], &c);
		if (c.skip) {
			rep->skipped[i] = 1;
			add_skipped(&rules[i], i, &c, false, rep);
		} else {
			rep->matched[i] = 1;
			rep->refused[i] =
				sel_check_count(&rules[i], held[i] + 1, eligible > held[i] ? eligible : held[i] + 1);
			if (!rep->refused[i])
				set_one(&rules[i], i, &c, o, NULL, rep);
		}
	}
	adj_close(c.p);
	free(c.workload);
	return 0;
}

/* Releases what a report owns. */
void sel_report_free(struct sel_report *rep)
{
	for (size_t i = 0; i < rep->nitems; i++)
		free(rep->items[i].workload);
	free(rep->items);
	free(rep->matched);
	free(rep->skipped);
	free(rep->refused);
	memset(rep, 0, sizeof(*rep));
}

/*
 * Appends the line about one item (no newline) and returns where it goes:
 * changes and failures always, unchanged processes and skipped ones unless
 * quiet, a process that exited before its write nowhere (as pkill).
 */
enum sel_stream sel_format_item(struct strbuf *sb, const struct sel_item *it, bool quiet, bool utf8)
{
	const struct adj_result *res = &it->res;

	switch (it->outcome) {
	case SEL_CHANGED:
		adjfmt_result(sb, res, utf8);
		return SEL_STDOUT;
	case SEL_UNCHANGED:
		adjfmt_result(sb, res, utf8);
		return quiet ? SEL_QUIET : SEL_STDOUT;
	case SEL_FAILED:
		adjfmt_result(sb, res, utf8);
		return SEL_STDERR;
	case SEL_GONE:
		return SEL_QUIET;
	case SEL_SKIPPED:
		break;
	}
	sb_addf(sb, "%d (", (int)res->id.pid);
	out_escape(sb, res->id.comm, strlen(res->id.comm), utf8);
	sb_addf(sb, "): not lowered from %d to %d: ", res->old_score, res->target_score);
	if (res->id.ruid != res->id.uid || res->id.ruid != res->id.suid) {
		const uid_t ids[3] = { res->id.ruid, res->id.uid, res->id.suid };
		sb_addf(sb,
			"its real, effective and saved uids differ (%lu, %lu, %lu): a setuid program, or one that "
			"changed its ids, was started and named by uid %lu",
			(unsigned long)ids[0], (unsigned long)ids[1], (unsigned long)ids[2], (unsigned long)ids[0]);
		if (it->owner_names[0] && *it->owner_names[0])
			sb_addf(sb, " (%s)", it->owner_names[0]);
		sb_adds(sb, "; add -u ");
		for (size_t i = 0; i < 3; i++) {
			bool dup = false;
			for (size_t j = 0; j < i; j++)
				dup |= ids[j] == ids[i];
			if (dup)
				continue;
			if (i)
				sb_addc(sb, ',');
			if (it->owner_names[i] && *it->owner_names[i])
				sb_adds(sb, it->owner_names[i]);
			else
				sb_addf(sb, "%lu", (unsigned long)ids[i]);
		}
		sb_adds(sb, " (all of them) to include it");
	} else {
		sb_addf(sb, "it belongs to uid %lu", (unsigned long)res->id.ruid);
		if (res->owner_name && *res->owner_name)
			sb_addf(sb, " (%s)", res->owner_name);
		sb_addf(sb,
			", and a process's name is chosen by whoever starts it; add -u %s to include that user's "
			"processes",
			res->owner_name && *res->owner_name ? res->owner_name : "USER");
	}
	return quiet && !it->loud ? SEL_QUIET : SEL_STDERR;
}

/*
 * Appends a note about how an item was selected (no newline) and returns
 * whether there is one: --exe matched a deleted file by its path (always:
 * the path no longer names what runs, which -q must not hide), or a pattern
 * longer than a name can be matched only the full name (unless quiet).
 */
bool sel_note(struct strbuf *sb, const struct sel_rule *r, const struct sel_item *it, bool quiet, bool utf8)
{
	const struct adj_ident *id = &it->res.id;
	bool any = false;

	if (it->outcome == SEL_GONE)
		return false;
	if (it->exe_deleted) {
		sb_adds(sb, "--exe ");
		out_escape(sb, r->exe, strlen(r->exe), utf8);
		sb_addf(sb, ": %d (", (int)id->pid);
		out_escape(sb, id->comm, strlen(id->comm), utf8);
		sb_adds(sb, ") runs a deleted file that had this path (replaced or removed, by an upgrade?): "
			    "matched by that name; restart it to run the file the path names now");
		any = true;
	}
	if (it->by_fullname && !quiet) {
		size_t longest = 0;
		for (size_t i = 0; i < r->npatterns; i++)
			if (strlen(r->patterns[i]) > longest)
				longest = strlen(r->patterns[i]);
		if (longest > SEL_COMM_MAX) {
			if (any)
				sb_adds(sb, "; ");
			sb_addf(sb, "%d (", (int)id->pid);
			out_escape(sb, id->comm, strlen(id->comm), utf8);
			sb_adds(sb, ") matched by its full name '");
			out_escape(sb, it->fullname, strlen(it->fullname), utf8);
			sb_addf(sb, "': the kernel keeps %d characters of a process name", SEL_COMM_MAX);
			any = true;
		}
	}
	return any;
}

/*
 * Returns the exit status of a run, as pgrep's: 3 when a rule was refused or
 * a write failed, 1 when nothing was selected, else 0.
 */
int sel_exit_status(const struct sel_report *rep, size_t nrules)
{
	bool selected = false;

	for (size_t i = 0; i < nrules; i++)
		if (rep->refused[i])
			return EXIT_FAIL;
	for (size_t i = 0; i < rep->nitems; i++) {
		if (rep->items[i].outcome == SEL_FAILED)
			return EXIT_FAIL;
		if (rep->items[i].outcome != SEL_SKIPPED && rep->items[i].outcome != SEL_GONE)
			selected = true;
	}
	return selected ? EXIT_OK : EXIT_NOMATCH;
}
