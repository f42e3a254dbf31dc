/*
 * The Prometheus text exposition format (version 0.0.4), as node_exporter's
 * textfile collector reads it: `oomtop status --format=prometheus`.
 */
#ifndef OOMTOP_PROMFMT_H
#define OOMTOP_PROMFMT_H

#include <stddef.h>

#include "status.h"
#include "strbuf.h"

void promfmt_escape_label(struct strbuf *sb, const char *s, size_t len);
void promfmt_status(struct strbuf *sb, const struct status *s);

#endif
