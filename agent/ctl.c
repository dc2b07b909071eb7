// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's side of the control socket (ctl.h). Requests are served one
 * at a time in the event loop; a rule change revalidates every installed
 * flow before the answer goes out, so that when `flowpath rule ...`
 * returns, no packet follows a stale rule.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent.h"
#include "ctl.h"
#include "dp_counters.h"
#include "log.h"
#include "mac_learning.h"

/* A client that sends nothing is dropped after this long. */
#define FP_AGENT_CTL_TIMEOUT_S 2

int fp_agent_ctl_path(const char *dp, char *buf, size_t len)
{
	if ((size_t)snprintf(buf, len, "%s/%s.sock", FP_AGENT_RUN_DIR, dp) >=
	    len)
		return -ENAMETOOLONG;
	return 0;
}

int fp_agent_ctl_open(struct fp_agent *a)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int err;

	err = fp_agent_ctl_path(a->dp.name, a->ctl_path, sizeof(a->ctl_path));
	if (err || strlen(a->ctl_path) >= sizeof(sun.sun_path)) {
		fp_err("agent: control socket path of %s is too long",
		       a->dp.name);
		return -ENAMETOOLONG;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", a->ctl_path);
	a->ctl_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			   0);
	if (a->ctl_fd < 0)
		return -errno;
	/* We hold the agent lock: a socket there is a dead agent's. */
	unlink(a->ctl_path);
	/* Only root may change the rules: the socket is created 0600. */
	{
		mode_t old = umask(0177);

		err = bind(a->ctl_fd, (struct sockaddr *)&sun, sizeof(sun));
		umask(old);
	}
	if (err || listen(a->ctl_fd, 16)) {
		err = -errno;
		fp_err("agent: cannot listen on %s: %s", a->ctl_path,
		       strerror(-err));
		a->ctl_path[0] = '\0';
		return err;
	}
	return 0;
}

void fp_agent_ctl_close(struct fp_agent *a)
{
	if (a->ctl_fd >= 0)
		close(a->ctl_fd);
	a->ctl_fd = -1;
	if (a->ctl_path[0])
		unlink(a->ctl_path);
	a->ctl_path[0] = '\0';
}

struct reply {
	FILE *f;
	char *buf;
	size_t len;
};

static int dump_rule(struct fp_rule *r, void *arg)
{
	struct reply *rp = arg;
	char line[FP_RULE_STRLEN];

	fp_rule_format(r, line, sizeof(line));
	fprintf(rp->f, "%s\n", line);
	return 0;
}

static void status(struct fp_agent *a, FILE *f)
{
	const struct fp_agent_stats *s = &a->st;
	unsigned int i;

#define P(name) fprintf(f, "%s: %llu\n", #name, (unsigned long long)s->name)
	fprintf(f, "datapath: %s\ntap: %s\nrules: %u\nflows: %u\nmacs: %u\n",
		a->dp.name, a->tap.name, fp_rules_count(a->rules), a->n_flows,
		fp_mac_count(a->macs));
	P(upcalls);
	P(upcalls_lost);
	P(misses);
	P(slow_path);
	P(installed);
	P(table_miss);
	P(xlate_failed);
	P(executed);
	P(not_executed);
	P(csum_completed);
	P(slow_executed);
	P(slow_dropped);
	P(slow_outputs);
	P(slow_tx_dropped);
	P(table_full);
	P(evicted);
	P(expired);
	P(revalidations);
	P(flows_updated);
	P(flows_deleted);
	P(adopted);
	P(mac_moves);
#undef P
	/* Why the slow path dropped packets, by the datapath's names. */
	for (i = 0; i < FP_CNT_MAX; i++)
		if (a->slow_cnt[i])
			fprintf(f, "slow_%s: %llu\n", fp_counter_names[i],
				(unsigned long long)a->slow_cnt[i]);
}

/* Carry out one request; output lines into @out, a message into @err. */
static int handle(struct fp_agent *a, char *req, FILE *out, char *err,
		  size_t errlen)
{
	char *arg = strchr(req, ' ');
	struct fp_rule *r;
	int n;

	if (arg)
		*arg++ = '\0';
	else
		arg = req + strlen(req);
	if (!strcmp(req, "add")) {
		n = fp_rule_parse(arg, &r, err, errlen);
		if (n)
			return n;
		n = fp_rules_add(a->rules, r);
		if (n) {
			snprintf(err, errlen, "%s", strerror(-n));
			return n;
		}
	} else if (!strcmp(req, "del") || !strcmp(req, "del-strict")) {
		n = fp_rules_del(a->rules, arg, !strcmp(req, "del-strict"), err,
				 errlen);
		if (n < 0)
			return n;
	} else if (!strcmp(req, "replace")) {
		n = fp_rules_load_file(a->rules, arg, true, err, errlen);
		if (n < 0)
			return n;
	} else if (!strcmp(req, "dump")) {
		struct reply rp = { .f = out };

		/* The rules' counters take in what their flows did so far. */
		fp_agent_sweep(a, false);
		fp_rules_foreach(a->rules, dump_rule, &rp);
		return 0;
	} else if (!strcmp(req, "status")) {
		status(a, out);
		return 0;
	} else {
		snprintf(err, errlen, "unknown request '%s'", req);
		return -EINVAL;
	}
	/* A rule changed: no flow may follow the old rules after we answer. */
	n = fp_agent_revalidate_if_needed(a);
	if (n)
		snprintf(err, errlen, "revalidating the flows failed: %s",
			 strerror(-n));
	return n;
}

static int read_request(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len < cap - 1) {
		n = read(fd, buf + len, cap - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += n;
	}
	if (len == cap - 1)
		return -E2BIG;
	buf[len] = '\0';
	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	return 0;
}

static void write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		p += n;
		len -= n;
	}
}

void fp_agent_ctl_serve(struct fp_agent *a)
{
	struct timeval tv = { .tv_sec = FP_AGENT_CTL_TIMEOUT_S };
	char err[FP_RULE_ERR_LEN] = "";
	struct reply rp = {};
	char *req = NULL;
	int fd, ret;

	fd = accept4(a->ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	req = malloc(FP_AGENT_CTL_MAX);
	rp.f = open_memstream(&rp.buf, &rp.len);
	if (!req || !rp.f) {
		write_all(fd, "ERROR: out of memory\n", 21);
		goto out;
	}
	ret = read_request(fd, req, FP_AGENT_CTL_MAX);
	if (ret) {
		snprintf(err, sizeof(err), "cannot read the request: %s",
			 strerror(-ret));
	} else {
		fp_dbg("agent: request: %s", req);
		ret = handle(a, req, rp.f, err, sizeof(err));
		if (ret && !err[0])
			snprintf(err, sizeof(err), "%s", strerror(-ret));
	}
	if (ret)
		fprintf(rp.f, "ERROR: %s\n", err);
	else
		fprintf(rp.f, "OK\n");
	fflush(rp.f);
	write_all(fd, rp.buf, rp.len);
out:
	if (rp.f)
		fclose(rp.f);
	free(rp.buf);
	free(req);
	close(fd);
}
