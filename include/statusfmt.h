/* The text and the JSON of `oomtop status`: pure functions of a status (status.h). */
#ifndef OOMTOP_STATUSFMT_H
#define OOMTOP_STATUSFMT_H

#include <stdbool.h>

#include "status.h"
#include "strbuf.h"

void statusfmt_text(struct strbuf *sb, const struct status *s, bool utf8);
void statusfmt_json(struct strbuf *sb, const struct status *s);

#endif
