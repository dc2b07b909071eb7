// SPDX-License-Identifier: GPL-2.0
/* fpbench helpers: the frame, namespaces, CPUs, time, options. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <pcap/pcap.h>

#include "fpbench.h"
#include "flow_extract.h"

void fpb_err(const char *fmt, ...)
{
	va_list ap;

	fputs("fpbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The Internet checksum of the IPv4 header. */
static __u16 ip_csum(const unsigned char *p, int len)
{
	__u32 sum = 0;
	int i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

int fpb_frame(unsigned char *buf, size_t buflen, int size, int flow, int vid)
{
	static const unsigned char src[] = FPB_MAC_SRC, dst[] = FPB_MAC_DST;
	int len = size - FPB_FCS_LEN, tag = vid ? 4 : 0;
	unsigned char *ip = buf + FPB_ETH_HLEN + tag, *udp = ip + FPB_IP_HLEN;
	__u32 a;
	__u16 v;

	if (size < FPB_MIN_SIZE || size > FPB_MAX_SIZE ||
	    (size_t)len > buflen || vid < 0 || vid > 4095 || flow < 0 ||
	    flow >= FPB_MAX_FLOWS)
		return -EINVAL;
	memset(buf, 0, len);
	memcpy(buf, dst, 6);
	memcpy(buf + 6, src, 6);
	if (vid) { /* 802.1Q, priority 0 */
		buf[12] = 0x81;
		buf[13] = 0x00;
		v = htons(vid);
		memcpy(buf + 14, &v, 2);
	}
	buf[12 + tag] = 0x08; /* IPv4 */
	buf[13 + tag] = 0x00;

	ip[0] = 0x45; /* version 4, 20-byte header */
	v = htons(len - FPB_ETH_HLEN - tag);
	memcpy(ip + 2, &v, 2);
	ip[8] = FPB_TTL;
	ip[9] = 17; /* UDP */
	a = htonl(fpb_flow_saddr(flow));
	memcpy(ip + 12, &a, 4);
	a = htonl(FPB_IP_DST);
	memcpy(ip + 16, &a, 4);
	v = htons(ip_csum(ip, FPB_IP_HLEN));
	memcpy(ip + 10, &v, 2);

	v = htons(fpb_flow_sport(flow));
	memcpy(udp, &v, 2);
	v = htons(FPB_DPORT);
	memcpy(udp + 2, &v, 2);
	v = htons(len - FPB_ETH_HLEN - tag - FPB_IP_HLEN);
	memcpy(udp + 4, &v, 2);
	/* UDP checksum 0: none. The payload is zeros. */
	return len;
}

void fpb_frame_set_flow(unsigned char *frame, const unsigned char *flow0,
			__u32 flow)
{
	const unsigned char *ip0 = flow0 + FPB_ETH_HLEN;

	fpb_set_flow(frame + FPB_ETH_HLEN, (__u16)(ip0[10] << 8 | ip0[11]),
		     flow);
}

int fpb_frames_pcap(const char *path, long size, long flows)
{
	unsigned char flow0[FPB_MAX_SIZE], pkt[FPB_MAX_SIZE];
	struct pcap_pkthdr h = {};
	pcap_dumper_t *d;
	pcap_t *p;
	int len = fpb_frame(flow0, sizeof(flow0), size, 0, 0);
	long f;

	p = pcap_open_dead(DLT_EN10MB, FPB_MAX_SIZE);
	d = p ? pcap_dump_open(p, path) : NULL;
	if (!d) {
		fpb_err("--pcap %s: %s", path,
			p ? pcap_geterr(p) : "no memory");
		if (p)
			pcap_close(p);
		return -EIO;
	}
	h.caplen = h.len = len;
	memcpy(pkt, flow0, len);
	for (f = 0; f < flows; f++) {
		fpb_frame_set_flow(pkt, flow0, f);
		pcap_dump((unsigned char *)d, &h, pkt);
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}

void fpb_key_of(const unsigned char *pkt, int len, __u32 in_port,
		struct fp_flow_key *key)
{
	/* As the BPF parser does: every byte zero, metadata, then headers. */
	memset(key, 0, sizeof(*key));
	key->in_port = in_port;
	fp_flow_extract(key, pkt, pkt + len, 0, 0);
}

int fpb_netns_open(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fd = -errno;
		fpb_err("network namespace %s: %s", name, strerror(-fd));
	}
	return fd;
}

int fpb_netns_enter_fd(int fd, const char *what)
{
	if (setns(fd, CLONE_NEWNET)) {
		int err = -errno;

		fpb_err("setns into %s: %s", what, strerror(-err));
		return err;
	}
	return 0;
}

int fpb_netns_enter(const char *name)
{
	int fd = fpb_netns_open(name), err;

	if (fd < 0)
		return fd;
	err = fpb_netns_enter_fd(fd, name);
	close(fd);
	return err;
}

int fpb_pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		int err = -errno;

		fpb_err("pin to CPU %d: %s", cpu, strerror(-err));
		return err;
	}
	return 0;
}

double fpb_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void fpb_sleep(double sec)
{
	struct timespec ts;

	if (sec <= 0)
		return;
	ts.tv_sec = (time_t)sec;
	ts.tv_nsec = (long)((sec - ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

bool fpb_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
	if (strcmp(argv[*i], name))
		return false;
	if (*i + 1 >= argc) {
		fpb_err("%s needs a value", name);
		exit(2);
	}
	*val = argv[++*i];
	return true;
}

int fpb_parse_int(const char *s, const char *what, long min, long max,
		  long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || end == s || *end || v < min || v > max) {
		fpb_err("%s '%s': expected an integer from %ld to %ld", what, s,
			min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

int fpb_parse_double(const char *s, const char *what, double min, double max,
		     double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= min && v <= max)) {
		fpb_err("%s '%s': expected a number from %g to %g", what, s,
			min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}
