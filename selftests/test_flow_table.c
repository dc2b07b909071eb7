// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table API (lib/flow_table.h) on a loaded datapath: the table
 * fills to FP_MAX_FLOWS with every flow in a slot of its own, one more is
 * refused with -ENOSPC, a freed slot is reused zeroed, and a flush empties
 * it all. The datapath is loaded and unloaded with $FLOWPATH.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "capacity.h"
#include "flow_key_compact.h"
#include "flow_table.h"
#include "test.h"

static char dp_name[FP_DP_NAME_MAX];
static char cmd[4096];
static struct fp_dp dp = { .lock_fd = -1 };

static int flowpath(const char *what)
{
	snprintf(cmd, sizeof(cmd), "\"%s\" %s --dp %s >/dev/null",
		 getenv("FLOWPATH"), what, dp_name);
	return system(cmd);
}

static void unload(void)
{
	flowpath("unload");
}

/* run.sh's time limit ends a stuck test with SIGTERM: unload all the same. */
static void on_signal(int sig)
{
	(void)sig;
	/* unload takes the lock: a writer of ours may hold it. */
	fp_dp_unlock(&dp);
	unload();
	_exit(1);
}

static void key_n(struct fp_flow_key *k, __u32 n)
{
	memset(k, 0, sizeof(*k));
	k->recirc_id = n;
	k->in_port = 1;
}

struct census {
	__u64 *seen;
	int flows, shared, out_of_range;
};

static int count_flow(const struct fp_flow_key *key, const struct fp_flow *flow,
		      const struct fp_flow_stats *st, void *arg)
{
	struct census *c = arg;
	__u32 i = flow->stats_idx;

	(void)key;
	(void)st;
	c->flows++;
	if (i >= FP_MAX_FLOWS) {
		c->out_of_range++;
	} else {
		if (c->seen[i / 64] & 1ULL << (i % 64))
			c->shared++;
		c->seen[i / 64] |= 1ULL << (i % 64);
	}
	return 0;
}

/* Entries of the compact table (maps/flow_key_compact.h). */
static int compact_count(void)
{
	int fd = dp.map_fd[FP_MAP_FLOW_COMPACT], n = 0;
	struct fp_flow_key_compact ck, next;
	void *prev = NULL;

	while (!bpf_map_get_next_key(fd, prev, &next)) {
		ck = next;
		prev = &ck;
		n++;
	}
	return n;
}

/* The compact table's copy of the flow at @key: 0, or -errno. */
static int compact_get(const struct fp_flow_key *key, struct fp_flow *flow)
{
	struct fp_flow_key_compact ck;

	if (!fp_flow_key_compact(key, &ck))
		return -EINVAL;
	return bpf_map_lookup_elem(dp.map_fd[FP_MAP_FLOW_COMPACT], &ck, flow) ?
		       -errno :
		       0;
}

/*
 * The compact key of a key with one non-zero word: compact exactly when
 * the word is one the compact key keeps, and then holding it, in order:
 * so no two compact keys stand for different full keys.
 */
static void test_compact_key(void)
{
	struct fp_flow_key_compact ck;
	struct fp_flow_key k;
	unsigned int i, j = 0, bad = 0;
	__u32 v;

	for (i = 0; i < FP_KEY_WORDS; i++) {
		bool kept = (FP_KEY_COMPACT_WORDS_MASK >> i) & 1;

		memset(&k, 0, sizeof(k));
		memset(&ck, 0xaa, sizeof(ck));
		v = 0x01020304 + i;
		memcpy((__u8 *)&k + 4 * i, &v, sizeof(v));
		if (fp_flow_key_compact(&k, &ck) != kept) {
			bad++;
			continue;
		}
		if (kept && (ck.w[j++] != v))
			bad++;
	}
	ASSERT_EQ(bad, 0, "compact key: each word kept in order or refused");
	ASSERT_EQ(j, FP_KEY_COMPACT_WORDS, "compact key: all its words seen");
	memset(&k, 0, sizeof(k));
	k.in_port = 1;
	k.eth_type = htons(0x0800);
	k.nw.ipv4.src = htonl(0xc0000201);
	k.tp_dst = htons(53);
	k.nw_proto = 17;
	ASSERT_TRUE(fp_flow_key_compact(&k, &ck), "an IPv4/UDP key is compact");
	k.vlan[1].tpid = htons(0x8100);
	ASSERT_TRUE(!fp_flow_key_compact(&k, &ck), "with a second tag it is not");
	k.vlan[1].tpid = 0;
	k.tun.flags = FP_TUN_F_PRESENT;
	ASSERT_TRUE(!fp_flow_key_compact(&k, &ck), "nor from a tunnel");
}

/* flow_table.c keeps the compact copies in step with the flows. */
static void test_compact_table(void)
{
	struct fp_flow flow, got, full;
	struct fp_flow_key key, tun;

	memset(&flow, 0, sizeof(flow));
	flow.n_actions = 1;
	flow.actions[0].type = FP_ACT_OUTPUT;
	flow.actions[0].u.output.port = 2;
	key_n(&key, 5);
	tun = key;
	tun.tun.flags = FP_TUN_F_PRESENT;
	tun.tun.tun_id = 7;

	ASSERT_EQ(compact_count(), 0, "compact table empty at first");
	ASSERT_OK(fp_flow_put(&dp, &key, &flow, FP_FLOW_CREATE), "put");
	ASSERT_OK(fp_flow_put(&dp, &tun, &flow, FP_FLOW_CREATE),
		  "put a tunnel flow");
	ASSERT_EQ(compact_count(), 1,
		  "one compact copy: of the flow with a compact key");
	ASSERT_OK(compact_get(&key, &got), "compact copy there");
	ASSERT_OK(fp_flow_get(&dp, &key, &full, NULL), "get");
	ASSERT_BYTES(&got, sizeof(got), &full, sizeof(full),
		     "compact copy equals the flow, stats slot included");

	flow.actions[0].u.output.port = 3;
	ASSERT_OK(fp_flow_put(&dp, &key, &flow, FP_FLOW_MODIFY), "replace");
	ASSERT_OK(compact_get(&key, &got), "compact copy there");
	ASSERT_EQ(got.actions[0].u.output.port, 3, "compact copy replaced too");

	ASSERT_OK(fp_flow_del(&dp, &key, NULL), "del");
	ASSERT_EQ(compact_get(&key, &got), -ENOENT, "compact copy deleted");
	ASSERT_OK(fp_flow_put(&dp, &key, &flow, FP_FLOW_CREATE), "put again");
	ASSERT_EQ(fp_flow_flush(&dp), 2, "flush");
	ASSERT_EQ(compact_count(), 0, "compact table empty after flush");
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void)
{
	struct census c = { 0 };
	struct fp_flow_writer w;
	struct fp_flow_stats st;
	struct fp_flow_key key;
	struct fp_flow flow, got;
	int err = 0, bad = 0, n;
	__u32 i, freed;
	double t;

	fp_test_name = "flow_table";
	if (!getenv("FLOWPATH")) {
		printf("SKIP: flow_table: run through selftests/run.sh (needs $FLOWPATH)\n");
		return 0;
	}
	snprintf(dp_name, sizeof(dp_name), "fpt-ft%d", (int)getpid());
	atexit(unload);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	if (!ASSERT_OK(flowpath("load"), "load") ||
	    !ASSERT_OK(fp_dp_open(&dp, dp_name), "open"))
		return fp_test_exit();

	test_compact_key();
	test_compact_table();

	memset(&flow, 0, sizeof(flow));
	flow.n_actions = 1;
	flow.actions[0].type = FP_ACT_OUTPUT;
	flow.actions[0].u.output.port = 2;

	/* Fill the table through one writer: one walk, then O(1) a flow. */
	t = now();
	ASSERT_OK(fp_flow_writer_init(&w, &dp), "writer");
	for (i = 0; i < FP_MAX_FLOWS; i++) {
		key_n(&key, i);
		err = fp_flow_writer_put(&w, &key, &flow, FP_FLOW_CREATE);
		if (err && !bad++)
			ASSERT_OK(err, "put");
	}
	ASSERT_EQ(bad, 0, "FP_MAX_FLOWS flows installed");
	printf("# %u flows installed in %.2fs\n", FP_MAX_FLOWS, now() - t);
	key_n(&key, FP_MAX_FLOWS);
	ASSERT_EQ(fp_flow_writer_put(&w, &key, &flow, FP_FLOW_CREATE), -ENOSPC,
		  "one more: -ENOSPC (writer)");
	fp_flow_writer_fini(&w);
	ASSERT_EQ(fp_flow_put(&dp, &key, &flow, FP_FLOW_CREATE), -ENOSPC,
		  "one more: -ENOSPC (fp_flow_put)");
	{
		/* The CLI says so, naming the datapath and the limit. */
		char out[1024] = "";
		size_t len;
		FILE *f;
		int rc;

		snprintf(cmd, sizeof(cmd),
			 "\"%s\" flow add 'recirc_id(%#x),in_port(1)' 2 --dp %s 2>&1",
			 getenv("FLOWPATH"), FP_MAX_FLOWS, dp_name);
		f = popen(cmd, "r");
		len = f ? fread(out, 1, sizeof(out) - 1, f) : 0;
		out[len] = '\0';
		rc = f ? pclose(f) : -1;
		ASSERT_TRUE(rc != 0, "flow add on a full table fails");
		snprintf(cmd, sizeof(cmd),
			 "the flow table of datapath %s is full (%u flows)",
			 dp_name, FP_MAX_FLOWS);
		fp_test_report(strstr(out, cmd) != NULL, "and says the table is full",
			       "message is '%s'", out);
	}
	key_n(&key, 7);
	ASSERT_EQ(fp_flow_put(&dp, &key, &flow, FP_FLOW_CREATE), -EEXIST,
		  "a full table still says -EEXIST for a flow that is there");
	ASSERT_OK(fp_flow_put(&dp, &key, &flow,
			      FP_FLOW_CREATE | FP_FLOW_MODIFY),
		  "and replaces it");

	c.seen = calloc(FP_MAX_FLOWS / 64, sizeof(*c.seen));
	ASSERT_OK(fp_flow_dump(&dp, count_flow, &c), "dump");
	ASSERT_EQ(c.flows, FP_MAX_FLOWS, "dump sees every flow");
	ASSERT_EQ(c.shared, 0, "no two flows share a stats slot");
	ASSERT_EQ(c.out_of_range, 0, "every slot is in range");
	ASSERT_EQ(compact_count(), FP_MAX_FLOWS,
		  "every flow has its compact copy");

	/* A freed slot goes to the next flow, zeroed. */
	key_n(&key, 12345);
	ASSERT_OK(fp_flow_get(&dp, &key, &got, NULL), "get");
	freed = got.stats_idx;
	{
		int ncpus = fp_nr_cpus(), j;
		struct fp_flow_stats *v = calloc(ncpus, sizeof(*v));

		for (j = 0; j < ncpus; j++)
			v[j].packets = 3;
		ASSERT_OK(bpf_map_update_elem(dp.map_fd[FP_MAP_FLOW_STATS],
					      &freed, v, BPF_ANY),
			  "count into its slot");
		free(v);
		ASSERT_OK(fp_flow_del(&dp, &key, &st), "del");
		ASSERT_EQ(st.packets, 3ULL * ncpus, "del returns the last stats");
	}
	ASSERT_EQ(fp_flow_del(&dp, &key, NULL), -ENOENT, "del again: -ENOENT");
	ASSERT_EQ(fp_flow_get(&dp, &key, NULL, NULL), -ENOENT, "get: -ENOENT");
	key_n(&key, 99999);
	ASSERT_OK(fp_flow_put(&dp, &key, &flow, FP_FLOW_CREATE), "put into the hole");
	ASSERT_OK(fp_flow_get(&dp, &key, &got, &st), "get it");
	ASSERT_EQ(got.stats_idx, freed, "it has the freed slot");
	ASSERT_EQ(st.packets, 0, "zeroed");
	ASSERT_EQ(fp_flow_put(&dp, &key, &flow, FP_FLOW_MODIFY), 0,
		  "MODIFY alone replaces");
	key_n(&key, 99998);
	ASSERT_EQ(fp_flow_put(&dp, &key, &flow, FP_FLOW_MODIFY), -ENOENT,
		  "MODIFY alone does not create");

	t = now();
	n = fp_flow_flush(&dp);
	ASSERT_EQ(n, FP_MAX_FLOWS, "flush deletes them all");
	printf("# %d flows flushed in %.2fs\n", n, now() - t);
	memset(c.seen, 0, FP_MAX_FLOWS / 8);
	c.flows = 0;
	ASSERT_OK(fp_flow_dump(&dp, count_flow, &c), "dump");
	ASSERT_EQ(c.flows, 0, "empty after flush");
	ASSERT_OK(fp_flow_put(&dp, &key, &flow, FP_FLOW_CREATE), "put after flush");
	ASSERT_OK(fp_flow_get(&dp, &key, &got, NULL), "get");
	ASSERT_EQ(got.stats_idx, 0, "lowest slot again");
	ASSERT_EQ(fp_flow_flush(&dp), 1, "flush");

	free(c.seen);
	fp_dp_close(&dp);
	return fp_test_exit();
}
