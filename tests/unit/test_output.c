/* Unit tests of escaping, widths, sizes (src/out.c) and the JSON writer (src/json.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "out.h"

/* Escapes s for a table and returns the result (caller frees). */
static char *esc(const char *s, size_t len, bool utf8)
{
	struct strbuf sb = STRBUF_INIT;
	out_escape(&sb, s, len, utf8);
	return sb_detach(&sb);
}

/* Escapes s for JSON and returns the result (caller frees). */
static char *jesc(const char *s, size_t len)
{
	struct strbuf sb = STRBUF_INIT;
	json_escape(&sb, s, len);
	return sb_detach(&sb);
}

/* Asserts that s is valid UTF-8 with no control bytes. */
static void assert_clean_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0;
	while (i < len) {
		uint32_t cp;
		int n = out_utf8_decode(p + i, len - i, &cp);
		assert_true(n > 0);
		assert_true(cp >= 0x20 && cp != 0x7f);
		i += (size_t)n;
	}
}

static void test_utf8_decode(void **state)
{
	(void)state;
	uint32_t cp;
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xc0\xaf", 2, &cp), -1);     /* overlong */
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xed\xa0\x80", 3, &cp), -1); /* surrogate */
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), -1);
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp), -1);     /* truncated */
	assert_int_equal(out_utf8_decode((const unsigned char *)"\xff", 1, &cp), -1);
	assert_int_equal(out_utf8_decode((const unsigned char *)"\x80", 1, &cp), -1);
}

static void test_escape_controls(void **state)
{
	(void)state;
	char *s = esc("a\nb\tc\x1b[31md\x7f", 12, true);
	assert_string_equal(s, "a\\nb\\tc\\x1b[31md\\x7f");
	free(s);
	s = esc("x\0y", 3, true);
	assert_string_equal(s, "x\\x00y");
	free(s);
	s = esc("r\rx", 3, true);
	assert_string_equal(s, "r\\x0dx");
	free(s);
	/* a name that spells an escape must not read as one: the backslash is doubled */
	s = esc("a\\x1b\x1b", 6, true);
	assert_string_equal(s, "a\\\\x1b\\x1b");
	free(s);
	s = esc("\\", 1, false);
	assert_string_equal(s, "\\\\");
	free(s);
}

static void test_hidden_code_points(void **state)
{
	(void)state;
	static const uint32_t hidden[] = { 0x00, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0x9f, 0x2028, 0x2029, 0x202a,
					   0x202e, 0x2066, 0x2069, 0x200e, 0xfeff };
	static const uint32_t shown[] = { 0x20, 'a', 0x7e, 0xa0, 0xe9, 0x2027, 0x2030, 0x20ac, 0x1f600 };
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
		assert_true(out_cp_hidden(hidden[i]));
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		assert_false(out_cp_hidden(shown[i]));
	/* each of them escaped in a table, whatever iswprint() says */
	char *s = esc("\xc2\x80\xc2\x9f\xe2\x80\xa8\xe2\x80\xa9\xe2\x81\xa6\xe2\x81\xa9", 16, true);
	assert_string_equal(s, "\\u0080\\u009f\\u2028\\u2029\\u2066\\u2069");
	free(s);
}

static void test_escape_utf8(void **state)
{
	(void)state;
	char *s = esc("caf\xc3\xa9 \xff\xfe", 8, true);
	assert_string_equal(s, "caf\xc3\xa9 \\xff\\xfe");
	free(s);
	/* not a UTF-8 locale: every byte above 0x7f is escaped */
	s = esc("caf\xc3\xa9", 5, false);
	assert_string_equal(s, "caf\\xc3\\xa9");
	free(s);
	/* unprintable code points: the right-to-left override could reorder a line */
	s = esc("a\xe2\x80\xae" "b", 5, true);
	assert_string_equal(s, "a\\u202eb");
	free(s);
	/* C1 control U+009B (CSI) */
	s = esc("\xc2\x9b" "2J", 4, true);
	assert_string_equal(s, "\\u009b2J");
	free(s);
}

static void test_escape_big(void **state)
{
	(void)state;
	size_t big = 100 * 1024;
	char *in = malloc(big);
	for (size_t i = 0; i < big; i++)
		in[i] = (char)(i % 256);
	char *s = esc(in, big, true);
	assert_null(strchr(s, '\n'));
	assert_clean_utf8(s);
	free(s);
	s = jesc(in, big);
	assert_clean_utf8(s);
	free(s);
	free(in);
}

static void test_width(void **state)
{
	(void)state;
	assert_int_equal(out_width("abc", 3, true), 3);
	assert_int_equal(out_width("\xe4\xb8\xad\xe6\x96\x87", 6, true), 4); /* two wide CJK */
	assert_int_equal(out_fit_width("abcdef", 6, 4, true), 4);
	assert_int_equal(out_fit_width("abc", 3, 10, true), 3);
	/* never cut inside a character or half a wide one */
	assert_int_equal(out_fit_width("a\xe4\xb8\xad" "b", 5, 2, true), 1);
	assert_int_equal(out_fit_width("a\xe4\xb8\xad" "b", 5, 3, true), 4);
	assert_int_equal(out_fit_width("a\xc3\xa9z", 4, 2, true), 3);
	assert_int_equal(out_fit_width("abc", 3, 0, true), 0);
}

static void test_sizes(void **state)
{
	(void)state;
	char b[16];
	out_size_kib(b, sizeof(b), 0);
	assert_string_equal(b, "0");
	out_size_kib(b, sizeof(b), 812);
	assert_string_equal(b, "812K");
	out_size_kib(b, sizeof(b), 1023);
	assert_string_equal(b, "1023K");
	out_size_kib(b, sizeof(b), 8192);
	assert_string_equal(b, "8.0M");
	out_size_kib(b, sizeof(b), 24 * 1024);
	assert_string_equal(b, "24M");
	out_size_kib(b, sizeof(b), 1536 * 1024);
	assert_string_equal(b, "1.5G");
	out_size_kib(b, sizeof(b), 24ULL * 1024 * 1024);
	assert_string_equal(b, "24G");
	out_size_kib(b, sizeof(b), 10220); /* 9.98M rounds to 10M, not "10.0M" */
	assert_string_equal(b, "10M");
}

static void test_json_escape(void **state)
{
	(void)state;
	char *s = jesc("say \"hi\"\\\n\t\r\x01\x7f", 14);
	assert_string_equal(s, "say \\\"hi\\\"\\\\\\n\\t\\r\\u0001\\u007f");
	free(s);
	s = jesc("\xc3\xa9\xff" "a\xe2\x82", 6);
	assert_string_equal(s, "\xc3\xa9\\ufffda\\ufffd\\ufffd");
	free(s);
	s = jesc("a\0b", 3);
	assert_string_equal(s, "a\\u0000b");
	free(s);
	/* C1 controls (U+009B is a one-byte CSI), line and paragraph separators, bidi controls */
	s = jesc("\xc2\x9b" "2J\xc2\x80\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9", 21);
	assert_string_equal(s, "\\u009b2J\\u0080\\u2028\\u2029\\u202e\\u2066\\u2069");
	free(s);
	/* printable code points next to them stay as they are */
	s = jesc("\xc2\xa0\xe2\x80\xa7\xe2\x82\xac", 8);
	assert_string_equal(s, "\xc2\xa0\xe2\x80\xa7\xe2\x82\xac");
	free(s);
}

static void test_json_writer(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	json_init(&j, &sb);
	json_arr_begin(&j);
	json_obj_begin(&j);
	json_klong(&j, "pid", -5);
	json_kstr(&j, "name", "x\"y");
	json_knull(&j, "none");
	json_karr_begin(&j, "list");
	json_ulong(&j, 1);
	json_bool(&j, true);
	json_double(&j, 0.25, 2);
	json_arr_end(&j);
	json_obj_end(&j);
	json_obj_begin(&j);
	json_obj_end(&j);
	json_arr_end(&j);
	assert_string_equal(sb_str(&sb), "[{\"pid\":-5,\"name\":\"x\\\"y\",\"none\":null,\"list\":[1,true,0.25]},{}]");
	sb_free(&sb);
}

/* Every keyed writer: one call per member, commas placed by the writer, null where a value is unknown. */
static void test_json_keyed(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	struct json j;
	json_init(&j, &sb);
	json_obj_begin(&j);
	json_kulong(&j, "u", 18446744073709551615ULL);
	json_klong_if(&j, "l", true, -1);
	json_klong_if(&j, "l0", false, 7);
	json_kulong_if(&j, "u0", false, 7);
	json_kulong_if(&j, "u1", true, 7);
	json_kstr(&j, "s0", NULL);
	json_kstrn(&j, "c", "ab", 1);
	json_kstrn(&j, "c0", NULL, 1);
	json_ktext(&j, "t", "");
	json_ktext(&j, "t1", "\x1b");
	json_kdouble(&j, "d", 1.5, 1);
	json_kbool(&j, "b", false);
	json_kobj_begin(&j, "o");
	json_kobj_begin(&j, "in");
	json_obj_end(&j);
	json_karr_begin(&j, "a");
	json_arr_end(&j);
	json_obj_end(&j);
	json_obj_end(&j);
	assert_string_equal(sb_str(&sb), "{\"u\":18446744073709551615,\"l\":-1,\"l0\":null,\"u0\":null,\"u1\":7,"
					 "\"s0\":null,\"c\":\"a\",\"c0\":null,\"t\":null,\"t1\":\"\\u001b\","
					 "\"d\":1.5,\"b\":false,\"o\":{\"in\":{},\"a\":[]}}");
	sb_free(&sb);
}

/* A top-level array streamed one element per line: "[]" when empty, else "[\n" a ",\n" b "\n]". */
static void test_json_stream(void **state)
{
	(void)state;
	struct strbuf sb = STRBUF_INIT;
	bool open = false;
	json_stream_end(&sb, open);
	assert_string_equal(sb_str(&sb), "[]\n");
	sb_reset(&sb);
	json_stream_item(&sb, &open);
	sb_adds(&sb, "1");
	json_stream_item(&sb, &open);
	sb_adds(&sb, "2");
	json_stream_end(&sb, open);
	assert_string_equal(sb_str(&sb), "[\n1,\n2\n]\n");
	sb_free(&sb);
}

int main(void)
{
	setlocale(LC_CTYPE, "C.UTF-8");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode), cmocka_unit_test(test_escape_controls),
		cmocka_unit_test(test_escape_utf8), cmocka_unit_test(test_escape_big),
		cmocka_unit_test(test_width),       cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_json_escape), cmocka_unit_test(test_json_writer),
		cmocka_unit_test(test_json_keyed), cmocka_unit_test(test_json_stream),
		cmocka_unit_test(test_hidden_code_points),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
