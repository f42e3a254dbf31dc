/* The text and the JSON of `oomtop explain`: pure functions of an explanation (explain.h). */
#ifndef OOMTOP_EXPLAINFMT_H
#define OOMTOP_EXPLAINFMT_H

#include <stdbool.h>

#include "explain.h"
#include "strbuf.h"

void explainfmt_text(struct strbuf *sb, const struct explain *e, bool utf8);
void explainfmt_json(struct strbuf *sb, const struct explain *e);

#endif
