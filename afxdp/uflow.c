// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "odp.h"
#include "uflow.h"

/* Multiply-xorshift over the key's 64-bit words: every byte of the key
 * (padding is always zero) counts, as in the BPF hash map. */
static __u64 key_hash(const struct fp_flow_key *key)
{
	const __u64 *w = (const __u64 *)key;
	__u64 h = 0x8445d61a4e774912ull;
	size_t i;

	for (i = 0; i < sizeof(*key) / sizeof(*w); i++) {
		h ^= w[i];
		h *= 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return h;
}

int fp_uflow_table_init(struct fp_uflow_table *t, __u32 max_flows)
{
	__u32 slots = 16;

	while (slots < 2 * max_flows)
		slots <<= 1;
	t->slots = calloc(slots, sizeof(*t->slots));
	if (!t->slots)
		return -ENOMEM;
	t->mask = slots - 1;
	t->n = 0;
	t->max = max_flows;
	return 0;
}

void fp_uflow_table_fini(struct fp_uflow_table *t)
{
	__u32 i;

	if (!t->slots)
		return;
	for (i = 0; i <= t->mask; i++) {
		if (!t->slots[i])
			continue;
		free(t->slots[i]->all);
		free(t->slots[i]);
	}
	free(t->slots);
	t->slots = NULL;
	t->n = 0;
}

/* The slot of @key, or the empty slot where it would go. */
static struct fp_uflow **find_slot(const struct fp_uflow_table *t,
				   const struct fp_flow_key *key)
{
	__u32 i = (__u32)key_hash(key) & t->mask;

	while (t->slots[i] && memcmp(&t->slots[i]->key, key, sizeof(*key)))
		i = (i + 1) & t->mask;
	return &t->slots[i];
}

struct fp_uflow *fp_uflow_lookup(const struct fp_uflow_table *t,
				 const struct fp_flow_key *key)
{
	return *find_slot(t, key);
}

int fp_uflow_put(struct fp_uflow_table *t, const struct fp_flow_key *key,
		 const struct fp_flow *flow, const struct fp_slow_actions *all)
{
	struct fp_uflow **slot = find_slot(t, key), *f = *slot;
	struct fp_slow_actions *copy = NULL;

	if (!f && t->n >= t->max)
		return -ENOSPC;
	if (all && all->n_actions > FP_MAX_ACTIONS) {
		copy = malloc(sizeof(*copy));
		if (!copy)
			return -ENOMEM;
		memcpy(copy, all, sizeof(*copy));
	}
	if (!f) {
		f = calloc(1, sizeof(*f));
		if (!f) {
			free(copy);
			return -ENOMEM;
		}
		f->key = *key;
		*slot = f;
		t->n++;
	}
	free(f->all);
	f->all = copy;
	f->flow = *flow;
	f->packets = f->bytes = 0;
	return 0;
}

int fp_uflow_table_copy(struct fp_uflow_table *dst,
			const struct fp_uflow_table *src)
{
	__u32 i;
	int err;

	err = fp_uflow_table_init(dst, src->max);
	if (err)
		return err;
	for (i = 0; i <= src->mask; i++) {
		const struct fp_uflow *f = src->slots[i];

		if (!f)
			continue;
		err = fp_uflow_put(dst, &f->key, &f->flow, f->all);
		if (err) {
			fp_uflow_table_fini(dst);
			return err;
		}
	}
	return 0;
}

/* One "FLOW ACTIONS" line (no newline, not blank) into @t. */
static int load_line(struct fp_uflow_table *t, char *line, const char *where,
		     struct fp_slow_actions *all)
{
	char err[FP_ODP_ERR_LEN] = "";
	struct fp_flow_key key;
	struct fp_flow flow = {};
	char *end, *acts;
	int ret;

	end = line + strlen(line);
	while (end > line && isspace((unsigned char)end[-1]))
		*--end = '\0';
	acts = end;
	while (acts > line && !isspace((unsigned char)acts[-1]))
		acts--;
	if (acts == line) {
		fp_err("%s: expected 'FLOW ACTIONS', got one word '%s'", where,
		       line);
		return -EINVAL;
	}
	acts[-1] = '\0';
	if (!strncmp(acts, "actions:", 8))
		acts += 8;
	ret = fp_odp_key_parse(line, &key, err, sizeof(err));
	if (ret) {
		fp_err("%s: flow: %s", where, err);
		return ret;
	}
	if (key.in_port == FP_PORT_NONE || key.in_port == 0) {
		fp_err("%s: flow has no in_port(N): every packet arrives on a "
		       "port (N = "
		       "position of its --dev, from 1)",
		       where);
		return -EINVAL;
	}
	ret = fp_odp_actions_parse_all(acts, &key, &flow, all, err,
				       sizeof(err));
	if (ret) {
		fp_err("%s: actions: %s", where, err);
		return ret;
	}
	if (fp_uflow_lookup(t, &key)) {
		fp_err("%s: flow given twice", where);
		return -EEXIST;
	}
	ret = fp_uflow_put(t, &key, &flow, all);
	if (ret == -ENOSPC)
		fp_err("%s: more than %u flows", where, t->max);
	else if (ret)
		fp_err("%s: %s", where, strerror(-ret));
	return ret;
}

int fp_uflow_load_file(struct fp_uflow_table *t, const char *path)
{
	struct fp_slow_actions *all = malloc(sizeof(*all));
	struct fp_uflow_table tmp = {};
	char *line = NULL, where[4096];
	size_t cap = 0;
	int lineno = 0, n = 0, err;
	FILE *f;

	if (!all)
		return -ENOMEM;
	f = fopen(path, "r");
	if (!f) {
		err = -errno;
		fp_err("--flows %s: %s", path, strerror(-err));
		free(all);
		return err;
	}
	err = fp_uflow_table_init(&tmp, t->max);
	while (!err && getline(&line, &cap, f) >= 0) {
		char *s = line, *hash = strchr(line, '#');

		lineno++;
		if (hash)
			*hash = '\0';
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		snprintf(where, sizeof(where), "%s:%d", path, lineno);
		err = load_line(&tmp, s, where, all);
		n++;
	}
	if (!err && ferror(f)) {
		err = -EIO;
		fp_err("--flows %s: read error", path);
	}
	fclose(f);
	free(line);
	free(all);
	if (err) {
		fp_uflow_table_fini(&tmp);
		return err;
	}
	/* All lines good: now the caller's table gets them. */
	fp_uflow_table_fini(t);
	*t = tmp;
	return n;
}
