/*
 * One line of `journalctl -o json` (one JSON object per record,
 * systemd's JOURNAL_EXPORT_FORMATS / json format): the fields the
 * kernel-log parser needs, and whether journald got the record from the
 * kernel.  journald reads /dev/kmsg and marks every record of it
 * _TRANSPORT=kernel, also those a program wrote into /dev/kmsg; those
 * carry a facility other than 0 (kern) and their own identifier
 * (src/journal/journald-kmsg.c), so both are checked.  Pure: text in,
 * fields out; a value that is not a plain string (an array of them, a
 * field logged twice) is not believed.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "klog_journal.h"

/* A cursor over the JSON text. */
struct jcur {
	const char *p, *end;
};

/* Skips JSON whitespace. */
static void ws(struct jcur *c)
{
	while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\r' || *c->p == '\n'))
		c->p++;
}

/* Appends one byte to a bounded buffer; bytes past its size are dropped (the message is cut). */
static void put(char *buf, size_t size, size_t *n, unsigned char b)
{
	if (*n + 1 < size)
		buf[(*n)++] = (char)b;
}

/* Appends a code point as UTF-8. */
static void put_utf8(char *buf, size_t size, size_t *n, unsigned long cp)
{
	if (cp < 0x80) {
		put(buf, size, n, (unsigned char)cp);
	} else if (cp < 0x800) {
		put(buf, size, n, (unsigned char)(0xc0 | (cp >> 6)));
		put(buf, size, n, (unsigned char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		put(buf, size, n, (unsigned char)(0xe0 | (cp >> 12)));
		put(buf, size, n, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		put(buf, size, n, (unsigned char)(0x80 | (cp & 0x3f)));
	} else {
		put(buf, size, n, (unsigned char)(0xf0 | (cp >> 18)));
		put(buf, size, n, (unsigned char)(0x80 | ((cp >> 12) & 0x3f)));
		put(buf, size, n, (unsigned char)(0x80 | ((cp >> 6) & 0x3f)));
		put(buf, size, n, (unsigned char)(0x80 | (cp & 0x3f)));
	}
}

/* Reads 4 hex digits; returns whether there were. */
static bool hex4(struct jcur *c, unsigned long *v)
{
	unsigned long x = 0;

	if (c->end - c->p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		int ch = (unsigned char)c->p[i];
		if (!isxdigit(ch))
			return false;
		x = x * 16 + (unsigned long)(isdigit(ch) ? ch - '0' : (ch | 0x20) - 'a' + 10);
	}
	c->p += 4;
	*v = x;
	return true;
}

/* Reads a JSON string into buf (NUL-terminated, cut to size); returns whether it was one. */
static bool jstring(struct jcur *c, char *buf, size_t size, size_t *len)
{
	size_t n = 0;

	if (c->p >= c->end || *c->p != '"')
		return false;
	c->p++;
	while (c->p < c->end && *c->p != '"') {
		unsigned char ch = (unsigned char)*c->p++;
		unsigned long cp, lo;
		if (ch != '\\') {
			put(buf, size, &n, ch);
			continue;
		}
		if (c->p >= c->end)
			return false;
		ch = (unsigned char)*c->p++;
		switch (ch) {
		case 'n':
			put(buf, size, &n, '\n');
			break;
		case 't':
			put(buf, size, &n, '\t');
			break;
		case 'r':
			put(buf, size, &n, '\r');
			break;
		case 'b':
			put(buf, size, &n, '\b');
			break;
		case 'f':
			put(buf, size, &n, '\f');
			break;
		case 'u':
			if (!hex4(c, &cp))
				return false;
			if (cp >= 0xd800 && cp < 0xdc00 && c->end - c->p >= 6 && c->p[0] == '\\' && c->p[1] == 'u') {
				struct jcur s = { c->p + 2, c->end };
				if (hex4(&s, &lo) && lo >= 0xdc00 && lo < 0xe000) {
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
					c->p = s.p;
				}
			}
			put_utf8(buf, size, &n, cp);
			break;
		default: /* \" \\ \/ */
			put(buf, size, &n, ch);
			break;
		}
	}
	if (c->p >= c->end)
		return false;
	c->p++;
	if (size)
		buf[n] = '\0';
	*len = n;
	return true;
}

/* Reads MESSAGE given as an array of bytes (journalctl's form for text that is not UTF-8). */
static bool jbytes(struct jcur *c, char *buf, size_t size, size_t *len)
{
	size_t n = 0;

	c->p++; /* '[' */
	for (;;) {
		unsigned v = 0;
		int digits = 0;
		ws(c);
		if (c->p < c->end && *c->p == ']' && n == 0) {
			c->p++;
			break;
		}
		while (c->p < c->end && isdigit((unsigned char)*c->p) && digits < 4) {
			v = v * 10 + (unsigned)(*c->p++ - '0');
			digits++;
		}
		if (digits == 0 || v > 255)
			return false;
		put(buf, size, &n, (unsigned char)v);
		ws(c);
		if (c->p < c->end && *c->p == ',') {
			c->p++;
			continue;
		}
		if (c->p < c->end && *c->p == ']') {
			c->p++;
			break;
		}
		return false;
	}
	if (size)
		buf[n] = '\0';
	*len = n;
	return true;
}

/* Skips any JSON value (bounded nesting); returns whether it was one. */
static bool jskip(struct jcur *c, int depth)
{
	char tmp[1];
	size_t n;

	ws(c);
	if (c->p >= c->end || depth > 16)
		return false;
	if (*c->p == '"')
		return jstring(c, tmp, 0, &n);
	if (*c->p == '[' || *c->p == '{') {
		char close = *c->p == '[' ? ']' : '}';
		bool obj = *c->p == '{';
		c->p++;
		ws(c);
		if (c->p < c->end && *c->p == close) {
			c->p++;
			return true;
		}
		for (;;) {
			if (obj) {
				ws(c);
				if (!jstring(c, tmp, 0, &n))
					return false;
				ws(c);
				if (c->p >= c->end || *c->p++ != ':')
					return false;
			}
			if (!jskip(c, depth + 1))
				return false;
			ws(c);
			if (c->p < c->end && *c->p == ',') {
				c->p++;
				continue;
			}
			if (c->p < c->end && *c->p == close) {
				c->p++;
				return true;
			}
			return false;
		}
	}
	while (c->p < c->end && (isalnum((unsigned char)*c->p) || *c->p == '-' || *c->p == '+' || *c->p == '.'))
		c->p++;
	return true;
}

/* Parses a decimal string value such as "1700000000000000"; returns whether it was one. */
static bool dec(const char *s, long long *v)
{
	long long x = 0;
	int n = 0;

	while (n < 18 && isdigit((unsigned char)s[n])) {
		x = x * 10 + (s[n] - '0');
		n++;
	}
	if (n == 0 || s[n])
		return false;
	*v = x;
	return true;
}

/*
 * Reads one journal record; returns 0, or -EINVAL if the line is not a
 * JSON object.  MESSAGE is decoded into msgbuf (cut to msgsz); out->kernel
 * says whether the record is the kernel's own.
 */
int klog_journal_parse(const char *line, size_t len, char *msgbuf, size_t msgsz, struct klog_journal_rec *out)
{
	struct jcur c = { line, line + len };
	char key[64] = "", val[128] = "";
	size_t n;
	bool transport = false, bad = false, have_msg = false;

	memset(out, 0, sizeof(*out));
	out->realtime_usec = out->monotonic_usec = KLOG_NONE;
	out->msg = msgbuf;
	msgbuf[0] = '\0';
	ws(&c);
	if (c.p >= c.end || *c.p++ != '{')
		return -EINVAL;
	ws(&c);
	if (c.p < c.end && *c.p == '}')
		return 0;
	for (;;) {
		ws(&c);
		if (!jstring(&c, key, sizeof(key), &n))
			return -EINVAL;
		ws(&c);
		if (c.p >= c.end || *c.p++ != ':')
			return -EINVAL;
		ws(&c);
		if (c.p >= c.end)
			return -EINVAL;
		if (strcmp(key, "MESSAGE") == 0) {
			if (*c.p == '"'   ? !jstring(&c, msgbuf, msgsz, &out->msg_len)
			    : *c.p == '[' ? !jbytes(&c, msgbuf, msgsz, &out->msg_len)
					  : !jskip(&c, 0))
				return -EINVAL;
			have_msg = true;
		} else if (*c.p == '"') {
			if (!jstring(&c, val, sizeof(val), &n))
				return -EINVAL;
			if (strcmp(key, "_TRANSPORT") == 0)
				transport = strcmp(val, "kernel") == 0;
			else if (strcmp(key, "SYSLOG_FACILITY") == 0)
				bad |= strcmp(val, "0") != 0;
			else if (strcmp(key, "SYSLOG_IDENTIFIER") == 0)
				bad |= strcmp(val, "kernel") != 0;
			else if (strcmp(key, "__REALTIME_TIMESTAMP") == 0)
				dec(val, &out->realtime_usec);
			else if (strcmp(key, "_SOURCE_MONOTONIC_TIMESTAMP") == 0)
				dec(val, &out->monotonic_usec);
			else if (strcmp(key, "_HOSTNAME") == 0)
				memcpy(out->host, val, n < sizeof(out->host) ? n + 1 : sizeof(out->host) - 1);
		} else {
			/* a field given twice is an array: not one the kernel's record has */
			if (strcmp(key, "_TRANSPORT") == 0 || strcmp(key, "SYSLOG_FACILITY") == 0 ||
			    strcmp(key, "SYSLOG_IDENTIFIER") == 0)
				bad = true;
			if (!jskip(&c, 0))
				return -EINVAL;
		}
		ws(&c);
		if (c.p < c.end && *c.p == ',') {
			c.p++;
			continue;
		}
		if (c.p < c.end && *c.p == '}')
			break;
		return -EINVAL;
	}
	out->kernel = transport && !bad && have_msg;
	return 0;
}
