// SPDX-License-Identifier: GPL-2.0
/*
 * A miss in the AF_XDP datapath goes to the rule engine in process, as
 * the agent's upcalls do for the TC datapath: the highest-priority rule
 * matching the key is translated for that exact key and installed in the
 * thread's flow table, then executed. No rule matches: a flow of no
 * actions (a drop) is installed, as OVS does. The rules' `normal` action
 * floods here (no MAC learning in this datapath).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "exec.h"
#include "log.h"
#include "mono_clock.h"
#include "ofrule.h"
#include "ports.h"
#include "rules.h"

static struct fp_rule_table *load(const char *path)
{
	char err[FP_RULE_ERR_LEN] = "";
	struct fp_rule_table *rt = fp_rules_new();
	int ret;

	if (!rt) {
		fp_err("--rules %s: out of memory", path);
		return NULL;
	}
	ret = fp_rules_load_file(rt, path, false, err, sizeof(err));
	if (ret < 0) {
		fp_err("--rules %s: %s", path, *err ? err : strerror(-ret));
		fp_rules_free(rt);
		return NULL;
	}
	return rt;
}

int fp_afxdp_rules_check(const char *path)
{
	struct fp_rule_table *rt = load(path);

	if (!rt)
		return -EINVAL;
	fp_rules_free(rt);
	return 0;
}

int fp_afxdp_rules_open(struct fp_afxdp_thread *t, const char *path)
{
	t->rules = NULL;
	t->xlated = NULL;
	if (!path)
		return 0;
	t->xlated = malloc(sizeof(*t->xlated));
	if (!t->xlated)
		return -ENOMEM;
	t->rules = load(path);
	return t->rules ? 0 : -EINVAL;
}

void fp_afxdp_rules_close(struct fp_afxdp_thread *t)
{
	if (t->rules)
		fp_rules_free(t->rules);
	free(t->xlated);
	t->rules = NULL;
	t->xlated = NULL;
}

struct fp_uflow *fp_afxdp_miss(struct fp_afxdp_thread *t, struct fp_xsk *x,
			       const struct fp_flow_key *key)
{
	struct fp_xlate_port ports[FP_AFXDP_MAX_DEVS];
	struct fp_xlate_ctx ctx = { .ports = ports, .n_ports = t->n_xsks };
	char err[FP_RULE_ERR_LEN];
	struct fp_flow flow = {};
	unsigned int i;
	int ret;

	if (!t->rules)
		return NULL;
	for (i = 0; i < t->n_xsks; i++) {
		ports[i].port = i + 1;
		ports[i].type = FP_PORT_NETDEV;
	}
	ctx.now_ns = fp_mono_ns();
	ret = fp_rule_xlate(fp_rules_lookup(t->rules, key), key, &ctx,
			    t->xlated, err, sizeof(err));
	if (ret) {
		/* Nothing installed: every packet of the flow misses
		 * again and is counted here (-v says why). */
		x->st.xlate_failed++;
		fp_dbg("afxdp: rule translation failed: %s", err);
		return NULL;
	}
	flow.n_actions = t->xlated->n_actions < FP_MAX_ACTIONS ?
				 t->xlated->n_actions :
				 FP_MAX_ACTIONS;
	memcpy(flow.actions, t->xlated->actions,
	       flow.n_actions * sizeof(flow.actions[0]));
	if (t->xlated->n_actions > FP_MAX_ACTIONS)
		flow.flags |= FP_FLOW_F_SLOW_PATH;
	ret = fp_uflow_put(&t->flows, key, &flow, t->xlated);
	if (ret) {
		x->st.flow_table_full++;
		return NULL;
	}
	x->st.installed++;
	return fp_uflow_lookup(&t->flows, key);
}
