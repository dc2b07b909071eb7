// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>

#include "dp.h"
#include "log.h"
#include "dp_config.h"
#include "flow_key.h"
#include "actions.h"

const char *const fp_map_names[FP_MAP_COUNT] = {
	[FP_MAP_FLOW_TABLE] = "flow_table",
	[FP_MAP_FLOW_STATS] = "flow_stats",
	[FP_MAP_SCRATCH] = "scratch",
	[FP_MAP_TAIL_CALLS] = "tail_calls",
	[FP_MAP_UPCALLS] = "upcalls",
	[FP_MAP_PORTS] = "ports",
	[FP_MAP_PORT_BY_IFINDEX] = "port_by_ifindex",
	[FP_MAP_PORT_STATS] = "port_stats",
	[FP_MAP_COUNTERS] = "counters",
	[FP_MAP_DP_CONFIG] = "dp_config",
};

const char *fp_bpffs_root(void)
{
	const char *env = getenv("FLOWPATH_BPFFS");

	return env && *env ? env : FP_BPFFS_DEFAULT;
}

int fp_bpffs_check(void)
{
	const char *root = fp_bpffs_root();
	struct statfs st;

	if (statfs(root, &st)) {
		int err = -errno;

		fp_err("bpffs: cannot stat %s: %s (mount it: mount -t bpf bpf %s)",
		       root, strerror(-err), root);
		return err;
	}
	if (st.f_type != BPF_FS_MAGIC) {
		fp_err("bpffs is not mounted at %s (mount it: mount -t bpf bpf %s)",
		       root, root);
		return -ENOENT;
	}
	return 0;
}

int fp_dp_name_check(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n >= FP_DP_NAME_MAX) {
		fp_err("datapath name '%s': must be 1 to %d characters", name,
		       FP_DP_NAME_MAX - 1);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-')) {
			fp_err("datapath name '%s': only letters, digits, '_' and '-' are allowed",
			       name);
			return -EINVAL;
		}
	}
	return 0;
}

int fp_dp_path(char *buf, size_t len, const char *name, const char *leaf)
{
	int n;

	if (leaf)
		n = snprintf(buf, len, "%s/flowpath/%s/%s", fp_bpffs_root(),
			     name, leaf);
	else
		n = snprintf(buf, len, "%s/flowpath/%s", fp_bpffs_root(), name);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static void fp_dp_init(struct fp_dp *dp)
{
	int i;

	memset(dp, 0, sizeof(*dp));
	for (i = 0; i < FP_MAP_COUNT; i++)
		dp->map_fd[i] = -1;
	dp->lock_fd = -1;
}

void fp_dp_close(struct fp_dp *dp)
{
	int i;

	for (i = 0; i < FP_MAP_COUNT; i++)
		if (dp->map_fd[i] >= 0)
			close(dp->map_fd[i]);
	if (dp->lock_fd >= 0)
		close(dp->lock_fd);
	fp_dp_init(dp);
}

static int fp_dp_check_config(struct fp_dp *dp)
{
	struct fp_dp_config cfg;
	__u32 zero = 0;

	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_DP_CONFIG], &zero, &cfg))
		return -errno;
	if (cfg.magic != FP_DP_MAGIC) {
		fp_err("datapath %s: %s is not initialised (a load was interrupted?): run 'flowpath unload --dp %s'",
		       dp->name, dp->dir, dp->name);
		return -EUCLEAN;
	}
	if (cfg.abi_version != FP_ABI_VERSION ||
	    cfg.key_size != sizeof(struct fp_flow_key) ||
	    cfg.flow_size != sizeof(struct fp_flow)) {
		fp_err("datapath %s was loaded by an incompatible flowpath (abi %u, key %u bytes; this one: abi %u, key %zu bytes): unload it first",
		       dp->name, cfg.abi_version, cfg.key_size, FP_ABI_VERSION,
		       sizeof(struct fp_flow_key));
		return -EPROTO;
	}
	return 0;
}

int fp_dp_open(struct fp_dp *dp, const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	int i, err;

	fp_dp_init(dp);
	err = fp_dp_name_check(name);
	if (err)
		return err;
	err = fp_bpffs_check();
	if (err)
		return err;
	snprintf(dp->name, sizeof(dp->name), "%s", name);
	err = fp_dp_path(dp->dir, sizeof(dp->dir), name, NULL);
	if (err)
		return err;
	if (stat(dp->dir, &st)) {
		fp_err("datapath %s is not loaded (no %s): run 'flowpath load --dp %s'",
		       name, dp->dir, name);
		fp_dp_init(dp);
		return -ENOENT;
	}
	for (i = 0; i < FP_MAP_COUNT; i++) {
		err = fp_dp_path(path, sizeof(path), name, fp_map_names[i]);
		if (err)
			goto fail;
		dp->map_fd[i] = bpf_obj_get(path);
		if (dp->map_fd[i] < 0) {
			err = -errno;
			fp_err("datapath %s: cannot open map %s: %s", name, path,
			       strerror(-err));
			goto fail;
		}
	}
	err = fp_dp_check_config(dp);
	if (err)
		goto fail;
	return 0;
fail:
	fp_dp_close(dp);
	return err;
}

int fp_dp_lock(struct fp_dp *dp)
{
	if (dp->lock_fd < 0) {
		dp->lock_fd = open(dp->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dp->lock_fd < 0) {
			int err = -errno;

			fp_err("datapath %s: cannot open %s: %s", dp->name,
			       dp->dir, strerror(-err));
			return err;
		}
	}
	if (flock(dp->lock_fd, LOCK_EX)) {
		int err = -errno;

		fp_err("datapath %s: cannot lock %s: %s", dp->name, dp->dir,
		       strerror(-err));
		return err;
	}
	return 0;
}

int fp_nr_cpus(void)
{
	return libbpf_num_possible_cpus();
}
