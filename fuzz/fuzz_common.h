/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the libFuzzer targets share: turning the fuzzer's bytes into the
 * C string the parsers take, and reporting a broken property. A property
 * that fails aborts, so libFuzzer keeps the input as a crash artifact,
 * just as it does for what ASan and UBSan find.
 */
#ifndef FP_FUZZ_COMMON_H
#define FP_FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Copy @size bytes into @buf (@cap bytes) as a C string. Inputs with a NUL
 * (the parsers would never see what follows it) or longer than a command
 * line the parsers are sized for are not worth keeping: false, and the
 * target returns -1, which tells libFuzzer not to add them to the corpus.
 */
static inline int fz_cstr(char *buf, size_t cap, const uint8_t *data,
			  size_t size)
{
	if (size >= cap || memchr(data, '\0', size))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	return 1;
}

static inline void __attribute__((noreturn, format(printf, 2, 3)))
fz_fail(const char *input, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz property violated: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n  input: '%s'\n", input);
	abort();
}

/* A parse error must say something, within the buffer it was given. */
static inline void fz_check_err(const char *input, const char *err,
				size_t errlen)
{
	if (!err[0])
		fz_fail(input, "refused without a message");
	if (!memchr(err, '\0', errlen))
		fz_fail(input, "error message not terminated");
}

#endif
