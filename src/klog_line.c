/*
 * The prefixes in front of a kernel message: /dev/kmsg records, dmesg
 * (plain, -T, -r, -x, --time-format=iso), syslog files (traditional and
 * RFC 3339 dates, host and tag) and journalctl -k (short, short-precise,
 * short-iso, short-full, short-monotonic).  Pure: text in, fields out.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "klog.h"
#include "klog_months.h"

/* A cursor over the line being parsed. */
struct cur {
	const char *p;
	const char *end;
};

static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const weekdays[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };

/* Returns how many bytes remain under the cursor. */
static size_t left(const struct cur *c)
{
	return (size_t)(c->end - c->p);
}

/* Consumes the literal s if the cursor is on it; returns whether it was. */
static bool eat(struct cur *c, const char *s)
{
	size_t n = strlen(s);

	if (left(c) < n || memcmp(c->p, s, n) != 0)
		return false;
	c->p += n;
	return true;
}

/* Skips spaces. */
static void skip_spaces(struct cur *c)
{
	while (c->p < c->end && *c->p == ' ')
		c->p++;
}

/* Reads exactly n decimal digits (n <= 9) into *v; returns whether it could. */
static bool digits_n(struct cur *c, int n, int *v)
{
	int x = 0;

	if (left(c) < (size_t)n)
		return false;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)c->p[i]))
			return false;
		x = x * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*v = x;
	return true;
}

/* Reads 1 to 18 decimal digits into *v; returns whether there was at least one. */
static bool digits(struct cur *c, long long *v)
{
	long long x = 0;
	int n = 0;

	while (c->p < c->end && isdigit((unsigned char)*c->p) && n < 18) {
		x = x * 10 + (*c->p - '0');
		c->p++;
		n++;
	}
	if (n == 0)
		return false;
	while (c->p < c->end && isdigit((unsigned char)*c->p))
		c->p++; /* absurdly long: keep the first 18 digits */
	*v = x;
	return true;
}

/* Reads a fraction of a second after '.' or ',' as microseconds. */
static long fraction_usec(struct cur *c)
{
	long usec = 0;
	int n = 0;

	while (c->p < c->end && isdigit((unsigned char)*c->p)) {
		if (n < 6) {
			usec = usec * 10 + (*c->p - '0');
			n++;
		}
		c->p++;
	}
	for (; n < 6; n++)
		usec *= 10;
	return usec;
}

/* Reads a three-letter month name; returns 0..11 or -1. */
static int month(struct cur *c)
{
	if (left(c) < 3)
		return -1;
	for (int i = 0; i < 12; i++)
		if (memcmp(c->p, months[i], 3) == 0) {
			c->p += 3;
			return i;
		}
	return -1;
}

/*
 * Reads a month name as strftime %b or %B prints it in English or in one
 * of the locales of klog_months.h (journalctl and syslog daemons write
 * the date in the user's LC_TIME); returns 0..11 or -1.
 */
static int month_any(struct cur *c)
{
	int m = month(c);

	if (m >= 0)
		return m;
	for (size_t i = 0; i < sizeof(klog_month_names) / sizeof(klog_month_names[0]); i++) {
		size_t n = strlen(klog_month_names[i].name);
		if (left(c) > n && memcmp(c->p, klog_month_names[i].name, n) == 0 && c->p[n] == ' ') {
			c->p += n;
			return klog_month_names[i].month;
		}
	}
	return -1;
}

/* Consumes a three-letter weekday name; returns whether there was one. */
static bool weekday(struct cur *c)
{
	if (left(c) < 3)
		return false;
	for (int i = 0; i < 7; i++)
		if (memcmp(c->p, weekdays[i], 3) == 0) {
			c->p += 3;
			return true;
		}
	return false;
}

/* Reads "hh:mm:ss" into tm. */
static bool clock_time(struct cur *c, struct tm *tm)
{
	return digits_n(c, 2, &tm->tm_hour) && eat(c, ":") && digits_n(c, 2, &tm->tm_min) && eat(c, ":") &&
	       digits_n(c, 2, &tm->tm_sec) && tm->tm_hour < 24 && tm->tm_min < 60 && tm->tm_sec <= 60;
}

/* Converts a broken-down local time to epoch seconds; returns false if it is not a date. */
static bool local_epoch(struct tm *tm, long long *out)
{
	time_t t;

	tm->tm_isdst = -1;
	t = mktime(tm);
	if (t == (time_t)-1)
		return false;
	*out = (long long)t;
	return true;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar (m 1..12). */
static long long days_from_civil(long long y, int m, int d)
{
	long long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

/* Converts a broken-down UTC time to epoch seconds. */
static long long utc_epoch(const struct tm *tm)
{
	return days_from_civil(tm->tm_year + 1900LL, tm->tm_mon + 1, tm->tm_mday) * 86400 + tm->tm_hour * 3600LL +
	       tm->tm_min * 60LL + tm->tm_sec;
}

/*
 * Reads an ISO 8601 date-time "YYYY-MM-DDThh:mm:ss[.frac][Z|+hh:mm|+hhmm]"
 * (rsyslog, journalctl -o short-iso, dmesg --time-format=iso); *comma tells
 * whether the fraction used dmesg's ','.
 */
static bool iso_time(struct cur *c, long long *sec, long *usec, bool *comma)
{
	struct tm tm = { 0 };
	int y, oh = 0, om = 0;
	long long t;

	*usec = 0;
	*comma = false;
	if (!digits_n(c, 4, &y) || !eat(c, "-") || !digits_n(c, 2, &tm.tm_mon) || !eat(c, "-") ||
	    !digits_n(c, 2, &tm.tm_mday) || !(eat(c, "T") || eat(c, " ")) || !clock_time(c, &tm))
		return false;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon -= 1;
	if (left(c) && (*c->p == '.' || *c->p == ',')) {
		*comma = *c->p == ',';
		c->p++;
		*usec = fraction_usec(c);
	}
	if (eat(c, "Z")) {
		*sec = utc_epoch(&tm);
		return true;
	}
	if (left(c) && (*c->p == '+' || *c->p == '-')) {
		int sign = *c->p == '-' ? -1 : 1;
		c->p++;
		if (!digits_n(c, 2, &oh))
			return false;
		eat(c, ":");
		if (!digits_n(c, 2, &om))
			return false;
		*sec = utc_epoch(&tm) - sign * (oh * 3600LL + om * 60LL);
		return true;
	}
	if (!local_epoch(&tm, &t))
		return false;
	*sec = t;
	return true;
}

/*
 * Reads a traditional syslog date "Mmm dd hh:mm:ss[.frac]".  It has no
 * year: the year chosen is the one that puts the date at most a day after
 * ref (the file's modification time, or now), so a log that spans New
 * Year's Eve gets December of the year before.
 */
static bool syslog_time(struct cur *c, long long ref, long long *sec, long *usec)
{
	struct tm tm = { 0 }, reftm;
	time_t reft = (time_t)ref;
	long long t;
	int mon;

	*usec = 0;
	mon = month_any(c);
	if (mon < 0 || !eat(c, " "))
		return false;
	eat(c, " "); /* "Nov  4" */
	if (!(digits_n(c, 2, &tm.tm_mday) || digits_n(c, 1, &tm.tm_mday)) || !eat(c, " ") || !clock_time(c, &tm))
		return false;
	if (tm.tm_mday < 1 || tm.tm_mday > 31)
		return false;
	if (left(c) && *c->p == '.') {
		c->p++;
		*usec = fraction_usec(c);
	}
	tm.tm_mon = mon;
	if (!localtime_r(&reft, &reftm))
		return false;
	tm.tm_year = reftm.tm_year;
	if (!local_epoch(&tm, &t))
		return false;
	if (t > ref + 86400) {
		tm.tm_year = reftm.tm_year - 1;
		tm.tm_mon = mon;
		if (!local_epoch(&tm, &t))
			return false;
	}
	*sec = t;
	return true;
}

/* Reads dmesg -T's "Www Mmm dd hh:mm:ss yyyy" (ctime, local time) inside brackets. */
static bool ctime_time(struct cur *c, long long *sec)
{
	struct tm tm = { 0 };
	int mon, y;

	if (!weekday(c) || !eat(c, " "))
		return false;
	mon = month(c);
	if (mon < 0 || !eat(c, " "))
		return false;
	eat(c, " ");
	if (!(digits_n(c, 2, &tm.tm_mday) || digits_n(c, 1, &tm.tm_mday)) || !eat(c, " ") || !clock_time(c, &tm) ||
	    !eat(c, " ") || !digits_n(c, 4, &y))
		return false;
	tm.tm_mon = mon;
	tm.tm_year = y - 1900;
	return local_epoch(&tm, sec);
}

/*
 * Reads journalctl -o short-full's "Www YYYY-MM-DD hh:mm:ss ZONE"; the zone
 * is read as UTC when it says so and as local time otherwise.
 */
static bool full_time(struct cur *c, long long *sec, long *usec)
{
	struct cur s = *c;
	struct tm tm = { 0 };
	int y;
	long long t;

	*usec = 0;
	if (!weekday(&s) || !eat(&s, " ") || !digits_n(&s, 4, &y) || !eat(&s, "-") || !digits_n(&s, 2, &tm.tm_mon) ||
	    !eat(&s, "-") || !digits_n(&s, 2, &tm.tm_mday) || !eat(&s, " ") || !clock_time(&s, &tm))
		return false;
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 || tm.tm_mday > 31)
		return false;
	tm.tm_year = y - 1900;
	tm.tm_mon -= 1;
	if (left(&s) && *s.p == '.') {
		s.p++;
		*usec = fraction_usec(&s);
	}
	if (!eat(&s, " "))
		return false;
	if (eat(&s, "UTC") || eat(&s, "GMT")) {
		t = utc_epoch(&tm);
	} else {
		while (s.p < s.end && *s.p != ' ')
			s.p++;
		if (!local_epoch(&tm, &t))
			return false;
	}
	*sec = t;
	*c = s;
	return true;
}

/* Reads "[ 1234.567890]" (also dmesg -d's "[ 1234.567890 <    0.000010>]") as microseconds. */
static bool bracket_uptime(struct cur *c, long long *usec)
{
	struct cur s = *c;
	long long secs;
	long frac;

	if (!eat(&s, "["))
		return false;
	skip_spaces(&s);
	if (!digits(&s, &secs) || !eat(&s, "."))
		return false;
	frac = fraction_usec(&s);
	if (eat(&s, " <")) {
		while (s.p < s.end && *s.p != '>')
			s.p++;
		if (!eat(&s, ">"))
			return false;
	}
	if (!eat(&s, "]"))
		return false;
	if (secs > 1000000000000LL)
		return false;
	*usec = secs * 1000000 + frac;
	*c = s;
	return true;
}

/* Skips the other bracketed times of dmesg (-T, -H, --reltime, delta); reads -T's date. */
static bool bracket_other_time(struct cur *c, long long *sec)
{
	struct cur s = *c;
	const char *close;

	if (!eat(&s, "["))
		return false;
	if (ctime_time(&s, sec) && eat(&s, "]")) {
		*c = s;
		return true;
	}
	/* dmesg -H / --reltime: "[Nov24 04:16]", "[  +0.000123]" */
	close = memchr(c->p, ']', left(c) < 40 ? left(c) : 40);
	if (!close)
		return false;
	s.p = c->p + 1;
	skip_spaces(&s);
	if (s.p < close && (*s.p == '+' || month(&s) >= 0)) {
		c->p = close + 1;
		*sec = KLOG_NONE;
		return true;
	}
	return false;
}

/* Reads a CONFIG_PRINTK_CALLER id "[T123]" or "[  C1]". */
static bool bracket_caller(struct cur *c, const char **id, size_t *id_len)
{
	struct cur s = *c;
	const char *start;
	long long v;

	if (!eat(&s, "["))
		return false;
	skip_spaces(&s);
	start = s.p;
	if (!(eat(&s, "T") || eat(&s, "C")) || !digits(&s, &v) || !eat(&s, "]"))
		return false;
	*id = start;
	*id_len = (size_t)(s.p - 1 - start);
	*c = s;
	return true;
}

/* Reads a /dev/kmsg record header "PRIO,SEQ,USEC,FLAGS[,caller=T1...];". */
static bool kmsg_header(struct cur *c, struct klog_line *out)
{
	struct cur s = *c;
	long long prio, seq, usec;
	const char *semi, *p;

	if (!digits(&s, &prio) || !eat(&s, ",") || !digits(&s, &seq) || !eat(&s, ",") || !digits(&s, &usec) ||
	    !eat(&s, ","))
		return false;
	semi = memchr(s.p, ';', left(&s) < 256 ? left(&s) : 256);
	if (!semi)
		return false;
	for (p = s.p; p < semi; p++)
		if (*p == ' ')
			return false;
	p = memmem(s.p, (size_t)(semi - s.p), "caller=", 7);
	if (p) {
		const char *e = p + 7;
		while (e < semi && *e != ',')
			e++;
		out->caller = p + 7;
		out->caller_len = (size_t)(e - out->caller);
	}
	/* facility 1 (user) and above are lines written into /dev/kmsg by programs */
	out->foreign = (prio >> 3) != 0;
	out->level = (int)(prio & 7);
	out->uptime_usec = usec;
	out->seq = seq;
	out->kmsg = true;
	c->p = semi + 1;
	return true;
}

/* Reads dmesg -x's "kern  :warn  : " decoration; other facilities are programs' lines. */
static bool dmesg_decoded(struct cur *c, bool *foreign, int *level)
{
	static const char *const levels[] = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };
	const char *lv;
	static const char *const facilities[] = { "kern",     "user",   "mail",   "daemon", "auth",
						  "syslog",   "lpr",    "news",   "uucp",   "cron",
						  "authpriv", "ftp",    "local0", "local1", "local2",
						  "local3",   "local4", "local5", "local6", "local7" };
	struct cur s = *c;
	size_t i;

	for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
		if (eat(&s, facilities[i]))
			break;
	if (i == sizeof(facilities) / sizeof(facilities[0]))
		return false;
	skip_spaces(&s);
	if (!eat(&s, ":"))
		return false;
	lv = s.p;
	while (s.p < s.end && islower((unsigned char)*s.p))
		s.p++;
	for (int l = 0; l < 8; l++)
		if ((size_t)(s.p - lv) == strlen(levels[l]) && memcmp(lv, levels[l], strlen(levels[l])) == 0)
			*level = l;
	skip_spaces(&s);
	if (!eat(&s, ":"))
		return false;
	skip_spaces(&s);
	*foreign = i != 0;
	*c = s;
	return true;
}

/*
 * After a syslog date: "HOST TAG: " or "TAG: " (no host).  Only the
 * kernel's lines are kept; the others are marked foreign.
 */
static void syslog_host_tag(struct cur *c, struct klog_line *out)
{
	const char *tok1 = c->p, *tok1_end, *tag, *tag_end;

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	tok1_end = c->p;
	if (tok1_end > tok1 && tok1_end[-1] == ':') {
		tag = tok1;
		tag_end = tok1_end - 1;
	} else {
		out->host = tok1;
		out->host_len = (size_t)(tok1_end - tok1);
		skip_spaces(c);
		tag = c->p;
		while (c->p < c->end && *c->p != ' ' && *c->p != ':')
			c->p++;
		tag_end = c->p;
		if (c->p < c->end && *c->p == ':')
			c->p++;
	}
	/*
	 * The kernel's lines carry the bare tag "kernel" (rsyslog imklog,
	 * journald's kernel transport): "kernel[PID]" is a program's line,
	 * such as `logger -t kernel`'s.
	 */
	if (!(tag_end - tag == 6 && memcmp(tag, "kernel", 6) == 0))
		out->foreign = true;
	skip_spaces(c);
}

/* Reads journalctl -o short-unix's "SECONDS.USEC" epoch time. */
static bool unix_time(struct cur *c, long long *sec, long *usec)
{
	struct cur s = *c;
	long long v;
	const char *start = s.p;

	if (!digits(&s, &v) || s.p - start < 9 || s.p - start > 12 || !eat(&s, "."))
		return false;
	start = s.p;
	*usec = fraction_usec(&s);
	if (s.p - start != 6)
		return false;
	*sec = v;
	*c = s;
	return true;
}

/* Skips one RFC 5424 field (up to the next space); returns its start and length. */
static const char *field_5424(struct cur *c, size_t *len)
{
	const char *start = c->p;

	while (c->p < c->end && *c->p != ' ')
		c->p++;
	*len = (size_t)(c->p - start);
	return start;
}

/*
 * Reads the rest of an RFC 5424 header after "<PRI>1 ": "TIMESTAMP HOST
 * APP PROCID MSGID SD MSG".  Only APP "kernel" with no PROCID ("-") is the
 * kernel's: a program's line has its own name or pid there.
 */
static bool rfc5424(struct cur *c, struct klog_line *out)
{
	struct cur s = *c;
	long long sec;
	long usec;
	bool comma;
	const char *f;
	size_t n;

	if (!eat(&s, "1 ") || !iso_time(&s, &sec, &usec, &comma) || !eat(&s, " "))
		return false;
	out->time_sec = sec;
	out->time_usec = usec;
	f = field_5424(&s, &n);
	if (!(n == 1 && *f == '-')) {
		out->host = f;
		out->host_len = n;
	}
	if (!eat(&s, " "))
		return false;
	f = field_5424(&s, &n);
	if (!(n == 6 && memcmp(f, "kernel", 6) == 0))
		out->foreign = true;
	if (!eat(&s, " "))
		return false;
	f = field_5424(&s, &n);
	if (!(n == 1 && *f == '-'))
		out->foreign = true;
	if (!eat(&s, " "))
		return false;
	field_5424(&s, &n); /* MSGID */
	if (!eat(&s, " "))
		return false;
	if (eat(&s, "-")) {
		/* no structured data */
	} else if (left(&s) && *s.p == '[') {
		/* SD-ELEMENTs: "[id k=\"v\"]...", a ']' inside a quoted value is escaped */
		bool quoted = false;
		while (s.p < s.end) {
			char ch = *s.p++;
			if (ch == '\\' && s.p < s.end)
				s.p++;
			else if (ch == '"')
				quoted = !quoted;
			else if (ch == ']' && !quoted && (s.p == s.end || *s.p != '['))
				break;
		}
	} else {
		return false;
	}
	eat(&s, " ");
	eat(&s, "\xEF\xBB\xBF"); /* the BOM of a UTF-8 MSG */
	*c = s;
	return true;
}

/*
 * Skips grep's "FILE:" or "FILE:N:" in front of a log line (grep -H, -n,
 * zgrep over rotated logs), when a date or timestamp follows it.
 */
static void grep_prefix(struct cur *c, long long ref)
{
	struct cur s = *c, t;
	long long sec, up;
	long usec;
	bool comma;

	while (s.p < s.end && s.p - c->p < 256 && (isalnum((unsigned char)*s.p) || strchr("_./-", *s.p)))
		s.p++;
	if (s.p == c->p || !eat(&s, ":"))
		return;
	t = s;
	if (digits(&t, &up) && eat(&t, ":"))
		s = t; /* grep -n's line number */
	t = s;
	if (iso_time(&t, &sec, &usec, &comma) || (t = s, syslog_time(&t, ref, &sec, &usec)) ||
	    (t = s, bracket_uptime(&t, &up)) || (t = s, unix_time(&t, &sec, &usec)))
		*c = s;
}

/*
 * Splits one log line into its prefixes and the kernel's message; returns 0
 * (a line without any prefix is a message too).
 */
int klog_parse_prefix(const char *line, size_t len, const struct klog_opts *opts, struct klog_line *out)
{
	struct cur c = { line, line + len };
	long long sec;
	long usec;
	bool comma, got_wall = false;

	memset(out, 0, sizeof(*out));
	out->level = -1;
	out->time_sec = KLOG_NONE;
	out->uptime_usec = KLOG_NONE;
	out->seq = KLOG_NONE;
	/* a line ending (CRLF) and the blanks a copy from a web page or an editor leaves */
	while (c.end > c.p && (c.end[-1] == '\r' || c.end[-1] == '\n' || c.end[-1] == ' ' || c.end[-1] == '\t'))
		c.end--;

	if (kmsg_header(&c, out))
		goto done;
	/* a report quoted in an e-mail or an issue ("> ", ">> "), or indented */
	while (c.p < c.end && (*c.p == ' ' || *c.p == '\t' || *c.p == '>'))
		c.p++;
	grep_prefix(&c, opts ? opts->ref_time : 0);
	/* dmesg -r and syslog-over-network keep the priority: "<4>"; facility 0 is the kernel's */
	if (left(&c) >= 3 && *c.p == '<') {
		struct cur s = c;
		long long prio;
		s.p++;
		if (digits(&s, &prio) && eat(&s, ">")) {
			c = s;
			if (prio >> 3)
				out->foreign = true;
			out->level = (int)(prio & 7);
			if (rfc5424(&c, out)) {
				got_wall = true;
				goto msg_prefixes;
			}
		}
	}
	if (left(&c) && isdigit((unsigned char)*c.p)) {
		struct cur s = c;
		if (iso_time(&s, &sec, &usec, &comma)) {
			out->time_sec = sec;
			out->time_usec = usec;
			got_wall = true;
			c = s;
			skip_spaces(&c);
			/* rsyslog and journalctl: host and tag; dmesg --time-format=iso (with ','): message */
			if (!comma)
				syslog_host_tag(&c, out);
			goto msg_prefixes;
		}
		s = c;
		if (unix_time(&s, &sec, &usec) && eat(&s, " ")) {
			/* journalctl -o short-unix */
			out->time_sec = sec;
			out->time_usec = usec;
			got_wall = true;
			c = s;
			syslog_host_tag(&c, out);
			goto msg_prefixes;
		}
	}
	if (left(&c) >= 15 && *c.p != '[') {
		struct cur s = c;
		if (syslog_time(&s, opts ? opts->ref_time : 0, &sec, &usec) && eat(&s, " ")) {
			out->time_sec = sec;
			out->time_usec = usec;
			out->year_guessed = true;
			got_wall = true;
			c = s;
			syslog_host_tag(&c, out);
		} else if (isupper((unsigned char)*c.p)) {
			s = c;
			if (full_time(&s, &sec, &usec) && eat(&s, " ")) {
				out->time_sec = sec;
				out->time_usec = usec;
				got_wall = true;
				c = s;
				syslog_host_tag(&c, out);
			}
		}
	}
msg_prefixes:
	if (left(&c) && islower((unsigned char)*c.p))
		dmesg_decoded(&c, &out->foreign, &out->level);
	if (bracket_uptime(&c, &out->uptime_usec)) {
		skip_spaces(&c);
		if (!got_wall && !out->host_len) {
			/* journalctl -o short-monotonic: "[ 12.345678] host kernel: msg" */
			struct cur t = c;
			while (t.p < t.end && *t.p != ' ' && *t.p != ':')
				t.p++;
			if (t.p > c.p && eat(&t, " kernel: ")) {
				out->host = c.p;
				out->host_len = (size_t)(t.p - 9 - c.p);
				c = t;
			}
		}
	} else if (!got_wall && bracket_other_time(&c, &sec)) {
		if (sec != KLOG_NONE) {
			out->time_sec = sec;
			out->time_usec = 0;
		}
		skip_spaces(&c);
	}
	if (bracket_caller(&c, &out->caller, &out->caller_len))
		skip_spaces(&c);
	/* "kernel: [ 12.3] msg" as grep and some syslog templates leave it: the kernel's tag alone */
	if (!got_wall && !out->host_len && eat(&c, "kernel: ")) {
		skip_spaces(&c);
		if (bracket_uptime(&c, &out->uptime_usec))
			skip_spaces(&c);
		if (bracket_caller(&c, &out->caller, &out->caller_len))
			skip_spaces(&c);
	}
done:
	if (out->time_sec == KLOG_NONE && out->uptime_usec != KLOG_NONE && opts && opts->boot_usec != KLOG_NONE) {
		long long wall = opts->boot_usec + out->uptime_usec;
		out->time_sec = wall / 1000000;
		out->time_usec = (long)(wall % 1000000);
	}
	out->msg = c.p;
	out->msg_len = left(&c);
	return 0;
}
