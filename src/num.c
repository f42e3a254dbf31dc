/* Strict parsers for numbers given on the command line or read from files. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "num.h"

/* Parses a decimal integer in [min,max]; returns 0, -EINVAL (not a number) or -ERANGE. */
int num_parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/* Parses an unsigned decimal integer up to max (no sign allowed); 0, -EINVAL or -ERANGE. */
int num_parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end != '\0')
		return -EINVAL;
	if (errno == ERANGE || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * Parses a number of seconds written as plain decimal digits with at most
 * one dot and up to NUM_SECONDS_DECIMALS digits after it ("2", "0.5",
 * "86400.000"): no sign, no blank, no exponent, no hex, no inf or nan, which
 * strtod() would all take.  The value is counted in milliseconds, so the
 * range check is exact; 0 with *out set, -EINVAL (not such a number) or
 * -ERANGE (outside [min_ms, max_ms]).
 */
int num_parse_seconds(const char *s, unsigned long min_ms, unsigned long max_ms, double *out)
{
	unsigned long long ms = 0;
	size_t i = 0, decimals = 0;
	bool big = false;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	for (; isdigit((unsigned char)s[i]); i++) {
		ms = ms * 10 + (unsigned long long)(s[i] - '0');
		if (ms > 1000000000000ULL) /* past any range this takes; keep reading the syntax */
			big = true, ms = 1000000000000ULL;
	}
	ms *= 1000;
	if (s[i] == '.') {
		unsigned long long scale = 100;

		for (i++; isdigit((unsigned char)s[i]); i++, decimals++) {
			if (decimals >= NUM_SECONDS_DECIMALS)
				return -EINVAL;
			ms += (unsigned long long)(s[i] - '0') * scale;
			scale /= 10;
		}
		if (decimals == 0)
			return -EINVAL; /* "2." */
	}
	if (s[i] != '\0')
		return -EINVAL;
	if (big || ms < min_ms || ms > max_ms)
		return -ERANGE;
	*out = (double)ms / 1000.0;
	return 0;
}
