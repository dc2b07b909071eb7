/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A loaded datapath as userspace sees it: its bpffs directory and the file
 * descriptors of its pinned maps. Everything that talks to a running
 * datapath (the CLI, the agent, tests) goes through fp_dp_open().
 */
#ifndef FP_LIB_DP_H
#define FP_LIB_DP_H

#include <limits.h>
#include <stddef.h>

#include <linux/types.h>

#define FP_BPFFS_DEFAULT "/sys/fs/bpf"
#define FP_DP_DEFAULT "fp0"
#define FP_DP_NAME_MAX 32

enum fp_map_id {
	FP_MAP_FLOW_TABLE,
	FP_MAP_FLOW_STATS,
	FP_MAP_SCRATCH,
	FP_MAP_TAIL_CALLS,
	FP_MAP_UPCALLS,
	FP_MAP_PORTS,
	FP_MAP_PORT_BY_IFINDEX,
	FP_MAP_PORT_STATS,
	FP_MAP_COUNTERS,
	FP_MAP_DP_CONFIG,
	FP_MAP_SLOW_ACTIONS,
	FP_MAP_FLOW_COMPACT,
	FP_MAP_PORT_BY_IFIDX,
	FP_MAP_UPCALL_LIMIT,
	FP_MAP_UPCALL_PORT_STATS,
	FP_MAP_TUNNELS,
	FP_MAP_TUN_ENDPOINTS,
	FP_MAP_COUNT,
};

/* Pin names, as declared in maps/maps.bpf.h. */
extern const char *const fp_map_names[FP_MAP_COUNT];

struct fp_dp {
	char name[FP_DP_NAME_MAX];
	char dir[PATH_MAX]; /* <bpffs>/flowpath/<name> */
	int map_fd[FP_MAP_COUNT];
	int lock_fd;
};

/* The bpffs mount flowpath uses: $FLOWPATH_BPFFS, or /sys/fs/bpf. */
const char *fp_bpffs_root(void);
/* 0 if the bpffs root is a mounted bpffs, else a message and -errno. */
int fp_bpffs_check(void);
/* 0 if @name is a valid datapath name, else a message and -EINVAL. */
int fp_dp_name_check(const char *name);
/* <bpffs>/flowpath/<name>[/<leaf>] into @buf; -ENAMETOOLONG if it does not fit. */
int fp_dp_path(char *buf, size_t len, const char *name, const char *leaf);

/*
 * Open the pinned maps of datapath @name. On failure prints why (bpffs
 * missing, datapath not loaded, incompatible version) and returns -errno;
 * @dp then holds nothing to close.
 */
int fp_dp_open(struct fp_dp *dp, const char *name);
void fp_dp_close(struct fp_dp *dp);
/* Serialise writers of one datapath (flock on its directory). It lasts until
 * fp_dp_unlock() or fp_dp_close(). */
int fp_dp_lock(struct fp_dp *dp);
void fp_dp_unlock(struct fp_dp *dp);

struct bpf_map;
/*
 * Does the map @fd (pinned at @path of datapath @dp_name) have the shape
 * this build's @def declares? If not, says what differs; -EPROTO.
 */
int fp_map_check(const char *dp_name, const char *path, int fd,
		 const struct bpf_map *def);

/* Cookie of the calling thread's network namespace. */
int fp_netns_cookie(__u64 *cookie);
/*
 * 0 if the caller is in @dp's network namespace, where its ports are;
 * otherwise says so, naming @what the caller wanted to do, and -EXDEV.
 */
int fp_dp_check_netns(struct fp_dp *dp, const char *what);

/* Number of possible CPUs, the value count of per-CPU maps. */
int fp_nr_cpus(void);

#endif
