// SPDX-License-Identifier: GPL-2.0
/*
 * flowpath verifier-report [OBJDIR...]: loads every stage as a private
 * instance and prints what the verifier and the JIT made of it. With no
 * directory, the stages built into this binary; otherwise the
 * <stage>.bpf.o files of each directory (one per compiler, say). The AF_XDP
 * datapath's XDP program is reported with them. The kernel release and
 * each directory's compiler come first: the verifier's figures depend on
 * both.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

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

/*
 * The compiler that built the object @path, as its debug information
 * names it (the DWARF producer in .debug_str, the first string that says
 * "clang version"), into @buf; "unknown" if it does not say (built
 * without -g).
 */
static void object_compiler(const char *path, char *buf, size_t len)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf = NULL;
	int fd;

	snprintf(buf, len, "unknown");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (elf_version(EV_CURRENT) == EV_NONE)
		goto out;
	elf = elf_begin(fd, ELF_C_READ, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		goto out;
	while ((scn = elf_nextscn(elf, scn))) {
		const char *name, *p, *end;
		Elf_Data *data;
		GElf_Shdr sh;

		if (!gelf_getshdr(scn, &sh))
			break;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (!name || strcmp(name, ".debug_str"))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !data->d_buf)
			break;
		/* NUL-separated strings. */
		p = data->d_buf;
		end = p + data->d_size;
		for (; p < end; p += strnlen(p, end - p) + 1) {
			if (strnlen(p, end - p) < (size_t)(end - p) &&
			    strstr(p, "clang version")) {
				snprintf(buf, len, "%s", p);
				break;
			}
		}
		break;
	}
out:
	if (elf)
		elf_end(elf);
	close(fd);
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
	if (!prog ||
	    bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info, &len)) {
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
	char compiler[256], path[4096];
	struct utsname uts;
	int i, failed = 0;
	size_t s;

	if (!uname(&uts))
		printf("# Linux %s (%s), libbpf %u.%u\n", uts.release,
		       uts.version, libbpf_major_version(),
		       libbpf_minor_version());
	for (i = 1; i < argc; i++) {
		snprintf(path, sizeof(path), "%s/%s.bpf.o", argv[i],
			 fp_stages[0].name);
		object_compiler(path, compiler, sizeof(compiler));
		printf("# %s: %s\n", argv[i], compiler);
	}
	if (argc <= 1)
		printf("# built-in: the stages this flowpath binary embeds\n");
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
