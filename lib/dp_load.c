// SPDX-License-Identifier: GPL-2.0
/*
 * Loading, upgrading and unloading a datapath. Pins live under
 * <bpffs>/flowpath/<dp>/: one file per map (named as in maps/maps.bpf.h)
 * and progs/<stage> per stage.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "dp.h"
#include "dp_load.h"
#include "log.h"
#include "port.h"
#include "stages.h"
#include "tc.h"
#include "dp_upcall_limit.h"
#include "dp_config.h"
#include "flow_key.h"
#include "actions.h"

struct fp_loading {
	const char *name;
	char dir[PATH_MAX];
	bool created_root; /* <bpffs>/flowpath */
	bool created_dir;
	bool created_progs_dir;
	bool map_existed[FP_MAP_COUNT];
	struct bpf_object *objs[16];
};

static int fp_mkdir(const char *path, bool *created)
{
	*created = false;
	if (!mkdir(path, 0700)) {
		*created = true;
		return 0;
	}
	if (errno == EEXIST)
		return 0;
	fp_err("cannot create %s: %s", path, strerror(errno));
	return -errno;
}

/* Which pins are there before this load, so a rollback spares them. */
static void fp_note_existing_maps(struct fp_loading *ld)
{
	char path[PATH_MAX + 64];
	int i;

	for (i = 0; i < FP_MAP_COUNT; i++)
		ld->map_existed[i] =
			!fp_dp_path(path, sizeof(path), ld->name,
				    fp_map_names[i]) &&
			!access(path, F_OK);
}

/* A pin left by an incompatible build is refused before anything loads:
 * libbpf would refuse it too, but without naming what differs. */
static int fp_check_pinned_map(struct fp_loading *ld, struct bpf_map *map)
{
	char path[PATH_MAX + 64];
	int fd, err;

	if (fp_dp_path(path, sizeof(path), ld->name, bpf_map__name(map)))
		return -ENAMETOOLONG;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return 0; /* not pinned yet: this load creates it */
	err = fp_map_check(ld->name, path, fd, map);
	close(fd);
	return err;
}

static int fp_open_stage(struct fp_loading *ld, const struct fp_stage *st,
			 struct bpf_object **objp)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = ld->dir);
	struct bpf_object *obj;
	struct bpf_map *map;
	size_t size;
	const void *bytes = st->elf_bytes(&size);
	int err;

	obj = bpf_object__open_mem(bytes, size, &opts);
	if (!obj) {
		err = -errno;
		fp_err("stage %s: cannot open BPF object: %s", st->name,
		       strerror(-err));
		return err;
	}
	bpf_object__for_each_map(map, obj) {
		err = fp_check_pinned_map(ld, map);
		if (err)
			goto fail;
	}
	err = bpf_object__load(obj);
	if (err) {
		fp_err("stage %s: cannot load: %s (run with -v for the verifier log)",
		       st->name, strerror(-err));
		goto fail;
	}
	*objp = obj;
	return 0;
fail:
	bpf_object__close(obj);
	return err;
}

static int fp_stage_fd(struct bpf_object *obj, const struct fp_stage *st)
{
	struct bpf_program *prog;

	prog = bpf_object__find_program_by_name(obj, st->prog);
	if (!prog) {
		fp_err("stage %s: no program %s in its object", st->name,
		       st->prog);
		return -ENOENT;
	}
	return bpf_program__fd(prog);
}

/* Pin under a temporary name, then rename over the old pin: at no moment
 * is there no program at the path a user's tc filter may name. */
static int fp_pin_prog(struct fp_loading *ld, const char *stage, int fd)
{
	char path[PATH_MAX + 64], tmp[PATH_MAX + 80];
	int err;

	if (snprintf(path, sizeof(path), "%s/progs/%s", ld->dir, stage) >=
	    (int)sizeof(path))
		return -ENAMETOOLONG;
	/* bpffs refuses names with a dot. */
	snprintf(tmp, sizeof(tmp), "%s__new", path);
	unlink(tmp);
	if (bpf_obj_pin(fd, tmp)) {
		err = -errno;
		fp_err("cannot pin %s: %s", tmp, strerror(-err));
		return err;
	}
	if (rename(tmp, path)) {
		err = -errno;
		fp_err("cannot rename %s to %s: %s", tmp, path, strerror(-err));
		unlink(tmp);
		return err;
	}
	return 0;
}

static int fp_write_config(int fd, const struct fp_load_opts *opts,
			   bool upgrade)
{
	struct fp_dp_config cfg = {};
	__u32 zero = 0;

	if (upgrade && bpf_map_lookup_elem(fd, &zero, &cfg))
		return -errno;
	cfg.magic = FP_DP_MAGIC;
	cfg.abi_version = FP_ABI_VERSION;
	cfg.key_size = sizeof(struct fp_flow_key);
	cfg.flow_size = sizeof(struct fp_flow);
	if (!upgrade) {
		int err = fp_netns_cookie(&cfg.netns_cookie);

		if (err)
			return err;
	}
	if (opts->miss_verdict >= 0)
		cfg.miss_verdict = opts->miss_verdict;
	else if (!upgrade)
		cfg.miss_verdict = FP_MISS_DROP;
	if (bpf_map_update_elem(fd, &zero, &cfg, BPF_ANY))
		return -errno;
	return 0;
}

/*
 * The upcall buckets: defaults where the map is new (a fresh load, or an
 * upgrade from a flowpath without them), what the options say elsewhere.
 */
static int fp_write_upcall_limits(struct fp_loading *ld, int fd,
				  const struct fp_load_opts *opts)
{
	__u32 rate = FP_UPCALL_RATE_DEFAULT, burst = FP_UPCALL_BURST_DEFAULT;
	bool fresh = !ld->map_existed[FP_MAP_UPCALL_LIMIT];

	if (opts->upcall_rate_set)
		rate = opts->upcall_rate;
	if (opts->upcall_burst_set)
		burst = opts->upcall_burst;
	if (!fresh && !opts->upcall_rate_set && !opts->upcall_burst_set)
		return 0;
	return fp_upcall_limit_write(
		fd, ld->name, FP_UPCALL_ALL_PORTS,
		fresh || opts->upcall_rate_set ? &rate : NULL,
		fresh || opts->upcall_burst_set ? &burst : NULL);
}

/* Undo a failed load: remove only what this call created. */
static void fp_load_rollback(struct fp_loading *ld)
{
	char path[PATH_MAX + 64];
	size_t i;

	for (i = 0; i < FP_MAP_COUNT; i++) {
		if (ld->map_existed[i])
			continue;
		if (!fp_dp_path(path, sizeof(path), ld->name, fp_map_names[i]))
			unlink(path);
	}
	if (ld->created_progs_dir) {
		for (i = 0; i < fp_n_stages; i++) {
			snprintf(path, sizeof(path), "%s/progs/%s", ld->dir,
				 fp_stages[i].name);
			unlink(path);
		}
		snprintf(path, sizeof(path), "%s/progs", ld->dir);
		rmdir(path);
	}
	if (ld->created_dir)
		rmdir(ld->dir);
	if (ld->created_root) {
		snprintf(path, sizeof(path), "%s/flowpath", fp_bpffs_root());
		rmdir(path);
	}
}

/* On upgrade, the filter of every port flowpath attached moves to the
 * new parser in one netlink request each (tc replace is atomic). */
static int fp_reattach_ports(struct fp_dp *dp, int parser_fd)
{
	struct fp_port port;
	bool own;
	__u32 no;
	int err;

	for (no = 1; no < FP_MAX_PORTS; no++) {
		if (fp_port_get(dp, no, &port) || !port.ifindex ||
		    !(port.flags & FP_PORT_F_ATTACHED))
			continue;
		if (!fp_port_dev_present(&port)) {
			fp_err("warning: port %u (%s, ifindex %u) is not in this network namespace: its filter still runs the old parser",
			       no, port.name, port.ifindex);
			continue;
		}
		err = fp_tc_attach(port.ifindex, parser_fd, true, &own);
		if (err)
			return err;
	}
	return 0;
}

static void fp_remove_stale_prog_pins(const char *dir)
{
	char path[PATH_MAX + 64];
	struct dirent *de;
	DIR *d;

	snprintf(path, sizeof(path), "%s/progs", dir);
	d = opendir(path);
	if (!d)
		return;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || fp_stage_find(de->d_name))
			continue;
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}

int fp_dp_load(const char *name, const struct fp_load_opts *opts,
	       bool *upgraded)
{
	struct fp_loading ld = { .name = name };
	int fds[16], err, tail_fd = -1, cfg_fd = -1, lock_fd = -1;
	char path[PATH_MAX + 64];
	struct fp_dp dp;
	bool upgrade;
	size_t i;

	if (fp_n_stages > sizeof(ld.objs) / sizeof(ld.objs[0]))
		return -E2BIG;
	err = fp_dp_name_check(name);
	if (err)
		return err;
	err = fp_bpffs_check();
	if (err)
		return err;
	if (fp_dp_path(ld.dir, sizeof(ld.dir), name, NULL))
		return -ENAMETOOLONG;

	/* Before anything can fail: a rollback must spare what was there. */
	fp_note_existing_maps(&ld);
	snprintf(path, sizeof(path), "%s/flowpath", fp_bpffs_root());
	err = fp_mkdir(path, &ld.created_root);
	if (!err)
		err = fp_mkdir(ld.dir, &ld.created_dir);
	if (err)
		goto fail;
	/* One load or unload of a datapath at a time. */
	lock_fd = open(ld.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock_fd < 0 || flock(lock_fd, LOCK_EX)) {
		err = -errno;
		fp_err("cannot lock %s: %s", ld.dir, strerror(-err));
		goto fail;
	}

	/* An existing datapath must be one this build can take over. */
	upgrade = !fp_dp_path(path, sizeof(path), name, "dp_config") &&
		  !access(path, F_OK);
	if (upgrade) {
		err = fp_dp_open(&dp, name);
		if (err)
			goto fail;
		/* The upgrade moves every port's filter: from here it would
		 * reach the devices of whatever namespace this is. */
		err = fp_dp_check_netns(&dp, "load");
		fp_dp_close(&dp);
		if (err)
			goto fail;
	}
	snprintf(path, sizeof(path), "%s/progs", ld.dir);
	err = fp_mkdir(path, &ld.created_progs_dir);
	if (err)
		goto fail;

	/* Phase 1: load everything. Nothing running is touched yet, so a
	 * failure here leaves an upgraded datapath exactly as it was. */
	for (i = 0; i < fp_n_stages; i++) {
		err = fp_open_stage(&ld, &fp_stages[i], &ld.objs[i]);
		if (err)
			goto fail;
		fds[i] = fp_stage_fd(ld.objs[i], &fp_stages[i]);
		if (fds[i] < 0) {
			err = fds[i];
			goto fail;
		}
	}
	tail_fd = bpf_map__fd(
		bpf_object__find_map_by_name(ld.objs[0], "tail_calls"));
	cfg_fd = bpf_map__fd(
		bpf_object__find_map_by_name(ld.objs[0], "dp_config"));
	err = fp_write_config(cfg_fd, opts, upgrade);
	if (err) {
		fp_err("datapath %s: cannot write dp_config: %s", name,
		       strerror(-err));
		goto fail;
	}
	err = fp_write_upcall_limits(
		&ld,
		bpf_map__fd(bpf_object__find_map_by_name(ld.objs[0],
							 "upcall_limit")),
		opts);
	if (err)
		goto fail;

	/* Phase 2: switch over, leaves first, the entry last. */
	for (i = fp_n_stages; i-- > 0;) {
		__u32 slot = fp_stages[i].slot;

		if (fp_stages[i].slot < 0)
			continue;
		if (bpf_map_update_elem(tail_fd, &slot, &fds[i], BPF_ANY)) {
			err = -errno;
			fp_err("datapath %s: cannot set prog-array slot %u to stage %s: %s",
			       name, slot, fp_stages[i].name, strerror(-err));
			goto fail;
		}
	}
	for (i = 0; i < fp_n_stages; i++) {
		err = fp_pin_prog(&ld, fp_stages[i].name, fds[i]);
		if (err)
			goto fail;
	}
	fp_remove_stale_prog_pins(ld.dir);
	if (upgrade) {
		err = fp_dp_open(&dp, name);
		if (!err) {
			err = fp_reattach_ports(&dp, fds[0]);
			fp_dp_close(&dp);
		}
		if (err)
			goto fail_upgraded;
	}
	*upgraded = upgrade;
	err = 0;
	goto out;
fail:
	fp_load_rollback(&ld);
fail_upgraded:
out:
	for (i = 0; i < fp_n_stages; i++)
		bpf_object__close(ld.objs[i]);
	if (lock_fd >= 0)
		close(lock_fd);
	return err;
}

/* Remove every file in @path, then @path itself. */
static int fp_remove_dir(const char *path)
{
	struct dirent *de;
	int ret = 0;
	DIR *d;

	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (unlinkat(dirfd(d), de->d_name, 0)) {
			ret = -errno;
			fp_err("cannot remove %s/%s: %s", path, de->d_name,
			       strerror(errno));
		}
	}
	closedir(d);
	if (rmdir(path)) {
		fp_err("cannot remove %s: %s", path, strerror(errno));
		ret = ret ? ret : -errno;
	}
	return ret;
}

int fp_dp_unload(const char *name, bool force)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct fp_port port;
	struct fp_dp dp;
	int err, ret = 0, lock_fd;
	bool detach = true;
	__u32 no;

	err = fp_dp_name_check(name);
	if (!err)
		err = fp_bpffs_check();
	if (err)
		return err;
	if (fp_dp_path(dir, sizeof(dir), name, NULL))
		return -ENAMETOOLONG;
	lock_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock_fd < 0) {
		fp_err("datapath %s is not loaded (no %s)", name, dir);
		return -ENOENT;
	}
	if (flock(lock_fd, LOCK_EX)) {
		err = -errno;
		fp_err("cannot lock %s: %s", dir, strerror(-err));
		close(lock_fd);
		return err;
	}

	/* Detach first, so no packet runs into a half-removed datapath. A
	 * datapath whose maps cannot be opened still has its pins removed. */
	memset(&dp, 0, sizeof(dp));
	dp.lock_fd = -1;
	dp.map_fd[FP_MAP_PORTS] = -1;
	snprintf(dp.name, sizeof(dp.name), "%s", name);
	snprintf(path, sizeof(path), "%s/dp_config", dir);
	dp.map_fd[FP_MAP_DP_CONFIG] = bpf_obj_get(path);
	if (dp.map_fd[FP_MAP_DP_CONFIG] >= 0) {
		err = fp_dp_check_netns(&dp, "unload");
		close(dp.map_fd[FP_MAP_DP_CONFIG]);
		if (err && !force) {
			fp_err("unload: or use --force to remove its pins without detaching it from its ports");
			close(lock_fd);
			return err;
		}
		if (err)
			detach = false;
	}
	snprintf(path, sizeof(path), "%s/ports", dir);
	dp.map_fd[FP_MAP_PORTS] = bpf_obj_get(path);
	if (detach && dp.map_fd[FP_MAP_PORTS] >= 0) {
		for (no = 1; no < FP_MAX_PORTS; no++) {
			if (fp_port_get(&dp, no, &port) || !port.ifindex ||
			    !(port.flags & FP_PORT_F_ATTACHED))
				continue;
			if (!fp_port_dev_present(&port)) {
				fp_err("warning: port %u (%s) is not in this network namespace: not detached",
				       no, port.name);
				continue;
			}
			if (fp_tc_detach(port.ifindex,
					 port.flags & FP_PORT_F_OWN_QDISC))
				ret = -EBUSY;
		}
	}
	if (dp.map_fd[FP_MAP_PORTS] >= 0)
		close(dp.map_fd[FP_MAP_PORTS]);

	snprintf(path, sizeof(path), "%s/progs", dir);
	err = fp_remove_dir(path);
	if (err)
		ret = err;
	err = fp_remove_dir(dir);
	if (err)
		ret = err;
	snprintf(path, sizeof(path), "%s/flowpath", fp_bpffs_root());
	rmdir(path); /* only if no other datapath is left */
	close(lock_fd);
	return ret;
}
