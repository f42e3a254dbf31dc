/*
 * A rules file on disk (/etc/oomtop.conf), read with its size, type and
 * owner checked, for `apply` and `watch` to parse (rules.h).
 */
#ifndef OOMTOP_RULESFILE_H
#define OOMTOP_RULESFILE_H

#include <stddef.h>

#include "strbuf.h"

#define RULES_DEFAULT "/etc/oomtop.conf"
#define RULES_MAX_BYTES (1UL << 20)

int rulesfile_read(const char *path, char **text, size_t *len, struct strbuf *err);

#endif
