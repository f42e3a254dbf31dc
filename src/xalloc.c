/* The one place where allocation failure is handled: report and exit. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oomtop.h"
#include "xalloc.h"

/* Prints the out-of-memory message and exits with the failure status. */
static void __attribute__((noreturn)) xalloc_die(size_t size)
{
	fprintf(stderr, "%s: out of memory allocating %zu bytes\n", OOMTOP_NAME, size);
	exit(EXIT_FAIL);
}

/* Returns size bytes of new memory, never NULL. */
void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		xalloc_die(size);
	return p;
}

/* Returns zeroed memory for nmemb elements, never NULL. */
void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		xalloc_die(nmemb * size);
	return p;
}

/* Resizes ptr to size bytes, never returning NULL. */
void *xrealloc(void *ptr, size_t size)
{
	void *p = realloc(ptr, size ? size : 1);

	if (!p)
		xalloc_die(size);
	return p;
}

/* Resizes ptr to nmemb elements of size bytes, checking the product for overflow. */
void *xreallocarray(void *ptr, size_t nmemb, size_t size)
{
	if (size && nmemb > (size_t)-1 / size)
		xalloc_die((size_t)-1);
	return xrealloc(ptr, nmemb * size);
}

/* Returns a copy of s, never NULL. */
char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		xalloc_die(strlen(s) + 1);
	return p;
}

/* Returns a NUL-terminated copy of at most n bytes of s, never NULL. */
char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		xalloc_die(n + 1);
	return p;
}

/* Returns a newly allocated formatted string, never NULL. */
char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0)
		xalloc_die(strlen(fmt));
	return p;
}
