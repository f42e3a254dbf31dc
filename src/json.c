/* The JSON writer every --json output goes through. */
#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "out.h"

/* Starts a document written into sb. */
void json_init(struct json *j, struct strbuf *sb)
{
	j->sb = sb;
	j->depth = 0;
	j->first[0] = true;
	j->after_key = false;
}

/*
 * Appends s as the body of a JSON string: quotes, backslashes, control
 * characters (C0, DEL, C1) and the invisible format characters of
 * out_cp_hidden() (U+2028, U+2029, bidi controls) escaped as \\uXXXX, other
 * valid UTF-8 kept, each invalid byte replaced by U+FFFD.
 */
void json_escape(struct strbuf *sb, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	sb_grow(sb, len + 2);
	while (i < len) {
		unsigned char c = p[i];
		uint32_t cp;
		int n;

		if (c == '"' || c == '\\') {
			sb_addc(sb, '\\');
			sb_addc(sb, (char)c);
			i++;
		} else if (c == '\n') {
			sb_adds(sb, "\\n");
			i++;
		} else if (c == '\t') {
			sb_adds(sb, "\\t");
			i++;
		} else if (c == '\r') {
			sb_adds(sb, "\\r");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			sb_addf(sb, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			sb_addc(sb, (char)c);
			i++;
		} else if ((n = out_utf8_decode(p + i, len - i, &cp)) > 0) {
			/* valid JSON raw, but a C1 CSI or a bidi override would act on whoever views it */
			if (out_cp_hidden(cp))
				sb_addf(sb, "\\u%04x", (unsigned)cp);
			else
				sb_add(sb, p + i, (size_t)n);
			i += (size_t)n;
		} else {
			sb_adds(sb, "\\ufffd");
			i++;
		}
	}
}

/* Writes the comma that separates this value from the previous one. */
static void sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		sb_addc(j->sb, ',');
	j->first[j->depth] = false;
}

/* Opens a container with the given bracket. */
static void open_with(struct json *j, char c)
{
	sep(j);
	sb_addc(j->sb, c);
	if (j->depth + 1 < JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

/* Closes a container with the given bracket. */
static void close_with(struct json *j, char c)
{
	if (j->depth > 0)
		j->depth--;
	sb_addc(j->sb, c);
}

/* Begins an object. */
void json_obj_begin(struct json *j)
{
	open_with(j, '{');
}

/* Ends an object. */
void json_obj_end(struct json *j)
{
	close_with(j, '}');
}

/* Begins an array. */
void json_arr_begin(struct json *j)
{
	open_with(j, '[');
}

/* Ends an array. */
void json_arr_end(struct json *j)
{
	close_with(j, ']');
}

/* Adds a line break (between the elements of a top-level array, for grep). */
void json_newline(struct json *j)
{
	sb_addc(j->sb, '\n');
}

/*
 * Writes the separator before one element of a top-level array streamed one
 * element per line, across flushes of sb: "[\n" before the first (then
 * *open is set), ",\n" before the others.
 */
void json_stream_item(struct strbuf *sb, bool *open)
{
	sb_adds(sb, *open ? ",\n" : "[\n");
	*open = true;
}

/* Closes an array json_stream_item() streamed, or writes an empty one if nothing was. */
void json_stream_end(struct strbuf *sb, bool open)
{
	sb_adds(sb, open ? "\n]\n" : "[]\n");
}

/* Writes an object key; the next value belongs to it. */
static void json_key(struct json *j, const char *key)
{
	sep(j);
	sb_addc(j->sb, '"');
	json_escape(j->sb, key, __builtin_strlen(key));
	sb_adds(j->sb, "\":");
	j->after_key = true;
}

/* Writes a string value given with its length. */
void json_strn(struct json *j, const char *s, size_t len)
{
	sep(j);
	sb_addc(j->sb, '"');
	json_escape(j->sb, s, len);
	sb_addc(j->sb, '"');
}

/* Writes a NUL-terminated string value, or null for NULL. */
void json_str(struct json *j, const char *s)
{
	if (!s)
		json_null(j);
	else
		json_strn(j, s, __builtin_strlen(s));
}

/* Writes a signed integer. */
void json_long(struct json *j, long long v)
{
	sep(j);
	sb_addf(j->sb, "%lld", v);
}

/* Writes an unsigned integer. */
void json_ulong(struct json *j, unsigned long long v)
{
	sep(j);
	sb_addf(j->sb, "%llu", v);
}

/* Writes a number with a fixed count of decimals. */
void json_double(struct json *j, double v, int decimals)
{
	sep(j);
	sb_addf(j->sb, "%.*f", decimals, v);
}

/* Writes true or false. */
void json_bool(struct json *j, bool v)
{
	sep(j);
	sb_adds(j->sb, v ? "true" : "false");
}

/* Writes null. */
void json_null(struct json *j)
{
	sep(j);
	sb_adds(j->sb, "null");
}

/* Begins an object that is the value of key. */
void json_kobj_begin(struct json *j, const char *key)
{
	json_key(j, key);
	json_obj_begin(j);
}

/* Begins an array that is the value of key. */
void json_karr_begin(struct json *j, const char *key)
{
	json_key(j, key);
	json_arr_begin(j);
}

/* Writes key with a NUL-terminated string, or null for NULL. */
void json_kstr(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_str(j, s);
}

/* Writes key with a string given with its length, or null for NULL. */
void json_kstrn(struct json *j, const char *key, const char *s, size_t len)
{
	json_key(j, key);
	if (s)
		json_strn(j, s, len);
	else
		json_null(j);
}

/* Writes key with a string, or null when it is NULL or empty (a field the source did not give). */
void json_ktext(struct json *j, const char *key, const char *s)
{
	json_kstr(j, key, s && s[0] ? s : NULL);
}

/* Writes key with a signed integer. */
void json_klong(struct json *j, const char *key, long long v)
{
	json_key(j, key);
	json_long(j, v);
}

/* Writes key with a signed integer, or null when it is not known (!have). */
void json_klong_if(struct json *j, const char *key, bool have, long long v)
{
	json_key(j, key);
	if (have)
		json_long(j, v);
	else
		json_null(j);
}

/* Writes key with an unsigned integer. */
void json_kulong(struct json *j, const char *key, unsigned long long v)
{
	json_key(j, key);
	json_ulong(j, v);
}

/* Writes key with an unsigned integer, or null when it is not known (!have). */
void json_kulong_if(struct json *j, const char *key, bool have, unsigned long long v)
{
	json_key(j, key);
	if (have)
		json_ulong(j, v);
	else
		json_null(j);
}

/* Writes key with a number with a fixed count of decimals. */
void json_kdouble(struct json *j, const char *key, double v, int decimals)
{
	json_key(j, key);
	json_double(j, v, decimals);
}

/* Writes key with true or false. */
void json_kbool(struct json *j, const char *key, bool v)
{
	json_key(j, key);
	json_bool(j, v);
}

/* Writes key with null. */
void json_knull(struct json *j, const char *key)
{
	json_key(j, key);
	json_null(j);
}
