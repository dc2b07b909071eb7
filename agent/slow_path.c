// SPDX-License-Identifier: GPL-2.0
/*
 * Packets of flows the datapath hands to the slow path (more actions than
 * a flow holds, or an action no stage runs). Their execution in userspace
 * is not part of this build yet: they are counted and dropped.
 */
#include "agent.h"
#include "log.h"

void fp_agent_slow_path(struct fp_agent *a, const struct fp_upcall *up,
			const void *pkt, __u32 len)
{
	(void)pkt;
	(void)len;
	fp_dbg("agent: %s: slow-path packet of port %u (reason %u) dropped",
	       a->dp.name, up->in_port, up->reason);
}
