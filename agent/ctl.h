/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The agent's control socket, shared by the agent (ctl.c) and the CLI
 * (loader/cmd_rule.c): a UNIX stream socket FP_AGENT_RUN_DIR/<dp>.sock,
 * mode 0600. One request per connection: the client writes
 *	VERB [ARGUMENT]
 * and shuts its side down; the agent answers with lines of output and a
 * last line "OK" or "ERROR: message", and closes. Verbs: add RULE,
 * del MATCH, del-strict MATCH, dump, replace FILE (an absolute path),
 * status.
 */
#ifndef FP_AGENT_CTL_H
#define FP_AGENT_CTL_H

#include <stddef.h>

#define FP_AGENT_RUN_DIR "/run/flowpath"
/* Requests larger than this are refused. */
#define FP_AGENT_CTL_MAX 65536

/* The socket path of datapath @dp's agent; -ENAMETOOLONG if too long. */
int fp_agent_ctl_path(const char *dp, char *buf, size_t len);

/*
 * Client: send @verb and @arg (may be NULL) to @dp's agent, print its
 * output on stdout and its error on stderr. Returns 0 if it said OK,
 * -EREMOTEIO if it reported an error, -errno if it could not be asked.
 */
int fp_agent_ctl_request(const char *dp, const char *verb, const char *arg);

#endif
