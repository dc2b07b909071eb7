// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath verifier-report [OBJDIR...]: loads every stage as a private
 * instance and prints what the verifier and the JIT made of it. With no
 * directory, the stages built into this binary; otherwise the
 * <stage>.bpf.o files of each directory (one per compiler, say). The AF_XDP
 * datapath's XDP program is reported with them.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "cmds.h"
#include "log.h"
#include "stages.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int report_one(const char *build, const struct fp_stage *st,
		      const char *dir)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	struct bpf_object *obj;
	struct bpf_program *prog;
	char path[4096];
	double t0, t1;
	int err;

	if (dir) {
		snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, st->name);
		obj = fp_object_open_private(path);
	} else {
		obj = fp_stage_open_private(st);
	}
	if (!obj)
		return -ENOENT;
	t0 = now_ms();
	err = bpf_object__load(obj);
	t1 = now_ms();
	if (err) {
		fp_err("%s: stage %s does not load: %s (run with -v for the verifier log)",
		       build, st->name, strerror(-err));
		printf("%-16s %-12s %-16s %s\n", build, st->name, st->prog,
		       "LOAD FAILED");
		goto out;
	}
	prog = bpf_object__find_program_by_name(obj, st->prog);
	if (!prog || bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info,
					    &len)) {
		fp_err("%s: stage %s: no program %s", build, st->name,
		       st->prog);
		err = -ENOENT;
		goto out;
	}
	printf("%-16s %-12s %-16s %14u %8u %8u %9.1f\n", build, st->name,
	       st->prog, info.verified_insns, info.xlated_prog_len / 8,
	       info.jited_prog_len, t1 - t0);
out:
	bpf_object__close(obj);
	return err;
}

int cmd_verifier_report(int argc, char **argv)
{
	int i, failed = 0;
	size_t s;

	printf("%-16s %-12s %-16s %14s %8s %8s %9s\n", "build", "stage",
	       "program", "verified_insns", "insns", "jited_B", "load_ms");
	for (i = 1; i < argc || i == 1; i++) {
		const char *dir = i < argc ? argv[i] : NULL;
		const char *build = dir ? strrchr(dir, '/') : NULL;

		build = build ? build + 1 : dir ? dir : "built-in";
		for (s = 0; s < fp_n_stages; s++)
			if (report_one(build, &fp_stages[s], dir))
				failed++;
		if (report_one(build, &fp_xdp_redirect_stage, dir))
			failed++;
		if (argc <= 1)
			break;
	}
	if (failed)
		fp_err("verifier-report: %d stage(s) failed to load", failed);
	return failed ? 1 : 0;
}
