// SPDX-License-Identifier: GPL-2.0
/*
 * The flow table API (lib/flow_table.h) on a loaded datapath: the table
 * fills to FP_MAX_FLOWS with every flow in a slot of its own, one more is
 * refused with -ENOSPC, a freed slot is reused zeroed, and a flush empties
 * it all. The datapath is loaded and unloaded with $FLOWPATH.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>

#include "capacity.h"
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
