// SPDX-License-Identifier: GPL-2.0
/*
 * MAC learning table: chained hash buckets for lookup, and one list of all
 * entries ordered by when they were last seen (oldest first), so that both
 * eviction of the oldest and idle expiry look at the list head only.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mac_learning.h"

struct fp_mac_entry {
	struct fp_mac_entry *next_hash;
	struct fp_mac_entry *lru_prev, *lru_next;
	__u64 seen_ns;
	__u32 port;
	__u16 vid;
	__u8 mac[6];
};

struct fp_mac_table {
	struct fp_mac_entry **buckets;
	unsigned int n_buckets; /* power of two */
	unsigned int count, max;
	__u64 idle_ns;
	struct fp_mac_entry *lru_head, *lru_tail; /* head: least recently seen */
};

static unsigned int mac_hash(__u16 vid, const __u8 mac[6])
{
	/* FNV-1a over the 8 bytes of (vid, mac): cheap and well spread. */
	__u32 h = 2166136261u;
	unsigned int i;

	h = (h ^ (vid & 0xff)) * 16777619u;
	h = (h ^ (vid >> 8)) * 16777619u;
	for (i = 0; i < 6; i++)
		h = (h ^ mac[i]) * 16777619u;
	return h;
}

struct fp_mac_table *fp_mac_table_new(unsigned int max_entries, __u64 idle_ns)
{
	struct fp_mac_table *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->max = max_entries ? max_entries : FP_MAC_MAX_DEFAULT;
	m->idle_ns = idle_ns ? idle_ns : FP_MAC_IDLE_NS_DEFAULT;
	/* About one entry per bucket when full. */
	m->n_buckets = 16;
	while (m->n_buckets < m->max && m->n_buckets < (1u << 20))
		m->n_buckets <<= 1;
	m->buckets = calloc(m->n_buckets, sizeof(*m->buckets));
	if (!m->buckets) {
		free(m);
		return NULL;
	}
	return m;
}

void fp_mac_table_free(struct fp_mac_table *m)
{
	struct fp_mac_entry *e, *next;

	if (!m)
		return;
	for (e = m->lru_head; e; e = next) {
		next = e->lru_next;
		free(e);
	}
	free(m->buckets);
	free(m);
}

static struct fp_mac_entry **find_slot(const struct fp_mac_table *m, __u16 vid,
				       const __u8 mac[6])
{
	struct fp_mac_entry **pp =
		&m->buckets[mac_hash(vid, mac) & (m->n_buckets - 1)];

	while (*pp && ((*pp)->vid != vid || memcmp((*pp)->mac, mac, 6)))
		pp = &(*pp)->next_hash;
	return pp;
}

static void lru_unlink(struct fp_mac_table *m, struct fp_mac_entry *e)
{
	if (e->lru_prev)
		e->lru_prev->lru_next = e->lru_next;
	else
		m->lru_head = e->lru_next;
	if (e->lru_next)
		e->lru_next->lru_prev = e->lru_prev;
	else
		m->lru_tail = e->lru_prev;
	e->lru_prev = e->lru_next = NULL;
}

static void lru_append(struct fp_mac_table *m, struct fp_mac_entry *e)
{
	e->lru_prev = m->lru_tail;
	e->lru_next = NULL;
	if (m->lru_tail)
		m->lru_tail->lru_next = e;
	else
		m->lru_head = e;
	m->lru_tail = e;
}

static void remove_entry(struct fp_mac_table *m, struct fp_mac_entry *e)
{
	struct fp_mac_entry **pp = find_slot(m, e->vid, e->mac);

	*pp = e->next_hash;
	lru_unlink(m, e);
	m->count--;
	free(e);
}

static bool expired(const struct fp_mac_table *m,
		    const struct fp_mac_entry *e, __u64 now_ns)
{
	return now_ns > e->seen_ns && now_ns - e->seen_ns > m->idle_ns;
}

int fp_mac_learn(struct fp_mac_table *m, __u16 vid, const __u8 mac[6],
		 __u32 port, __u64 now_ns)
{
	struct fp_mac_entry **pp, *e;
	int moved = 0;

	/* A group address as source is bogus: never a forwarding target. */
	if (mac[0] & 1)
		return -EINVAL;
	vid &= 0xfff;
	pp = find_slot(m, vid, mac);
	e = *pp;
	if (e) {
		/* An expired entry relearned elsewhere is not a move: the
		 * flows that used it already flood. */
		if (e->port != port && !expired(m, e, now_ns))
			moved = 1;
		e->port = port;
		e->seen_ns = now_ns;
		lru_unlink(m, e);
		lru_append(m, e);
		return moved;
	}
	if (m->count >= m->max) {
		remove_entry(m, m->lru_head);
		pp = find_slot(m, vid, mac);
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->vid = vid;
	memcpy(e->mac, mac, 6);
	e->port = port;
	e->seen_ns = now_ns;
	*pp = e;
	lru_append(m, e);
	m->count++;
	return 0;
}

__u32 fp_mac_lookup(const struct fp_mac_table *m, __u16 vid, const __u8 mac[6],
		    __u64 now_ns)
{
	const struct fp_mac_entry *e;

	if (mac[0] & 1)
		return 0;
	e = *find_slot(m, vid & 0xfff, mac);
	if (!e || expired(m, e, now_ns))
		return 0;
	return e->port;
}

int fp_mac_expire(struct fp_mac_table *m, __u64 now_ns)
{
	int n = 0;

	/* The list is ordered by seen_ns, as every learn moves its entry to
	 * the tail with the latest time (callers pass a monotonic clock). */
	while (m->lru_head && expired(m, m->lru_head, now_ns)) {
		remove_entry(m, m->lru_head);
		n++;
	}
	return n;
}

unsigned int fp_mac_count(const struct fp_mac_table *m)
{
	return m->count;
}

int fp_mac_flush_port(struct fp_mac_table *m, __u32 port)
{
	struct fp_mac_entry *e, *next;
	int n = 0;

	for (e = m->lru_head; e; e = next) {
		next = e->lru_next;
		if (e->port == port) {
			remove_entry(m, e);
			n++;
		}
	}
	return n;
}
