// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stddef.h>

#include "exec.h"
#include "log.h"
#include "rules.h"

int fp_afxdp_rules_check(const char *path)
{
	fp_err("--rules %s: the rule engine is not built in yet", path);
	return -EOPNOTSUPP;
}

int fp_afxdp_rules_open(struct fp_afxdp_thread *t, const char *path)
{
	t->rules = NULL;
	return path ? fp_afxdp_rules_check(path) : 0;
}

void fp_afxdp_rules_close(struct fp_afxdp_thread *t)
{
	t->rules = NULL;
}

struct fp_uflow *fp_afxdp_miss(struct fp_afxdp_thread *t, struct fp_xsk *x,
			       const struct fp_flow_key *key)
{
	(void)t;
	(void)x;
	(void)key;
	return NULL;
}
