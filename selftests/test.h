/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Assertions for flowpath's C tests. Each prints one PASS or FAIL line
 * (selftests/run.sh counts them) and returns true when it held, so a test
 * can stop at the first broken precondition:
 *	if (!ASSERT_OK(err, "load")) goto out;
 */
#ifndef FP_SELFTESTS_TEST_H
#define FP_SELFTESTS_TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

extern int fp_test_failures;
extern const char *fp_test_name; /* prefix of every result line */

bool fp_test_report(bool ok, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A precondition of the checks that follow (a parse before its round
 * trip, a test run before its verdict): a FAIL line when it does not
 * hold, nothing when it does, since the checks after it say the rest.
 * Returns @ok.
 */
bool fp_test_require(bool ok, const char *label, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define REQUIRE_OK(err, label)                                           \
	({                                                               \
		long long __e = (long long)(err);                        \
		fp_test_require(__e == 0, (label), "error %lld (%s)", __e, \
				strerror(__e < 0 ? (int)-__e : (int)__e)); \
	})

/* A check that could not run, and why: a SKIP line, counted apart. */
void fp_test_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ASSERT_TRUE(cond, label) \
	fp_test_report(!!(cond), (label), "expected true: %s", #cond)
#define ASSERT_OK(err, label)                                          \
	({                                                             \
		long long __e = (long long)(err);                      \
		fp_test_report(__e == 0, (label), "error %lld (%s)", __e, \
			       strerror(__e < 0 ? (int)-__e : (int)__e)); \
	})
#define ASSERT_EQ(actual, expected, label)                                \
	({                                                                \
		long long __a = (long long)(actual);                      \
		long long __x = (long long)(expected);                    \
		fp_test_report(__a == __x, (label),                       \
			       "%s = %lld, expected %lld", #actual, __a, __x); \
	})
#define ASSERT_STREQ(actual, expected, label)                              \
	({                                                                 \
		const char *__a = (actual), *__x = (expected);             \
		fp_test_report(__a && __x && !strcmp(__a, __x), (label),   \
			       "got '%s', expected '%s'", __a ? __a : "(null)", \
			       __x ? __x : "(null)");                      \
	})
/* Byte comparison that names the first differing offset. */
bool fp_assert_bytes(const void *actual, size_t alen, const void *expected,
		     size_t elen, const char *label);
#define ASSERT_BYTES(a, alen, e, elen, label) \
	fp_assert_bytes((a), (alen), (e), (elen), (label))

/*
 * What the code under test writes to stderr (its fp_err() messages)
 * between fp_test_stderr_begin() and fp_test_stderr_end(), into @buf
 * (cut to @len), so that a refusal is checked by its message and not by
 * its return value alone. begin returns a handle for end, or -1.
 */
int fp_test_stderr_begin(void);
void fp_test_stderr_end(int handle, char *buf, size_t len);

/* Exit status for main(): 0 if nothing failed. */
int fp_test_exit(void);

#endif
