// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/magic.h>

#include "dp.h"
#include "stages.h"
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
	[FP_MAP_SLOW_ACTIONS] = "slow_actions",
	[FP_MAP_FLOW_COMPACT] = "flow_compact",
	[FP_MAP_PORT_BY_IFIDX] = "port_by_ifidx",
	[FP_MAP_UPCALL_LIMIT] = "upcall_limit",
	[FP_MAP_UPCALL_PORT_STATS] = "upcall_port_stats",
	[FP_MAP_TUNNELS] = "tunnels",
	[FP_MAP_TUN_ENDPOINTS] = "tun_endpoints",
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

int fp_map_check(const char *dp_name, const char *path, int fd,
		 const struct bpf_map *def)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info);
	const char *what = NULL;
	unsigned int have = 0, want = 0;
	int err;

	if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
		err = -errno;
		fp_err("datapath %s: %s is not a BPF map: %s", dp_name, path,
		       strerror(-err));
		return err;
	}
	if (info.type != bpf_map__type(def)) {
		what = "type", have = info.type, want = bpf_map__type(def);
	} else if (info.key_size != bpf_map__key_size(def)) {
		what = "key size", have = info.key_size;
		want = bpf_map__key_size(def);
	} else if (info.value_size != bpf_map__value_size(def)) {
		what = "value size", have = info.value_size;
		want = bpf_map__value_size(def);
	} else if (bpf_map__max_entries(def) &&
		   info.max_entries != bpf_map__max_entries(def)) {
		what = "max entries", have = info.max_entries;
		want = bpf_map__max_entries(def);
	} else if (info.map_flags != bpf_map__map_flags(def)) {
		what = "flags", have = info.map_flags;
		want = bpf_map__map_flags(def);
	}
	if (!what)
		return 0;
	fp_err("datapath %s: pinned map %s has %s %u, this flowpath needs %u: it was made by an incompatible build; run 'flowpath unload --dp %s' first",
	       dp_name, path, what, have, want, dp_name);
	return -EPROTO;
}

/* Every pinned map against the declarations this build's stages were
 * compiled with (maps/maps.bpf.h, as embedded in the parser object), so
 * no command reads or writes a map of another layout. */
static int fp_dp_check_maps(struct fp_dp *dp)
{
	struct bpf_object *obj = fp_stage_open_private(fp_stage_find("parser"));
	char path[PATH_MAX + 64];
	struct bpf_map *map;
	int i, err = 0;

	if (!obj)
		return -ENOENT;
	bpf_object__for_each_map(map, obj) {
		for (i = 0; i < FP_MAP_COUNT; i++)
			if (!strcmp(fp_map_names[i], bpf_map__name(map)))
				break;
		if (i == FP_MAP_COUNT)
			continue;
		fp_dp_path(path, sizeof(path), dp->name, fp_map_names[i]);
		err = fp_map_check(dp->name, path, dp->map_fd[i], map);
		if (err)
			break;
	}
	bpf_object__close(obj);
	return err;
}

int fp_netns_cookie(__u64 *cookie)
{
	socklen_t len = sizeof(*cookie);
	int fd, err = 0;

	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len))
		err = -errno;
	close(fd);
	return err;
}

int fp_dp_check_netns(struct fp_dp *dp, const char *what)
{
	struct fp_dp_config cfg;
	__u32 zero = 0;
	__u64 here;
	int err;

	if (bpf_map_lookup_elem(dp->map_fd[FP_MAP_DP_CONFIG], &zero, &cfg))
		return -errno;
	err = fp_netns_cookie(&here);
	if (err) {
		fp_err("cannot tell this network namespace: %s",
		       strerror(-err));
		return err;
	}
	if (here == cfg.netns_cookie)
		return 0;
	fp_err("%s: datapath %s was loaded in another network namespace, where its ports are: run this there (nsenter --net=/run/netns/NAME flowpath ...)",
	       what, dp->name);
	return -EXDEV;
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
	if (!err)
		err = fp_dp_check_maps(dp);
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

void fp_dp_unlock(struct fp_dp *dp)
{
	/* Closing the descriptor drops the flock; the next lock reopens. */
	if (dp->lock_fd >= 0)
		close(dp->lock_fd);
	dp->lock_fd = -1;
}

int fp_nr_cpus(void)
{
	return libbpf_num_possible_cpus();
}
