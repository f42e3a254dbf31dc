/* Text output helpers: safe escaping, display widths and human-readable sizes. */
#ifndef OOMTOP_OUT_H
#define OOMTOP_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

int out_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
bool out_cp_hidden(uint32_t cp);
void out_escape(struct strbuf *sb, const char *s, size_t len, bool utf8);
size_t out_fit_width(const char *s, size_t len, size_t width, bool utf8);
size_t out_width(const char *s, size_t len, bool utf8);
void out_size_kib(char *buf, size_t bufsz, unsigned long long kib);
bool out_locale_utf8(void);
int out_terminal_width(int fd);

#endif
