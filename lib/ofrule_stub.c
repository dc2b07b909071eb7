// SPDX-License-Identifier: GPL-2.0
/*
 * Placeholder for the rule engine until its parser lands: every entry point
 * of lib/ofrule.h exists and fails clearly, so its users can build.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ofrule.h"

static int not_yet(char *err, size_t errlen)
{
	if (errlen)
		snprintf(err, errlen, "rules are not implemented yet");
	return -EOPNOTSUPP;
}

int fp_rule_parse(const char *s, struct fp_rule **out, char *err,
		  size_t errlen)
{
	(void)s;
	*out = NULL;
	return not_yet(err, errlen);
}

void fp_rule_free(struct fp_rule *r)
{
	free(r);
}

int fp_rule_format(const struct fp_rule *r, char *buf, size_t len)
{
	(void)r;
	return snprintf(buf, len, "?");
}

int fp_rule_format_match(const struct fp_rule *r, char *buf, size_t len)
{
	return fp_rule_format(r, buf, len);
}

int fp_rule_format_actions(const struct fp_rule *r, char *buf, size_t len)
{
	return fp_rule_format(r, buf, len);
}

struct fp_rule_table *fp_rules_new(void)
{
	return NULL;
}

void fp_rules_free(struct fp_rule_table *t)
{
	(void)t;
}

int fp_rules_add(struct fp_rule_table *t, struct fp_rule *r)
{
	(void)t;
	fp_rule_free(r);
	return -EOPNOTSUPP;
}

int fp_rules_del(struct fp_rule_table *t, const char *match, bool strict,
		 char *err, size_t errlen)
{
	(void)t, (void)match, (void)strict;
	return not_yet(err, errlen);
}

int fp_rules_load_file(struct fp_rule_table *t, const char *path,
		       bool replace, char *err, size_t errlen)
{
	(void)t, (void)path, (void)replace;
	return not_yet(err, errlen);
}

struct fp_rule *fp_rules_lookup(const struct fp_rule_table *t,
				const struct fp_flow_key *key)
{
	(void)t, (void)key;
	return NULL;
}

struct fp_rule *fp_rules_find_id(const struct fp_rule_table *t, __u64 id)
{
	(void)t, (void)id;
	return NULL;
}

int fp_rules_foreach(const struct fp_rule_table *t,
		     int (*cb)(struct fp_rule *r, void *arg), void *arg)
{
	(void)t, (void)cb, (void)arg;
	return 0;
}

unsigned int fp_rules_count(const struct fp_rule_table *t)
{
	(void)t;
	return 0;
}

__u64 fp_rules_generation(const struct fp_rule_table *t)
{
	(void)t;
	return 0;
}

int fp_rule_xlate(const struct fp_rule *r, const struct fp_flow_key *key,
		  const struct fp_xlate_ctx *ctx, struct fp_slow_actions *out,
		  char *err, size_t errlen)
{
	(void)r, (void)key, (void)ctx;
	out->n_actions = 0;
	return not_yet(err, errlen);
}
