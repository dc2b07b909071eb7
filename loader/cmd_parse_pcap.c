// SPDX-License-Identifier: GPL-2.0
/* Placeholder: being written. */
#include "cmds.h"
#include "log.h"

int cmd_parse_pcap(int argc, char **argv)
{
	(void)argc;
	fp_err("%s: not implemented yet", argv[0]);
	return 1;
}
