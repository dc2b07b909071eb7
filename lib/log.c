// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include <bpf/libbpf.h>

#include "log.h"

bool fp_verbose;

void fp_err(const char *fmt, ...)
{
	va_list ap;

	fputs("flowpath: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fp_info(const char *fmt, ...)
{
	va_list ap;

	fputs("flowpath: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void fp_dbg(const char *fmt, ...)
{
	va_list ap;

	if (!fp_verbose)
		return;
	fputs("flowpath: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	if (!fp_verbose && level != LIBBPF_WARN)
		return 0;
	if (!fp_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

void fp_log_setup_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
