#!/usr/bin/env python3
"""Boot the kernel under QEMU, stream its console, and collect test results.

Used by scripts/check.py, and directly:

    scripts/runtests.py --qemu "qemu-system-riscv64 -M virt ... -kernel build/kernel.elf" \
        --append "test=all" [--timeout 120] [--log build/logs/guest.log] [--verbose]

The kernel prints one line per in-kernel test ("TEST <name>: PASS" or
"TEST <name>: FAIL <where>: <what>") and powers off with a status that
reaches us as QEMU's exit code: 0 all passed, 1 some failed, 3 panic.
A run fails on any FAIL line, a panic or fatal trap, a lock-order report
("witness: ..."), a missing summary, an unexpected exit code, or the
timeout (QEMU is then killed).
"""

import argparse
import os
import re
import select
import shlex
import shutil
import subprocess
import sys
import time

TEST_RE = re.compile(r"^TEST (\S+): (PASS|FAIL)(?: (.*))?$")
SUMMARY_RE = re.compile(r"^(?:ktest|utest|threadtest|smptest|memtest|stress|sysfuzz|ashtest): (\d+) passed, (\d+) failed$")
PANIC_RE = re.compile(r"^(panic: .*|fatal kernel trap: .*)$")
# Anything the lock-order checker (WITNESS=1 kernels) says is a report.
WITNESS_RE = re.compile(r"^witness: ")

EXIT_OK, EXIT_TESTS_FAILED, EXIT_PANIC = 0, 1, 3


class Boot:
    """The outcome of one QEMU run: console lines, exit code, timeout."""

    def __init__(self):
        self.lines = []
        self.exit_code = None
        self.timed_out = False

    def panic_line(self):
        for line in self.lines:
            if PANIC_RE.match(line):
                return line
        return None

    def tests(self):
        """(name, 'PASS'|'FAIL', detail, line index) in console order."""
        found = []
        for i, line in enumerate(self.lines):
            m = TEST_RE.match(line)
            if m:
                found.append((m.group(1), m.group(2), m.group(3) or "", i))
        return found

    def witness_line(self):
        """The first line of the first lock-order report, or None."""
        for line in self.lines:
            if WITNESS_RE.match(line):
                return line
        return None

    def summary(self):
        for line in self.lines:
            m = SUMMARY_RE.match(line)
            if m:
                return int(m.group(1)), int(m.group(2))
        return None

    def context(self, index=None, before=15, after=25):
        """Console lines around index (default: the end of the run)."""
        if index is None:
            index = len(self.lines) - 1
        lo = max(0, index - before)
        return self.lines[lo:index + after]


def boot(qemu, append, timeout, log_path=None, verbose=False, script=()):
    """Run QEMU with -append APPEND until it exits or TIMEOUT seconds pass.

    script is a sequence of (regex, text): after a complete console line
    matches regex, text is typed into the console.  A regex ending in a
    space followed by "$" (a prompt such as r"\$ $"), or a step given as
    (regex, text, True), is matched against the pending partial line
    instead.  Steps run in order.
    """
    cmd = shlex.split(qemu) + ["-append", append]
    result = Boot()
    if log_path:
        os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
    log = open(log_path, "w") if log_path else None
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    steps = list(script)
    pending = b""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                result.timed_out = True
                break
            ready, _, _ = select.select([fd], [], [], min(left, 0.5))
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 4096)
            if not chunk:
                break
            if log:
                log.write(chunk.decode("utf-8", "replace"))
                log.flush()
            if verbose:
                sys.stdout.write(chunk.decode("utf-8", "replace"))
                sys.stdout.flush()
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for raw in complete:
                result.lines.append(raw.decode("utf-8", "replace").rstrip("\r"))
            steps = _run_script(proc, result.lines[-len(complete):] if complete else [],
                                pending.decode("utf-8", "replace"), steps)
    finally:
        if proc.poll() is None:
            proc.kill()
        result.exit_code = proc.wait()
        if pending:
            result.lines.append(pending.decode("utf-8", "replace").rstrip("\r"))
        if log:
            log.close()
    if result.timed_out:
        result.exit_code = None
    return result


def fresh_swap_disk(path, size_mb, preallocate=False):
    """A disk image prepared by mkswap (Linux's swap format): sparse, or
    written through with zeros (preallocate) so that no write the guest
    makes has to allocate space in the host's file system."""
    with open(path, "wb") as f:
        if preallocate:
            zeros = bytes(1 << 20)
            for _ in range(size_mb):
                f.write(zeros)
        else:
            f.truncate(size_mb << 20)
    mkswap = shutil.which("mkswap") or "/sbin/mkswap"
    subprocess.run([mkswap, "-q", path], check=True, stdout=subprocess.DEVNULL)


def _run_script(proc, new_lines, partial, steps):
    """Type the next scripted input when its trigger has appeared."""
    while steps:
        pattern, text = steps[0][:2]
        on_partial = pattern.endswith(" $") or steps[0][2:] == (True,)
        candidates = [partial] if on_partial else new_lines
        if not any(re.search(pattern, l) for l in candidates):
            break
        proc.stdin.write(text.encode())
        proc.stdin.flush()
        steps = steps[1:]
        new_lines, partial = [], ""
    return steps


def judge(run, expect_exit=EXIT_OK, witness_ok=False):
    """Return (passed, failed) lists of (name, reason, context) for a test run.
    Lock-order reports fail it unless witness_ok (a run that makes them on
    purpose checks them itself)."""
    passed, failed = [], []
    for name, verdict, detail, idx in run.tests():
        if verdict == "PASS":
            passed.append((name, "", []))
        else:
            failed.append((name, detail, run.context(idx, 15, 2)))
    panic = run.panic_line()
    if run.timed_out:
        failed.append(("(timeout)", "QEMU did not finish in time", run.context()))
    elif panic:
        idx = run.lines.index(panic)
        failed.append(("(panic)", panic, run.context(idx, 10, 40)))
    elif run.summary() is None:
        failed.append(("(no summary)", "the kernel never printed its test summary",
                       run.context()))
    elif run.witness_line() and not witness_ok:
        idx = run.lines.index(run.witness_line())
        failed.append(("(lock order)", run.witness_line(), run.context(idx, 5, 40)))
    elif run.exit_code != expect_exit and not failed:
        failed.append(("(exit code)", "QEMU exited with %s, expected %s"
                       % (run.exit_code, expect_exit), run.context()))
    return passed, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--qemu", required=True, help="QEMU command without -append")
    ap.add_argument("--append", default="test=all", help="kernel command line")
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--log", help="write the console to this file")
    ap.add_argument("--verbose", action="store_true", help="echo the console")
    args = ap.parse_args()

    run = boot(args.qemu, args.append, args.timeout, args.log, args.verbose)
    passed, failed = judge(run)
    for name, _, _ in passed:
        print("PASS guest:%s" % name)
    for name, reason, ctx in failed:
        print("FAIL guest:%s: %s" % (name, reason))
        for line in ctx:
            print("    | " + line)
    print("%d passed, %d failed" % (len(passed), len(failed)))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
