# flowpath build.  `make V=1` shows every command.
#
#   make                  build BPF stages and the flowpath CLI into $(BUILD)
#   make check            install what is missing, build, run every test
#   make demo             install what is missing, build, forward traffic in netns
#   make verifier-report  verified_insns of every stage, clang-14, 16 and 19
#   make bench            forwarding and per-stage benchmarks into bench/results
#   make fuzz             build the libFuzzer targets, run each FUZZ_SECONDS (60)
#   make CLANG=clang-14   build the BPF stages with another compiler
#   make SAN=1            userspace with ASan/UBSan (make check uses it)

CLANG ?= clang-19
BPFTOOL ?= bpftool
CC := gcc
SAN ?= 0
BUILD ?= build$(if $(filter 1,$(SAN)),/san)
BPF_OUT ?= $(BUILD)/bpf
CLANGS_CHECKED := clang-14 clang-16 clang-19

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-9s %s\n' "$(1)" "$(2)";
endif

INCLUDES := -I. -Imaps -Iparser -Ilib -Iagent
# The stages read only UAPI contexts (__sk_buff, xdp_md), never kernel
# internals, so they need no CO-RE relocations: without them clang-14 can
# no longer hoist a relocated ctx offset into a register, which the
# verifier rejects ("dereference of modified ctx ptr").
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_x86 -Wall -Werror \
	-DBPF_NO_PRESERVE_ACCESS_INDEX $(INCLUDES)
CFLAGS := -std=c11 -D_GNU_SOURCE -O2 -g -Wall -Wextra -Werror -MMD -MP \
	$(INCLUDES) -Iafxdp -I$(BPF_OUT)
LDLIBS := -lxdp -lbpf -lelf -lz -lpcap -lpthread
ifeq ($(SAN),1)
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif

STAGES := $(patsubst progs/%.bpf.c,%,$(wildcard progs/*.bpf.c))
BPF_OBJS := $(STAGES:%=$(BPF_OUT)/%.bpf.o)
SKELS := $(STAGES:%=$(BPF_OUT)/%.skel.h)
BPF_HDRS := $(wildcard maps/*.h parser/*.h progs/*.h) vmlinux.h

LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard lib/*.c))
CLI_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard loader/*.c))
# The AF_XDP datapath (flowpath afxdp): only the CLI links it.
AFXDP_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard afxdp/*.c))
# The upcall agent runs as `flowpath agent`: only the CLI links it.
AGENT_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard agent/*.c))
TEST_BINS := $(patsubst selftests/%.c,$(BUILD)/selftests/%,$(wildcard selftests/test_*.c))
TEST_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out selftests/test_%.c,$(wildcard selftests/*.c)))

.PHONY: all bpf tests check demo deps verifier-report vmlinux format clean \
	fuzz fuzzers
.DELETE_ON_ERROR:

all: $(BUILD)/flowpath tests

bpf: $(BPF_OBJS) $(SKELS)

tests: $(TEST_BINS)

$(BPF_OUT)/%.bpf.o: progs/%.bpf.c $(BPF_HDRS) Makefile | $(BPF_OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BPF_OUT)/%.skel.h: $(BPF_OUT)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*)_bpf > $@

# Every userspace object may embed a stage; build the skeletons first.
$(BUILD)/obj/%.o: %.c $(SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/flowpath: $(CLI_OBJS) $(AGENT_OBJS) $(LIB_OBJS) $(AFXDP_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/selftests/%: $(BUILD)/obj/selftests/%.o $(TEST_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BPF_OUT):
	$(Q)mkdir -p $@

# Test pcaps: pcaps/gen_<set>.py (deterministic scapy) writes its set's
# pcaps into PCAP_OUT; the stamp stands for them all.
PYTHON := /usr/bin/python3
PCAP_OUT := build/pcaps
PCAP_STAMPS := $(patsubst pcaps/gen_%.py,$(PCAP_OUT)/%.stamp,$(wildcard pcaps/gen_*.py))

$(PCAP_OUT)/%.stamp: pcaps/gen_%.py
	$(call msg,PCAP,$(PCAP_OUT)/$*)
	$(Q)mkdir -p $(@D)
	$(Q)$(PYTHON) $< $(@D)
	$(Q)touch $@

# Test-only BPF programs, loaded by path from $(BUILD)/selftests/progs.
TEST_BPF_OBJS := $(patsubst selftests/progs/%.bpf.c,$(BUILD)/selftests/progs/%.bpf.o,$(wildcard selftests/progs/*.bpf.c))

$(BUILD)/selftests/progs/%.bpf.o: selftests/progs/%.bpf.c $(BPF_HDRS) $(wildcard selftests/progs/*.h progs/*.bpf.c) Makefile
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

tests: $(PCAP_STAMPS) $(TEST_BPF_OBJS)

# Benchmarks (bench/): the generator, sink and baseline BPF programs and
# the fpbench driver, built into $(BUILD)/bench; `make bench` runs them
# (bench/run.sh). fpbench is also built with the tests: make check runs a
# smoke version of the harness (selftests/test_bench_smoke.sh). Static
# pattern rules: the skeletons do not exist yet when make picks a rule.
BENCH_OUT := $(BUILD)/bench
BENCH_BPF_OBJS := $(patsubst bench/progs/%.bpf.c,$(BENCH_OUT)/%.bpf.o,$(wildcard bench/progs/*.bpf.c))
BENCH_SKELS := $(BENCH_BPF_OBJS:.bpf.o=.skel.h)
# xsk_baseline is a program of its own, with no flowpath code in it.
BENCH_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out bench/xsk_baseline.c,$(wildcard bench/*.c)))

$(BENCH_BPF_OBJS): $(BENCH_OUT)/%.bpf.o: bench/progs/%.bpf.c bench/bench.h $(BPF_HDRS) Makefile
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -Ibench -c $< -o $@

$(BENCH_SKELS): $(BENCH_OUT)/%.skel.h: $(BENCH_OUT)/%.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name fpb_$* > $@

$(BENCH_OBJS) $(BUILD)/obj/bench/xsk_baseline.o: $(BUILD)/obj/bench/%.o: bench/%.c $(SKELS) $(BENCH_SKELS)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -Ibench -I$(BENCH_OUT) -c $< -o $@

$(BENCH_OUT)/fpbench: $(BENCH_OBJS) $(LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BENCH_OUT)/xsk_baseline: $(BUILD)/obj/bench/xsk_baseline.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) $^ -lxdp -lbpf -lelf -lz -o $@

tests: $(BENCH_OUT)/fpbench $(BENCH_OUT)/xsk_baseline

# Fuzz targets (fuzz/): libFuzzer with ASan and UBSan. Always clang-19,
# whatever CLANG builds the stages, since libFuzzer's runtime is
# libclang-rt-19-dev's; and always into build/fuzz, since SAN changes
# nothing here. Each target links only the lib/ objects it calls, built
# again by clang for the fuzzer's coverage instrumentation (gcc's objects
# would run blind). The tests build them too (selftests/test_fuzz.sh runs
# each briefly), so they cannot rot unnoticed.
FUZZ_CC ?= clang-19
FUZZ_OUT := build/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SAN := -fsanitize=fuzzer-no-link,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -O1 -g -Wall -Wextra -Werror -MMD -MP \
	$(INCLUDES) $(FUZZ_SAN)
FUZZ_TARGETS := $(patsubst fuzz/%.c,%,$(wildcard fuzz/fuzz_*.c))
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/%)
# The lib/ objects of each target.
FUZZ_LIB_odp_flow := odp_key odp_actions odp_act_set odp_act_tunnel odp_text
FUZZ_LIB_ofrule := ofrule_parse ofrule_field ofrule_format ofrule_table \
	ofrule_xlate mac_learning $(FUZZ_LIB_odp_flow)

$(FUZZ_OUT)/obj/%.o: %.c Makefile
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

define fuzz_link
$(FUZZ_OUT)/$(1): $(FUZZ_OUT)/obj/fuzz/$(1).o $(patsubst %,$(FUZZ_OUT)/obj/lib/%.o,$(2))
	$$(call msg,LINK,$$@)
	$$(Q)$$(FUZZ_CC) -fsanitize=fuzzer,address,undefined $$^ -o $$@
endef
$(eval $(call fuzz_link,fuzz_ofrule,$(FUZZ_LIB_ofrule)))
$(eval $(call fuzz_link,fuzz_odp_flow,$(FUZZ_LIB_odp_flow)))

fuzzers: $(FUZZ_BINS)

tests: $(FUZZ_BINS)

# Each target for FUZZ_SECONDS on its seeds (fuzz/corpus/TARGET) and what
# earlier runs found (build/fuzz/corpus/TARGET); fails on a crash.
fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzzers
	$(Q)bash fuzz/run.sh $(FUZZ_OUT) $(FUZZ_SECONDS)

# Numbers for the README: runs for a few minutes, as root; see bench/run.sh.
bench: deps
	$(Q)bash scripts/deps.sh --bench
	$(Q)$(MAKE) --no-print-directory $(BUILD)/flowpath $(BENCH_OUT)/fpbench $(BENCH_OUT)/xsk_baseline
	$(Q)$(MAKE) --no-print-directory verifier-report >$(BENCH_OUT)/verifier-report.txt
	$(Q)bash bench/run.sh $(BUILD)

.PHONY: bench

deps:
	$(Q)bash scripts/deps.sh

# Runs every test against an ASan/UBSan build (stages by $(CLANG)), and the
# C tests, which run the stages under BPF_PROG_TEST_RUN, once more against
# a build whose stages clang-14 compiled. The BPF objects of every compiler
# in CLANGS_CHECKED must also load within their baseline (test_verifier).
check: deps
	$(Q)$(MAKE) --no-print-directory SAN=1 all
	$(Q)$(MAKE) --no-print-directory SAN=1 CLANG=clang-14 BUILD=build/san-clang-14 all
	$(Q)for c in $(CLANGS_CHECKED); do \
		$(MAKE) --no-print-directory CLANG=$$c BPF_OUT=build/bpf-$$c bpf || exit 1; \
	done
	$(Q)FP_ALSO_BUILDS=build/san-clang-14 bash selftests/run.sh build/san

demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)bash scripts/demo.sh build

verifier-report: $(BUILD)/flowpath
	$(Q)for c in $(CLANGS_CHECKED); do \
		$(MAKE) --no-print-directory CLANG=$$c BPF_OUT=build/bpf-$$c bpf || exit 1; \
	done
	$(Q)$(BUILD)/flowpath verifier-report $(foreach c,$(CLANGS_CHECKED),build/bpf-$(c))

vmlinux:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > vmlinux.h

format:
	clang-format -i $(wildcard maps/*.h parser/*.h progs/*.c progs/*.h lib/*.c lib/*.h loader/*.c loader/*.h afxdp/*.c afxdp/*.h agent/*.c agent/*.h selftests/*.c selftests/*.h fuzz/*.c fuzz/*.h)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(FUZZ_OUT)/obj -name '*.d' 2>/dev/null)
