/* SPDX-License-Identifier: GPL-2.0 */
#ifndef FP_LIB_LOG_H
#define FP_LIB_LOG_H

#include <stdbool.h>

extern bool fp_verbose;

/* "flowpath: " + message + newline, on stderr. */
void fp_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* What a daemon (the agent) reports as it runs: always shown. */
void fp_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Only with -v. */
void fp_dbg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* libbpf's own messages: shown only with -v. */
void fp_log_setup_libbpf(void);

#endif
