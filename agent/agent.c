// SPDX-License-Identifier: GPL-2.0
/* The agent's life: start, the event loop, clean shutdown. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "agent.h"
#include "ctl.h"
#include "log.h"
#include "mac_learning.h"
#include "mono_clock.h"
#include "port.h"

enum { EV_SIGNAL = 1, EV_TIMER, EV_UPCALL, EV_CTL };

int fp_agent_ports_refresh(struct fp_agent *a)
{
	struct fp_port port;
	unsigned int n = 0;
	__u32 no;
	int err;

	for (no = 1; no < FP_MAX_PORTS; no++) {
		err = fp_port_get(&a->dp, no, &port);
		if (err)
			return err;
		a->port_info[no] = port;
		if (port.type == FP_PORT_UNUSED || !port.ifindex)
			continue;
		a->ports[n].port = no;
		a->ports[n].type = port.type;
		n++;
	}
	a->n_ports = n;
	return 0;
}

static int ep_add(struct fp_agent *a, int fd, __u64 tag)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = tag };

	if (epoll_ctl(a->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		fp_err("agent: epoll: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* One agent per datapath: a lock file that dies with its holder. */
static int agent_lock(struct fp_agent *a)
{
	int err;

	if (mkdir(FP_AGENT_RUN_DIR, 0700) && errno != EEXIST) {
		err = -errno;
		fp_err("agent: cannot create %s: %s", FP_AGENT_RUN_DIR,
		       strerror(-err));
		return err;
	}
	snprintf(a->lock_path, sizeof(a->lock_path), "%s/%s.lock",
		 FP_AGENT_RUN_DIR, a->dp.name);
	a->lock_fd = open(a->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (a->lock_fd < 0) {
		err = -errno;
		fp_err("agent: cannot open %s: %s", a->lock_path,
		       strerror(-err));
		return err;
	}
	if (flock(a->lock_fd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		if (err == -EWOULDBLOCK)
			fp_err("agent: another agent is running for datapath %s (%s is locked)",
			       a->dp.name, a->lock_path);
		else
			fp_err("agent: cannot lock %s: %s", a->lock_path,
			       strerror(-err));
		close(a->lock_fd);
		a->lock_fd = -1;
		return err;
	}
	return 0;
}

static int tap_setup(struct fp_agent *a)
{
	char path[PATH_MAX + 32];
	int fd, err;

	snprintf(path, sizeof(path), "%s/progs/tap_execute", a->dp.dir);
	fd = bpf_obj_get(path);
	if (fd < 0) {
		err = -errno;
		fp_err("agent: datapath %s has no tap_execute stage (%s: %s): load it again with this flowpath",
		       a->dp.name, path, strerror(-err));
		return err;
	}
	err = fp_tap_open(&a->tap, a->dp.name, fd);
	close(fd);
	return err;
}

static int signals_setup(struct fp_agent *a)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	a->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (a->sigfd < 0)
		return -errno;
	/* A control client that goes away mid-answer is not our death. */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int timer_setup(struct fp_agent *a)
{
	struct itimerspec its = {
		.it_interval = { .tv_sec = 1 },
		.it_value = { .tv_sec = 1 },
	};

	a->timerfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (a->timerfd < 0 || timerfd_settime(a->timerfd, 0, &its, NULL))
		return -errno;
	return 0;
}

static void on_timer(struct fp_agent *a)
{
	__u64 ticks;

	if (read(a->timerfd, &ticks, sizeof(ticks)) < 0)
		return;
	if (fp_agent_ports_refresh(a))
		fp_err("agent: cannot read the ports of %s", a->dp.name);
	if (fp_mac_expire(a->macs, fp_mono_ns()) > 0)
		a->macs_changed = true;
	fp_agent_sweep(a, a->macs_changed ||
				  fp_rules_generation(a->rules) != a->rules_gen);
}

static void agent_free(struct fp_agent *a)
{
	fp_agent_ctl_close(a);
	fp_agent_upcalls_close(a);
	fp_agent_slow_close(a);
	fp_tap_close(&a->tap);
	if (a->timerfd >= 0)
		close(a->timerfd);
	if (a->sigfd >= 0)
		close(a->sigfd);
	if (a->epfd >= 0)
		close(a->epfd);
	fp_agent_flows_free(a);
	fp_mac_table_free(a->macs);
	fp_rules_free(a->rules);
	fp_dp_close(&a->dp);
	if (a->lock_fd >= 0) {
		unlink(a->lock_path);
		close(a->lock_fd);
	}
}

static void log_summary(const struct fp_agent *a)
{
	const struct fp_agent_stats *s = &a->st;

	fp_info("agent: %s: %llu upcalls (%llu lost), %llu flows installed, %llu packets executed (%llu by the slow path, %llu dropped there), %llu expired, %llu evicted",
		a->dp.name, (unsigned long long)s->upcalls,
		(unsigned long long)s->upcalls_lost,
		(unsigned long long)s->installed,
		(unsigned long long)s->executed,
		(unsigned long long)s->slow_executed,
		(unsigned long long)s->slow_dropped,
		(unsigned long long)s->expired,
		(unsigned long long)s->evicted);
}

static int agent_start(struct fp_agent *a, const struct fp_agent_opts *opts)
{
	char err[FP_RULE_ERR_LEN];
	int ret;

	ret = fp_dp_open(&a->dp, opts->dp_name);
	if (ret)
		return ret;
	ret = fp_dp_check_netns(&a->dp, "run its agent");
	if (ret)
		return ret;
	ret = agent_lock(a);
	if (ret)
		return ret;
	a->rules = fp_rules_new();
	a->macs = fp_mac_table_new(0, opts->mac_idle_ns);
	if (!a->rules || !a->macs || fp_agent_flows_init(a)) {
		fp_err("agent: out of memory");
		return -ENOMEM;
	}
	if (opts->rules_path) {
		ret = fp_rules_load_file(a->rules, opts->rules_path, true, err,
					 sizeof(err));
		if (ret < 0) {
			fp_err("agent: %s", err);
			return ret;
		}
		fp_info("agent: %d rules from %s", ret, opts->rules_path);
	}
	ret = fp_agent_ports_refresh(a);
	if (ret) {
		fp_err("agent: cannot read the ports of %s", a->dp.name);
		return ret;
	}
	a->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (a->epfd < 0)
		return -errno;
	ret = signals_setup(a);
	if (!ret)
		ret = timer_setup(a);
	if (ret) {
		fp_err("agent: %s", strerror(-ret));
		return ret;
	}
	ret = tap_setup(a);
	if (!ret)
		ret = fp_agent_slow_open(a);
	if (ret)
		return ret;
	/* Flows a previous agent (or the CLI) installed are adopted, not
	 * flushed: they keep forwarding while the rules are re-applied. */
	ret = fp_agent_sweep(a, true);
	if (ret)
		return ret;
	ret = fp_agent_upcalls_open(a);
	if (ret)
		return ret;
	ret = fp_agent_ctl_open(a);
	if (ret)
		return ret;
	if (ep_add(a, a->sigfd, EV_SIGNAL) || ep_add(a, a->timerfd, EV_TIMER) ||
	    ep_add(a, perf_buffer__epoll_fd(a->pb), EV_UPCALL) ||
	    ep_add(a, a->ctl_fd, EV_CTL))
		return -EIO;
	return 0;
}

int fp_agent_run(const struct fp_agent_opts *opts)
{
	struct fp_agent *a = calloc(1, sizeof(*a));
	struct epoll_event evs[8];
	int ret, n, i;

	if (!a) {
		fp_err("agent: out of memory");
		return -ENOMEM;
	}
	a->opts = *opts;
	a->epfd = a->sigfd = a->timerfd = a->ctl_fd = a->lock_fd = -1;
	a->tap.fd = -1;
	a->tx.fd = -1;
	for (i = 0; i < FP_MAP_COUNT; i++)
		a->dp.map_fd[i] = -1;
	a->dp.lock_fd = -1;

	ret = agent_start(a, opts);
	if (ret)
		goto out;
	fp_info("agent: datapath %s: %u ports, %u rules, %u flows adopted, executing through %s, control socket %s",
		a->dp.name, a->n_ports, fp_rules_count(a->rules),
		a->n_flows, a->tap.name, a->ctl_path);

	while (!a->stop) {
		n = epoll_wait(a->epfd, evs, 8, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			fp_err("agent: epoll_wait: %s", strerror(-ret));
			break;
		}
		for (i = 0; i < n && !a->stop; i++) {
			switch (evs[i].data.u64) {
			case EV_SIGNAL:
				a->stop = true;
				break;
			case EV_TIMER:
				on_timer(a);
				break;
			case EV_UPCALL:
				fp_agent_upcalls_read(a);
				break;
			case EV_CTL:
				fp_agent_ctl_serve(a);
				break;
			}
		}
	}
	log_summary(a);
out:
	agent_free(a);
	free(a);
	return ret;
}
