// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include <bpf/libbpf.h>

#include "tc.h"
#include "log.h"

int fp_tc_attach(int ifindex, int prog_fd, bool replace, bool *own_qdisc)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FP_TC_HANDLE,
		    .priority = FP_TC_PRIORITY, .prog_fd = prog_fd,
		    .flags = replace ? BPF_TC_F_REPLACE : 0);
	char name[IF_NAMESIZE] = "?";
	int err;

	if_indextoname(ifindex, name);
	*own_qdisc = false;
	err = bpf_tc_hook_create(&hook);
	if (!err)
		*own_qdisc = true;
	else if (err != -EEXIST) {
		fp_err("%s: cannot create clsact qdisc: %s", name,
		       strerror(-err));
		return err;
	}
	err = bpf_tc_attach(&hook, &opts);
	if (err) {
		if (err == -EEXIST)
			fp_err("%s: a filter with flowpath's handle 0x%x and priority 0x%x is already attached at ingress (another datapath?)",
			       name, FP_TC_HANDLE, FP_TC_PRIORITY);
		else
			fp_err("%s: cannot attach parser at tc ingress: %s",
			       name, strerror(-err));
		if (*own_qdisc) {
			hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
			bpf_tc_hook_destroy(&hook);
			*own_qdisc = false;
		}
		return err;
	}
	return 0;
}

int fp_tc_detach(int ifindex, bool own_qdisc)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = FP_TC_HANDLE,
		    .priority = FP_TC_PRIORITY);
	char name[IF_NAMESIZE] = "?";
	int err;

	if_indextoname(ifindex, name);
	err = bpf_tc_detach(&hook, &opts);
	if (err && err != -ENOENT) {
		fp_err("%s: cannot detach parser: %s", name, strerror(-err));
		return err;
	}
	if (own_qdisc) {
		/* Both directions: clsact is one qdisc. */
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		err = bpf_tc_hook_destroy(&hook);
		if (err && err != -ENOENT) {
			fp_err("%s: cannot remove clsact qdisc: %s", name,
			       strerror(-err));
			return err;
		}
	}
	return 0;
}
