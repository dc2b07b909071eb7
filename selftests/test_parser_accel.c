// SPDX-License-Identifier: GPL-2.0
/*
 * The parser with the outer VLAN tag taken out of the frame, as the kernel
 * does on a real device (skb->vlan_proto/vlan_tci, handed to the parser as
 * accel_tpid/accel_tci): every tagged packet of parse.pcap must key exactly
 * as with the tag on the wire, which test_parse_pcap.sh compares with OVS.
 *
 * Userspace build only: BPF_PROG_TEST_RUN has no way to present an skb
 * with a stripped tag, and the two builds are one source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "flow_extract.h"
#include "test.h"

/* The frames the kernel untags: a whole tag and the type after it. */
#define UNTAG_MIN (FP_ETH_HLEN + FP_VLAN_HLEN)

static int parse(const __u8 *pkt, __u32 len, __be16 tpid, __be16 tci,
		 struct fp_flow_key *key)
{
	memset(key, 0, sizeof(*key));
	key->in_port = FP_PORT_NONE;
	return fp_flow_extract(key, pkt, pkt + len, tpid, tci);
}

/* $FP_BUILD/pcaps, else $FP_TOP/build/pcaps, else generated into @tmp. */
static const char *find_pcaps(char *buf, size_t len, char *tmp)
{
	const char *build = getenv("FP_BUILD"), *top = getenv("FP_TOP");
	char cmd[4096 + 64];

	if (!top)
		top = ".";
	if (build) {
		snprintf(buf, len, "%s/pcaps", build);
		snprintf(cmd, sizeof(cmd), "%s/parse.pcap", buf);
		if (!access(cmd, R_OK))
			return buf;
	}
	snprintf(buf, len, "%s/build/pcaps", top);
	snprintf(cmd, sizeof(cmd), "%s/parse.pcap", buf);
	if (!access(cmd, R_OK))
		return buf;
	if (!mkdtemp(tmp))
		return NULL;
	snprintf(cmd, sizeof(cmd),
		 "/usr/bin/python3 %s/pcaps/gen_parse_pcap.py %s >/dev/null",
		 top, tmp);
	return system(cmd) ? NULL : tmp;
}

int main(void)
{
	char dir_buf[4096], tmp[] = "/tmp/fp-accel-XXXXXX", path[4200];
	char errbuf[PCAP_ERRBUF_SIZE], name[256];
	int n = 0, tagged = 0, bad = 0;
	const char *dir;
	struct pcap_pkthdr *h;
	const u_char *pkt;
	FILE *names;
	pcap_t *p;

	fp_test_name = "test_parser_accel";
	dir = find_pcaps(dir_buf, sizeof(dir_buf), tmp);
	if (!ASSERT_TRUE(dir, "find or generate parse.pcap"))
		return fp_test_exit();
	snprintf(path, sizeof(path), "%s/parse.names", dir);
	names = fopen(path, "r");
	snprintf(path, sizeof(path), "%s/parse.pcap", dir);
	p = pcap_open_offline(path, errbuf);
	if (!ASSERT_TRUE(p && names, "open parse.pcap and parse.names"))
		return fp_test_exit();

	while (pcap_next_ex(p, &h, &pkt) == 1) {
		struct fp_flow_key inline_key, accel_key;
		__u8 stripped[4096];
		__be16 tpid, tci;
		int r1, r2;

		n++;
		if (!fgets(name, sizeof(name), names))
			snprintf(name, sizeof(name), "?");
		name[strcspn(name, "\n")] = '\0';
		if (h->caplen < UNTAG_MIN || h->caplen > sizeof(stripped) + 4)
			continue;
		memcpy(&tpid, pkt + 12, 2);
		memcpy(&tci, pkt + 14, 2);
		if (tpid != fp_htons(FP_ETH_P_8021Q) &&
		    tpid != fp_htons(FP_ETH_P_8021AD))
			continue;
		tagged++;
		memcpy(stripped, pkt, 12);
		memcpy(stripped + 12, pkt + 16, h->caplen - 16);

		r1 = parse(pkt, h->caplen, 0, 0, &inline_key);
		r2 = parse(stripped, h->caplen - 4, tpid, tci, &accel_key);
		snprintf(path, sizeof(path), "packet %d (%s): result", n, name);
		if (r1 != r2 && !ASSERT_EQ(r2, r1, path))
			bad++;
		snprintf(path, sizeof(path), "packet %d (%s): key", n, name);
		if (memcmp(&inline_key, &accel_key, sizeof(inline_key)) &&
		    !ASSERT_BYTES(&accel_key, sizeof(accel_key), &inline_key,
				  sizeof(inline_key), path))
			bad++;
	}
	ASSERT_TRUE(tagged >= 20, "parse.pcap has tagged packets to strip");
	snprintf(path, sizeof(path),
		 "stripped outer tag keys as on the wire: %d packets", tagged);
	ASSERT_EQ(bad, 0, path);

	/* A tag the kernel never strips: not a VLAN TPID. Not guessed at. */
	{
		static const __u8 frame[60] = { [12] = 0x08, [13] = 0x00 };
		struct fp_flow_key key;

		int r = parse(frame, sizeof(frame), fp_htons(0x9100), 0, &key);

		ASSERT_EQ(r, FP_PARSE_INCOMPLETE, "non-VLAN accel TPID");
	}

	pcap_close(p);
	fclose(names);
	if (dir == tmp) {
		snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
		if (system(path))
			fprintf(stderr, "cannot remove %s\n", tmp);
	}
	return fp_test_exit();
}
