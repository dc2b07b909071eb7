/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the key and action parsers and printers share: an output buffer with
 * snprintf semantics, an input cursor that carries the error message, and
 * scanners for the value syntaxes (numbers, MAC, IPv4, IPv6). Internal to
 * lib/odp_*.c; everything else uses lib/odp.h.
 */
#ifndef FP_LIB_ODP_TEXT_H
#define FP_LIB_ODP_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <linux/types.h>

/* Output: the text is cut at size - 1 bytes, len counts all of it. */
struct fp_odp_out {
	char *buf;
	size_t size;
	size_t len;
};

void fp_odp_out_init(struct fp_odp_out *o, char *buf, size_t size);
void fp_odp_printf(struct fp_odp_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void fp_odp_put_mac(struct fp_odp_out *o, const __u8 *mac);
void fp_odp_put_ipv4(struct fp_odp_out *o, const void *be32);
void fp_odp_put_ipv6(struct fp_odp_out *o, const void *addr);
/* The return value of the public formatters: the whole length. */
int fp_odp_out_len(const struct fp_odp_out *o);

/* Input: a cursor into the text being parsed, and where errors go. */
struct fp_odp_in {
	const char *p;
	char *err;
	size_t errlen;
};

/* Writes the message into in->err and returns -EINVAL. */
int fp_odp_error(struct fp_odp_in *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ovs-dpctl separates attributes and actions with any of ", \t\r\n". */
bool fp_odp_is_delim(char c);
void fp_odp_skip_delims(struct fp_odp_in *in);
void fp_odp_skip_space(struct fp_odp_in *in);

/* Length of the name ([A-Za-z0-9_]) at the cursor; the cursor moves past it. */
size_t fp_odp_name(struct fp_odp_in *in, const char **start);
/* Length of the value at the cursor: everything up to a delimiter,
 * '(' or ')'; the cursor moves past it. */
size_t fp_odp_value(struct fp_odp_in *in, const char **start);

/* A token as messages quote it: at most 48 characters, then "...". */
#define FP_ODP_QUOTE_LEN 56
const char *fp_odp_quote(char *buf, const char *s, size_t len);
/* What follows the cursor, quoted, for "unexpected ..." messages. */
const char *fp_odp_quote_rest(char *buf, const char *s);

/*
 * Value scanners over [s, s + len). Each returns 0, -EINVAL if the text is
 * not of that syntax, or (numbers) -ERANGE if it does not fit 64 bits.
 * Numbers are decimal or 0x-prefixed hex; unlike OVS's %i, a leading 0
 * does not mean octal.
 */
int fp_odp_scan_u64(const char *s, size_t len, __u64 *v);
int fp_odp_scan_mac(const char *s, size_t len, __u8 mac[6]);
int fp_odp_scan_ipv4(const char *s, size_t len, void *be32);
int fp_odp_scan_ipv6(const char *s, size_t len, void *addr);

struct fp_flow_key;

/*
 * One key attribute on its own, for actions that carry one, like
 * set(ipv4(src=...)). Parse NAME(...) at the cursor into @key, setting in
 * @mask (if not NULL) the bits of every field given; the cursor ends past
 * its ')'. eth_type, vlan and encap are refused: they mean something only
 * among other attributes. Returns 0 or -EINVAL with the message in @in.
 */
int fp_odp_key_attr_parse(struct fp_odp_in *in, struct fp_flow_key *key,
			  struct fp_flow_key *mask);
/* Print attribute @name of @key, only the fields @mask has bits in (all
 * if NULL). -ENOENT if there is no such attribute. */
int fp_odp_key_attr_format(struct fp_odp_out *o, const char *name,
			   const struct fp_flow_key *key,
			   const struct fp_flow_key *mask);

/* Messages for the scanners' failures, shared so they read the same in
 * keys and in actions. */
#define FP_ODP_EXPECT_NUM "expected a decimal or 0x-prefixed hex number"
#define FP_ODP_EXPECT_MAC "expected six hex bytes like 02:00:00:00:00:01"
#define FP_ODP_EXPECT_IPV4 "expected a dotted quad like 192.0.2.1"
#define FP_ODP_EXPECT_IPV6 "expected an address like 2001:db8::1"

#endif
