/*
 * A minimal streaming JSON writer into a strbuf; strings always come out as
 * valid UTF-8.  The writer places every comma: inside an object each member
 * is written by one keyed call (json_kstr, json_klong, json_kobj_begin...),
 * inside an array each element by one unkeyed call (json_str, json_long...).
 */
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
void json_stream_item(struct strbuf *sb, bool *open);
void json_stream_end(struct strbuf *sb, bool open);

/* Array elements and top-level values. */
void json_str(struct json *j, const char *s);
void json_strn(struct json *j, const char *s, size_t len);
void json_long(struct json *j, long long v);
void json_ulong(struct json *j, unsigned long long v);
void json_double(struct json *j, double v, int decimals);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);

/* Object members: the key and its value in one call. */
void json_kobj_begin(struct json *j, const char *key);
void json_karr_begin(struct json *j, const char *key);
void json_kstr(struct json *j, const char *key, const char *s);
void json_kstrn(struct json *j, const char *key, const char *s, size_t len);
void json_ktext(struct json *j, const char *key, const char *s);
void json_klong(struct json *j, const char *key, long long v);
void json_klong_if(struct json *j, const char *key, bool have, long long v);
void json_kulong(struct json *j, const char *key, unsigned long long v);
void json_kulong_if(struct json *j, const char *key, bool have, unsigned long long v);
void json_kdouble(struct json *j, const char *key, double v, int decimals);
void json_kbool(struct json *j, const char *key, bool v);
void json_knull(struct json *j, const char *key);

#endif
