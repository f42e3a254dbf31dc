/* Strict number parsing: whole string, range-checked, 0 or -errno (util-linux strutils style). */
#ifndef OOMTOP_NUM_H
#define OOMTOP_NUM_H

int num_parse_long(const char *s, long min, long max, long *out);
int num_parse_ulong(const char *s, unsigned long max, unsigned long *out);
int num_parse_double(const char *s, double min, double max, double *out);

#endif
