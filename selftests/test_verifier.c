// SPDX-License-Identifier: GPL-2.0
/*
 * Every stage, as built by every supported compiler, must load, and must
 * not cost the verifier much more than it did. Each stage object's
 * verified_insns (summed over its programs) is checked against
 * selftests/verifier_baseline.txt, which holds two kinds of line:
 *
 *	budget STAGE N               at most N, on any kernel
 *	STAGE COMPILER KERNEL N      measured on Linux KERNEL (uname -r)
 *
 * The verifier's count for one object moves between kernels, and even
 * between builds of one release (tunnel_decap: 2686 on 6.18.44-fc-v1045,
 * 2998 on 6.18.44-fc-v1300), so the tight check, at most
 * FP_VERIFIER_SLACK_PCT percent over the baseline, applies only on the
 * kernel the baseline was measured on; elsewhere it is a SKIP line, and
 * the budget still holds. A stage without a budget fails, by name, as
 * does one without a baseline on a kernel that has baselines: a new stage
 * is measured from its first day.
 *
 * The builds are the directories $FP_BPF_BUILDS (space-separated), by
 * default every $FP_TOP/build/bpf-clang-*, which `make check` fills (one
 * per compiler of the Makefile's CLANGS_CHECKED); a directory's name
 * after "bpf-" is its compiler.
 * The stages are progs/<stage>.bpf.c, as the Makefile builds them, or
 * those named in $FP_VERIFIER_STAGES.
 *
 * To add this kernel's baseline, or to refresh it after a change that is
 * worth its cost (say so in the commit message):
 *	make check   # or: for c in clang-14 clang-16 clang-19; do
 *	             #   make CLANG=$c BPF_OUT=build/bpf-$c bpf; done
 *	FP_VERIFIER_BASELINE_WRITE=1 build/selftests/test_verifier
 * which rewrites this kernel's lines with the numbers it measured, keeps
 * every other kernel's, and gives a stage without a budget one of
 * FP_VERIFIER_BUDGET_PCT percent over its largest baseline.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "test.h"
#include "log.h"
#include "stages.h"

#define FP_VERIFIER_SLACK_PCT 10
#define FP_VERIFIER_BUDGET_PCT 25
#define MAX_STAGES 32
#define MAX_BUILDS 8
#define MAX_LINES 2048
#define NAME_LEN 64

struct baseline_line {
	char stage[NAME_LEN];
	char compiler[NAME_LEN]; /* "" on a budget line */
	char kernel[NAME_LEN];	 /* likewise */
	unsigned long insns;
	bool seen; /* measured in this run */
};

struct baseline {
	int n;
	struct baseline_line line[MAX_LINES];
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

/* Budget and baseline lines (see the top); '#' starts a comment. */
static int baseline_read(const char *path, struct baseline *b)
{
	char line[256], *hash, w[4][NAME_LEN];
	int lineno = 0, err = 0, n;
	FILE *f = fopen(path, "r");

	b->n = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct baseline_line *l = &b->line[b->n];
		char *end;

		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (strspn(line, " \t\r\n") == strlen(line))
			continue;
		n = sscanf(line, "%63s %63s %63s %63s %*s", w[0], w[1], w[2],
			   w[3]);
		memset(l, 0, sizeof(*l));
		if (n == 3 && !strcmp(w[0], "budget")) {
			snprintf(l->stage, NAME_LEN, "%s", w[1]);
			l->insns = strtoul(w[2], &end, 10);
		} else if (n == 4) {
			snprintf(l->stage, NAME_LEN, "%s", w[0]);
			snprintf(l->compiler, NAME_LEN, "%s", w[1]);
			snprintf(l->kernel, NAME_LEN, "%s", w[2]);
			l->insns = strtoul(w[3], &end, 10);
		} else {
			end = NULL;
		}
		if (b->n == MAX_LINES || !end || *end || !l->insns) {
			fp_test_report(
				false, "baseline file",
				"%s:%d: expected 'budget STAGE N' or 'STAGE COMPILER KERNEL N'",
				path, lineno);
			err = -EINVAL;
			continue;
		}
		b->n++;
	}
	fclose(f);
	return err;
}

/* The baseline of @stage by @compiler on @kernel; with @compiler NULL,
 * the budget of @stage. */
static struct baseline_line *baseline_find(struct baseline *b,
					   const char *stage,
					   const char *compiler,
					   const char *kernel)
{
	int i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->line[i].stage, stage) &&
		    !strcmp(b->line[i].compiler, compiler ? compiler : "") &&
		    !strcmp(b->line[i].kernel, compiler ? kernel : ""))
			return &b->line[i];
	return NULL;
}

static bool kernel_has_baselines(const struct baseline *b, const char *kernel)
{
	int i;

	for (i = 0; i < b->n; i++)
		if (!strcmp(b->line[i].kernel, kernel))
			return true;
	return false;
}

/* Stage names: progs/<stage>.bpf.c. */
static int stage_names(char names[][NAME_LEN], int max)
{
	const char *only = getenv("FP_VERIFIER_STAGES");
	char pattern[PATH_MAX], buf[1024], *tok, *save = NULL;
	glob_t g;
	size_t i;
	int n = 0;

	if (only && *only) {
		snprintf(buf, sizeof(buf), "%s", only);
		for (tok = strtok_r(buf, " \t", &save); tok && n < max;
		     tok = strtok_r(NULL, " \t", &save))
			snprintf(names[n++], NAME_LEN, "%s", tok);
		return n;
	}

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
	bpf_object__for_each_program (prog, obj) {
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

/* $FP_TOP/build/bpf-clang-*, space-separated, into @buf. */
static int default_builds(char *buf, size_t len)
{
	char pattern[PATH_MAX];
	size_t i, used = 0;
	glob_t g;

	snprintf(pattern, sizeof(pattern), "%s/build/bpf-clang-*", top());
	if (glob(pattern, GLOB_ONLYDIR, NULL, &g)) {
		fp_test_report(false, "builds",
			       "no %s: make check builds one per compiler",
			       pattern);
		return -ENOENT;
	}
	buf[0] = '\0';
	for (i = 0; i < g.gl_pathc; i++)
		used += snprintf(buf + used, used < len ? len - used : 0, "%s ",
				 g.gl_pathv[i]);
	globfree(&g);
	return used < len ? 0 : -ENAMETOOLONG;
}

/* @src into a NAME_LEN buffer, cut if longer. */
static void copy_name(char *dst, const char *src)
{
	size_t n = strnlen(src, NAME_LEN - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int line_cmp(const void *pa, const void *pb)
{
	const struct baseline_line *a = pa, *b = pb;
	int c = strcmp(a->kernel, b->kernel);

	if (!c)
		c = strcmp(a->compiler, b->compiler);
	return c ? c : strcmp(a->stage, b->stage);
}

/*
 * @b with this kernel's lines replaced by @m, and a budget for each stage
 * that has none, written to @path.
 */
static int baseline_write(const char *path, struct baseline *b,
			  const struct measured *m, int n, const char *kernel)
{
	char tmp[PATH_MAX + 8];
	int i, j, k = 0;
	FILE *f;

	/* Keep the budgets and the other kernels' lines. */
	for (i = 0; i < b->n; i++)
		if (strcmp(b->line[i].kernel, kernel) ||
		    !b->line[i].compiler[0])
			b->line[k++] = b->line[i];
	b->n = k;
	for (i = 0; i < n && b->n < MAX_LINES; i++) {
		struct baseline_line *l = &b->line[b->n];

		if (m[i].insns < 0)
			continue;
		memset(l, 0, sizeof(*l));
		copy_name(l->stage, m[i].stage);
		copy_name(l->compiler, m[i].compiler);
		copy_name(l->kernel, kernel);
		l->insns = m[i].insns;
		b->n++;
	}
	for (i = 0; i < n && b->n < MAX_LINES; i++) {
		struct baseline_line *l = &b->line[b->n];
		unsigned long most = 0;

		if (m[i].insns < 0 || baseline_find(b, m[i].stage, NULL, NULL))
			continue;
		for (j = 0; j < b->n; j++)
			if (!strcmp(b->line[j].stage, m[i].stage) &&
			    b->line[j].insns > most)
				most = b->line[j].insns;
		memset(l, 0, sizeof(*l));
		copy_name(l->stage, m[i].stage);
		/* Rounded up to a hundred: a budget is a round number. */
		l->insns = (most * (100 + FP_VERIFIER_BUDGET_PCT) / 100 + 99) /
			   100 * 100;
		b->n++;
	}
	qsort(b->line, b->n, sizeof(b->line[0]), line_cmp);

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	f = fopen(tmp, "w");
	if (!f)
		return -errno;
	fprintf(f,
		"# verified_insns of each stage object (all its programs).\n"
		"# selftests/test_verifier fails a stage over its budget on any kernel,\n"
		"# or more than %d%% over its baseline on the kernel (uname -r) the\n"
		"# baseline was measured on; see selftests/test_verifier.c.\n"
		"# Add or refresh the running kernel's lines:\n"
		"#   FP_VERIFIER_BASELINE_WRITE=1 build/selftests/test_verifier\n"
		"# budget\tstage\tverified_insns\n"
		"# stage\tcompiler\tkernel\tverified_insns\n",
		FP_VERIFIER_SLACK_PCT);
	for (i = 0; i < b->n; i++) {
		const struct baseline_line *l = &b->line[i];

		if (!l->compiler[0])
			fprintf(f, "budget\t%s\t%lu\n", l->stage, l->insns);
		else
			fprintf(f, "%s\t%s\t%s\t%lu\n", l->stage, l->compiler,
				l->kernel, l->insns);
	}
	if (fclose(f))
		return -errno;
	return rename(tmp, path) ? -errno : 0;
}

/* Compare @x, measured on @kernel, with its budget and baseline. */
static void check_one(struct baseline *base, const struct measured *x,
		      const char *kernel, const char *bpath)
{
	struct baseline_line *budget, *l;
	unsigned long limit;
	char label[512];
	bool ok;

	snprintf(label, sizeof(label), "%s (%s)", x->stage, x->compiler);
	budget = baseline_find(base, x->stage, NULL, NULL);
	if (!budget) {
		fp_test_report(
			false, label,
			"new stage %s has no budget: add 'budget %s N' to %s (FP_VERIFIER_BASELINE_WRITE=1 sets one)",
			x->stage, x->stage, bpath);
		return;
	}
	budget->seen = true;
	l = baseline_find(base, x->stage, x->compiler, kernel);
	if (!l && kernel_has_baselines(base, kernel)) {
		fp_test_report(
			false, label,
			"no baseline for %s on Linux %s: add '%s %s %s %ld' to %s",
			x->compiler, kernel, x->stage, x->compiler, kernel,
			x->insns, bpath);
		return;
	}
	if (!l) {
		snprintf(label, sizeof(label),
			 "%s (%s): %ld verified insns, budget %lu", x->stage,
			 x->compiler, x->insns, budget->insns);
		fp_test_report((unsigned long)x->insns <= budget->insns, label,
			       "over the stage's budget");
		return;
	}
	l->seen = true;
	limit = l->insns + l->insns * FP_VERIFIER_SLACK_PCT / 100;
	snprintf(label, sizeof(label),
		 "%s (%s): %ld verified insns, baseline %lu, budget %lu",
		 x->stage, x->compiler, x->insns, l->insns, budget->insns);
	ok = (unsigned long)x->insns <= limit &&
	     (unsigned long)x->insns <= budget->insns;
	fp_test_report(
		ok, label,
		"%+.1f%% over the baseline (at most %lu, +%d%%, allowed on Linux %s)%s",
		100.0 * ((double)x->insns - l->insns) /
			(l->insns ? l->insns : 1),
		limit, FP_VERIFIER_SLACK_PCT, kernel,
		(unsigned long)x->insns > budget->insns ?
			"; over the stage's budget" :
			"");
	/* Much cheaper: not a failure, but the baseline no longer guards
	 * this stage; say so. */
	if ((unsigned long)x->insns * 2 < l->insns)
		printf("  %s: %ld is under half the baseline %lu: refresh it\n",
		       label, x->insns, l->insns);
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
	struct utsname uts;
	int n_stages, n_m = 0, i, err;

	fp_test_name = "test_verifier";
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getenv("FP_TEST_VERBOSE"))
		fp_verbose = true;
	fp_log_setup_libbpf();
	if (uname(&uts)) {
		perror("uname");
		return 1;
	}

	n_stages = stage_names(stages, MAX_STAGES);
	if (n_stages <= 0) {
		fp_test_report(false, "stages", "none in %s/progs", top());
		return fp_test_exit();
	}
	baseline_path(bpath, sizeof(bpath));
	err = baseline_read(bpath, &base);
	if (err && !(write && err == -ENOENT)) {
		if (err != -EINVAL) /* a bad line has been named already */
			fp_test_report(false, "baseline file", "%s: %s", bpath,
				       strerror(-err));
		return fp_test_exit();
	}
	printf("  Linux %s; baselines for it in %s: %s\n", uts.release, bpath,
	       kernel_has_baselines(&base, uts.release) ? "yes" : "none");

	if (env && *env)
		snprintf(builds_buf, sizeof(builds_buf), "%s", env);
	else if (default_builds(builds_buf, sizeof(builds_buf)))
		return fp_test_exit();
	builds = builds_buf;
	while ((dir = strtok_r(builds, " \t", &save))) {
		const char *base_name = strrchr(dir, '/');
		const char *compiler;

		builds = NULL;
		base_name = base_name ? base_name + 1 : dir;
		compiler = !strncmp(base_name, "bpf-", 4) ? base_name + 4 :
							    base_name;
		if (!write && !kernel_has_baselines(&base, uts.release))
			fp_test_skip(
				"%s: no baseline for Linux %s in %s: the +%d%% check is skipped, the budgets hold (FP_VERIFIER_BASELINE_WRITE=1 adds one)",
				compiler, uts.release, bpath,
				FP_VERIFIER_SLACK_PCT);
		for (i = 0; i < n_stages && n_m < MAX_STAGES * MAX_BUILDS;
		     i++) {
			struct measured *x = &m[n_m++];

			snprintf(x->stage, sizeof(x->stage), "%s", stages[i]);
			snprintf(x->compiler, sizeof(x->compiler), "%s",
				 compiler);
			snprintf(label, sizeof(label), "%s (%s)", stages[i],
				 compiler);
			snprintf(path, sizeof(path), "%s/%s.bpf.o", dir,
				 stages[i]);
			x->insns = measure(path, label);
			if (x->insns < 0) {
				fp_test_report(
					false, label,
					"%s does not load: %s (make check builds it)",
					path, strerror((int)-x->insns));
				continue;
			}
			if (!write)
				check_one(&base, x, uts.release, bpath);
		}
	}

	if (write) {
		err = baseline_write(bpath, &base, m, n_m, uts.release);
		fp_test_report(!err, "baseline written", "%s: %s", bpath,
			       strerror(-err));
		if (!err)
			printf("  wrote %s (Linux %s)\n", bpath, uts.release);
		return fp_test_exit();
	}
	for (i = 0; i < base.n; i++)
		if (!base.line[i].seen &&
		    (!base.line[i].compiler[0] ||
		     !strcmp(base.line[i].kernel, uts.release)))
			printf("  note: baseline line '%s %s' matches no stage built: stale?\n",
			       base.line[i].stage,
			       base.line[i].compiler[0] ?
				       base.line[i].compiler :
				       "budget");
	return fp_test_exit();
}
