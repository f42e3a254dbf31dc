/* The text of `protect --persist` (src/unitsfmt.c) and of the audit of declared against held values. */
#ifndef OOMTOP_UNITSFMT_H
#define OOMTOP_UNITSFMT_H

#include <stdbool.h>

#include "strbuf.h"
#include "units.h"
#include "workload.h"

bool unitsfmt_advice(struct strbuf *sb, const struct workload *w, int adj, bool utf8);
void unitsfmt_written(struct strbuf *sb, const char *unit, const char *path, int adj, enum units_write what, bool held,
		      bool dry_run, bool utf8);

#endif
