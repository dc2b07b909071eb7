#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""bench/run.sh's report: from what the run collected in --tmp (systems,
meta, runs, prof, micro, verifier) write --out/latest.md (the tables),
latest.csv (one row per system), runs.csv (one row per run) and
latest.png (the ratios, with gnuplot), and print one line per system.

Every rate is given with its ratio to the baseline (the first system)
measured in the same round; a run whose counters do not add up is
flagged, never silently kept.
"""
import argparse
import csv
import os
import statistics
import subprocess
import sys

TARGET = 0.90  # flowpath TC output-only vs the one-helper redirect
QUIET = 90.0  # a DUT with at least this share (%) of its CPU had it to itself
# A run is saturated when the generator offered more than the DUT could
# take: frames refused at the DUT's entry (its ring full) were at least
# SATURATED_DROP of those offered, or, for a TC system (the AF_PACKET
# generator waits for a busy DUT instead of overflowing it), the DUT's CPU
# was at least SATURATED (%) busy. An AF_XDP program polls, so a busy CPU
# proves nothing for it: only drops do. Otherwise the DUT waited for
# frames (a generator slower than the system), its rate says nothing of
# the system, and the system is judged by its CPU time per packet.
SATURATED = 95.0
SATURATED_DROP = 0.01
PAPER = 0.59  # the paper's OVS-eBPF figure, 1.12 / 1.9 Mpps
# The paper's Table 2: one action before output, each at most this much
# slower than output-only; the paper's eBPF datapath lost these shares.
ACTION_TARGET = 0.10
ACTION_PAPER = {"fphash": 0.16, "fpvlan": 0.15, "fpdmac": 0.34, "fpgre": 0.08}
# AF_XDP (the paper's Table 3): flowpath afxdp over the xsk baseline in the
# same mode, and flowpath's full datapath over OVS afxdp.
XDP_KINDS = ("xsk", "fpxdp", "ovsxdp")
XDP_PAIRS = (  # (mode, baseline id, flowpath id, target, paper)
    ("rxdrop", "xskdrp", "fpxdrp", 0.98, 1.0),
    ("l2fwd", "xskfwd", "fpxfwd", 0.95, 0.82),
)
XDP_OVS_TARGET = 1.5


def kv(line):
    out = {}
    for tok in line.split():
        if "=" in tok:
            k, v = tok.split("=", 1)
            out[k] = v
    return out


def num(d, k, default=0.0):
    try:
        return float(d.get(k, default))
    except ValueError:
        return default


def percpu(s):
    """'0:12|1:0' -> {0: 12, 1: 0}"""
    out = {}
    for part in filter(None, s.split("|")):
        cpu, n = part.split(":")
        out[int(cpu)] = int(n)
    return out


def where(s):
    """The CPUs that counted anything, as '0' or '0,1 (70%/30%)'."""
    c = {k: v for k, v in percpu(s).items() if v}
    if not c:
        return "-"
    if len(c) == 1:
        return str(next(iter(c)))
    tot = sum(c.values())
    return ",".join(map(str, c)) + " (" + "/".join(
        "%.0f%%" % (100 * v / tot) for v in c.values()) + ")"


def spread(xs, fmt):
    return (fmt % min(xs)) + "–" + (fmt % max(xs)) if xs else "-"


def read_lines(path):
    try:
        with open(path) as f:
            return [l.rstrip("\n") for l in f if l.strip()]
    except FileNotFoundError:
        return []


def dut_busy(r):
    """How busy (%) the DUT's CPU was in run r, or None if unknown."""
    key = "cpu%s_busy" % r.get("dut_cpu", "")
    return num(r, key) if key in r else None


def cpu_ns_pkt(r):
    """The DUT CPU's busy time per forwarded packet in run r: everything
    that ran there, an AF_XDP system's own poll thread included (which
    dut_ns_pkt, the NAPI thread's time, leaves out)."""
    busy, sink = dut_busy(r), num(r, "sink_pkts")
    if busy is None or sink <= 0:
        return 0.0
    return busy / 100 * num(r, "duration") * 1e9 / sink


def saturated(r):
    """Did the generator offer more than the DUT could take? (SATURATED)"""
    offered = num(r, "offered_pps") * num(r, "duration")
    if offered > 0 and (num(r, "in_drop") + num(r, "gen_drop")) >= SATURATED_DROP * offered:
        return True
    busy = dut_busy(r)
    return r.get("kind") not in XDP_KINDS and busy is not None and busy >= SATURATED


def check_run(r, kind):
    """What does not add up in one run, as short phrases."""
    bad = []
    sink, in_rx, out_tx = num(r, "sink_pkts"), num(r, "in_rx"), num(r, "out_tx")
    if sink <= 0:
        bad.append("nothing delivered")
    if not saturated(r):
        busy = dut_busy(r)
        bad.append("DUT not saturated (%s): judged by CPU time per packet" % (
            "its CPU %.0f%% busy" % busy if busy is not None and kind not in XDP_KINDS
            else "few frames refused at its entry"))
    if kind in XDP_KINDS:
        # A saturated AF_XDP system drops at its socket (rx ring or fill
        # ring empty), after in_rx counted the frame: no loss to flag;
        # rxdrop counts what the socket took (redirected), no sink.
        return bad
    if in_rx and out_tx < 0.99 * in_rx:
        bad.append("DUT lost %.1f%%" % (100 * (1 - out_tx / in_rx)))
    if out_tx and num(r, "out_drop") > 0.001 * out_tx:
        bad.append("sink missed %.1f%%" % (100 * num(r, "out_drop") / out_tx))
    if sink and abs(num(r, "sink_rx") - sink) > 0.01 * sink + 64:
        bad.append("sink count %d vs device %d" % (sink, num(r, "sink_rx")))
    if kind == "flowpath" and (num(r, "fp_other") > 0 or num(r, "fp_hit") <= 0):
        bad.append("flowpath: %d hits, %d other (%s)" %
                   (num(r, "fp_hit"), num(r, "fp_other"), r.get("fp_other_names", "?")))
    return bad


SETUP_COLS = ["setup_limit", "setup_rate", "setup_flows", "upcalls", "rate_limited",
              "lost", "lost_reader", "installed", "executed", "span_s", "setups_per_s",
              "sink_pkts"]


def setup_rows(lines):
    """run.sh's flow setup steps, each with its setup rate (flows executed
    over the span from the first to the last), and its notes."""
    rows, notes = [], []
    for l in lines:
        if l.startswith("setup_limit="):
            r = kv(l)
            span = num(r, "span_s")
            r["setups_per_s"] = "%.0f" % (num(r, "executed") / span) if span > 0 else "-"
            rows.append(r)
        elif "=" in l:
            notes.append(l.split("=", 1)[1])
    return rows, notes


def setup_section(P, rows, notes):
    P("### Flow setup through the agent")
    P("")
    if not rows:
        P("Not measured: %s" % ("; ".join(notes) or "not selected (--systems)"))
        P("")
        return
    P("N distinct flows, each sent once at the offered rate into port 1 of a "
      "datapath with no flows, `flowpath agent` installing and executing them "
      "(upcall → classify → install → execute through its TAP to the sink). "
      "setups/s: flows executed over the time from the first to the last; "
      "rate-limited: held back by the port's upcall bucket; lost: the perf "
      "ring was full (as the datapath counted it / as the agent was told).")
    P("")
    P("| upcall limit | offered flows/s | flows sent | upcalls | rate-limited | lost (dp / agent) | installed | setups/s | delivered |")
    P("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        P("| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s |" % (
            r.get("setup_limit"), r.get("setup_rate"), r.get("setup_flows"),
            r.get("upcalls"), r.get("rate_limited"), r.get("lost"),
            r.get("lost_reader"), r.get("installed"), r["setups_per_s"],
            r.get("sink_pkts")))
    for n in notes:
        P("")
        P("- %s" % n)
    P("")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tmp", required=True)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    T = lambda n: os.path.join(a.tmp, n)

    meta = {}
    for l in read_lines(T("meta")):
        meta.update(kv(l) if " " in l and l.count("=") > 1 else
                    dict([l.split("=", 1)]))
    systems = []  # (id, label, kind, why)
    for l in read_lines(T("systems")):
        sid, label, kind, why = l.split("|", 3)
        systems.append((sid, label, kind, why))
    runs = [kv(l) for l in read_lines(T("runs"))]
    kind_of = {}
    for l in read_lines(T("systems")):
        sid, _, kind, _ = l.split("|", 3)
        kind_of[sid] = kind
    for r in runs:
        r["cpu_ns_pkt"] = "%.1f" % cpu_ns_pkt(r)
        r["kind"] = kind_of.get(r.get("label"), "")
    prof = [kv(l) for l in read_lines(T("prof"))]
    prof_lines = read_lines(T("prof"))
    micro = [l.split("|") for l in read_lines(T("micro")) if l.startswith("micro|")]
    # make's own lines (building each compiler's objects) come first.
    verifier = read_lines(T("verifier"))
    for i, l in enumerate(verifier):
        if l.startswith(("# Linux", "build ")):
            verifier = verifier[i:]
            break

    measured = [s for s in systems if not s[3]]
    if not measured:
        sys.exit("report: no system was measured")
    base = measured[0][0]
    kinds = {s[0]: s[2] for s in systems}
    labels = {s[0]: s[1] for s in systems}

    # Each run's ratio is to the baseline runs just before and after it.
    runs.sort(key=lambda r: int(r.get("seq", 0)))
    bruns = [r for r in runs if r["label"] == base]

    def neighbours(r):
        k = int(r.get("seq", 0))
        before = [b for b in bruns if int(b.get("seq", 0)) < k]
        after = [b for b in bruns if int(b.get("seq", 0)) > k]
        return before[-1:] + after[:1]

    def to_base(r, key, inverse=False):
        """r[key] over the mean of its neighbours' (or its inverse)."""
        if r["label"] == base:
            return 1.0
        vals = [num(b, key) for b in neighbours(r) if num(b, key) > 0]
        if not vals or num(r, key) <= 0:
            return None
        m = sum(vals) / len(vals)
        return m / num(r, key) if inverse else num(r, key) / m

    def quiet_run(r):
        return all(num(x, "dut_share") >= QUIET for x in [r] + neighbours(r))

    def saturated_run(r):
        return all(saturated(x) for x in [r] + neighbours(r))

    summary = []
    for sid, label, kind, why in measured:
        rs = [r for r in runs if r["label"] == sid]
        rates = [num(r, "rate_pps") / 1e6 for r in rs]
        ratios = [x for x in (to_base(r, "rate_pps") for r in rs) if x is not None]
        # CPU time per packet: the NAPI thread's (and its softirqs'), which
        # is all a TC system's work; an AF_XDP system also has its poll
        # thread on the DUT CPU, so its whole busy time there.
        cost = "cpu_ns_pkt" if kind in XDP_KINDS else "dut_ns_pkt"
        costs = [num(r, cost) for r in rs if num(r, cost) > 0]
        cratios = [x for x in (to_base(r, cost, True) for r in rs)
                   if x is not None]
        # Runs where neither this DUT nor the baseline's beside it shared
        # its CPU with anything else to speak of.
        quiet = [x for x in (to_base(r, "rate_pps") for r in rs if quiet_run(r))
                 if x is not None]
        flags = []
        for r in rs:
            for b in check_run(r, kind):
                flags.append("run %s: %s" % (r.get("seq", "?"), b))
        med = lambda xs: statistics.median(xs) if xs else 0.0
        n_sat = sum(1 for r in rs if saturated_run(r))
        # The rate ratio means something only where both this system and
        # the baseline runs beside it were saturated; else CPU time.
        by_rate = n_sat == len(rs) and bool(rs)
        summary.append({
            "id": sid, "label": label, "kind": kind, "runs": len(rs),
            "mpps": med(rates), "mpps_min": min(rates, default=0),
            "mpps_max": max(rates, default=0),
            "ratio": med(ratios), "ratio_min": min(ratios, default=0),
            "ratio_max": max(ratios, default=0),
            "ns_pkt": med(costs), "cost_ratio": med(cratios),
            "cost_ratio_min": min(cratios, default=0),
            "cost_ratio_max": max(cratios, default=0),
            "offered": med([num(r, "offered_pps") / 1e6 for r in rs]),
            # Refused at the DUT's entry: counted by the DUT veth (live
            # frames) or, for skbs, by the generator's veth (tx_dropped).
            "entry_drop": med([100 * (num(r, "in_drop") + num(r, "gen_drop")) /
                               max(1, num(r, "in_drop") + num(r, "gen_drop") + num(r, "in_rx"))
                               for r in rs]),
            "share": med([num(r, "dut_share") for r in rs]),
            "gen_cpu": ", ".join(sorted({where(r.get("gen_cpus", "")) for r in rs})),
            "sink_cpu": ", ".join(sorted({where(r.get("sink_cpus", "")) for r in rs})),
            "dut_cpu": ", ".join(sorted({r.get("dut_cpu", "-") for r in rs})),
            "quiet": quiet,
            "saturated": n_sat, "by_rate": by_rate,
            "judged": med(ratios) if by_rate else med(cratios),
            "judged_by": "rate" if by_rate else "CPU time",
            "busy": med([dut_busy(r) or 0 for r in rs]),
            "generator": ", ".join(sorted({r.get("generator", "live") for r in rs})),
            "fp": ("%.1fM hits, %d other" % (sum(num(r, "fp_hit") for r in rs) / 1e6,
                                            sum(num(r, "fp_other") for r in rs))
                   if kind == "flowpath" else "-"),
            "flags": flags,
        })
    by_id = {s["id"]: s for s in summary}

    os.makedirs(a.out, exist_ok=True)
    # --- CSVs ---
    with open(os.path.join(a.out, "latest.csv"), "w", newline="") as f:
        w = csv.writer(f)
        head = ["system", "label", "runs", "mpps_median", "mpps_min", "mpps_max",
                "ratio_median", "ratio_min", "ratio_max", "dut_ns_per_packet",
                "cost_ratio_median", "judged_ratio", "judged_by", "saturated_runs",
                "dut_cpu_busy", "generator", "flags", "status"]
        w.writerow(head)
        for s in summary:
            w.writerow([s["id"], s["label"], s["runs"], "%.4f" % s["mpps"],
                        "%.4f" % s["mpps_min"], "%.4f" % s["mpps_max"],
                        "%.3f" % s["ratio"], "%.3f" % s["ratio_min"],
                        "%.3f" % s["ratio_max"], "%.0f" % s["ns_pkt"],
                        "%.3f" % s["cost_ratio"], "%.3f" % s["judged"], s["judged_by"],
                        s["saturated"], "%.1f" % s["busy"], s["generator"],
                        len(s["flags"]), "measured"])
        for sid, label, kind, why in systems:
            if why:
                w.writerow([sid, label, 0] + [""] * (len(head) - 4) + [why])
    keys = []
    for r in runs:
        keys += [k for k in r if k not in keys]
    with open(os.path.join(a.out, "runs.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        w.writerows(runs)

    # --- Chart ---
    png = os.path.join(a.out, "latest.png")
    chart = draw_chart(summary, base, png, meta, T("chart.dat"))

    # --- Markdown ---
    md = []
    P = md.append
    fp = by_id.get("fpout")
    br = by_id.get("br")
    P("# flowpath benchmarks")
    P("")
    P("%s · %s, %s vCPUs (%s), %s, Linux %s · flowpath %s · load %s before, %s after"
      % (meta.get("date", "?"), meta.get("cpu_model", "?"), meta.get("cpus", "?"),
         meta.get("virt", "?"), meta.get("mem", "?"), meta.get("kernel", "?"),
         meta.get("commit", "?"), meta.get("load_before", "?"), meta.get("load_after", "?")))
    P("")
    if meta.get("smoke") == "1":
        P("**Smoke run** (one short run per system): checks the harness, says nothing about speed.")
        P("")
    P("> Absolute rates on a shared 2-core VM are comparable only within one run: "
      "read the ratios. Each ratio is to the one-helper TC `bpf_redirect` program, "
      "measured just before and just after the run in question.")
    P("")
    P("## Forwarding: %s-byte UDP frames, %s flow%s, veth to veth through one DUT CPU"
      % (meta.get("size"), meta.get("flows"), "" if meta.get("flows") == "1" else "s"))
    P("")
    P("| system | rate ratio | spread | CPU-time ratio | spread | saturated | Mpps | Mpps spread | DUT ns/packet | runs |")
    P("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    bold = lambda on, x: "**%s**" % x if on else x
    for s in summary:
        P("| %s | %s | %.2f–%.2f | %s | %.2f–%.2f | %d/%d | %.3f | %.3f–%.3f | %.0f | %d%s |"
          % (s["label"], bold(s["by_rate"], "%.2f×" % s["ratio"]), s["ratio_min"],
             s["ratio_max"], bold(not s["by_rate"], "%.2f×" % s["cost_ratio"]),
             s["cost_ratio_min"], s["cost_ratio_max"], s["saturated"], s["runs"], s["mpps"],
             s["mpps_min"], s["mpps_max"], s["ns_pkt"], s["runs"],
             " ⚠" if s["flags"] else ""))
    P("")
    P("Rate ratio: the system's forwarded rate over the mean of the baseline runs just "
      "before and after it. CPU-time ratio: the baseline's DUT CPU time per forwarded "
      "packet over the system's, likewise: what the rate ratio would be on a CPU the DUT had to "
      "itself, and unlike the rate it does not drop when another process takes the "
      "DUT's CPU (see DUT CPU share below); DUT ns/packet is the NAPI thread's CPU time "
      "per packet, or for an AF_XDP system, whose poll thread shares the DUT CPU, that "
      "CPU's busy time per packet. Saturated: the runs in which the generator "
      "kept the DUT's CPU at least %.0f%% busy, and the baseline's beside it too. A "
      "system is judged by the ratio in bold: by rate where every run was saturated, "
      "else by CPU time, since a DUT that waited for frames forwarded what it was "
      "offered, not what it could." % SATURATED)
    if chart:
        P("")
        P("![ratios](latest.png)")
    P("")
    P("Targets (reported, not asserted):")
    P("")
    if fp:
        P("- flowpath TC output-only ≥ %.2f× the one-helper TC redirect (paper: %.2f×): "
          "**%s** at %.2f× by %s; %.2f× by rate (spread %.2f–%.2f), %.2f× by CPU time "
          "(%.2f–%.2f)%s."
          % (TARGET, PAPER, "met" if fp["judged"] >= TARGET else "missed",
             fp["judged"], fp["judged_by"], fp["ratio"], fp["ratio_min"], fp["ratio_max"],
             fp["cost_ratio"], fp["cost_ratio_min"], fp["cost_ratio_max"], quiet_note(fp)))
        if br:
            both_rate = fp["by_rate"] and br["by_rate"]
            r_fp, r_br = ((fp["ratio"], br["ratio"]) if both_rate else
                          (fp["cost_ratio"], br["cost_ratio"]))
            P("- flowpath TC output-only above the Linux bridge: **%s** by %s (%.2f× vs "
              "%.2f×); by rate %.2f× vs %.2f×, by CPU time %.2f× vs %.2f×%s."
              % ("met" if r_fp > r_br else "missed", "rate" if both_rate else "CPU time",
                 r_fp, r_br,
                 fp["ratio"], br["ratio"], fp["cost_ratio"], br["cost_ratio"],
                 "; in runs with their CPU to themselves: %.2f× vs %.2f×" % (
                     statistics.median(fp["quiet"]), statistics.median(br["quiet"]))
                 if fp["quiet"] and br["quiet"] else ""))
        for sid, paper in ACTION_PAPER.items():
            act = by_id.get(sid)
            if not act:
                continue
            # Both ratios are to the baseline of their own runs: their
            # quotient is the action's cost over output-only.
            rel = act["ratio"] / fp["ratio"]
            rel_cpu = act["cost_ratio"] / fp["cost_ratio"]
            both_rate = act["by_rate"] and fp["by_rate"]
            P("- %s at most %.0f%% slower than output-only (paper: %.0f%%): **%s** by %s: "
              "%.0f%% slower by rate (%.2f× output-only), %.0f%% by CPU time (%.2f×)."
              % (act["label"], ACTION_TARGET * 100, paper * 100,
                 "met" if (rel if both_rate else rel_cpu) >= 1 - ACTION_TARGET else "missed",
                 "rate" if both_rate else "CPU time",
                 max(0.0, (1 - rel) * 100), rel, max(0.0, (1 - rel_cpu) * 100), rel_cpu))
    else:
        P("- flowpath TC output-only was not measured: no target can be judged.")
    pending = [s for s in systems if s[3]]
    if pending:
        P("")
        P("Not measured in this run:")
        P("")
        for sid, label, kind, why in pending:
            P("- %s: %s" % (label, why))
    xdp_section(P, runs, by_id, labels, systems)
    P("")
    setups, setup_notes = setup_rows(read_lines(T("setup")))
    setup_section(P, setups, setup_notes)
    P("### Cross-checks")
    P("")
    P("Each run's counters must add up: what the generator offered, what the DUT's "
      "entry dropped because its ring was full, what it forwarded, what the sink "
      "counted; and the DUT's CPU must have been busy (saturated). ⚠ marks a run where "
      "they do not.")
    P("")
    P("| system | generator | offered Mpps | forwarded Mpps | dropped at DUT entry | DUT CPU busy | DUT CPU share | generator CPU | DUT CPU | sink CPU | flowpath counters |")
    P("| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | --- | --- |")
    for s in summary:
        P("| %s | %s | %.2f | %.2f | %.0f%% | %.0f%% | %.0f%% | %s | %s | %s | %s |"
          % (s["label"], s["generator"], s["offered"], s["mpps"], s["entry_drop"],
             s["busy"], s["share"], s["gen_cpu"], s["dut_cpu"], s["sink_cpu"], s["fp"]))
    flagged = [(s["label"], f) for s in summary for f in s["flags"]]
    if flagged:
        P("")
        for label, f in flagged:
            P("- ⚠ %s, %s" % (label, f))
    P("")
    P("DUT CPU share: how much of its CPU the DUT's NAPI thread (which also runs the "
      "sink's receive softirq) and that CPU's ksoftirqd had; the rest went to other "
      "work on the shared machine, or the DUT waited for the generator, whose CPU is "
      "shared too.")
    P("")
    P("### Method")
    P("")
    gens = sorted({r.get("generator", "live") for r in runs})
    P("- Namespaces `fpt-bench-gen`, `fpt-bench-dut-ID` (one per system, all alike) "
      "and `fpt-bench-sink`, veth pairs between them. The generator (`bench/generator.c`) "
      "runs on CPU %s and sends with **%s**. It takes the fastest way the kernel allows: "
      "`fpb_gen` under `BPF_PROG_TEST_RUN` with `BPF_F_TEST_XDP_LIVE_FRAMES`, whose `XDP_TX` "
      "puts each frame on the DUT veth's ring (some 6 Mpps from one core), or, where the "
      "kernel refuses live frames (EPERM, as on this machine's kernel), an AF_PACKET "
      "socket with `PACKET_QDISC_BYPASS` sending 64 frames per `sendmmsg()` (some 1.4 Mpps "
      "from one core; the generator's veth does no TSO, so veth hands the skbs to the DUT "
      "veth's NAPI, not to the generator CPU's backlog). Live frames overflow the DUT's "
      "ring; frames above %s the generator drops itself, as a refused frame goes back to "
      "the generator's page pool under a lock the DUT's CPU contends for. An AF_PACKET "
      "frame holds the socket's send buffer until the DUT is done with it, so a generator "
      "faster than the DUT waits in `sendmmsg()` rather than overflow the DUT: the DUT is "
      "kept busy without refused frames, and a DUT faster than the generator waits for "
      "frames instead. Every run records the DUT CPU's busy share: a run below %.0f%% "
      "was not saturated, and its system is judged by CPU time per packet (above)."
      % (meta.get("gen_cpu"), " and ".join(gens),
         ("%.1f Mpps (3 times what the fastest system of the warm-up round forwards "
          "on a CPU of its own)" % (num(meta, "offered") / 1e6) +
          ("; the AF_XDP systems %.1f Mpps, twice the fastest AF_XDP rate of the "
           "warm-up round" % (num(meta, "offered_xdp") / 1e6)
           if num(meta, "offered_xdp") > num(meta, "offered") else ""))
         if num(meta, "offered") > 0 else "none (flat out)", SATURATED))
    P("- The DUT's NAPI thread is threaded and pinned to CPU %s: it builds the skbs, "
      "runs the system under test and transmits into the sink's veth, whose receive "
      "(the sink's XDP program, `fpb_sink`, counting per CPU and dropping) runs in "
      "the softirq that transmit raises, on the same CPU." % meta.get("dut_cpu"))
    P("- Systems: the Linux bridge (static fdb entry for the destination, "
      "bridge-nf-call-* off), tc `u32` (empty match) + `mirred egress redirect`, a TC program that calls only "
      "`bpf_redirect` (`bench/progs/redirect.bpf.c`, attached as flowpath attaches its "
      "parser), and flowpath's TC datapath with exact-match flows for the generated "
      "frames, installed with `flowpath flow add`.")
    if meta.get("smoke") == "1":
        P("- Smoke run: one run of each system, %s s after %s s of warm-up; ratios "
          "to the baseline's one run." % (meta.get("duration"), meta.get("warmup")))
    else:
        P("- One warm-up run of each system (discarded), then %s rounds. Each round "
          "runs every other system once, each between two runs of the baseline "
          "(B S B S … B), taking them in an order one further along each round; each "
          "run lasts %s s after %s s of warm-up. A run's ratio is to the mean of the "
          "baseline runs beside it, so the machine's drifting load touches both "
          "alike. Median and min–max over runs."
          % (meta.get("runs"), meta.get("duration"), meta.get("warmup")))
    P("")
    method_effects(P, summary, runs)

    # --- Where the time goes ---
    P("## Where the time goes")
    P("")
    stats = {p["system"]: p for p in prof if p.get("prof") == "bpf_stats"}
    base_s = by_id.get(base)
    if stats:
        P("In-situ BPF time (`kernel.bpf_stats_enabled`: `run_time_ns / run_cnt` of the "
          "program at the DUT's tc ingress, which includes every stage it tail-calls), "
          "beside the DUT's CPU time per packet from the runs above:")
        P("")
        P("| system | BPF ns/packet | DUT ns/packet | BPF share of the DUT's time |")
        P("| --- | ---: | ---: | ---: |")
        for sid in [s["id"] for s in summary]:
            p = stats.get(sid)
            if not p:
                continue
            ns = num(p, "ns_per_run")
            dut = by_id[sid]["ns_pkt"]
            P("| %s | %.0f | %.0f | %.0f%% |" % (labels[sid], ns, dut,
                                              100 * ns / dut if dut else 0))
        if "fpout" in stats and base in stats and fp and base_s:
            d_bpf = num(stats["fpout"], "ns_per_run") - num(stats[base], "ns_per_run")
            d_dut = fp["ns_pkt"] - base_s["ns_pkt"]
            P("")
            P("flowpath output-only costs the DUT %.0f ns more per packet than the "
              "baseline; its BPF programs account for %.0f ns of that. Were that all it "
              "added, its ratio would be %.2f× (the baseline's %.0f ns over %.0f ns)."
              % (d_dut, d_bpf, base_s["ns_pkt"] / (base_s["ns_pkt"] + d_bpf),
                 base_s["ns_pkt"], base_s["ns_pkt"] + d_bpf))
            if base_s["ns_pkt"] and d_dut > 0:
                P("At the baseline's %.0f ns/packet, a %.2f× ratio leaves a budget of "
                  "%.0f ns for everything flowpath adds."
                  % (base_s["ns_pkt"], TARGET, base_s["ns_pkt"] * (1 / TARGET - 1)))
        P("(bpf_stats adds its own clock reads to every run, a few tens of ns; these "
          "runs are not part of the table above.)")
        P("")
    perf = [l for l in prof_lines if l.startswith("prof=perf ")]
    if perf:
        P("`perf record -C %s -e cpu-clock` on the DUT CPU (symbols above 0.8%%):"
          % meta.get("dut_cpu"))
        P("")
        for sid in [s["id"] for s in summary]:
            rows = [kv_perf(l) for l in perf if ("system=%s " % sid) in l]
            if not rows:
                continue
            bpf = sum(p for p, s in rows if s.startswith("bpf_prog_"))
            P("- %s: BPF programs %.1f%% of the samples; top: %s" % (
                labels[sid], bpf,
                ", ".join("`%s` %.1f%%" % (s, p) for p, s in rows[:10])))
        P("")
    for l in prof_lines:
        if l.startswith("prof=perf_failed "):
            sid = kv(l).get("system", "?")
            P("perf found nothing for %s: %s" % (labels.get(sid, sid),
                                                 " ".join(l.split(" ")[2:])))
            P("")
    bt = [l for l in prof_lines if l.startswith("prof=bpftool_profile ")]
    if bt:
        msg = bt[0].split(" ", 2)[2].strip()
        P("`bpftool prog profile` (hardware counters): %s" % (msg or "no output"))
        P("")
    keys = {}
    for m in micro:
        if m[1].startswith("hash map lookup, ") and m[2] != "n/a":
            keys[int(m[1].split()[3].split("-")[0])] = float(m[2])
    arr = [float(m[2]) for m in micro if m[1].startswith("per-CPU array lookup")]
    if 192 in keys and arr:
        P("The flow table hashes and compares the whole 192-byte key on every packet. "
          "A hash-map lookup that hits, net of the array lookup that fetches its key, "
          "costs %s (microbenchmarks below)." % ", ".join(
              "%.0f ns with a %d-byte key" % (keys[k] - arr[0], k) for k in sorted(keys)))
        P("")
    if micro:
        floor = {m[6]: float(m[2]) for m in micro
                 if m[1].startswith(("BPF_PROG_TEST_RUN floor", "executor floor"))
                 and m[2] != "n/a"}
        P("## Microbenchmarks: BPF_PROG_TEST_RUN, ns per packet")
        P("")
        P("A stage alone is the stage plus one tail call into a program that only "
          "clears `skb->cb` (`bench/progs/stop.bpf.c`); a chain runs the real stages. "
          "*repeat*: one test run of many packets, the median of several; *single*: a "
          "fresh packet each run (actions that change the packet), the median of "
          "2000, spread the 5th to 95th percentile, caches colder. Net: less the "
          "empty program's time in the same mode; compare rows of one mode. "
          "*user*: the userspace executor (`lib/pkt_exec.h`, what the AF_XDP "
          "datapath runs per packet) on the same frame, net of copying the frame in.")
        P("")
        P("| case | ns/packet | spread | net | verdict | mode |")
        P("| --- | ---: | ---: | ---: | --- | --- |")
        for m in micro:
            _, name, medv, lo, hi, verdict, mode = m[:7]
            if medv == "n/a":
                P("| %s | n/a | | | | %s |" % (name, mode))
                continue
            net = float(medv) - floor.get(mode, 0)
            P("| %s | %s | %s–%s | %s | %s | %s |" % (
                name, medv, lo, hi,
                "-" if name.startswith(("BPF_PROG_TEST_RUN", "executor floor"))
                else "%.0f" % net,
                verdict, mode))
        P("")
    if verifier:
        P("## Verifier and JIT (`make verifier-report`)")
        P("")
        P("```")
        md.extend(verifier)
        P("```")
        P("")

    with open(os.path.join(a.out, "latest.md"), "w") as f:
        f.write("\n".join(md))

    for s in summary:
        print("%-7s %-36s %5.2fx by %-8s [rate %.2f-%.2f] %7.3f Mpps  %5.0f ns/pkt  "
              "%d run%s, %d saturated, generator %s%s" % (
                  s["id"], s["label"], s["judged"], s["judged_by"], s["ratio_min"],
                  s["ratio_max"], s["mpps"], s["ns_pkt"], s["runs"],
                  "" if s["runs"] == 1 else "s", s["saturated"], s["generator"],
                  "  WARNING: %s" % "; ".join(s["flags"]) if s["flags"] else ""))
    for sid, label, kind, why in pending:
        print("%-7s %-36s not measured: %s" % (sid, label, why))
    with open(os.path.join(a.out, "setup.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(SETUP_COLS)
        for r in setups:
            w.writerow([r.get(c, "") for c in SETUP_COLS])
    for r in setups:
        print("setup   limit %-7s %6s new flows/s: %s setups/s, %s of %s installed, "
              "%s rate-limited, %s lost" % (
                  r.get("setup_limit"), r.get("setup_rate"), r["setups_per_s"],
                  r.get("installed"), r.get("setup_flows"), r.get("rate_limited"),
                  r.get("lost")))
    for n in setup_notes:
        print("setup   not measured: %s" % n)
    for mode, base_id, fp_id, target, paper in XDP_PAIRS:
        r = xdp_ratio(runs, base_id, fp_id)
        if r:
            print("afxdp %s: flowpath %.2fx the xsk baseline by %s [%.2f-%.2f] (target %.2fx)"
                  % (mode, r[0], r[4], r[1], r[2], target))
    r = xdp_ratio(runs, "ovsxdp", "fpxdp")
    if r:
        print("afxdp output: flowpath %.2fx OVS afxdp by %s [%.2f-%.2f] (target %.1fx)"
              % (r[0], r[4], r[1], r[2], XDP_OVS_TARGET))


def xdp_ratio(runs, a, b):
    """Per round, b over a (runs of one round: same load, as near in time as
    the interleaving puts them), by rate where every run of both was
    saturated, else by the DUT CPU's busy time per packet (cpu_ns_pkt: an
    AF_XDP system's poll thread shares the DUT CPU with the NAPI thread).
    Their median, min, max, n, and what judged it: "rate" or "CPU time"."""
    per = {}
    for r in runs:
        if r["label"] in (a, b):
            per.setdefault((r["label"], r.get("round", "0")), []).append(r)
    rs_all = [r for v in per.values() for r in v]
    by_rate = bool(rs_all) and all(saturated(r) for r in rs_all)
    xs = []
    for (label, rnd), v in per.items():
        if label != b or (a, rnd) not in per:
            continue
        if by_rate:
            num_, den = (statistics.mean(num(r, "rate_pps") for r in v),
                         statistics.mean(num(r, "rate_pps") for r in per[(a, rnd)]))
        else:
            num_, den = (statistics.mean(cpu_ns_pkt(r) for r in per[(a, rnd)]),
                         statistics.mean(cpu_ns_pkt(r) for r in v))
        if den > 0 and num_ > 0:
            xs.append(num_ / den)
    if not xs:
        return None
    return (statistics.median(xs), min(xs), max(xs), len(xs),
            "rate" if by_rate else "CPU time")


def xdp_section(P, runs, by_id, labels, systems):
    """The paper's Table 3: flowpath afxdp beside the xsk baseline."""
    ids = [s[0] for s in systems if s[2] in XDP_KINDS]
    if not ids:
        return
    P("")
    P("## AF_XDP: flowpath afxdp beside a minimal xsk program, on the same veth pair")
    P("")
    P("Every AF_XDP system runs in turn on the veths `in-xdp`/`out-xdp` of one DUT "
      "namespace, native XDP mode (veth has no zero copy: copy mode), one queue, its "
      "poll thread pinned to the DUT CPU beside `in-xdp`'s NAPI thread. rxdrop: what "
      "the XDP program handed to the socket (veth's `xdp_redirect` counters); l2fwd: "
      "the frames that came back out of `in-xdp`, counted by a sink on the generator's "
      "veth; output: forwarded to `out-xdp` as the other systems. The xsk baseline is "
      "`bench/xsk_baseline.c` (libxdp, xdpsock's loop, 2 KB frames) in xdpsock's poll mode "
      "(`--wait poll`: it sleeps in poll() whenever its rx ring is empty, as a busy loop "
      "would take the CPU the NAPI thread beside it needs); flowpath spins a while first, "
      "less each time spinning brought nothing. Both take rings 64 descriptors at a time "
      "(`--batch 64`); each runs in a session of its own (as OVS's daemon does), so that "
      "the scheduler weighs it against the NAPI thread alone.")
    P("")
    P("| mode | xsk baseline Mpps | flowpath Mpps | flowpath / baseline | spread | target | paper |")
    P("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    verdicts = []
    for mode, base_id, fp_id, target, paper in XDP_PAIRS:
        b, f = by_id.get(base_id), by_id.get(fp_id)
        r = xdp_ratio(runs, base_id, fp_id) if b and f else None
        P("| %s | %s | %s | %s | %s | %.2f× | %.2f× |" % (
            mode, "%.3f" % b["mpps"] if b else "not measured",
            "%.3f" % f["mpps"] if f else "not measured",
            "**%.2f×**" % r[0] if r else "-",
            "%.2f–%.2f (%d round%s, by %s)" % (r[1], r[2], r[3],
                                               "" if r[3] == 1 else "s", r[4])
            if r else "-", target, paper))
        if r:
            verdicts.append("- %s: flowpath afxdp ≥ %.2f× the xsk baseline: **%s** (%.2f× by %s)."
                            % (mode, target, "met" if r[0] >= target else "missed", r[0],
                               r[4]))
        else:
            verdicts.append("- %s: not judged: %s not measured in this run." % (
                mode, " and ".join(labels.get(x, x) for x in (base_id, fp_id)
                                   if x not in by_id)))
    f, o = by_id.get("fpxdp"), by_id.get("ovsxdp")
    r = xdp_ratio(runs, "ovsxdp", "fpxdp") if f and o else None
    P("| output (full datapath) | OVS afxdp: %s | %s | %s | %s | %.2f× | - |" % (
        "%.3f" % o["mpps"] if o else "not measured",
        "%.3f" % f["mpps"] if f else "not measured",
        "**%.2f×** OVS" % r[0] if r else "-",
        "%.2f–%.2f (by %s)" % (r[1], r[2], r[4]) if r else "-", XDP_OVS_TARGET))
    P("")
    P("Targets (reported, not asserted):")
    P("")
    for v in verdicts:
        P(v)
    if r:
        P("- flowpath AF_XDP ≥ %.1f× OVS 3.1 afxdp on the same veths: **%s** (%.2f× by %s)."
          % (XDP_OVS_TARGET, "met" if r[0] >= XDP_OVS_TARGET else "missed", r[0], r[4]))
    else:
        why = [s for s in systems if s[0] in ("fpxdp", "ovsxdp") and s[3]]
        P("- flowpath AF_XDP vs OVS afxdp: not judged%s." % (
            ": " + "; ".join("%s: %s" % (s[1], s[3]) for s in why) if why else ""))
    P("")
    P("Ratio: per round, the two runs of that round, then the median over rounds: by "
      "rate where every run of both was saturated, else by the DUT CPU's busy time per "
      "forwarded packet (everything on the DUT CPU, the program's own poll thread "
      "included). Each is also in the table above as a ratio to the TC baseline.")


def method_effects(P, summary, runs):
    """What the method itself does to the ratios, with this run's figures:
    a ratio is reported with its method."""
    sat = sum(1 for r in runs if saturated(r))
    gen_max = max([num(r, "offered_pps") for r in runs] or [0]) / 1e6
    unsat = [s["label"] for s in summary if not s["by_rate"]]
    P("### What the method does to the figures")
    P("")
    P("- **Saturation.** %d of %d runs were saturated: at least %.0f%% of the frames "
      "offered refused at the DUT's entry, or, for a TC system, whose AF_PACKET "
      "generator waits for a busy DUT instead of overflowing it, the DUT CPU at least "
      "%.0f%% busy (an AF_XDP program polls: a busy CPU proves nothing for it). The "
      "AF_PACKET generator offered at most %.2f Mpps here, about what the fastest "
      "systems forward: a run it could not saturate measures the generator, not the "
      "system, and a rate ratio to it says nothing. Systems with such runs are judged "
      "by CPU time per packet (%s)."
      % (sat, len(runs), 100 * SATURATED_DROP, SATURATED, gen_max,
         ", ".join(unsat) if unsat else "none in this run"))
    P("- **CPU time of a DUT that waits.** A DUT that is not saturated takes fewer "
      "packets per NAPI poll, so more of each poll's fixed work falls on each packet: "
      "its CPU time per packet is somewhat higher than flat out. Against an "
      "unsaturated baseline, CPU-time ratios lean a few percent toward the system "
      "compared.")
    P("- **What each generator leaves the DUT to do.** Live frames reach the DUT veth as "
      "XDP frames, which its NAPI thread turns into skbs on the DUT CPU, and flat out "
      "the frames its full ring refuses go back to the generator's page pool under a "
      "lock the DUT CPU contends for. AF_PACKET frames are skbs built on the generator's "
      "CPU; the DUT frees each to the generator's socket. An XDP program on the DUT veth "
      "(the AF_XDP systems) gets each skb converted to an XDP buffer, copied when it "
      "lacks the headroom. A per-packet cost that every system pays alike pulls every "
      "ratio toward 1, so the same two systems measure closer together the more the "
      "generator leaves to the DUT.")
    P("- **What is counted.** The rate counts forwarded packets per second and drops "
      "when another process takes the DUT CPU; the CPU-time ratio counts the DUT's own "
      "threads (the NAPI thread and its softirqs; for AF_XDP systems the whole DUT "
      "CPU, their poll thread being there too) and does not.")
    P("")


def quiet_note(s):
    if not s["quiet"]:
        return "; in no run did it and the baseline beside it have their CPU to themselves"
    return ("; %.2f× by rate over the %d run%s where it and the baseline beside it "
            "had at least %.0f%% of their CPU" % (
                statistics.median(s["quiet"]), len(s["quiet"]),
                "" if len(s["quiet"]) == 1 else "s", QUIET))


def kv_perf(line):
    """'prof=perf system=X 12.34% [k] sym' -> (12.34, 'sym')"""
    parts = line.split()
    pct = float(parts[2].rstrip("%"))
    return pct, parts[-1]


def draw_chart(summary, base, png, meta, datafile):
    """A bar per system: median ratio, min-max error bars, the target line."""
    try:
        subprocess.run(["gnuplot", "--version"], capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        print("report: no gnuplot, no chart", file=sys.stderr)
        return False
    with open(datafile, "w") as f:
        for s in summary:
            f.write('"%s" %.4f %.4f %.4f %.4f %.4f %.4f\n' % (
                s["label"].replace('"', "'"), s["ratio"], s["ratio_min"], s["ratio_max"],
                s["cost_ratio"], s["cost_ratio_min"], s["cost_ratio_max"]))
    top = max([1.2] + [max(s["ratio_max"], s["cost_ratio_max"]) * 1.1 for s in summary])
    script = """
set terminal pngcairo noenhanced size 960,520 font ",10"
set output "%s"
set title "Ratio to the one-helper TC bpf_redirect run beside it (median, min-max)\\n%s, %s-byte UDP frames, %s vCPUs %s"
set style data histograms
set style histogram errorbars gap 1.5 lw 1
set style fill solid 0.7 border -1
set yrange [0:%f]
set ylabel "ratio"
set xtics rotate by -25 scale 0
set grid ytics
set key top right
set bmargin 9
set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "black" lw 1
set arrow from graph 0, first %f to graph 1, first %f nohead lc rgb "red" dt 2 lw 1
set label "flowpath output-only target %.2f" at graph 0.99, first %f right offset 0,-0.8 tc rgb "red"
plot "%s" using 2:3:4:xtic(1) title "forwarding rate" lc rgb "#4477aa", \\
     "" using 5:6:7 title "CPU time per packet (inverse)" lc rgb "#ccbb44"
""" % (png, meta.get("date", ""), meta.get("size", "?"), meta.get("cpus", "?"),
       meta.get("cpu_model", ""), top, TARGET, TARGET, TARGET, TARGET, datafile)
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if r.returncode:
        print("report: gnuplot: %s" % r.stderr.strip(), file=sys.stderr)
        return False
    return True


if __name__ == "__main__":
    main()
