#!/usr/bin/env python3
"""Run the VM benchmarks in the guest and report them against their targets.

    scripts/bench.py --qemu "QEMU COMMAND WITHOUT -append" --out build/bench
        [--quick]

Boots the kernel with init=/bench/vmbench under QEMU with -icount shift=0
(the QEMU command given must carry it), so every figure is a count of guest
instructions: exact, and the same on every machine.  vmbench prints one
"BENCH key=value ..." line per figure; this script

  - prints them as a table with the targets they are held to,
  - fits fork cost against resident pages (least squares: slope per page
    and fixed cost),
  - writes OUT/results.csv and OUT/results.json,
  - draws OUT/fork.png (fork cost against resident memory) and
    OUT/ratios.png (faults and instructions with each tunable on and off)
    with gnuplot.

Exit status: 0 if the run completed and vmbench found every fault took the
path it measures; 1 otherwise.  A missed target is reported, not fatal:
targets are for people to chase, not for CI to trip on.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runtests  # noqa: E402

BENCH_RE = re.compile(r"^BENCH (.*)$")


def parse(lines):
    """Each BENCH line as a dict; numeric values as ints."""
    rows = []
    for line in lines:
        m = BENCH_RE.match(line)
        if not m:
            continue
        row = {}
        for pair in m.group(1).split():
            key, _, value = pair.partition("=")
            row[key] = int(value) if value.isdigit() else value
        rows.append(row)
    return rows


def find(rows, name, config=None):
    for row in rows:
        if row["name"] == name and (config is None or row.get("config") == config):
            return row
    return None


def fit(points):
    """Least-squares line through (x, y) points: (slope, intercept)."""
    n = len(points)
    sx = sum(x for x, _ in points)
    sy = sum(y for _, y in points)
    sxx = sum(x * x for x, _ in points)
    sxy = sum(x * y for x, y in points)
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    return slope, (sy - slope * sx) / n


def reduction(rows, name, on, off, key="faults"):
    """How much smaller key is with `on` than with `off`, in percent."""
    a, b = find(rows, name, on), find(rows, name, off)
    if a is None or b is None or not b[key]:
        return None
    return 100.0 * (1 - a[key] / b[key])


def targets(rows):
    """(figure, value, unit, target text, met) for every target we hold."""
    out = []

    def per_op(label, name, config, limit):
        row = find(rows, name, config)
        if row is not None:
            out.append((label, row["insns"], "insns", "<= %d" % limit,
                        row["insns"] <= limit))

    per_op("first touch, sequential, prefault on (per page)",
           "zfod_sequential", "prefault=on", 900)
    per_op("zero-fill fault, isolated, prefault off", "zfod_isolated",
           "prefault=off", 1100)
    per_op("COW copy fault", "cow_copy", "prefault=off", 1500)
    per_op("COW rename fault", "cow_rename", "cow_rename=on", 400)
    per_op("parent rewrites after its child exited (per page)",
           "rewrite_after_fork", "upgrade=on", 300)
    forks = [(r["pages"], r["insns"]) for r in rows if r["name"] == "fork_exit_wait"]
    if len(forks) >= 2:
        slope, fixed = fit(forks)
        out.append(("fork + exit + wait, per resident page", round(slope, 1),
                    "insns", "<= 40", slope <= 40))
        out.append(("fork + exit + wait, fixed cost", round(fixed), "insns",
                    "<= 50000", fixed <= 50000))
    for label, name, limit in (
            ("fewer faults with prefault, sequential anon touch", "zfod_sequential", 75),
            ("fewer faults with prefault, fork + exec + run", "fork_exec_wait", 40)):
        r = reduction(rows, name, "prefault=on", "prefault=off")
        if r is not None:
            out.append((label, round(r, 1), "%", ">= %d" % limit, r >= limit))
    on, off = (find(rows, "fork_exec_wait", c) for c in ("prefault=on", "prefault=off"))
    if on is not None and off is not None:
        more = 100.0 * (on["insns"] / off["insns"] - 1)
        out.append(("more instructions with prefault, fork + exec + run",
                    round(more, 1), "%", "<= 0", more <= 0))
    mapped, raw = (find(rows, "file_read_throughput", c) for c in ("mapped", "raw"))
    if mapped is not None and raw is not None and raw["kib_per_s"]:
        ratio = 100.0 * mapped["kib_per_s"] / raw["kib_per_s"]
        out.append(("mapped-file sequential read vs raw disk read", round(ratio),
                    "%", ">= 80", ratio >= 80))
    return out


def print_table(rows, checks):
    print("\n%-22s %-15s %12s %8s %8s  %s" % ("benchmark", "config", "insns/op",
                                              "ops", "faults", "other"))
    for row in rows:
        other = " ".join("%s=%s" % (k, v) for k, v in row.items()
                         if k not in ("name", "config", "insns", "ops", "faults"))
        print("%-22s %-15s %12s %8s %8s  %s" % (
            row["name"], row.get("config", "-"), row["insns"], row.get("ops", ""),
            row.get("faults", ""), other))
    print("\n%-52s %12s %-6s %-9s %s" % ("target", "measured", "unit", "target", ""))
    for label, value, unit, target, met in checks:
        print("%-52s %12s %-6s %-9s %s" % (label, value, unit, target,
                                           "met" if met else "MISSED"))


def write_csv(path, rows, keys=()):
    """rows (dicts) as CSV: keys first, then every other key in order seen."""
    keys = list(keys)
    for row in rows:
        keys += [k for k in row if k not in keys]
    with open(path, "w") as f:
        f.write(",".join(keys) + "\n")
        for row in rows:
            f.write(",".join(str(row.get(k, "")) for k in keys) + "\n")


def write_files(out, rows, checks):
    write_csv(os.path.join(out, "results.csv"), rows,
              ["name", "config", "insns", "ops", "faults"])
    with open(os.path.join(out, "results.json"), "w") as f:
        json.dump({"unit": "guest instructions (QEMU -icount shift=0)",
                   "results": rows,
                   "targets": [dict(zip(("figure", "value", "unit", "target", "met"), c))
                               for c in checks]}, f, indent=2)
        f.write("\n")


def plot(out, rows):
    """gnuplot PNGs; returns the paths written (none without gnuplot)."""
    if shutil.which("gnuplot") is None:
        print("bench: gnuplot not found, no plots (apt-get install gnuplot-nox)")
        return []
    forks = [(r["mib"], r["insns"]) for r in rows if r["name"] == "fork_exit_wait"]
    pairs = []
    for name, on, off in (("zfod_sequential", "prefault=on", "prefault=off"),
                          ("file_read_sequential", "prefault=on", "prefault=off"),
                          ("fork_exec_wait", "prefault=on", "prefault=off"),
                          ("cow_rename", "cow_rename=on", "cow_rename=off"),
                          ("rewrite_after_fork", "upgrade=on", "upgrade=off")):
        a, b = find(rows, name, on), find(rows, name, off)
        if a and b:
            pairs.append((name, on.split("=")[0], a, b))
    with open(os.path.join(out, "fork.dat"), "w") as f:
        for mib, insns in forks:
            f.write("%d %d\n" % (mib, insns))
    with open(os.path.join(out, "ratios.dat"), "w") as f:
        for name, tunable, a, b in pairs:
            f.write('"%s (%s)" %.3f %.3f\n' % (
                name.replace("_", " "), tunable,
                a["insns"] / b["insns"], a["faults"] / b["faults"] if b["faults"] else 1))
    script = """
set terminal pngcairo size 900,540 font ",11" noenhanced
set fit quiet
set fit logfile "{out}/fit.log"
set output "{out}/fork.png"
set title "fork + exit + wait against resident anonymous memory"
set xlabel "resident MiB"
set ylabel "guest instructions"
set grid
set key left top
f(x) = a * x + b
a = 1; b = 1
fit f(x) "{out}/fork.dat" using 1:2 via a, b
plot "{out}/fork.dat" using 1:2 with linespoints pt 7 title "measured", \\
     f(x) with lines dt 2 title sprintf("fit: %.0f insns/MiB + %.0f", a, b)
set output "{out}/ratios.png"
set title "with the optimisation on, as a fraction of off (lower is better)"
set xlabel ""
set ylabel "on / off"
set yrange [0:*]
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set xtics rotate by -15
set key right top
plot "{out}/ratios.dat" using 2:xtic(1) title "instructions", \\
     "" using 3 title "faults"
""".format(out=out)
    with open(os.path.join(out, "plot.gp"), "w") as f:
        f.write(script)
    proc = subprocess.run(["gnuplot", os.path.join(out, "plot.gp")],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        print("bench: gnuplot failed:\n" + proc.stderr)
        return []
    return [os.path.join(out, "fork.png"), os.path.join(out, "ratios.png")]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--qemu", required=True, help="QEMU command without -append")
    ap.add_argument("--out", required=True, help="folder for results and plots")
    ap.add_argument("--quick", action="store_true", help="the short run")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args()

    os.makedirs(args.out, exist_ok=True)
    append = "init=/bench/vmbench" + (" bench=quick" if args.quick else "")
    run = runtests.boot(args.qemu, append, args.timeout,
                        log_path=os.path.join(args.out, "console.log"))
    rows = parse(run.lines)
    problems = [l for l in run.lines if "vmbench: FAILED" in l]
    panic = run.panic_line()
    done = any(l.startswith("vmbench: done") for l in run.lines)
    if panic or run.timed_out or not done or not rows:
        print("bench: the run did not complete (exit %s%s%s); console in %s" % (
            run.exit_code, ", timed out" if run.timed_out else "",
            ", " + panic if panic else "", os.path.join(args.out, "console.log")))
        for line in run.context():
            print("    | " + line)
        return 1
    checks = targets(rows)
    print_table(rows, checks)
    write_files(args.out, rows, checks)
    pngs = plot(args.out, rows)
    print("\nbench: results in %s/results.csv and results.json%s" % (
        args.out, "; plots " + ", ".join(pngs) if pngs else ""))
    for line in problems:
        print(line)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
