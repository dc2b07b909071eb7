/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The flowpath subcommands. Each gets argv[0] = its own name and returns
 * the process exit status (0, or 1 after printing what was wrong).
 */
#ifndef FP_LOADER_CMDS_H
#define FP_LOADER_CMDS_H

int cmd_load(int argc, char **argv);
int cmd_unload(int argc, char **argv);
int cmd_port(int argc, char **argv);
int cmd_flow(int argc, char **argv);
int cmd_parse_pcap(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_upcall(int argc, char **argv);
int cmd_upcall_limit(int argc, char **argv);
int cmd_verifier_report(int argc, char **argv);
int cmd_afxdp(int argc, char **argv);
int cmd_agent(int argc, char **argv);
int cmd_rule(int argc, char **argv);

#endif
