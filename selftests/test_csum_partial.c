// SPDX-License-Identifier: GPL-2.0
/*
 * Completing unfinished (CHECKSUM_PARTIAL) TCP and UDP checksums
 * (lib/csum_partial.h), no datapath needed. Frames built by scapy, with
 * their checksum field turned into the pseudo-header sum a sending
 * kernel leaves, come back as scapy built them; frames with a good, a
 * wrong, a zero UDP or no checksum to judge (fragments, other protocols,
 * routing headers, truncated or malformed headers) come back untouched;
 * random frames complete to checksums that verify. Every run is on a
 * buffer of exactly the frame's size, so ASan sees any read past it.
 *
 * The checksums here are computed by the test's own RFC 1071 sum over a
 * pseudo-header laid out in a buffer, not by the code under test.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csum_partial.h"
#include "test.h"

static char label[256];

static __attribute__((format(printf, 1, 2))) const char *lbl(const char *fmt,
							     ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(label, sizeof(label), fmt, ap);
	va_end(ap);
	return label;
}

/* ---- The reference: RFC 1071 over bytes laid out as the RFCs draw them */

static uint16_t ref_fold(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i < len; i++)
		sum += i & 1 ? p[i] : (uint32_t)p[i] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* Where a frame's L3 and L4 are, as the test built it. */
struct loc {
	int v6;
	size_t l3, l4, l4_len; /* l4_len: as the pseudo-header counts it */
	uint8_t proto;
	size_t csum; /* offset of the checksum field in the frame */
};

/* The folded sum of @f's pseudo-header (RFC 768, RFC 793, RFC 8200 8.1). */
static uint16_t ref_pseudo(const uint8_t *f, const struct loc *l)
{
	uint8_t ph[40] = {};
	size_t n;

	if (l->v6) {
		memcpy(ph, f + l->l3 + 8, 32);
		n = 40;
		ph[34] = (uint8_t)(l->l4_len >> 8);
		ph[35] = (uint8_t)l->l4_len;
		ph[39] = l->proto;
	} else {
		memcpy(ph, f + l->l3 + 12, 8);
		n = 12;
		ph[9] = l->proto;
		ph[10] = (uint8_t)(l->l4_len >> 8);
		ph[11] = (uint8_t)l->l4_len;
	}
	return ref_fold(ph, n, 0);
}

/* Whether @f's L4 checksum verifies. */
static int ref_verifies(const uint8_t *f, const struct loc *l)
{
	return ref_fold(f + l->l4, l->l4_len, ref_pseudo(f, l)) == 0xffff;
}

/* The right checksum of @f, its field taken as zero. */
static uint16_t ref_csum(uint8_t *f, const struct loc *l)
{
	uint8_t save[2];
	uint16_t c;

	memcpy(save, f + l->csum, 2);
	memset(f + l->csum, 0, 2);
	c = (uint16_t)~ref_fold(f + l->l4, l->l4_len, ref_pseudo(f, l));
	memcpy(f + l->csum, save, 2);
	return c;
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void wr16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* What a sending kernel leaves in a CHECKSUM_PARTIAL packet. */
static void make_partial(uint8_t *f, const struct loc *l)
{
	wr16(f + l->csum, ref_pseudo(f, l));
}

/* Run fp_csum_complete() on a copy of @len bytes of @f in a buffer of
 * exactly that size; the copy's bytes after the run into @out. */
static enum fp_csum_result run(const uint8_t *f, size_t len, uint8_t *out)
{
	uint8_t *b = malloc(len ? len : 1);
	enum fp_csum_result r;

	if (!b) {
		perror("malloc");
		exit(1);
	}
	memcpy(b, f, len);
	r = fp_csum_complete(b, len);
	memcpy(out, b, len);
	free(b);
	return r;
}

/* ---- Frames from scapy (see each), with their checksums right ---- */

/* Ether()/IP(src="192.0.2.1",dst="198.51.100.2",id=1)
 * /UDP(sport=1000,dport=53)/b"flowpath csum" (odd payload) */
static const uint8_t v4_udp[] = {
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x02, 0x00, 0x00, 0x00, 0x0a,
	0x01, 0x08, 0x00, 0x45, 0x00, 0x00, 0x29, 0x00, 0x01, 0x00, 0x00,
	0x40, 0x11, 0x8e, 0x8c, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64,
	0x02, 0x03, 0xe8, 0x00, 0x35, 0x00, 0x15, 0x53, 0xe9, 0x66, 0x6c,
	0x6f, 0x77, 0x70, 0x61, 0x74, 0x68, 0x20, 0x63, 0x73, 0x75, 0x6d,
};

/* Ether()/IP(src="192.0.2.1",dst="198.51.100.2",id=2)
 * /TCP(sport=40000,dport=80,flags="S",seq=1,options=[("MSS",1460)]) */
static const uint8_t v4_tcp[] = {
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,
	0x08, 0x00, 0x45, 0x00, 0x00, 0x2c, 0x00, 0x02, 0x00, 0x00, 0x40, 0x06,
	0x8e, 0x93, 0xc0, 0x00, 0x02, 0x01, 0xc6, 0x33, 0x64, 0x02, 0x9c, 0x40,
	0x00, 0x50, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x60, 0x02,
	0x20, 0x00, 0xef, 0x5d, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
};

/* Ether()/IPv6(src="2001:db8::1",dst="2001:db8::2")
 * /UDP(sport=1000,dport=53)/b"flowpath csum6" */
static const uint8_t v6_udp[] = {
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x02, 0x00, 0x00, 0x00, 0x0a,
	0x01, 0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x16, 0x11, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03,
	0xe8, 0x00, 0x35, 0x00, 0x16, 0xe4, 0x73, 0x66, 0x6c, 0x6f, 0x77,
	0x70, 0x61, 0x74, 0x68, 0x20, 0x63, 0x73, 0x75, 0x6d, 0x36,
};

/* Ether()/IPv6(src="2001:db8::1",dst="2001:db8:1::2")/IPv6ExtHdrDestOpt()
 * /TCP(sport=40000,dport=443,flags="PA",seq=7,ack=9)/b"hello" */
static const uint8_t v6_tcp_dstopts[] = {
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x02, 0x00, 0x00, 0x00, 0x0a,
	0x01, 0x86, 0xdd, 0x60, 0x00, 0x00, 0x00, 0x00, 0x21, 0x3c, 0x40,
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x06,
	0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x9c, 0x40, 0x01, 0xbb,
	0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x00, 0x09, 0x50, 0x18, 0x20,
	0x00, 0x52, 0x74, 0x00, 0x00, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

/* Ether(type=0x88a8)/Dot1Q(vlan=100,type=0x8100)/Dot1Q(vlan=200)
 * /IP(src="203.0.113.7",dst="192.0.2.9",id=3)/UDP(sport=5353,dport=5353)
 * /b"tagged!" */
static const uint8_t qinq_udp[] = {
	0x02, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x02, 0x00, 0x00, 0x00, 0x0a, 0x01,
	0x88, 0xa8, 0x00, 0x64, 0x81, 0x00, 0x00, 0xc8, 0x08, 0x00, 0x45, 0x00,
	0x00, 0x23, 0x00, 0x03, 0x00, 0x00, 0x40, 0x11, 0x7c, 0xb6, 0xcb, 0x00,
	0x71, 0x07, 0xc0, 0x00, 0x02, 0x09, 0x14, 0xe9, 0x14, 0xe9, 0x00, 0x0f,
	0x75, 0xbf, 0x74, 0x61, 0x67, 0x67, 0x65, 0x64, 0x21,
};

struct kat {
	const char *name;
	const uint8_t *frame;
	size_t len;
	struct loc loc;
};

/* @f's L3 at @l3_at, its TCP or UDP header at @l4_at to the frame's end. */
#define KAT(f, is_v6, l3_at, l4_at, l4_proto, csum_at)                         \
	{                                                                      \
		.name = #f, .frame = f, .len = sizeof(f),                      \
		.loc = {                                                       \
			.v6 = is_v6,                                           \
			.l3 = l3_at,                                           \
			.l4 = l4_at,                                           \
			.l4_len = sizeof(f) - (l4_at),                         \
			.proto = l4_proto,                                     \
			.csum = (l4_at) + (csum_at),                           \
		},                                                             \
	}

/* clang-format off */
static const struct kat kats[] = {
	KAT(v4_udp, 0, 14, 34, 17, 6),
	KAT(v4_tcp, 0, 14, 34, 6, 16),
	KAT(v6_udp, 1, 14, 54, 17, 6),
	KAT(v6_tcp_dstopts, 1, 14, 62, 6, 16),
	KAT(qinq_udp, 0, 22, 42, 17, 6),
};
/* clang-format on */

#define MAX_FRAME 2048

/* The checksum the scapy frame carries is right, by the reference too:
 * the KATs and the reference check each other. */
static void test_kats_sane(void)
{
	unsigned int i;

	fp_test_name = "csum_kat";
	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *k = &kats[i];

		ASSERT_TRUE(ref_verifies(k->frame, &k->loc),
			    lbl("%s: scapy's checksum verifies", k->name));
	}
}

/* Partial -> completed, byte for byte scapy's; good, wrong -> untouched. */
static void test_kats(void)
{
	uint8_t f[MAX_FRAME], out[MAX_FRAME];
	unsigned int i;

	fp_test_name = "csum_complete";
	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *k = &kats[i];
		uint16_t good = rd16(k->frame + k->loc.csum);

		memcpy(f, k->frame, k->len);
		make_partial(f, &k->loc);
		ASSERT_TRUE(
			!ref_verifies(f, &k->loc),
			lbl("%s: the partial frame does not verify", k->name));
		ASSERT_EQ(run(f, k->len, out), FP_CSUM_COMPLETED,
			  lbl("%s: partial: completed", k->name));
		ASSERT_BYTES(out, k->len, k->frame, k->len,
			     lbl("%s: partial: completed to scapy's frame",
				 k->name));
		ASSERT_TRUE(ref_verifies(out, &k->loc),
			    lbl("%s: partial: the completed checksum verifies",
				k->name));
		/* Completing twice changes nothing. */
		ASSERT_EQ(run(out, k->len, f), FP_CSUM_OK,
			  lbl("%s: completed: then verifies", k->name));

		ASSERT_EQ(run(k->frame, k->len, out), FP_CSUM_OK,
			  lbl("%s: good checksum: verifies", k->name));
		ASSERT_BYTES(out, k->len, k->frame, k->len,
			     lbl("%s: good checksum: untouched", k->name));

		/* Wrong, and not the pseudo-header sum: corrupt, not
		 * unfinished. */
		memcpy(f, k->frame, k->len);
		wr16(f + k->loc.csum, good ^ 0x0100);
		ASSERT_EQ(run(f, k->len, out), FP_CSUM_BAD,
			  lbl("%s: wrong checksum: bad", k->name));
		ASSERT_BYTES(out, k->len, f, k->len,
			     lbl("%s: wrong checksum: untouched", k->name));

		/* A pseudo-header sum of other addresses (the source
		 * changed after the sender summed it) is corrupt too. */
		memcpy(f, k->frame, k->len);
		make_partial(f, &k->loc);
		f[k->loc.l3 + (k->loc.v6 ? 8 : 12)] ^= 0x01;
		ASSERT_EQ(run(f, k->len, out), FP_CSUM_BAD,
			  lbl("%s: partial sum of other addresses: bad",
			      k->name));
		ASSERT_BYTES(
			out, k->len, f, k->len,
			lbl("%s: partial sum of other addresses: untouched",
			    k->name));
	}
}

/* Cut anywhere short of its end, a frame is not judged, and nothing is
 * read past the cut (each run's buffer ends there: ASan). */
static void test_truncated(void)
{
	uint8_t f[MAX_FRAME], out[MAX_FRAME];
	unsigned int i, bad;
	size_t n;

	fp_test_name = "csum_truncated";
	for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
		const struct kat *k = &kats[i];

		memcpy(f, k->frame, k->len);
		make_partial(f, &k->loc);
		bad = 0;
		for (n = 0; n < k->len; n++) {
			if (run(f, n, out) != FP_CSUM_SKIPPED ||
			    memcmp(out, f, n)) {
				if (!bad)
					fp_test_report(
						false, lbl("%s: cut", k->name),
						"judged or changed at %zu of %zu bytes",
						n, k->len);
				bad++;
			}
		}
		ASSERT_EQ(bad, 0,
			  lbl("%s: cut at each of 0..%zu bytes: untouched",
			      k->name, k->len - 1));
	}
}

/* @f, run: @want, and its bytes untouched. */
static void check_untouched(const char *what, const uint8_t *f, size_t len,
			    enum fp_csum_result want)
{
	uint8_t out[MAX_FRAME];

	ASSERT_EQ(run(f, len, out), want, lbl("%s: result", what));
	ASSERT_BYTES(out, len, f, len, lbl("%s: untouched", what));
}

static void test_not_judged(void)
{
	const struct loc *l4 = &kats[0].loc, *l6 = &kats[2].loc;
	uint8_t f[MAX_FRAME];
	size_t n;

	fp_test_name = "csum_untouched";

	/* UDP checksum 0: the sender computed none (IPv4 allows it). */
	memcpy(f, v4_udp, sizeof(v4_udp));
	wr16(f + l4->csum, 0);
	check_untouched("IPv4 UDP checksum 0", f, sizeof(v4_udp), FP_CSUM_NONE);
	memcpy(f, v6_udp, sizeof(v6_udp));
	wr16(f + l6->csum, 0);
	check_untouched("IPv6 UDP checksum 0", f, sizeof(v6_udp), FP_CSUM_NONE);

	/* IPv4 fragments: the first (MF), a later one (offset), even with
	 * the field holding the pseudo sum. */
	memcpy(f, v4_udp, sizeof(v4_udp));
	make_partial(f, l4);
	f[14 + 6] |= 0x20;
	check_untouched("IPv4 first fragment", f, sizeof(v4_udp),
			FP_CSUM_SKIPPED);
	memcpy(f, v4_udp, sizeof(v4_udp));
	make_partial(f, l4);
	f[14 + 7] = 0x03;
	check_untouched("IPv4 later fragment", f, sizeof(v4_udp),
			FP_CSUM_SKIPPED);
	/* DF is no fragment. */
	memcpy(f, v4_udp, sizeof(v4_udp));
	make_partial(f, l4);
	f[14 + 6] |= 0x40;
	ASSERT_EQ(run(f, sizeof(v4_udp), f), FP_CSUM_COMPLETED,
		  "IPv4 DF: completed");

	/* IPv6 fragment header (nh 44) before UDP: 8 bytes inserted. */
	n = sizeof(v6_udp) + 8;
	memcpy(f, v6_udp, 54);
	memcpy(f + 62, v6_udp + 54, sizeof(v6_udp) - 54);
	f[20] = 44;
	wr16(f + 18, (uint16_t)(rd16(v6_udp + 18) + 8));
	memset(f + 54, 0, 8);
	f[54] = 17;   /* next header */
	f[57] = 0x01; /* offset 0, M: a first fragment */
	wr16(f + 62 + 6, ref_pseudo(v6_udp, l6));
	check_untouched("IPv6 first fragment", f, n, FP_CSUM_SKIPPED);
	f[57] = 0x00; /* an atomic fragment: a fragment header all the same */
	check_untouched("IPv6 atomic fragment", f, n, FP_CSUM_SKIPPED);
	/* The same with a routing header (nh 43): the pseudo-header's
	 * destination would be another. */
	f[20] = 43;
	f[55] = 0;
	check_untouched("IPv6 routing header", f, n, FP_CSUM_SKIPPED);

	/* Not TCP or UDP: ICMP (proto 1) with the bytes of a partial UDP. */
	memcpy(f, v4_udp, sizeof(v4_udp));
	make_partial(f, l4);
	f[14 + 9] = 1;
	check_untouched("IPv4 ICMP", f, sizeof(v4_udp), FP_CSUM_SKIPPED);
	memcpy(f, v6_udp, sizeof(v6_udp));
	make_partial(f, l6);
	f[20] = 58;
	check_untouched("IPv6 ICMPv6", f, sizeof(v6_udp), FP_CSUM_SKIPPED);
	/* Not IP: ARP's ethertype over the same bytes. */
	memcpy(f, v4_udp, sizeof(v4_udp));
	make_partial(f, l4);
	f[12] = 0x08;
	f[13] = 0x06;
	check_untouched("ARP", f, sizeof(v4_udp), FP_CSUM_SKIPPED);
	/* The version nibble disagrees with the ethertype. */
	memcpy(f, v4_udp, sizeof(v4_udp));
	make_partial(f, l4);
	f[14] = 0x65;
	check_untouched("IPv4 ethertype, version 6", f, sizeof(v4_udp),
			FP_CSUM_SKIPPED);
	/* More tags than are skipped. */
	memset(f, 0, sizeof(f));
	memcpy(f, qinq_udp, 12);
	for (n = 0; n < 4; n++) {
		wr16(f + 12 + 4 * n, 0x8100);
		wr16(f + 14 + 4 * n, 10);
	}
	memcpy(f + 28, v4_udp + 12, sizeof(v4_udp) - 12);
	make_partial(f + 16, l4); /* the IPv4 frame's offsets, 16 later */
	check_untouched("four VLAN tags", f, sizeof(v4_udp) + 16,
			FP_CSUM_SKIPPED);
}

/* Headers whose lengths lie: never judged, never read past. */
static void test_malformed(void)
{
	const struct loc *l4 = &kats[0].loc;
	uint8_t f[MAX_FRAME], out[MAX_FRAME];
	size_t n = sizeof(v4_udp);

	fp_test_name = "csum_malformed";
	memcpy(f, v4_udp, n);
	make_partial(f, l4);
	f[14] = 0x44; /* IHL 4 */
	check_untouched("IHL 4", f, n, FP_CSUM_SKIPPED);
	f[14] = 0x4f; /* IHL 15: 60 bytes, past tot_len */
	check_untouched("IHL past total length", f, n, FP_CSUM_SKIPPED);

	memcpy(f, v4_udp, n);
	make_partial(f, l4);
	wr16(f + 16, (uint16_t)(n - 14 + 1));
	check_untouched("total length past the frame", f, n, FP_CSUM_SKIPPED);
	wr16(f + 16, 19);
	check_untouched("total length under the header", f, n, FP_CSUM_SKIPPED);
	wr16(f + 16, 20 + 7);
	check_untouched("no room for the UDP header", f, n, FP_CSUM_SKIPPED);

	memcpy(f, v4_udp, n);
	make_partial(f, l4);
	wr16(f + 34 + 4, 7);
	check_untouched("UDP length 7", f, n, FP_CSUM_SKIPPED);
	wr16(f + 34 + 4, (uint16_t)(n - 34 + 1));
	check_untouched("UDP length past the IP payload", f, n,
			FP_CSUM_SKIPPED);

	/* TCP cut inside its header, by its IP length. */
	memcpy(f, v4_tcp, sizeof(v4_tcp));
	make_partial(f, &kats[1].loc);
	wr16(f + 16, 20 + 19);
	check_untouched("TCP segment under 20 bytes", f, sizeof(v4_tcp),
			FP_CSUM_SKIPPED);

	/* IPv6 payload length past the frame, an extension header past
	 * the payload. */
	memcpy(f, v6_tcp_dstopts, sizeof(v6_tcp_dstopts));
	make_partial(f, &kats[3].loc);
	wr16(f + 18, (uint16_t)(rd16(f + 18) + 1));
	check_untouched("IPv6 payload length past the frame", f,
			sizeof(v6_tcp_dstopts), FP_CSUM_SKIPPED);
	wr16(f + 18, (uint16_t)(rd16(f + 18) - 1));
	f[55] = 9; /* destination options of 80 bytes */
	check_untouched("IPv6 extension header past the payload", f,
			sizeof(v6_tcp_dstopts), FP_CSUM_SKIPPED);

	/* Ethernet padding after the datagram is not the datagram's. */
	memcpy(f, v4_udp, n);
	make_partial(f, l4);
	memset(f + n, 0xa5, 9);
	ASSERT_EQ(run(f, n + 9, out), FP_CSUM_COMPLETED,
		  "Ethernet padding: completed");
	ASSERT_BYTES(out, n, v4_udp, n,
		     "Ethernet padding: the datagram's checksum, as scapy's");
	ASSERT_TRUE(out[n] == 0xa5 && out[n + 8] == 0xa5,
		    "Ethernet padding: untouched");

	/* IP payload past the UDP length: the checksum covers UDP's. */
	memcpy(f, v4_udp, n);
	make_partial(f, l4);
	wr16(f + 16, (uint16_t)(rd16(f + 16) + 3));
	memset(f + n, 0x5a, 3);
	ASSERT_EQ(run(f, n + 3, out), FP_CSUM_COMPLETED,
		  "IP payload past UDP's length: completed");
	ASSERT_EQ(rd16(out + l4->csum), rd16(v4_udp + l4->csum),
		  "IP payload past UDP's length: UDP's checksum");
}

/* A checksum that computes to 0: UDP sends it as 0xffff, TCP as 0. */
static void test_zero_result(void)
{
	uint8_t f[MAX_FRAME], out[MAX_FRAME];
	unsigned int i;

	fp_test_name = "csum_zero_result";
	for (i = 0; i < 2; i++) {
		const struct kat *k = &kats[i];
		struct loc l = k->loc;
		size_t adj =
			l.l4 + (l.proto == 17 ? 8 : 20); /* 1st data word */
		uint16_t s;

		memcpy(f, k->frame, k->len);
		if (l.proto == 6) {
			/* v4_tcp has no payload: take an MSS option byte. */
			adj = l.l4 + 20 + 2;
		}
		/* Choose the word at @adj so the sum with the field zero is
		 * 0xffff: then the checksum is ~0xffff = 0. */
		wr16(f + adj, 0);
		wr16(f + l.csum, 0);
		s = ref_fold(f + l.l4, l.l4_len, ref_pseudo(f, &l));
		wr16(f + adj, (uint16_t)(0xffff - s));
		ASSERT_EQ(
			ref_csum(f, &l), 0,
			lbl("%s: the frame's checksum computes to 0", k->name));
		make_partial(f, &l);
		ASSERT_EQ(run(f, k->len, out), FP_CSUM_COMPLETED,
			  lbl("%s: computed 0: completed", k->name));
		ASSERT_EQ(rd16(out + l.csum), l.proto == 17 ? 0xffff : 0,
			  lbl("%s: computed 0: written as %s", k->name,
			      l.proto == 17 ? "0xffff" : "0"));
		ASSERT_TRUE(ref_verifies(out, &l),
			    lbl("%s: computed 0: verifies", k->name));
	}
}

/* ---- Random frames: built here, partial, must complete and verify ---- */

static uint32_t rnd_state = 0x2545f491;

static uint32_t rnd(void)
{
	/* xorshift32: the same frames every run. */
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Ethernet, @tags tags, IPv4 or IPv6 (with a destination options header
 * if @ext), TCP or UDP, @pay random bytes; its checksum left partial. */
static size_t build(uint8_t *f, int v6, int tcp, int tags, int ext, size_t pay,
		    struct loc *l)
{
	size_t off = 12, hl = tcp ? 20 : 8, i, seg;
	int t;

	for (i = 0; i < 12; i++)
		f[i] = (uint8_t)rnd();
	for (t = 0; t < tags; t++, off += 4) {
		wr16(f + off, t == 0 && tags > 1 ? 0x88a8 : 0x8100);
		wr16(f + off + 2, (uint16_t)(rnd() & 0x0fff));
	}
	wr16(f + off, v6 ? 0x86dd : 0x0800);
	off += 2;
	l->v6 = v6;
	l->l3 = off;
	l->proto = tcp ? 6 : 17;
	seg = hl + pay;
	if (v6) {
		memset(f + off, 0, 40);
		f[off] = 0x60;
		wr16(f + off + 4, (uint16_t)(seg + (ext ? 8 : 0)));
		f[off + 6] = ext ? 60 : l->proto;
		f[off + 7] = 64;
		for (i = 8; i < 40; i++)
			f[off + i] = (uint8_t)rnd();
		off += 40;
		if (ext) {
			memset(f + off, 0, 8);
			f[off] = l->proto;
			f[off + 2] = 1; /* PadN of 4 */
			f[off + 3] = 4;
			off += 8;
		}
	} else {
		memset(f + off, 0, 20);
		f[off] = 0x45;
		wr16(f + off + 2, (uint16_t)(20 + seg));
		f[off + 8] = 64;
		f[off + 9] = l->proto;
		for (i = 12; i < 20; i++)
			f[off + i] = (uint8_t)rnd();
		off += 20;
	}
	l->l4 = off;
	l->l4_len = seg;
	for (i = 0; i < seg; i++)
		f[off + i] = (uint8_t)rnd();
	if (tcp) {
		f[off + 12] = 0x50;
		l->csum = off + 16;
	} else {
		wr16(f + off + 4, (uint16_t)seg);
		l->csum = off + 6;
	}
	make_partial(f, l);
	return off + seg;
}

static void test_random(void)
{
	uint8_t f[MAX_FRAME], out[MAX_FRAME];
	unsigned int i, bad = 0, done = 0;
	const unsigned int n = 2000;

	fp_test_name = "csum_random";
	for (i = 0; i < n; i++) {
		int v6 = rnd() & 1, tcp = rnd() & 1, tags = (int)(rnd() % 3);
		int ext = v6 && (rnd() & 1);
		size_t pay = rnd() % 1400, len;
		struct loc l;
		enum fp_csum_result r;
		uint16_t want;

		len = build(f, v6, tcp, tags, ext, pay, &l);
		/* One in 65535 random frames verifies with the pseudo sum
		 * in its field: that frame is right as it is. */
		if (ref_verifies(f, &l))
			continue;
		done++;
		want = ref_csum(f, &l);
		if (!want && !tcp)
			want = 0xffff;
		r = run(f, len, out);
		if (r != FP_CSUM_COMPLETED || !ref_verifies(out, &l) ||
		    rd16(out + l.csum) != want || memcmp(out, f, l.csum) ||
		    memcmp(out + l.csum + 2, f + l.csum + 2,
			   len - l.csum - 2)) {
			if (!bad)
				fp_test_report(
					false, "random frame",
					"frame %u (v6 %d tcp %d tags %d ext %d payload %zu): result %d",
					i, v6, tcp, tags, ext, pay, r);
			bad++;
		}
	}
	ASSERT_EQ(
		bad, 0,
		lbl("%u random partial frames: completed, verifying, only the checksum changed",
		    done));
}

int main(void)
{
	test_kats_sane();
	test_kats();
	test_truncated();
	test_not_judged();
	test_malformed();
	test_zero_result();
	test_random();
	return fp_test_exit();
}
