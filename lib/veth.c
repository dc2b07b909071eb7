// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <spawn.h>
#include <sys/wait.h>

#include "veth.h"

extern char **environ;

static int fp_spawn_wait(char *const argv[])
{
	pid_t pid;
	int st, err;

	err = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (err)
		return -err;
	if (waitpid(pid, &st, 0) < 0)
		return -errno;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -EIO;
}

#define fp_ip(...) fp_spawn_wait((char *const[]){ "ip", __VA_ARGS__, NULL })

int fp_veth_add(const char *dev, const char *peer)
{
	int err;

	err = fp_ip("link", "add", (char *)dev, "type", "veth", "peer", "name",
		    (char *)peer);
	if (!err)
		err = fp_ip("link", "set", (char *)dev, "up");
	if (!err)
		err = fp_ip("link", "set", (char *)peer, "up");
	return err;
}
