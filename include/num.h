/* Strict number parsing: whole string, range-checked, 0 or -errno (util-linux strutils style). */
#ifndef OOMTOP_NUM_H
#define OOMTOP_NUM_H

int num_parse_long(const char *s, long min, long max, long *out);
int num_parse_ulong(const char *s, unsigned long max, unsigned long *out);
/* decimals a number of seconds may have: milliseconds, the resolution of the refresh timer */
#define NUM_SECONDS_DECIMALS 3

int num_parse_seconds(const char *s, unsigned long min_ms, unsigned long max_ms, double *out);

#endif
