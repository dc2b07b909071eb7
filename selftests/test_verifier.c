// SPDX-License-Identifier: GPL-2.0
/*
 * Every stage, as built by every supported compiler, must load, and must
 * not cost the verifier much more than it did: each stage object's
 * verified_insns (summed over its programs) is checked against
 * selftests/verifier_baseline.txt and fails if it exceeds its baseline by
 * more than FP_VERIFIER_SLACK_PCT percent. A stage without a baseline line
 * fails too, by name, so a new stage is measured from its first day.
 *
 * The builds are the directories $FP_BPF_BUILDS (space-separated), by
 * default $FP_TOP/build/bpf-clang-14 and $FP_TOP/build/bpf-clang-19, which
 * `make check` fills; a directory's name after "bpf-" is its compiler.
 * The stages are progs/<stage>.bpf.c, as the Makefile builds them.
 *
 * To refresh the baseline after a change that is worth its cost (say so in
 * the commit message):
 *	make check   # or: for c in clang-14 clang-19; do
 *	             #   make CLANG=$c BPF_OUT=build/bpf-$c bpf; done
 *	FP_VERIFIER_BASELINE_WRITE=1 build/selftests/test_verifier
 * which rewrites the file with the numbers it measured.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "test.h"
#include "log.h"
#include "stages.h"

#define FP_VERIFIER_SLACK_PCT 10
#define MAX_STAGES 32
#define MAX_BUILDS 8
#define NAME_LEN 64

struct baseline_line {
	char stage[NAME_LEN];
	char compiler[NAME_LEN];
	unsigned long insns;
	bool seen; /* measured in this run */
};

struct baseline {
	int n;
	struct baseline_line line[MAX_STAGES * MAX_BUILDS];
};

struct measured {
	char stage[NAME_LEN];
	char compiler[NAME_LEN];
	long insns; /* < 0: did not load */
};

static const char *top(void)
{
	const char *t = getenv("FP_TOP");

	return t && *t ? t : ".";
}

static void baseline_path(char *buf, size_t len)
{
	const char *env = getenv("FP_VERIFIER_BASELINE");

	if (env && *env)
		snprintf(buf, len, "%s", env);
	else
		snprintf(buf, len, "%s/selftests/verifier_baseline.txt", top());
}

/* "stage compiler verified_insns" per line; '#' starts a comment. */
static int baseline_read(const char *path, struct baseline *b)
{
	char line[256], *hash;
	int lineno = 0, err = 0;
	FILE *f = fopen(path, "r");

	b->n = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct baseline_line *l = &b->line[b->n];
		char extra;

		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (strspn(line, " \t\r\n") == strlen(line))
			continue;
		if (b->n == MAX_STAGES * MAX_BUILDS ||
		    sscanf(line, "%63s %63s %lu %c", l->stage, l->compiler,
			   &l->insns, &extra) != 3) {
			fp_test_report(false, "baseline file",
				       "%s:%d: expected 'stage compiler verified_insns'",
				       path, lineno);
			err = -EINVAL;
			continue;
		}
		l->seen = false;
		b->n++;
	}
	fclose(f);
	return err;
}

static struct baseline_line *baseline_find(struct baseline *b,
					   const char *stage,
					   const char *compiler)
{
	int i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->line[i].stage, stage) &&
		    !strcmp(b->line[i].compiler, compiler))
			return &b->line[i];
	return NULL;
}

/* Stage names: progs/<stage>.bpf.c. */
static int stage_names(char names[][NAME_LEN], int max)
{
	char pattern[PATH_MAX];
	glob_t g;
	size_t i;
	int n = 0;

	snprintf(pattern, sizeof(pattern), "%s/progs/*.bpf.c", top());
	if (glob(pattern, 0, NULL, &g))
		return 0;
	for (i = 0; i < g.gl_pathc && n < max; i++) {
		const char *base = strrchr(g.gl_pathv[i], '/');
		size_t len;

		base = base ? base + 1 : g.gl_pathv[i];
		len = strlen(base) - strlen(".bpf.c");
		if (len >= NAME_LEN)
			continue;
		memcpy(names[n], base, len);
		names[n][len] = '\0';
		n++;
	}
	globfree(&g);
	return n;
}

/*
 * verified_insns of the object @path, summed over its programs, loaded as
 * a private instance (its own maps, nothing pinned): -errno if it does
 * not load. Prints each program's number.
 */
static long measure(const char *path, const char *label)
{
	struct bpf_object *obj = fp_object_open_private(path);
	struct bpf_program *prog;
	long sum = 0;
	int err;

	if (!obj)
		return -ENOENT;
	err = bpf_object__load(obj);
	if (err) {
		printf("  %s: %s does not load: %s (FP_TEST_VERBOSE=1 shows the verifier log)\n",
		       label, path, strerror(-err));
		sum = err;
		goto out;
	}
	bpf_object__for_each_program(prog, obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_obj_get_info_by_fd(bpf_program__fd(prog), &info,
					   &len)) {
			sum = -errno;
			goto out;
		}
		fp_dbg("%s: program %s: %u verified insns", label,
		       bpf_program__name(prog), info.verified_insns);
		sum += info.verified_insns;
	}
out:
	bpf_object__close(obj);
	return sum;
}

static int baseline_write(const char *path, const struct measured *m, int n)
{
	char tmp[PATH_MAX + 8];
	FILE *f;
	int i;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f,
		"# verified_insns of each stage object (all its programs), per compiler,\n"
		"# as loaded by Linux 6.18. selftests/test_verifier fails a stage that\n"
		"# exceeds its line by more than %d%%, or that has no line.\n"
		"# Refresh (see selftests/test_verifier.c):\n"
		"#   FP_VERIFIER_BASELINE_WRITE=1 build/selftests/test_verifier\n"
		"# stage\tcompiler\tverified_insns\n",
		FP_VERIFIER_SLACK_PCT);
	for (i = 0; i < n; i++)
		if (m[i].insns >= 0)
			fprintf(f, "%s\t%s\t%ld\n", m[i].stage, m[i].compiler,
				m[i].insns);
	if (fclose(f))
		return -errno;
	return rename(tmp, path) ? -errno : 0;
}

int main(void)
{
	static char stages[MAX_STAGES][NAME_LEN];
	static struct measured m[MAX_STAGES * MAX_BUILDS];
	static struct baseline base;
	char path[PATH_MAX + NAME_LEN * 2], bpath[PATH_MAX], label[256];
	char builds_buf[4096], *builds, *dir, *save = NULL;
	const char *env = getenv("FP_BPF_BUILDS");
	bool write = getenv("FP_VERIFIER_BASELINE_WRITE") != NULL;
	int n_stages, n_m = 0, i, err;

	fp_test_name = "test_verifier";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("FP_TEST_VERBOSE"))
		fp_verbose = true;
	fp_log_setup_libbpf();

	n_stages = stage_names(stages, MAX_STAGES);
	if (!ASSERT_TRUE(n_stages > 0, "stages found in $FP_TOP/progs"))
		return fp_test_exit();
	baseline_path(bpath, sizeof(bpath));
	err = baseline_read(bpath, &base);
	if (err && !write) {
		if (err != -EINVAL) /* a bad line has been named already */
			fp_test_report(false, "baseline file", "%s: %s", bpath,
				       strerror(-err));
		return fp_test_exit();
	}

	if (env && *env)
		snprintf(builds_buf, sizeof(builds_buf), "%s", env);
	else
		snprintf(builds_buf, sizeof(builds_buf),
			 "%s/build/bpf-clang-14 %s/build/bpf-clang-19", top(),
			 top());
	builds = builds_buf;
	while ((dir = strtok_r(builds, " \t", &save))) {
		const char *base_name = strrchr(dir, '/');
		const char *compiler;

		builds = NULL;
		base_name = base_name ? base_name + 1 : dir;
		compiler = !strncmp(base_name, "bpf-", 4) ? base_name + 4 :
							    base_name;
		for (i = 0; i < n_stages && n_m < MAX_STAGES * MAX_BUILDS;
		     i++) {
			struct measured *x = &m[n_m++];
			struct baseline_line *l;
			unsigned long limit;

			snprintf(x->stage, sizeof(x->stage), "%s", stages[i]);
			snprintf(x->compiler, sizeof(x->compiler), "%s",
				 compiler);
			snprintf(label, sizeof(label), "%s (%s)", stages[i],
				 compiler);
			snprintf(path, sizeof(path), "%s/%s.bpf.o", dir,
				 stages[i]);
			x->insns = measure(path, label);
			if (x->insns < 0) {
				fp_test_report(false, label,
					       "%s does not load: %s (make check builds it)",
					       path, strerror((int)-x->insns));
				continue;
			}
			if (write)
				continue;
			l = baseline_find(&base, stages[i], compiler);
			if (!l) {
				fp_test_report(false, label,
					       "new stage %s has no baseline for %s: add '%s %s %ld' to %s",
					       stages[i], compiler, stages[i],
					       compiler, x->insns, bpath);
				continue;
			}
			l->seen = true;
			limit = l->insns + l->insns * FP_VERIFIER_SLACK_PCT / 100;
			snprintf(label, sizeof(label),
				 "%s (%s): %ld verified insns, baseline %lu",
				 stages[i], compiler, x->insns, l->insns);
			fp_test_report((unsigned long)x->insns <= limit, label,
				       "%+.1f%% over the baseline, at most %lu (+%d%%) allowed",
				       100.0 * ((double)x->insns - l->insns) /
					       (l->insns ? l->insns : 1),
				       limit, FP_VERIFIER_SLACK_PCT);
			/* Much cheaper: not a failure, but the baseline no
			 * longer guards this stage; say so. */
			if ((unsigned long)x->insns * 2 < l->insns)
				printf("  %s: %ld is under half the baseline %lu: refresh it\n",
				       label, x->insns, l->insns);
		}
	}

	if (write) {
		err = baseline_write(bpath, m, n_m);
		fp_test_report(!err, "baseline written", "%s: %s", bpath,
			       strerror(-err));
		if (!err)
			printf("  wrote %s\n", bpath);
		return fp_test_exit();
	}
	for (i = 0; i < base.n; i++)
		if (!base.line[i].seen)
			printf("  note: baseline line '%s %s' matches no stage built: stale?\n",
			       base.line[i].stage, base.line[i].compiler);
	return fp_test_exit();
}
