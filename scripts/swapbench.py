#!/usr/bin/env python3
"""Paging throughput beside the swap disk's raw throughput, in one run.

    scripts/swapbench.py --qemu "QEMU COMMAND WITHOUT -append" --out build/bench
        [--quick] [--runs N] [--swap-mib 512]

The QEMU command (make swapbench gives it: 64 MiB, one hart, -icount
shift=0, the root disk) gets a fresh swap disk as vdb, written through
with zeros so that no guest write allocates space on the host, and
prepared by mkswap.  Two boots on the same disk, one after the other:

  1. test=blk_throughput blkbench=vdb: the kernel writes and reads the
     disk sequentially through the block layer, twice RAM each way, in
     requests of 4 KiB, 64 KiB and 1 MiB (tests/kernel/test_blkbench.c).
     There is no device node to do that from user space, and a file on
     ext2 would measure the file system and the page cache instead.
  2. init=/bench/swapbench swap=vdb: userland/bench/swapbench.c pages
     twice RAM through the same disk, sequentially, at random and with
     fork's copy-on-write.

Under -icount the guest clock runs one nanosecond per instruction while
the hart works and with real time while it idles (waiting for the disk):
each phase reports its guest time and its idle part (kern.idle_ns), so
"busy insns/page" is exact and the same on every machine, while pages per
second also depend on how fast the host serves the disk image.

With --runs N both boots run N times (a fresh disk each time) and each
figure is taken from the run where it took the least guest time: the
host's other work only ever adds idle time.

Prints the tables and the goal (page-out and page-in at least half the
raw throughput), writes OUT/swapbench.csv and OUT/swapbench.json; the
consoles go to OUT/swapbench-raw.log and OUT/swapbench.log.  Exit status
0 if both boots completed with every check passed, 1 otherwise.  A missed
goal is reported, not fatal.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402
import runtests  # noqa: E402

PAGE = 4096
SWAP_DISK = (" -drive file=%s,if=none,format=raw,id=swap"
             " -device virtio-blk-device,drive=swap")

# The swap phases, in the order swapbench runs them, and what each shows.
PHASES = (
    ("loop_write", "user write loop alone, resident"),
    ("loop_read", "user check loop alone, resident"),
    ("seq_write_fill", "sequential write, 1st half (memory fills)"),
    ("seq_write", "sequential write, 2nd half: page-out"),
    ("seq_read_first", "sequential read, 1st half (dirty tail out)"),
    ("seq_read", "sequential read, 2nd half: page-in"),
    ("rand_read", "random read of every page"),
    ("rand_write", "random write of every page"),
    ("cow_write", "fork, both rewrite every page"),
    ("cow_verify", "both check their copy"),
)


def rate(pages, ns):
    return pages * 1e9 / ns if ns else 0.0


def derive_raw(row):
    """The figures of one raw pass (a BENCH line of the kernel's)."""
    pages = row["bytes"] // PAGE
    return {
        "name": row["name"], "reqsize": row["reqsize"], "pages": pages,
        "ms": row["ns"] / 1e6, "mib_s": row["bytes"] / (1 << 20) * 1e9 / row["ns"],
        "pages_s": rate(pages, row["ns"]),
        "busy_insns_page": (row["ns"] - row["idle_ns"]) / pages,
        "us_per_io": row["ns"] / 1e3 / row["ios"],
        "idle_pct": 100.0 * row["idle_ns"] / row["ns"],
    }


def derive_phase(row):
    """The figures of one swapbench phase."""
    ns, pages = row["ns"], row["pages"]
    moved = row["v_swappgsin"] + row["v_swappgsout"]
    return {
        "name": row["name"], "pages": pages, "ms": ns / 1e6,
        "pages_s": rate(pages, ns),
        "busy_insns_page": (ns - row["idle_ns"]) / pages,
        "idle_pct": 100.0 * row["idle_ns"] / ns if ns else 0.0,
        "pgsout": row["v_swappgsout"], "pgsin": row["v_swappgsin"],
        "pgsout_s": rate(row["v_swappgsout"], ns), "pgsin_s": rate(row["v_swappgsin"], ns),
        "out_per_io": row["v_swappgsout"] / row["v_swapout"] if row["v_swapout"] else 0.0,
        "in_per_io": row["v_swappgsin"] / row["v_swapin"] if row["v_swapin"] else 0.0,
        "busy_insns_moved": (ns - row["idle_ns"]) / moved if moved else 0.0,
        "faults": row["v_vm_faults"], "pdwakeups": row["v_pdwakeups"],
        "scanned": row["v_pdpages"], "freed": row["v_dfree"],
        "scanned_per_freed": row["v_pdpages"] / row["v_dfree"] if row["v_dfree"] else 0.0,
        "reactivated": row["v_reactivated"], "vmwaits": row["v_vmwaits"],
        "oom_kills": row["v_oom_kills"],
    }


def goals(raw, phases):
    """(figure, paging pages/s, raw pages/s, ratio, met) for each goal."""
    out = []
    for direction, phase, key in (("write", "seq_write", "pgsout_s"),
                                  ("read", "seq_read", "pgsin_s")):
        p = phases.get(phase)
        for r in raw:
            if p is None or r["name"] != "raw_" + direction:
                continue
            ratio = p[key] / r["pages_s"]
            out.append(("page-%s vs raw %s, %d KiB requests" % (
                "out" if direction == "write" else "in", direction, r["reqsize"] // 1024),
                p[key], r["pages_s"], ratio, ratio >= 0.5))
    return out


def print_tables(raw, phases, checks):
    print("\nraw disk (block layer, sequential, twice RAM)")
    print("%-10s %8s %9s %9s %10s %11s %9s %6s" % (
        "pass", "request", "ms", "MiB/s", "pages/s", "insns/page", "us/io", "idle%"))
    for r in raw:
        print("%-10s %7dK %9.1f %9.1f %10.0f %11.0f %9.2f %6.1f" % (
            r["name"], r["reqsize"] // 1024, r["ms"], r["mib_s"], r["pages_s"],
            r["busy_insns_page"], r["us_per_io"], r["idle_pct"]))
    print("\nswap (pages touched; insns are busy guest instructions, idle left out)")
    print("%-15s %6s %8s %9s %10s %6s %7s %7s %6s %6s %6s %6s %7s %6s" % (
        "phase", "pages", "ms", "pages/s", "insns/page", "idle%", "out", "in",
        "out/io", "in/io", "wakes", "scan/f", "react", "waits"))
    for name, _ in PHASES:
        p = phases.get(name)
        if p is None:
            continue
        print("%-15s %6d %8.1f %9.0f %10.0f %6.1f %7d %7d %6.1f %6.1f %6d %6.2f %7d %6d" % (
            name, p["pages"], p["ms"], p["pages_s"], p["busy_insns_page"], p["idle_pct"],
            p["pgsout"], p["pgsin"], p["out_per_io"], p["in_per_io"], p["pdwakeups"],
            p["scanned_per_freed"], p["reactivated"], p["vmwaits"]))
    print("\n(out/in: pages written to / read from swap; out/io, in/io: pages per swap I/O;")
    print(" wakes: page daemon passes; scan/f: pages it scanned per page it freed;")
    print(" react: pages it reactivated; waits: threads that slept for a free page)")
    print("\n%-45s %10s %10s %7s" % ("goal: paging >= half the raw throughput",
                                     "paging/s", "raw/s", "ratio"))
    for label, mine, theirs, ratio, met in checks:
        print("%-45s %10.0f %10.0f %7.2f %s" % (label, mine, theirs, ratio,
                                                 "met" if met else "MISSED"))


def write_files(out, raw, phases, rows, checks):
    bench.write_csv(os.path.join(out, "swapbench.csv"), rows)
    with open(os.path.join(out, "swapbench.json"), "w") as f:
        json.dump({"time": "guest ns (QEMU -icount shift=0); idle_ns: waiting for the disk",
                   "measured": rows, "raw": raw, "swap": [phases[n] for n, _ in PHASES
                                                          if n in phases],
                   "goals": [dict(zip(("figure", "paging_pages_s", "raw_pages_s", "ratio",
                                       "met"), c)) for c in checks]}, f, indent=2)
        f.write("\n")


def boot(qemu, disk, append, timeout, log):
    runtests.fresh_swap_disk(disk[0], disk[1], preallocate=True)
    return runtests.boot(qemu + SWAP_DISK % disk[0], append, timeout, log_path=log)


def failed(run, what, log):
    print("swapbench: the %s run did not complete (exit %s%s); console in %s" % (
        what, run.exit_code, ", timed out" if run.timed_out else "", log))
    for line in run.context():
        print("    | " + line)
    return 1


def best(runs, key):
    """Per row (named by key), the one with the least guest time."""
    out = {}
    for rows in runs:
        for row in rows:
            k = key(row)
            if k not in out or row["ns"] < out[k]["ns"]:
                out[k] = row
    order = [key(r) for r in runs[0]]
    return [out[k] for k in order]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--qemu", required=True, help="QEMU command without -append")
    ap.add_argument("--out", required=True, help="folder for results and logs")
    ap.add_argument("--quick", action="store_true", help="sequential sweep only")
    ap.add_argument("--runs", type=int, default=1, help="boots of each kind")
    ap.add_argument("--swap-mib", type=int, default=512, help="swap disk size")
    ap.add_argument("--timeout", type=float, default=1200)
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    disk = (os.path.join(args.out, "swap.img"), args.swap_mib)
    raw_runs, swap_runs = [], []
    for _ in range(args.runs):
        log = os.path.join(args.out, "swapbench-raw.log")
        run = boot(args.qemu, disk, "test=blk_throughput blkbench=vdb", args.timeout, log)
        passed, bad = runtests.judge(run)
        if bad or not passed:
            return failed(run, "raw disk", log)
        raw_runs.append(bench.parse(run.lines))
        log = os.path.join(args.out, "swapbench.log")
        run = boot(args.qemu, disk, "init=/bench/swapbench swap=vdb" +
                   (" bench=quick" if args.quick else ""), args.timeout, log)
        if (run.timed_out or run.panic_line() or run.exit_code != 0 or
                not any(l.startswith("swapbench: done") for l in run.lines)):
            return failed(run, "swap", log)
        swap_runs.append(bench.parse(run.lines))
    raw_rows = best(raw_runs, lambda r: (r["name"], r["reqsize"]))
    swap_rows = best(swap_runs, lambda r: r["name"])
    raw = [derive_raw(r) for r in raw_rows]
    phases = {r["name"]: derive_phase(r) for r in swap_rows}
    checks = goals(raw, phases)
    print_tables(raw, phases, checks)
    write_files(args.out, raw, phases, raw_rows + swap_rows, checks)
    print("\nswapbench: results in %s/swapbench.csv and swapbench.json%s" % (
        args.out, " (best of %d runs)" % args.runs if args.runs > 1 else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
