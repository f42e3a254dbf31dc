/* The text of a writer's result (adj.h), for the terminal and for syslog: pure functions. */
#ifndef OOMTOP_ADJFMT_H
#define OOMTOP_ADJFMT_H

#include <stdbool.h>
#include <sys/types.h>

#include "adj.h"
#include "strbuf.h"

void adjfmt_result(struct strbuf *sb, const struct adj_result *res, bool utf8);
void adjfmt_log(struct strbuf *sb, const struct adj_result *res, const char *cmd, uid_t uid, const char *user,
		long auid);

#endif
