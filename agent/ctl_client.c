// SPDX-License-Identifier: GPL-2.0
/* The CLI's side of the agent's control socket (ctl.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"

/* How long the agent may take: revalidating a full table takes a while. */
#define FP_AGENT_CTL_CLIENT_TIMEOUT_S 60

static int send_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

int fp_agent_ctl_request(const char *dp, const char *verb, const char *arg)
{
	struct timeval tv = { .tv_sec = FP_AGENT_CTL_CLIENT_TIMEOUT_S };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	char path[sizeof(sun.sun_path)];
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	int fd, err = 0;
	bool done = false;

	if (fp_agent_ctl_path(dp, path, sizeof(path))) {
		fp_err("datapath name %s is too long for a socket path", dp);
		return -ENAMETOOLONG;
	}
	if (arg && strlen(verb) + strlen(arg) + 2 > FP_AGENT_CTL_MAX) {
		fp_err("%s: request too long (over %d bytes)", verb,
		       FP_AGENT_CTL_MAX);
		return -E2BIG;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		err = -errno;
		fp_err("no agent is running for datapath %s (%s: %s): start one with 'flowpath agent --dp %s'",
		       dp, path, strerror(-err), dp);
		close(fd);
		return err;
	}
	err = send_all(fd, verb, strlen(verb));
	if (!err && arg) {
		err = send_all(fd, " ", 1);
		if (!err)
			err = send_all(fd, arg, strlen(arg));
	}
	if (!err)
		err = send_all(fd, "\n", 1);
	if (err || shutdown(fd, SHUT_WR)) {
		err = err ? err : -errno;
		fp_err("sending to the agent of %s: %s", dp, strerror(-err));
		close(fd);
		return err;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -ENOMEM;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		if (!strcmp(line, "OK\n")) {
			done = true;
			break;
		}
		if (!strncmp(line, "ERROR: ", 7)) {
			line[strcspn(line, "\n")] = '\0';
			fp_err("%s: %s", verb, line + 7);
			err = -EREMOTEIO;
			done = true;
			break;
		}
		fputs(line, stdout);
	}
	if (!done) {
		fp_err("%s: the agent of %s did not answer", verb, dp);
		err = -EIO;
	}
	free(line);
	fclose(f);
	return err;
}
