/* A minimal streaming JSON writer into a strbuf; strings always come out as valid UTF-8. */
#ifndef OOMTOP_JSON_H
#define OOMTOP_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

#define JSON_MAX_DEPTH 16

struct json {
	struct strbuf *sb; /* borrowed */
	int depth;
	bool first[JSON_MAX_DEPTH];
	bool after_key;
};

void json_init(struct json *j, struct strbuf *sb);
void json_escape(struct strbuf *sb, const char *s, size_t len);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_newline(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t len);
void json_long(struct json *j, long long v);
void json_ulong(struct json *j, unsigned long long v);
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

#endif
