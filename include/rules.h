/*
 * The rules file of `oomtop apply` (/etc/oomtop.conf): one rule per line,
 * "ADJ [OPTION...] [PATTERN...]" with sh-like quoting and # comments.  Pure:
 * text in, rules out, every bad line reported as "FILE:LINE: message".
 */
#ifndef OOMTOP_RULES_H
#define OOMTOP_RULES_H

#include <stddef.h>

#include "sel.h"
#include "strbuf.h"

/* The rules of one file; rules_free() releases them. */
struct rules {
	struct sel_rule *v; /* owned */
	size_t n;
};

int rules_tokenize(const char *line, size_t len, char ***tokens, size_t *ntokens, struct strbuf *err);
void rules_free_tokens(char **tokens, size_t ntokens);
int rules_parse_tokens(char *const *tokens, size_t ntokens, struct sel_rule *r, struct sel_budget *budget,
		       struct strbuf *err);
int rules_finish(struct sel_rule *r, const char *adj_text, struct sel_budget *budget, struct strbuf *err);
int rules_parse(const char *text, size_t len, const char *file, int (*resolve)(struct sel_rule *, struct strbuf *),
		struct rules *out, struct strbuf *err);
void rules_free(struct rules *rs);

#endif
