/* Formatting the model check: a line for headers, an object for JSON. */
#ifndef OOMTOP_MODELFMT_H
#define OOMTOP_MODELFMT_H

#include "json.h"
#include "model.h"
#include "strbuf.h"

void modelfmt_text(struct strbuf *sb, const struct model_check *mc);
void modelfmt_json(struct json *j, const char *key, const struct model_check *mc);

#endif
