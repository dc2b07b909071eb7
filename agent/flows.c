// SPDX-License-Identifier: GPL-2.0
/*
 * What the agent knows of each installed flow (the rule it came from, the
 * stats already credited to that rule), and the sweep that keeps the
 * datapath's flows true to the rules: crediting, adoption, MAC refresh,
 * expiry, revalidation, eviction. The datapath's flow table is the truth:
 * every sweep walks it, so flows installed by a previous agent or by hand
 * are adopted, and flows deleted by hand are forgotten.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "agent.h"
#include "capacity.h"
#include "log.h"
#include "mac_learning.h"
#include "mono_clock.h"

#define FP_AGENT_BUCKETS 65536

struct fp_agent_flow {
	struct fp_agent_flow *next;
	struct fp_flow_key key;
	__u64 rule_id; /* 0: no rule (table miss) */
	__u64 base_packets, base_bytes; /* already credited to the rule */
	__u64 last_packets; /* at the last sweep: was it used since? */
	__u64 installed_ns; /* or adopted */
	__u64 epoch; /* last sweep that saw it in the datapath */
	int exec; /* enum fp_agent_exec_how */
	/* Its rule runs `normal`: its packets teach the MAC table. */
	bool learns;
};

static int exec_how(const struct fp_flow *flow)
{
	if (!flow->n_actions)
		return FP_EXEC_DROP;
	return flow->flags & FP_FLOW_F_SLOW_PATH ? FP_EXEC_SLOW : FP_EXEC_TAP;
}

static __u32 key_hash(const struct fp_flow_key *key)
{
	const unsigned char *p = (const unsigned char *)key;
	__u64 h = 14695981039346656037ull;
	size_t i;

	for (i = 0; i < sizeof(*key); i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return (__u32)(h ^ (h >> 32)) & (FP_AGENT_BUCKETS - 1);
}

static struct fp_agent_flow *flow_find(struct fp_agent *a,
				       const struct fp_flow_key *key)
{
	struct fp_agent_flow *f;

	for (f = a->buckets[key_hash(key)]; f; f = f->next)
		if (!memcmp(&f->key, key, sizeof(*key)))
			return f;
	return NULL;
}

static struct fp_agent_flow *flow_add(struct fp_agent *a,
				      const struct fp_flow_key *key,
				      __u64 rule_id)
{
	struct fp_agent_flow *f = calloc(1, sizeof(*f));
	__u32 h = key_hash(key);

	if (!f)
		return NULL;
	f->key = *key;
	f->rule_id = rule_id;
	f->installed_ns = fp_mono_ns();
	f->next = a->buckets[h];
	a->buckets[h] = f;
	a->n_flows++;
	return f;
}

static void flow_forget(struct fp_agent *a, const struct fp_flow_key *key)
{
	struct fp_agent_flow **pp, *f;

	for (pp = &a->buckets[key_hash(key)]; (f = *pp); pp = &f->next) {
		if (!memcmp(&f->key, key, sizeof(*key))) {
			*pp = f->next;
			free(f);
			a->n_flows--;
			return;
		}
	}
}

int fp_agent_flows_init(struct fp_agent *a)
{
	a->buckets = calloc(FP_AGENT_BUCKETS, sizeof(*a->buckets));
	return a->buckets ? 0 : -ENOMEM;
}

void fp_agent_flows_free(struct fp_agent *a)
{
	struct fp_agent_flow *f, *next;
	unsigned int i;

	if (!a->buckets)
		return;
	for (i = 0; i < FP_AGENT_BUCKETS; i++)
		for (f = a->buckets[i]; f; f = next) {
			next = f->next;
			free(f);
		}
	free(a->buckets);
	a->buckets = NULL;
	a->n_flows = 0;
}

int fp_agent_flow_note(struct fp_agent *a, const struct fp_flow_key *key,
		       const struct fp_rule *rule, const struct fp_flow *flow)
{
	__u64 rule_id = rule ? rule->id : 0;
	struct fp_agent_flow *f = flow_find(a, key);

	if (f) {
		/* Replaced: what it counted so far stays its old rule's. */
		f->rule_id = rule_id;
		f->installed_ns = fp_mono_ns();
	} else {
		f = flow_add(a, key, rule_id);
		if (!f)
			return -ENOMEM;
	}
	f->exec = exec_how(flow);
	f->learns = fp_rule_runs_normal(rule);
	return 0;
}

enum fp_agent_exec_how fp_agent_flow_known(struct fp_agent *a,
					   const struct fp_flow_key *key,
					   bool *learns)
{
	struct fp_agent_flow *f = flow_find(a, key);

	*learns = f && f->learns;
	return f ? f->exec : FP_EXEC_UNKNOWN;
}

void fp_agent_flow_credit_packet(struct fp_agent *a,
				 const struct fp_flow_key *key, __u32 bytes)
{
	struct fp_agent_flow *f = flow_find(a, key);
	struct fp_rule *r;

	if (!f || !f->rule_id)
		return;
	r = fp_rules_find_id(a->rules, f->rule_id);
	if (r) {
		r->n_packets++;
		r->n_bytes += bytes;
	}
}

/* The packets and bytes @f's flow counted since the last time go to its
 * rule, which a later rule change may have removed. */
static void credit(struct fp_agent *a, struct fp_agent_flow *f,
		   const struct fp_flow_stats *st)
{
	struct fp_rule *r = f->rule_id ? fp_rules_find_id(a->rules, f->rule_id) :
					 NULL;

	if (r && st->packets >= f->base_packets) {
		r->n_packets += st->packets - f->base_packets;
		r->n_bytes += st->bytes - f->base_bytes;
	}
	f->base_packets = st->packets;
	f->base_bytes = st->bytes;
}

void fp_agent_learn(struct fp_agent *a, const struct fp_flow_key *key)
{
	__u64 now = fp_mono_ns();
	__u16 vid = 0;
	__u32 was;
	int ret;

	if (!key->in_port || key->in_port >= FP_MAX_PORTS)
		return;
	if (key->vlan[0].tpid)
		vid = ntohs(key->vlan[0].tci) & 0xfff;
	was = fp_mac_lookup(a->macs, vid, key->eth_src, now);
	ret = fp_mac_learn(a->macs, vid, key->eth_src, key->in_port, now);
	if (ret == 1) {
		a->st.mac_moves++;
		a->macs_changed = true;
	} else if (ret == 0 && !was) {
		/* A new MAC: flows that flooded to it can now go unicast. */
		a->macs_changed = true;
	}
}

struct sweep {
	struct fp_agent *a;
	bool revalidate;
	__u64 now, epoch;
	struct fp_flow_key *del; /* to delete once the walk is done */
	unsigned int n_del, cap_del;
	struct fp_slow_actions all, old_all;
	struct fp_flow flow;
	int err;
};

static int sweep_del_later(struct sweep *s, const struct fp_flow_key *key)
{
	struct fp_flow_key *p;

	if (s->n_del == s->cap_del) {
		s->cap_del = s->cap_del ? 2 * s->cap_del : 64;
		p = realloc(s->del, s->cap_del * sizeof(*p));
		if (!p)
			return -ENOMEM;
		s->del = p;
	}
	s->del[s->n_del++] = *key;
	return 0;
}

/* Does the installed flow (and its slow-path list) already do @all? */
static bool same_actions(struct sweep *s, const struct fp_flow_key *key,
			 const struct fp_flow *old)
{
	const struct fp_flow *new = &s->flow;

	if (old->flags != new->flags || old->n_actions != new->n_actions ||
	    memcmp(old->actions, new->actions,
		   new->n_actions * sizeof(new->actions[0])))
		return false;
	if (!(new->flags & FP_FLOW_F_SLOW_PATH))
		return true;
	if (fp_flow_slow_get(&s->a->dp, key, &s->old_all))
		return false;
	return s->old_all.n_actions == s->all.n_actions &&
	       !memcmp(s->old_all.actions, s->all.actions,
		       s->all.n_actions * sizeof(s->all.actions[0]));
}

static int revalidate_one(struct sweep *s, struct fp_agent_flow *f,
			  const struct fp_flow_key *key,
			  const struct fp_flow *old)
{
	struct fp_agent *a = s->a;
	struct fp_rule *rule;
	int err;

	fp_agent_xlate(a, key, &rule, &s->all);
	/* Its rule is gone and no other matches: the flow should not exist.
	 * (The next packet installs the table-miss drop flow.) */
	if (!rule && f->rule_id) {
		a->st.flows_deleted++;
		return sweep_del_later(s, key);
	}
	f->rule_id = rule ? rule->id : 0;
	f->learns = fp_rule_runs_normal(rule);
	fp_agent_flow_build(&s->all, &s->flow);
	f->exec = exec_how(&s->flow);
	if (same_actions(s, key, old))
		return 0;
	err = fp_flow_writer_put_all(&a->w, key, &s->flow, &s->all,
				     FP_FLOW_MODIFY);
	if (err == -ENOENT)
		return 0; /* deleted meanwhile */
	if (err)
		return err;
	a->st.flows_updated++;
	return 0;
}

static int sweep_one(const struct fp_flow_key *key, const struct fp_flow *flow,
		     const struct fp_flow_stats *st, void *arg)
{
	struct sweep *s = arg;
	struct fp_agent *a = s->a;
	struct fp_agent_flow *f = flow_find(a, key);
	bool fresh = false;
	__u64 used;

	if (!f) {
		struct fp_rule *r = fp_rules_lookup(a->rules, key);

		/* Its stats since it was installed count for its rule. */
		f = flow_add(a, key, r ? r->id : 0);
		if (!f)
			return -ENOMEM;
		f->exec = exec_how(flow);
		f->learns = fp_rule_runs_normal(r);
		a->st.adopted++;
		fresh = true;
	}
	f->epoch = s->epoch;
	credit(a, f, st);
	if (fresh || st->packets != f->last_packets) {
		/* Packets that hit a flow never reach the agent: their MACs
		 * are refreshed from the flows they used, those that normal
		 * made. */
		if (f->learns)
			fp_agent_learn(a, key);
		f->last_packets = st->packets;
	}
	used = st->used_ns > f->installed_ns ? st->used_ns : f->installed_ns;
	if (s->now > used && s->now - used > a->opts.idle_ns) {
		a->st.expired++;
		return sweep_del_later(s, key);
	}
	if (s->revalidate)
		return revalidate_one(s, f, key, flow);
	return 0;
}

/* Remove the flows of s->del, crediting their last packets. */
static int sweep_delete(struct sweep *s)
{
	struct fp_agent *a = s->a;
	struct fp_flow_stats st;
	struct fp_agent_flow *f;
	unsigned int i;
	int err;

	for (i = 0; i < s->n_del; i++) {
		err = fp_flow_writer_del(&a->w, &s->del[i], &st);
		if (err == -ENOENT)
			continue;
		if (err)
			return err;
		f = flow_find(a, &s->del[i]);
		if (f)
			credit(a, f, &st);
		flow_forget(a, &s->del[i]);
	}
	return 0;
}

/* Flows no longer in the datapath (deleted by hand, or flushed). */
static void forget_stale(struct fp_agent *a, __u64 epoch)
{
	struct fp_agent_flow **pp, *f;
	unsigned int i;

	for (i = 0; i < FP_AGENT_BUCKETS; i++) {
		for (pp = &a->buckets[i]; (f = *pp);) {
			if (f->epoch == epoch) {
				pp = &f->next;
				continue;
			}
			*pp = f->next;
			free(f);
			a->n_flows--;
		}
	}
}

int fp_agent_sweep(struct fp_agent *a, bool revalidate)
{
	static __u64 epoch;
	struct sweep *s = calloc(1, sizeof(*s));
	bool held = a->writing;
	int err;

	if (!s)
		return -ENOMEM;
	s->a = a;
	s->revalidate = revalidate;
	s->now = fp_mono_ns();
	s->epoch = ++epoch;
	if (revalidate) {
		/* Changes seen from here on call for another round. */
		a->macs_changed = false;
		a->rules_gen = fp_rules_generation(a->rules);
		a->st.revalidations++;
		fp_agent_ports_refresh(a);
		/* Revalidation rewrites flows as it walks them. */
		err = fp_agent_writer_begin(a);
		if (err)
			goto out;
	}
	err = fp_flow_dump(&a->dp, sweep_one, s);
	if (err)
		goto out;
	forget_stale(a, s->epoch);
	if (s->n_del) {
		err = fp_agent_writer_begin(a);
		if (!err)
			err = sweep_delete(s);
	}
out:
	if (!held)
		fp_agent_writer_end(a);
	if (err)
		fp_err("agent: sweeping the flows of %s: %s", a->dp.name,
		       strerror(err < 0 ? -err : err));
	free(s->del);
	free(s);
	return err;
}

int fp_agent_revalidate_if_needed(struct fp_agent *a)
{
	if (!a->macs_changed && fp_rules_generation(a->rules) == a->rules_gen)
		return 0;
	return fp_agent_sweep(a, true);
}

struct lru {
	struct fp_flow_key *keys;
	__u64 *used;
	unsigned int *order;
	unsigned int n, cap;
};

static int lru_one(const struct fp_flow_key *key, const struct fp_flow *flow,
		   const struct fp_flow_stats *st, void *arg)
{
	struct lru *l = arg;

	(void)flow;
	if (l->n == l->cap)
		return 0;
	l->keys[l->n] = *key;
	l->used[l->n] = st->used_ns;
	l->order[l->n] = l->n;
	l->n++;
	return 0;
}

static const __u64 *lru_used;

static int lru_cmp(const void *x, const void *y)
{
	__u64 a = lru_used[*(const unsigned int *)x];
	__u64 b = lru_used[*(const unsigned int *)y];

	return a < b ? -1 : a > b;
}

int fp_agent_evict(struct fp_agent *a, unsigned int n)
{
	struct lru l = { .cap = FP_MAX_FLOWS };
	struct sweep s = { .a = a };
	unsigned int i;
	int err;

	l.keys = malloc(l.cap * sizeof(*l.keys));
	l.used = malloc(l.cap * sizeof(*l.used));
	l.order = malloc(l.cap * sizeof(*l.order));
	err = l.keys && l.used && l.order ? 0 : -ENOMEM;
	if (!err)
		err = fp_flow_dump(&a->dp, lru_one, &l);
	if (err)
		goto out;
	lru_used = l.used;
	qsort(l.order, l.n, sizeof(*l.order), lru_cmp);
	if (n > l.n)
		n = l.n;
	for (i = 0; i < n && !err; i++)
		err = sweep_del_later(&s, &l.keys[l.order[i]]);
	if (!err)
		err = sweep_delete(&s);
	if (!err) {
		a->st.evicted += n;
		err = n;
	}
out:
	free(s.del);
	free(l.keys);
	free(l.used);
	free(l.order);
	return err;
}
