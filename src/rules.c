/*
 * The rules file grammar (README.md, "oomtop apply"):
 *
 *   file    = { line "\n" }
 *   line    = [ rule ] [ "#" comment ]
 *   rule    = ADJ { option } [ "--" ] { PATTERN }   (options first)
 *   option  = -f | --full | -x | --exact | -i | --ignore-case | --legacy
 *           | -u USER[,USER...] | --user=USER... | --exe PATH | --max N
 *           | --unit GLOB | --workload PATTERN     (also --opt=VALUE)
 *
 * Words are split on blanks and quoted as in sh: '...' literally, "..." with
 * \" \\ \$ \` escapes, and a backslash outside quotes takes the next
 * character as it is.  A # starts a comment where a word could start.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "adj.h"
#include "oomtop.h"
#include "rules.h"
#include "xalloc.h"

#define OPTIONS_TEXT "-f, -x, -i, -u USER, --exe PATH, --unit GLOB, --workload PATTERN, --legacy, --max N"

/* Tells whether c separates words. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Releases the words of a line. */
void rules_free_tokens(char **tokens, size_t ntokens)
{
	for (size_t i = 0; i < ntokens; i++)
		free(tokens[i]);
	free(tokens);
}

/*
 * Splits one line (no newline) into words as described at the top; stores a
 * new array in *tokens (free it with rules_free_tokens) and returns 0, or
 * -EINVAL with the reason in err (an unterminated quote, a NUL byte).
 */
int rules_tokenize(const char *line, size_t len, char ***tokens, size_t *ntokens, struct strbuf *err)
{
	struct strbuf word = STRBUF_INIT;
	size_t i = 0;

	*tokens = NULL;
	*ntokens = 0;
	if (memchr(line, '\0', len)) {
		sb_adds(err, "the line holds a NUL byte");
		return -EINVAL;
	}
	for (;;) {
		bool started = false;

		while (i < len && is_blank(line[i]))
			i++;
		if (i >= len || line[i] == '#')
			break;
		sb_reset(&word);
		sb_add(&word, "", 0);
		while (i < len && !is_blank(line[i])) {
			char c = line[i];
			started = true;
			if (c == '\'') {
				const char *close = memchr(line + i + 1, '\'', len - i - 1);
				if (!close) {
					sb_adds(err, "unterminated ' quote");
					goto fail;
				}
				sb_add(&word, line + i + 1, (size_t)(close - line - i - 1));
				i = (size_t)(close - line) + 1;
			} else if (c == '"') {
				for (i++; i < len && line[i] != '"'; i++) {
					if (line[i] == '\\' && i + 1 < len && strchr("\"\\$`", line[i + 1]))
						i++;
					sb_addc(&word, line[i]);
				}
				if (i >= len) {
					sb_adds(err, "unterminated \" quote");
					goto fail;
				}
				i++;
			} else if (c == '\\') {
				if (i + 1 >= len) {
					sb_adds(err,
						"a backslash ends the line (a rule cannot go on to the next line)");
					goto fail;
				}
				sb_addc(&word, line[i + 1]);
				i += 2;
			} else {
				sb_addc(&word, c);
				i++;
			}
		}
		if (started) {
			/* doubling at powers of two: a 1 MiB line may hold 500,000 words */
			if ((*ntokens & (*ntokens - 1)) == 0)
				*tokens = xreallocarray(*tokens, *ntokens ? 2 * *ntokens : 1, sizeof(**tokens));
			(*tokens)[(*ntokens)++] = xstrndup(word.buf, word.len);
		}
	}
	sb_free(&word);
	return 0;
fail:
	sb_free(&word);
	rules_free_tokens(*tokens, *ntokens);
	*tokens = NULL;
	*ntokens = 0;
	return -EINVAL;
}

/* Adds USER[,USER...] to the users of r. */
static void add_users(struct sel_rule *r, const char *users)
{
	if (!r->users) {
		r->users = xstrdup(users);
	} else {
		char *joined = xasprintf("%s,%s", r->users, users);
		free(r->users);
		r->users = joined;
	}
}

/*
 * Finishes a rule whose options and patterns are set: parses its value
 * adj_text in the rule's unit (NULL: the default, -1000 or legacy -17),
 * checks --exe and that something is selected, compiles the patterns within
 * budget (NULL: a budget of their own).  0, or -EINVAL (-E2BIG: the budget is
 * spent) with the reason in err.
 */
int rules_finish(struct sel_rule *r, const char *adj_text, struct sel_budget *budget, struct strbuf *err)
{
	int err_no;

	if (adj_text) {
		err_no = adj_parse(adj_text, r->unit, &r->adj);
		if (err_no == -EINVAL) {
			sb_addf(err, "'%s' is not a number (%s %d..%d)", adj_text,
				r->unit == ADJ_LEGACY ? "an oom_adj," : "an oom_score_adj,", adj_unit_min(r->unit),
				adj_unit_max(r->unit));
			return -EINVAL;
		}
		if (err_no < 0) {
			sb_addf(err, "%s %s is out of range (%d..%d)",
				r->unit == ADJ_LEGACY ? "oom_adj" : "oom_score_adj", adj_text, adj_unit_min(r->unit),
				adj_unit_max(r->unit));
			return -EINVAL;
		}
	} else {
		r->adj = r->unit == ADJ_LEGACY ? OOM_DISABLE : OOM_SCORE_ADJ_MIN;
	}
	if (r->exe && r->exe[0] != '/') {
		sb_addf(err, "--exe needs an absolute path, not '%s'", r->exe);
		return -EINVAL;
	}
	if (r->unit_glob && !*r->unit_glob) {
		sb_adds(err, "--unit needs a unit name or glob, not an empty one");
		return -EINVAL;
	}
	if (r->workload_pat && !*r->workload_pat) {
		sb_adds(err, "--workload needs a name, id or glob, not an empty one");
		return -EINVAL;
	}
	if (r->npatterns == 0 && !r->users && !r->exe && !r->unit_glob && !r->workload_pat) {
		sb_adds(err,
			"nothing to select: give a PATTERN, -u USER, --exe PATH, --unit GLOB or --workload PATTERN");
		return -EINVAL;
	}
	return sel_compile(r, budget, err);
}

/* Takes the value of an option: "--opt=V", or the next word; NULL when missing. */
static const char *option_value(char *const *tokens, size_t ntokens, size_t *i, const char *eq)
{
	if (eq)
		return eq + 1;
	if (*i + 1 >= ntokens)
		return NULL;
	return tokens[++*i];
}

/*
 * Parses the words of one rule into r (initialised by the caller): the value,
 * the options, the patterns, then rules_finish() within budget; 0 or
 * -EINVAL (-E2BIG) with the reason in err.
 */
int rules_parse_tokens(char *const *tokens, size_t ntokens, struct sel_rule *r, struct sel_budget *budget,
		       struct strbuf *err)
{
	const char *adj_text = tokens[0];
	bool after_dashdash = false;
	size_t i;

	if (adj_text[0] == '-' && (adj_text[1] < '0' || adj_text[1] > '9')) {
		sb_addf(err, "a rule starts with its value (ADJ, -1000..1000), not '%s'", adj_text);
		return -EINVAL;
	}
	for (i = 1; i < ntokens; i++) {
		const char *t = tokens[i], *v;
		if (t[0] != '-' || t[1] == '\0')
			break;
		if (strcmp(t, "--") == 0) {
			after_dashdash = true;
			i++;
			break;
		}
		if (t[1] == '-') {
			const char *eq = strchr(t, '=');
			size_t nlen = eq ? (size_t)(eq - t) : strlen(t);
#define IS(name) (nlen == sizeof(name) - 1 && memcmp(t, name, nlen) == 0)
			if (IS("--full") && !eq) {
				r->full = true;
			} else if (IS("--exact") && !eq) {
				r->exact = true;
			} else if (IS("--ignore-case") && !eq) {
				r->icase = true;
			} else if (IS("--legacy") && !eq) {
				r->unit = ADJ_LEGACY;
			} else if (IS("--user") || IS("--exe") || IS("--max") || IS("--unit") || IS("--workload")) {
				v = option_value(tokens, ntokens, &i, eq);
				if (!v) {
					sb_addf(err, "%.*s needs a value", (int)nlen, t);
					return -EINVAL;
				}
				if (IS("--user")) {
					add_users(r, v);
				} else if (IS("--unit") || IS("--workload")) {
					char **slot = IS("--unit") ? &r->unit_glob : &r->workload_pat;
					if (*slot) {
						/* one each: two would be ANDed, which is never what a second one means
						 */
						sb_addf(err,
							"%.*s given twice (a rule takes one; write one rule per unit)",
							(int)nlen, t);
						return -EINVAL;
					}
					*slot = xstrdup(v);
				} else if (IS("--exe")) {
					free(r->exe);
					r->exe = xstrdup(v);
				} else if (sel_parse_max(v, &r->max) < 0) {
					sb_addf(err, "--max '%s' is not a number of processes (1 or more)", v);
					return -EINVAL;
				} else {
					r->max_set = true;
				}
			} else {
				sb_addf(err, "unknown option '%s' (a rule takes " OPTIONS_TEXT ")", t);
				return -EINVAL;
			}
#undef IS
			continue;
		}
		for (const char *c = t + 1; *c; c++) {
			if (*c == 'f') {
				r->full = true;
			} else if (*c == 'x') {
				r->exact = true;
			} else if (*c == 'i') {
				r->icase = true;
			} else if (*c == 'u') {
				v = c[1] ? c + 1 : (i + 1 < ntokens ? tokens[++i] : NULL);
				if (!v) {
					sb_adds(err, "-u needs a user");
					return -EINVAL;
				}
				add_users(r, v);
				break;
			} else {
				sb_addf(err, "unknown option '-%c'", *c);
				if (strlen(t) > 2)
					sb_addf(err, " in '%s'", t);
				sb_adds(err, " (a rule takes " OPTIONS_TEXT ")");
				return -EINVAL;
			}
		}
	}
	for (; i < ntokens; i++) {
		if (tokens[i][0] == '-' && tokens[i][1] && !after_dashdash) {
			/* a misplaced option would silently become a pattern */
			sb_addf(err,
				"'%s' after a pattern: options come first (a pattern that starts with '-' goes "
				"after --)",
				tokens[i]);
			return -EINVAL;
		}
		sel_rule_add_pattern(r, tokens[i]);
	}
	return rules_finish(r, adj_text, budget, err);
}

/* Appends "FILE:LINE: " and the message of one bad line to err, and a newline. */
static void line_error(struct strbuf *err, const char *file, unsigned line, const struct strbuf *msg)
{
	sb_addf(err, "%s:%u: %s\n", file, line, sb_str(msg));
}

/*
 * Parses a whole rules file; every rule goes into out (free with
 * rules_free()), every bad line into err as "FILE:LINE: message\n".  When
 * resolve is not NULL it is called on each good rule, in line order, and
 * may reject it the same way (sel_resolve: users).  Returns 0, or -EINVAL
 * when any line is bad (out then holds the good ones).
 */
int rules_parse(const char *text, size_t len, const char *file, int (*resolve)(struct sel_rule *, struct strbuf *),
		struct rules *out, struct strbuf *err)
{
	struct strbuf msg = STRBUF_INIT;
	struct sel_budget budget;
	size_t pos = 0;
	unsigned line = 0;
	int status = 0;

	sel_budget_init(&budget); /* one for the whole file: its rules are compiled together */
	out->v = NULL;
	out->n = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - text - pos) : len - pos;
		char **tokens;
		size_t ntokens;
		struct sel_rule r;

		line++;
		sb_reset(&msg);
		if (rules_tokenize(text + pos, llen, &tokens, &ntokens, &msg) < 0) {
			line_error(err, file, line, &msg);
			status = -EINVAL;
		} else if (ntokens > 0) {
			int rc;
			sel_rule_init(&r);
			r.line = line;
			rc = rules_parse_tokens(tokens, ntokens, &r, &budget, &msg);
			if (rc < 0 || (resolve && resolve(&r, &msg) < 0)) {
				line_error(err, file, line, &msg);
				sel_rule_free(&r);
				status = -EINVAL;
				if (rc == -E2BIG) {
					/* the budget is spent: nothing past this line is even looked at */
					rules_free_tokens(tokens, ntokens);
					break;
				}
			} else {
				if ((out->n & (out->n - 1)) == 0) /* doubling at powers of two */
					out->v = xreallocarray(out->v, out->n ? 2 * out->n : 1, sizeof(*out->v));
				out->v[out->n++] = r;
			}
		}
		rules_free_tokens(tokens, ntokens);
		pos += llen + 1;
	}
	sb_free(&msg);
	return status;
}

/* Releases the rules. */
void rules_free(struct rules *rs)
{
	for (size_t i = 0; i < rs->n; i++)
		sel_rule_free(&rs->v[i]);
	free(rs->v);
	rs->v = NULL;
	rs->n = 0;
}
