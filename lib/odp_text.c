// SPDX-License-Identifier: GPL-2.0
/* Text helpers shared by the ovs-dpctl syntax parsers and printers. */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "odp_text.h"

void fp_odp_out_init(struct fp_odp_out *o, char *buf, size_t size)
{
	o->buf = buf;
	o->size = size;
	o->len = 0;
	if (size)
		buf[0] = '\0';
}

void fp_odp_printf(struct fp_odp_out *o, const char *fmt, ...)
{
	size_t room = o->len < o->size ? o->size - o->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? o->buf + o->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		o->len += n;
}

void fp_odp_put_mac(struct fp_odp_out *o, const __u8 *m)
{
	fp_odp_printf(o, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2],
		      m[3], m[4], m[5]);
}

void fp_odp_put_ipv4(struct fp_odp_out *o, const void *be32)
{
	char s[INET_ADDRSTRLEN];

	fp_odp_printf(o, "%s", inet_ntop(AF_INET, be32, s, sizeof(s)));
}

void fp_odp_put_ipv6(struct fp_odp_out *o, const void *addr)
{
	char s[INET6_ADDRSTRLEN];

	fp_odp_printf(o, "%s", inet_ntop(AF_INET6, addr, s, sizeof(s)));
}

int fp_odp_out_len(const struct fp_odp_out *o)
{
	return o->len > INT_MAX ? INT_MAX : (int)o->len;
}

int fp_odp_error(struct fp_odp_in *in, const char *fmt, ...)
{
	va_list ap;

	if (in->errlen) {
		va_start(ap, fmt);
		vsnprintf(in->err, in->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

bool fp_odp_is_delim(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void fp_odp_skip_delims(struct fp_odp_in *in)
{
	while (*in->p && fp_odp_is_delim(*in->p))
		in->p++;
}

void fp_odp_skip_space(struct fp_odp_in *in)
{
	while (*in->p == ' ' || *in->p == '\t' || *in->p == '\r' ||
	       *in->p == '\n')
		in->p++;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_';
}

size_t fp_odp_name(struct fp_odp_in *in, const char **start)
{
	*start = in->p;
	while (is_name_char(*in->p))
		in->p++;
	return in->p - *start;
}

size_t fp_odp_value(struct fp_odp_in *in, const char **start)
{
	*start = in->p;
	while (*in->p && !fp_odp_is_delim(*in->p) && *in->p != '(' &&
	       *in->p != ')')
		in->p++;
	return in->p - *start;
}

const char *fp_odp_quote(char *buf, const char *s, size_t len)
{
	if (len > FP_ODP_QUOTE_LEN - 8)
		snprintf(buf, FP_ODP_QUOTE_LEN, "%.*s...",
			 FP_ODP_QUOTE_LEN - 8, s);
	else
		snprintf(buf, FP_ODP_QUOTE_LEN, "%.*s", (int)len, s);
	return buf;
}

const char *fp_odp_quote_rest(char *buf, const char *s)
{
	return fp_odp_quote(buf, s, strlen(s));
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int fp_odp_scan_u64(const char *s, size_t len, __u64 *v)
{
	unsigned int base = 10;
	__u64 x = 0;
	size_t i = 0;

	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len)
		return -EINVAL;
	for (; i < len; i++) {
		int d = hex_digit(s[i]);

		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (x > (~0ULL - d) / base)
			return -ERANGE;
		x = x * base + d;
	}
	*v = x;
	return 0;
}

int fp_odp_scan_mac(const char *s, size_t len, __u8 mac[6])
{
	const char *end = s + len;
	int i;

	/* Like OVS: six groups of one or two hex digits, colon-separated. */
	for (i = 0; i < 6; i++) {
		int hi, lo;

		if (s == end || (hi = hex_digit(*s)) < 0)
			return -EINVAL;
		s++;
		if (s < end && (lo = hex_digit(*s)) >= 0) {
			hi = hi * 16 + lo;
			s++;
		}
		mac[i] = hi;
		if (i < 5) {
			if (s == end || *s != ':')
				return -EINVAL;
			s++;
		}
	}
	return s == end ? 0 : -EINVAL;
}

static int scan_addr(int af, const char *s, size_t len, void *dst)
{
	char tmp[INET6_ADDRSTRLEN + 1];

	if (len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	return inet_pton(af, tmp, dst) == 1 ? 0 : -EINVAL;
}

int fp_odp_scan_ipv4(const char *s, size_t len, void *be32)
{
	return scan_addr(AF_INET, s, len, be32);
}

int fp_odp_scan_ipv6(const char *s, size_t len, void *addr)
{
	return scan_addr(AF_INET6, s, len, addr);
}
