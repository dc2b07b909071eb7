// SPDX-License-Identifier: GPL-2.0
/*
 * The rule table: an array kept in dump order (priority descending, then
 * the order rules were added). Lookup walks it and stops at the first
 * rule that matches, so the answer is the highest priority match, the
 * oldest among equals. Each entry keeps the 8-byte words of the key where
 * its mask has bits, so a rule on two fields compares two or three words
 * instead of 24.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mono_clock.h"
#include "ofrule_int.h"

#define KEY_WORDS (sizeof(struct fp_flow_key) / 8)

struct rule_word {
	__u64 mask, val;
	unsigned int idx;
};

struct rule_entry {
	struct fp_rule *r;
	unsigned int n_words;
	struct rule_word words[KEY_WORDS];
};

struct fp_rule_table {
	struct rule_entry *e;
	unsigned int n, cap;
	__u64 next_id;
	__u64 generation;
};

static __u64 word(const struct fp_flow_key *k, unsigned int i)
{
	__u64 w;

	memcpy(&w, (const char *)k + i * 8, sizeof(w));
	return w;
}

static void entry_init(struct rule_entry *e, struct fp_rule *r)
{
	unsigned int i;

	e->r = r;
	e->n_words = 0;
	for (i = 0; i < KEY_WORDS; i++) {
		__u64 m = word(&r->mask, i);

		if (!m)
			continue;
		e->words[e->n_words].idx = i;
		e->words[e->n_words].mask = m;
		e->words[e->n_words].val = word(&r->key, i) & m;
		e->n_words++;
	}
}

static bool entry_matches(const struct rule_entry *e,
			  const struct fp_flow_key *key)
{
	unsigned int i;

	for (i = 0; i < e->n_words; i++)
		if ((word(key, e->words[i].idx) & e->words[i].mask) !=
		    e->words[i].val)
			return false;
	return true;
}

struct fp_rule_table *fp_rules_new(void)
{
	struct fp_rule_table *t = calloc(1, sizeof(*t));

	if (t)
		t->next_id = 1;
	return t;
}

static void clear(struct fp_rule_table *t)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		fp_rule_free(t->e[i].r);
	t->n = 0;
}

void fp_rules_free(struct fp_rule_table *t)
{
	if (!t)
		return;
	clear(t);
	free(t->e);
	free(t);
}

static bool same_match(const struct fp_rule *a, const struct fp_rule *b)
{
	return a->priority == b->priority &&
	       !memcmp(&a->mask, &b->mask, sizeof(a->mask)) &&
	       !memcmp(&a->key, &b->key, sizeof(a->key));
}

static void remove_at(struct fp_rule_table *t, unsigned int i)
{
	fp_rule_free(t->e[i].r);
	memmove(&t->e[i], &t->e[i + 1], (t->n - i - 1) * sizeof(t->e[0]));
	t->n--;
}

static void normalise(struct fp_rule *r)
{
	__u8 *k = (__u8 *)&r->key;
	const __u8 *m = (const __u8 *)&r->mask;
	size_t i;

	for (i = 0; i < sizeof(r->key); i++)
		k[i] &= m[i];
}

int fp_rules_add(struct fp_rule_table *t, struct fp_rule *r)
{
	unsigned int i, pos;

	if (t->n == t->cap) {
		unsigned int cap = t->cap ? t->cap * 2 : 16;
		struct rule_entry *e = realloc(t->e, cap * sizeof(*e));

		if (!e) {
			fp_rule_free(r);
			return -ENOMEM;
		}
		t->e = e;
		t->cap = cap;
	}
	normalise(r);
	for (i = 0; i < t->n; i++)
		if (same_match(t->e[i].r, r)) {
			remove_at(t, i);
			break;
		}
	/* After every rule of the same or higher priority. */
	for (pos = 0; pos < t->n && t->e[pos].r->priority >= r->priority; pos++)
		;
	memmove(&t->e[pos + 1], &t->e[pos], (t->n - pos) * sizeof(t->e[0]));
	t->n++;
	r->id = t->next_id++;
	r->n_packets = r->n_bytes = 0;
	r->created_ns = fp_mono_ns();
	entry_init(&t->e[pos], r);
	t->generation++;
	return 0;
}

/* Is @r at least as specific as match @k/@m, and inside it? */
static bool covered(const struct fp_rule *r, const struct fp_flow_key *k,
		    const struct fp_flow_key *m)
{
	const __u8 *rk = (const __u8 *)&r->key, *rm = (const __u8 *)&r->mask;
	const __u8 *mk = (const __u8 *)k, *mm = (const __u8 *)m;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		if ((rm[i] & mm[i]) != mm[i] || (rk[i] & mm[i]) != mk[i])
			return false;
	return true;
}

int fp_rules_del(struct fp_rule_table *t, const char *match, bool strict,
		 char *err, size_t errlen)
{
	struct fp_rule m = { .priority = FP_RULE_PRIORITY_DEFAULT };
	unsigned int i = 0;
	int n = 0, ret;

	ret = fp_rule_parse_line(match ? match : "", &m, false, err, errlen);
	if (ret)
		return ret;
	normalise(&m);
	while (i < t->n) {
		struct fp_rule *r = t->e[i].r;

		if (strict ? same_match(r, &m) : covered(r, &m.key, &m.mask)) {
			remove_at(t, i);
			n++;
		} else {
			i++;
		}
	}
	if (n)
		t->generation++;
	return n;
}

static int load_error(char *err, size_t errlen, const char *path,
		      unsigned int line, const char *msg, int ret)
{
	if (errlen)
		snprintf(err, errlen, "%s:%u: %s", path, line, msg);
	return ret;
}

int fp_rules_load_file(struct fp_rule_table *t, const char *path,
		       bool replace, char *err, size_t errlen)
{
	struct fp_rule **rules = NULL;
	unsigned int n = 0, cap = 0, lineno = 0, i;
	char msg[FP_RULE_ERR_LEN];
	size_t linecap = 0;
	char *line = NULL;
	int ret = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		ret = -errno;
		if (errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	while (getline(&line, &linecap, f) >= 0) {
		char *hash = strchr(line, '#'), *p = line;
		struct fp_rule *r;

		lineno++;
		if (hash)
			*hash = '\0';
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!*p)
			continue;
		ret = fp_rule_parse(p, &r, msg, sizeof(msg));
		if (ret) {
			ret = load_error(err, errlen, path, lineno, msg, ret);
			goto out;
		}
		if (n == cap) {
			struct fp_rule **nr;

			cap = cap ? cap * 2 : 64;
			nr = realloc(rules, cap * sizeof(*nr));
			if (!nr) {
				fp_rule_free(r);
				ret = load_error(err, errlen, path, lineno,
						 "out of memory", -ENOMEM);
				goto out;
			}
			rules = nr;
		}
		rules[n++] = r;
	}
	if (ferror(f)) {
		ret = load_error(err, errlen, path, lineno + 1,
				 "read error", -EIO);
		goto out;
	}
	/* Room for all of them first: nothing below may fail half-way. */
	if (t->cap < (replace ? 0 : t->n) + n + 1) {
		unsigned int want = (replace ? 0 : t->n) + n + 1;
		struct rule_entry *e = realloc(t->e, want * sizeof(*e));

		if (!e) {
			ret = load_error(err, errlen, path, lineno,
					 "out of memory", -ENOMEM);
			goto out;
		}
		t->e = e;
		t->cap = want;
	}
	if (replace)
		clear(t);
	for (i = 0; i < n; i++) {
		fp_rules_add(t, rules[i]); /* cannot fail: room reserved */
		rules[i] = NULL;
	}
	t->generation++;
	ret = (int)n;
out:
	if (ret < 0)
		for (i = 0; i < n; i++)
			fp_rule_free(rules[i]);
	free(rules);
	free(line);
	fclose(f);
	return ret;
}

struct fp_rule *fp_rules_lookup(const struct fp_rule_table *t,
				const struct fp_flow_key *key)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (entry_matches(&t->e[i], key))
			return t->e[i].r;
	return NULL;
}

struct fp_rule *fp_rules_find_id(const struct fp_rule_table *t, __u64 id)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->e[i].r->id == id)
			return t->e[i].r;
	return NULL;
}

int fp_rules_foreach(const struct fp_rule_table *t,
		     int (*cb)(struct fp_rule *r, void *arg), void *arg)
{
	unsigned int i;
	int ret;

	for (i = 0; i < t->n; i++) {
		ret = cb(t->e[i].r, arg);
		if (ret)
			return ret;
	}
	return 0;
}

unsigned int fp_rules_count(const struct fp_rule_table *t)
{
	return t->n;
}

__u64 fp_rules_generation(const struct fp_rule_table *t)
{
	return t->generation;
}
