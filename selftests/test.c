// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

int fp_test_failures;
const char *fp_test_name = "test";

/* "KIND: test: [label: ]message", flushed: a crash after it loses
 * nothing. */
static void line(const char *kind, const char *label, const char *fmt,
		 va_list ap)
{
	printf("%s: %s: ", kind, fp_test_name);
	if (label)
		printf("%s: ", label);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

bool fp_test_report(bool ok, const char *label, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		printf("PASS: %s: %s\n", fp_test_name, label);
		return true;
	}
	fp_test_failures++;
	va_start(ap, fmt);
	line("FAIL", label, fmt, ap);
	va_end(ap);
	return false;
}

bool fp_test_require(bool ok, const char *label, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		return true;
	fp_test_failures++;
	va_start(ap, fmt);
	line("FAIL", label, fmt, ap);
	va_end(ap);
	return false;
}

void fp_test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line("SKIP", NULL, fmt, ap);
	va_end(ap);
}

static void hexdump_around(const char *what, const unsigned char *p,
			   size_t len, size_t off)
{
	size_t start = off > 16 ? (off - 16) & ~(size_t)15 : 0;
	size_t end = start + 48 < len ? start + 48 : len;
	size_t i;

	printf("  %-8s", what);
	for (i = start; i < end; i++)
		printf("%s%02x", i == off ? "[" : " ", p[i]);
	printf("   (from offset %zu)\n", start);
}

bool fp_assert_bytes(const void *actual, size_t alen, const void *expected,
		     size_t elen, const char *label)
{
	const unsigned char *a = actual, *e = expected;
	size_t i, n = alen < elen ? alen : elen;

	for (i = 0; i < n && a[i] == e[i]; i++)
		;
	if (i == n && alen == elen)
		return fp_test_report(true, label, "%s", "");
	fp_test_report(false, label,
		       "bytes differ at offset %zu (actual %zu bytes, expected %zu)",
		       i, alen, elen);
	hexdump_around("actual", a, alen, i);
	hexdump_around("expected", e, elen, i);
	return false;
}

static FILE *captured;

int fp_test_stderr_begin(void)
{
	int saved;

	fflush(stderr);
	captured = tmpfile();
	saved = captured ? dup(STDERR_FILENO) : -1;
	if (saved < 0 || dup2(fileno(captured), STDERR_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		if (captured)
			fclose(captured);
		captured = NULL;
		return -1;
	}
	return saved;
}

void fp_test_stderr_end(int handle, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (handle < 0 || !captured)
		return;
	fflush(stderr);
	dup2(handle, STDERR_FILENO);
	close(handle);
	rewind(captured);
	n = fread(buf, 1, len - 1, captured);
	buf[n] = '\0';
	fclose(captured);
	captured = NULL;
}

int fp_test_exit(void)
{
	return fp_test_failures ? 1 : 0;
}
