#!/usr/bin/env python3
"""Run every test and print one summary line, "N passed, N failed".

    scripts/check.py --build build --qemu "QEMU COMMAND WITHOUT -append"

1. Host tests: each build/host/test_* (cmocka, ASan+UBSan); one result per
   cmocka test case, plus a failure if a binary dies without its summary.
2. Guest tests: boot with test=all; one result per in-kernel test.  Then
   the user suite (init=/test/utest): one result per test program case;
   the thread suite (init=/test/threadtest), whose Linux-meaning cases
   also run under qemu-riscv64 with their lines compared; the SMP suite
   (init=/test/smptest: shootdowns, COW, ASID rollover, futexes and
   thread churn with threads pinned to every hart).
   Then the memory-pressure suite (init=/test/memtest) in a 64 MiB
   machine with a swap disk.
3. Differential test: /test/difftest runs in the guest and under
   qemu-riscv64 (Linux semantics) on the host; the outputs must match.
   Then the short stress runs and a short run of the system-call fuzzer
   (init=/test/sysfuzz).  After them, e2fsck -fn on every file-system
   image the guest runs wrote to.
4. Harness checks: the runner must catch a failing test, a wild kernel
   access and a panic (each with a symbolised backtrace), an unknown test
   name and a hung kernel; and the console must take interrupt-driven
   input (the kernel monitor answers a command, then powers off).
5. Benchmark tools: a short `make bench` run (vmbench checks that each
   measured fault took the path it is named for) gives every figure,
   scripts/profile.py attributes a system call's instructions to functions,
   and a short `make swapbench` run (the raw disk passes and the
   sequential sweep, every page checked) gives its figures.

Every boot but the benchmarks' uses the --qemu command, meant to carry the
WITNESS=1 kernel: any lock-order report ("witness: ...") in any console
log fails the run, except in the one boot that makes them on purpose.  The
benchmark checks boot --qemu-icount instead: the normal kernel
(BUILD/kernel.elf) on one hart under -icount.

Console logs are kept in BUILD/logs/.  Exit status 0 only if nothing failed.
"""

import argparse
import difflib
import json
import glob
import os
import pty
import re
import select
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import runtests  # noqa: E402

CMOCKA_OK = re.compile(r"^\[       OK \] (\S+)")
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\S+)$")
CMOCKA_DONE = re.compile(r"^\[==========\] \d+ test\(s\) run\.")


class Results:
    def __init__(self):
        self.passed = []
        self.failed = []

    def ok(self, name):
        self.passed.append(name)
        print("PASS %s" % name, flush=True)

    def fail(self, name, reason, context=()):
        self.failed.append(name)
        print("FAIL %s: %s" % (name, reason), flush=True)
        for line in context:
            print("    | " + line)


def run_host_tests(build, res):
    bins = sorted(glob.glob(os.path.join(build, "host", "test_*")))
    bins = [b for b in bins if os.access(b, os.X_OK) and not b.endswith(".d")]
    if not bins:
        res.fail("host", "no host test binaries under %s/host" % build)
    for path in bins:
        binname = os.path.basename(path)
        try:
            proc = subprocess.run([path], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  timeout=300)
            out = proc.stdout.decode("utf-8", "replace").splitlines()
            code = proc.returncode
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode("utf-8", "replace").splitlines()
            code = None
        ok, bad, done = [], [], False
        for line in out:
            m = CMOCKA_OK.match(line)
            if m:
                ok.append(m.group(1))
            m = CMOCKA_FAILED.match(line)
            if m and m.group(1) not in bad:
                bad.append(m.group(1))
            if CMOCKA_DONE.match(line):
                done = True
        for name in ok:
            res.ok("host:%s:%s" % (binname, name))
        for name in bad:
            res.fail("host:%s:%s" % (binname, name), "cmocka reported a failure", out[-30:])
        if code is None:
            res.fail("host:%s" % binname, "timed out", out[-30:])
        elif not done or (code != 0 and not bad):
            res.fail("host:%s" % binname, "exited with %s before finishing" % code, out[-40:])


def run_suite(qemu, logs, res, prefix, append, timeout, log_name):
    """Boot with append and record every TEST line as prefix:name."""
    run = runtests.boot(qemu, append, timeout, os.path.join(logs, log_name))
    passed, failed = runtests.judge(run)
    for name, _, _ in passed:
        res.ok("%s:%s" % (prefix, name))
    for name, reason, ctx in failed:
        res.fail("%s:%s" % (prefix, name), reason, ctx)
    return run


def run_guest_tests(qemu, logs, res):
    run_suite(qemu, logs, res, "guest", "test=all", 300, "guest-all.log")


def run_stress(qemu, logs, res):
    """Short stress runs with leak and chain checks (make stress runs long ones)."""
    run = run_suite(qemu, logs, res, "stress", "init=/stress/stressrun", 600, "stress.log")
    if any(re.search(r"WARNING|warning:", line) for line in run.lines):
        res.fail("stress:kernel_log", "the kernel logged a warning", run.context())


def run_fuzz(qemu, logs, res):
    """A short seeded run of the system-call fuzzer (make fuzz runs long
    ones): one result per batch (findings, a leak), plus any kernel
    warning."""
    run = run_suite(qemu, logs, res, "fuzz", "init=/test/sysfuzz fuzz_seed=1 fuzz_calls=1500",
                    120, "sysfuzz.log")
    if any(re.search(r"WARNING|warning:", line) for line in run.lines):
        res.fail("fuzz:kernel_log", "the kernel logged a warning", run.context())


def run_user_tests(qemu, logs, res):
    """The user-space suite: init runs /test/utest and halts with its status."""
    run_suite(qemu, logs, res, "user", "init=/test/utest", 300, "utest.log")


def run_ash_tests(qemu, logs, res):
    """The shell-level suite: busybox ash runs /test/ashtest (pipelines,
    globbing, variables, $? and $$, redirections, & and wait, the tools)."""
    run_suite(qemu, logs, res, "ash", "init=/test/ashtest", 300, "ashtest.log")


def small_qemu(qemu):
    """qemu, in 64 MiB, with only the root disk (vda)."""
    small = re.sub(r"-m \S+", "-m 64M", qemu, count=1)
    return re.sub(r" -drive file=\S+/(?!root\.img)[^/\s]+,if=none\S* "
                  r"-device virtio-blk-device,drive=\S+", "", small)


def pressure_qemu(qemu, build):
    """qemu, in 64 MiB, with the root disk (vda) and a fresh swap disk (vdb)."""
    swap = os.path.join(build, "swap.img")
    runtests.fresh_swap_disk(swap, 256)
    return small_qemu(qemu) + (" -drive file=%s,if=none,format=raw,id=swap"
                               " -device virtio-blk-device,drive=swap" % swap)


def run_pressure_tests(qemu, build, logs, res):
    """The memory-pressure suite, in a 64 MiB machine with a swap disk: file
    data larger than RAM through the page cache, anonymous memory larger
    than RAM through swap, and the out-of-memory kill."""
    run_suite(pressure_qemu(qemu, build), logs, res, "pressure",
              "init=/test/memtest swap=vdb", 900, "memtest.log")


def between(lines, begin, end):
    """The lines from begin to end (inclusive), without carriage returns."""
    out, inside = [], False
    for line in lines:
        line = line.rstrip("\r")
        if line == begin:
            inside = True
        if inside:
            out.append(line)
        if line == end and inside:
            break
    return out


def run_difftest(qemu, build, logs, res):
    """The same binary on vmk and under qemu-riscv64 (Linux): same output."""
    binary = os.path.join(build, "rootfs-stage", "test", "difftest")
    workdir = tempfile.mkdtemp(prefix="vmk-difftest-")
    try:
        host = subprocess.run(["qemu-riscv64", binary, workdir], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=120)
        expected = between(host.stdout.decode("utf-8", "replace").splitlines(),
                           "DIFFTEST BEGIN", "DIFFTEST END")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    run = runtests.boot(qemu, "init=/test/difftest", 120, os.path.join(logs, "difftest.log"))
    # The console also carries the kernel's own lines about processes (a
    # child killed by SIGQUIT is logged): they are not difftest's output.
    got = [line for line in between(run.lines, "DIFFTEST BEGIN", "DIFFTEST END")
           if not re.match(r"pid \d+ \(\S*\): ", line)]
    if not expected or expected[-1] != "DIFFTEST END":
        res.fail("diff:host_run", "difftest did not finish under qemu-riscv64",
                 host.stdout.decode("utf-8", "replace").splitlines()[-20:])
        return
    if got == expected:
        res.ok("diff:difftest (%d lines identical)" % len(expected))
        return
    delta = list(difflib.unified_diff(expected, got, "linux (qemu-riscv64)", "vmk",
                                      lineterm=""))
    res.fail("diff:difftest", "output differs from Linux", delta[:60] or run.context())


# threadtest's tests that mean the same on Linux (see its top): run under
# qemu-riscv64 too, and their lines compared.
THREAD_DIFF_TESTS = [
    "create_join", "ids", "tls", "mutex_contention", "condvar_queue",
    "condvar_broadcast_timedwait", "futex_errors", "futex_timeouts", "futex_eintr",
    "futex_wake_requeue", "futex_shared_between_processes", "exit_vs_exit_group",
    "tgkill_one_thread", "process_signal_to_unblocked_thread", "sigmask_per_thread",
    "sigsuspend_per_thread", "shared_files_and_cwd", "fork_from_thread", "clone_flags", "affinity", "robust_owner_death",
]


def run_thread_tests(qemu, build, logs, res):
    """The thread suite (init=/test/threadtest): one result per case; then
    its Linux-meaning cases under qemu-riscv64, whose lines must match."""
    run = run_suite(qemu, logs, res, "thread", "init=/test/threadtest", 300,
                    "threadtest.log")
    binary = os.path.join(build, "rootfs-stage", "test", "threadtest")
    try:
        host = subprocess.run(["qemu-riscv64", binary] + THREAD_DIFF_TESTS,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=300)
        host_out = host.stdout.decode("utf-8", "replace").splitlines()
    except subprocess.TimeoutExpired as e:
        host_out = (e.stdout or b"").decode("utf-8", "replace").splitlines()
    wanted = set(THREAD_DIFF_TESTS)

    def lines_of(out):
        return [l.rstrip("\r") for l in out
                if l.startswith("TEST ") and l[5:].split(":")[0] in wanted]

    expected, got = lines_of(host_out), lines_of(run.lines)
    if len(expected) != len(THREAD_DIFF_TESTS) or any(
            not l.endswith(": PASS") for l in expected):
        res.fail("diff:threadtest_host_run", "threadtest failed under qemu-riscv64",
                 host_out[-20:])
    elif got == expected:
        res.ok("diff:threadtest (%d lines identical)" % len(expected))
    else:
        delta = list(difflib.unified_diff(expected, got, "linux (qemu-riscv64)", "vmk",
                                          lineterm=""))
        res.fail("diff:threadtest", "output differs from Linux", delta[:60])


def run_smp_tests(qemu, logs, res):
    """The multi-hart VM suite (init=/test/smptest): threads pinned to
    different harts race munmap, mprotect, MADV_DONTNEED and fork; ASID
    rollover on all harts; futex ping-pong; thread churn with leak checks.
    It also fails on any kernel warning."""
    run = run_suite(qemu, logs, res, "smp", "init=/test/smptest", 400, "smptest.log")
    if any(re.search(r"WARNING|warning:", line) for line in run.lines):
        res.fail("smp:kernel_log", "the kernel logged a warning", run.context())


def run_fsck(qemu, res):
    """e2fsck -fn every ext2 image the guest tests wrote to: must be clean."""
    for image in re.findall(r"file=(\S+/(?:root|fs1k|fs2k)\.img),if=none", qemu):
        proc = subprocess.run(["e2fsck", "-fn", image], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT)
        out = proc.stdout.decode("utf-8", "replace").splitlines()
        name = "fsck:%s" % os.path.basename(image)
        if proc.returncode == 0:
            res.ok(name)
        else:
            res.fail(name, "e2fsck -fn exited %d" % proc.returncode, out[-30:])


def expect(res, name, cond, reason, run):
    if cond:
        res.ok(name)
    else:
        res.fail(name, reason, run.context())


def has_line(run, pattern):
    return any(re.search(pattern, line) for line in run.lines)


def run_harness_checks(qemu, logs, res):
    def boot(tag, append, timeout=60, script=()):
        return runtests.boot(qemu, append, timeout, os.path.join(logs, tag + ".log"),
                             script=script)

    run = boot("selftest-fail", "test=selftest_fail")
    _, failed = runtests.judge(run, runtests.EXIT_TESTS_FAILED)
    expect(res, "harness:reports_failed_test",
           run.exit_code == runtests.EXIT_TESTS_FAILED
           and [f[0] for f in failed] == ["selftest_fail"]
           and "test_harness.c:" in failed[0][1],
           "a failing KT_EQ was not reported as one FAIL with its location", run)

    for test, symbol in (("selftest_bad_access", "ktest_fn_selftest_bad_access"),
                         ("selftest_panic", "ktest_fn_selftest_panic")):
        run = boot(test.replace("_", "-"), "test=" + test)
        _, failed = runtests.judge(run)
        expect(res, "harness:catches_%s" % test.replace("selftest_", ""),
               run.exit_code == runtests.EXIT_PANIC
               and any(f[0] == "(panic)" for f in failed)
               and has_line(run, r"^backtrace:")
               and has_line(run, r"#\d+ +0x[0-9a-f]+ %s\+" % symbol)
               and has_line(run, r"#\d+ +0x[0-9a-f]+ ktest_run\+")
               and has_line(run, r"^\s+sepc\s+0x"),
               "no panic report with registers and a symbolised backtrace", run)

    # The witness reports each reversed pair of lock classes once, with
    # both stacks, and counts them (the test checks the count).
    run = boot("witness-reversal", "test=witness_reversal")
    passed, failed = runtests.judge(run, witness_ok=True)
    reports = [l for l in run.lines if l.startswith("witness: lock order reversal: ")]
    expect(res, "harness:witness_reports_reversals",
           passed and not failed and len(reports) == 4
           and sum(l == "backtrace:" for l in run.lines) == 8
           and sum(l.endswith(" first recorded at:") for l in run.lines) == 4
           and has_line(run, r'^witness: lock order reversal: "wtest_b" then "wtest_a"$')
           and has_line(run, r'^witness: "wtest_a" -> "wtest_b" first recorded at:$')
           and has_line(run, r'^witness: lock order reversal: sleep lock "wtest_sx_c" '
                        r'taken while holding spin lock "wtest_a"$')
           and has_line(run, r"#\d+ +0x[0-9a-f]+ ktest_fn_witness_reversal\+"),
           "the reversals were not each reported once with both stacks", run)

    run = boot("unknown-test", "test=no_such_test")
    expect(res, "harness:rejects_unknown_test",
           run.exit_code == runtests.EXIT_TESTS_FAILED
           and has_line(run, r'no test matches "no_such_test"'),
           "an unknown test name did not fail the run", run)

    run = boot("hang", "", timeout=8)
    expect(res, "harness:catches_timeout", run.timed_out and runtests.judge(run)[1],
           "a kernel that never powers off was not reported as a timeout", run)

    # The same block tests through the legacy (version 1) virtio interface.
    run = runtests.boot(qemu.replace("force-legacy=false", "force-legacy=true"),
                        "test=blk*", 120, os.path.join(logs, "virtio-legacy.log"))
    passed, failed = runtests.judge(run)
    expect(res, "guest:virtio_legacy_blk", passed and not failed
           and has_line(run, r"legacy interface"),
           "block tests failed on the legacy virtio interface", run)

    # A device error must come back as EIO: QEMU's blkdebug fails one sector.
    conf = os.path.join(logs, "blkdebug.conf")
    with open(conf, "w") as f:
        f.write('[inject-error]\nevent = "read_aio"\nerrno = "5"\nsector = "5000"\n')
    m = re.search(r"file=(\S*scratch\.img),if=none", qemu)
    eio_qemu = qemu.replace(m.group(0), "file=blkdebug:%s:%s,if=none,rerror=report,"
                            "werror=report" % (conf, m.group(1))) if m else qemu
    run = runtests.boot(eio_qemu, "test=blk_device_error_is_eio", 60,
                        os.path.join(logs, "blk-eio.log"))
    passed, failed = runtests.judge(run)
    expect(res, "guest:blk_device_error_is_eio", m and passed and not failed,
           "an injected device error did not come back as EIO", run)

    # Typed input reaches the shell through the interrupt-driven console;
    # the shell's exit status becomes init's, and so QEMU's.
    run = boot("shell", "", script=((r"\$ $", "echo typed input works\r"),
                                    (r"^typed input works$",
                                     "sh -c 'echo ready; cat'\r"),
                                    (r"^(\$ )?ready$", "\x03"),
                                    (r"^\^C$", "echo status $?\r"),
                                    (r"status \d+$", "exit 4\r")))
    expect(res, "guest:console_input_shell",
           run.exit_code == 4 and has_line(run, r"^typed input works$"),
           "the shell did not answer typed input and exit with its status", run)
    expect(res, "guest:ctrl_c_sends_sigint", has_line(run, r"status 130$"),
           "^C did not kill the foreground program with SIGINT", run)

    # Typed ahead: half a line typed while a command runs (the tty in
    # canonical mode) is read by the shell once its line editor has put the
    # tty in raw mode, as on Linux; the rest is typed at its prompt.
    run = boot("shell-typeahead", "", script=(
        (r"\$ $", "sh -c 'echo sleeping; sleep 1'\r"),
        (r"^sleeping$", "echo typed"),
        (r"\$ echo typed$", " ahead\r", True),
        (r"^typed ahead$", "exit 5\r")))
    expect(res, "guest:console_typeahead_kept",
           run.exit_code == 5 and has_line(run, r"^typed ahead$"),
           "a line typed ahead was lost when the shell went to raw mode", run)

    # busybox poweroff and reboot ask init (SIGUSR2, SIGTERM), which ends
    # everything, syncs and powers off (0) or restarts (QEMU runs with
    # -no-reboot, so it ends too); both long before the timeout.
    for cmd in ("poweroff", "reboot"):
        run = boot("shell-" + cmd, "", timeout=30,
                   script=((r"\$ $", "sleep 100 &\r"), (r"\$ $", cmd + "\r")))
        expect(res, "guest:console_" + cmd,
               not run.timed_out and run.exit_code == runtests.EXIT_OK,
               "busybox %s did not shut the machine down" % cmd, run)

    # ^Z stops the foreground job (SIGTSTP to its group) and ash says so; fg
    # continues it to its end (fg names it first).  The job prints "go" once it is the
    # foreground group (ash's child makes itself that before it runs), so
    # that ^Z, typed then, reaches it and not ash.
    job = "sh -c 'echo go; exec sleep 3'"
    shown = re.escape(job.replace("'", '"'))    # as ash names the job
    run = boot("jobctl", "", script=((r"\$ $", job + "\r"),
                                     (r"^go$", "\x1a"),
                                     (r"Stopped\s+" + shown + "$", "fg\r"),
                                     (r"^" + shown + "$", ""),  # fg's
                                     (r"\$ $", "echo status $?\r"),
                                     (r"^status \d+$", "exit 0\r")))
    expect(res, "guest:ctrl_z_stops_fg_continues",
           run.exit_code == 0 and has_line(run, r"^\^Z$")
           and has_line(run, r"^\[1\]\+\s+Stopped\s+" + shown + "$")
           and has_line(run, r"^status 0$"),
           "^Z did not stop the foreground job, or fg did not finish it", run)

    # Without a disk there is no init: the kernel monitor takes the console.
    diskless = re.sub(r" -drive \S+ -device virtio-blk-device,drive=\S+", "", qemu)
    run = runtests.boot(diskless, "", 60, os.path.join(logs, "monitor.log"),
                        script=((r"kmon> $", "mem\r"), (r"^pages: \d+ total", "halt\r")))
    expect(res, "guest:console_input_monitor",
           run.exit_code == 0 and has_line(run, r"^pages: \d+ total, \d+ free"),
           "the monitor did not answer typed input and power off", run)


def check_witness_logs(logs, since, res):
    """No console log this run wrote (since: when it began) but the
    deliberate one holds a lock-order report."""
    found = []
    for path in sorted(glob.glob(os.path.join(logs, "**", "*.log"), recursive=True)):
        if (os.path.basename(path) == "witness-reversal.log"
                or os.path.getmtime(path) < since):
            continue
        with open(path, errors="replace") as f:
            found += ["%s: %s" % (os.path.relpath(path, logs), line.rstrip())
                      for line in f if runtests.WITNESS_RE.match(line)]
    if found:
        res.fail("witness:no_lock_order_reports", "%d report lines" % len(found), found[:40])
    else:
        res.ok("witness:no_lock_order_reports")


BENCH_NAMES = ("null_syscall", "zfod_isolated", "zfod_sequential", "cow_copy",
               "cow_rename", "rewrite_after_fork", "file_read_isolated", "file_read_sequential",
               "fork_exit_wait", "fork_exec_wait", "exec_alone")


SWAPBENCH_NAMES = ("raw_write", "raw_read", "seq_write", "seq_read")


def run_bench_checks(icount, build, logs, res):
    """The benchmark and profiling tools work (figures are not judged here:
    vmbench itself checks that every fault took the path it measures), on
    the kernel make bench boots."""
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(logs, "bench-quick")
    proc = subprocess.run([sys.executable, os.path.join(here, "bench.py"), "--quick",
                           "--out", out, "--qemu", icount],
                          capture_output=True, text=True, timeout=600)
    lines = proc.stdout.splitlines()
    if proc.returncode != 0:
        res.fail("bench:quick_run", "bench.py exited %d" % proc.returncode, lines[-30:])
    else:
        res.ok("bench:quick_run")
    try:
        with open(os.path.join(out, "results.json")) as f:
            names = {r["name"] for r in json.load(f)["results"]}
    except (OSError, ValueError):
        names = set()
    missing = [n for n in BENCH_NAMES if n not in names]
    if missing:
        res.fail("bench:all_figures", "no result for " + ", ".join(missing), lines[-30:])
    else:
        res.ok("bench:all_figures")
    out = os.path.join(logs, "swapbench-quick")
    proc = subprocess.run([sys.executable, os.path.join(here, "swapbench.py"), "--quick",
                           "--out", out, "--swap-mib", "256", "--qemu", small_qemu(icount)],
                          capture_output=True, text=True, timeout=600)
    lines = proc.stdout.splitlines()
    try:
        with open(os.path.join(out, "swapbench.json")) as f:
            got = json.load(f)
        names = {r["name"] for r in got["swap"]} | {r["name"] for r in got["raw"]}
    except (OSError, ValueError, KeyError):
        names = set()
    missing = [n for n in SWAPBENCH_NAMES if n not in names]
    if proc.returncode != 0 or missing:
        res.fail("bench:swapbench_quick", "swapbench.py exited %d%s" % (
            proc.returncode, ", no " + ", ".join(missing) if missing else ""), lines[-30:])
    else:
        res.ok("bench:swapbench_quick")
    proc = subprocess.run([sys.executable, os.path.join(here, "profile.py"),
                           "--case", "syscall", "--top", "40",
                           "--kernel", os.path.join(build, "kernel.elf"),
                           "--user", os.path.join(build, "rootfs-stage/bench/vmbench"),
                           "--qemu", icount], capture_output=True, text=True, timeout=600)
    lines = proc.stdout.splitlines()
    m = re.match(r"profile syscall: (\d+) instructions", lines[0] if lines else "")
    if (proc.returncode == 0 and m and int(m.group(1)) > 50 and
            any(l.endswith(" syscall") for l in lines)):
        res.ok("bench:profile_syscall (%s instructions)" % m.group(1))
    else:
        res.fail("bench:profile_syscall", "no per-function profile",
                 (lines + proc.stderr.splitlines())[-30:])


def free_tcp_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_exit(pid, fd, timeout):
    """Wait for child pid to end, reading its terminal fd meanwhile (so
    that it never blocks writing); False if it is still running."""
    end = time.time() + timeout
    while time.time() < end:
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return True
        if select.select([fd], [], [], 0.2)[0]:
            try:
                os.read(fd, 4096)
            except OSError:
                time.sleep(0.2)
    return False


def run_gdb_check(qemu, build, logs, res):
    """`make gdb`'s script under a terminal: Ctrl-C at gdb stops the guest
    and QEMU survives it (it used to die of the terminal's SIGINT)."""
    name = "harness:gdb_ctrl_c_stops_guest_keeps_qemu"
    pidfile = os.path.join(build, "test", "qemu-gdb.pid")
    env = dict(os.environ, GDB_PORT=str(free_tcp_port()))
    argv = ["scripts/gdb.sh", os.path.join(build, "kernel.elf"),
            os.path.join(logs, "gdb-console.log"), pidfile] + shlex.split(qemu)
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    out = bytearray()

    def wait_for(text, timeout):
        end = time.time() + timeout
        while time.time() < end:
            if select.select([fd], [], [], 0.2)[0]:
                try:
                    out.extend(os.read(fd, 4096))
                except OSError:
                    return False
            if text in out:
                del out[:out.index(text) + len(text)]
                return True
        return False

    def qemu_alive():
        try:
            os.kill(int(open(pidfile).read()), 0)
            return True
        except (OSError, ValueError):
            return False

    steps = []
    steps.append(("gdb attached", wait_for(b"(gdb) ", 60)))
    os.write(fd, b"continue\n")
    steps.append(("guest continued", wait_for(b"Continuing.", 10)))
    time.sleep(2)
    os.write(fd, b"\x03")
    steps.append(("Ctrl-C stopped the guest", wait_for(b"SIGINT", 10)))
    steps.append(("QEMU alive after Ctrl-C", qemu_alive()))
    os.write(fd, b"p/x $pc\n")
    steps.append(("gdb reads the stopped hart", wait_for(b"$1 = 0x", 10)))
    os.write(fd, b"quit\n")
    if wait_for(b"(y or n)", 10):
        os.write(fd, b"y\n")
    steps.append(("gdb.sh ended", wait_exit(pid, fd, 20)))
    steps.append(("QEMU stopped with gdb", not qemu_alive()))
    os.close(fd)
    failed = [what for what, ok in steps if not ok]
    if failed:
        if qemu_alive():
            os.kill(int(open(pidfile).read()), signal.SIGKILL)
        res.fail(name, "failed: " + ", ".join(failed), [])
    else:
        res.ok(name)


# Each suite, in order; check.py --only picks some by name.
SUITES = [
    ("host", lambda a, logs, res: run_host_tests(a.build, res)),
    ("guest", lambda a, logs, res: run_guest_tests(a.qemu, logs, res)),
    ("user", lambda a, logs, res: run_user_tests(a.qemu, logs, res)),
    ("ash", lambda a, logs, res: run_ash_tests(a.qemu, logs, res)),
    ("thread", lambda a, logs, res: run_thread_tests(a.qemu, a.build, logs, res)),
    ("smp", lambda a, logs, res: run_smp_tests(a.qemu, logs, res)),
    ("pressure", lambda a, logs, res: run_pressure_tests(a.qemu, a.build, logs, res)),
    ("diff", lambda a, logs, res: run_difftest(a.qemu, a.build, logs, res)),
    ("stress", lambda a, logs, res: run_stress(a.qemu, logs, res)),
    ("fuzz", lambda a, logs, res: run_fuzz(a.qemu, logs, res)),
    ("fsck", lambda a, logs, res: run_fsck(a.qemu, res)),
    ("harness", lambda a, logs, res: (run_harness_checks(a.qemu, logs, res),
                                      run_gdb_check(a.qemu, a.build, logs, res))),
    ("bench", lambda a, logs, res: run_bench_checks(a.qemu_icount, a.build, logs, res)),
]


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--qemu-icount", required=True,
                    help="the same on one hart under -icount (benchmark checks)")
    ap.add_argument("--only", default="",
                    help="comma-separated suites to run (default: all): " +
                    ",".join(name for name, _ in SUITES))
    args = ap.parse_args()
    only = [name for name in args.only.split(",") if name]
    unknown = [name for name in only if name not in dict(SUITES)]
    if unknown:
        ap.error("unknown suite %s" % ",".join(unknown))

    started = time.time()
    logs = os.path.join(args.build, "logs")
    os.makedirs(logs, exist_ok=True)
    res = Results()
    for name, suite in SUITES:
        if only and name not in only:
            continue
        t0 = time.time()
        suite(args, logs, res)
        print("time: %s %.0f s" % (name, time.time() - t0), flush=True)
    check_witness_logs(logs, started, res)

    if res.failed:
        print("\nfailed:")
        for name in res.failed:
            print("  " + name)
    print("%d passed, %d failed" % (len(res.passed), len(res.failed)))
    sys.exit(1 if res.failed else 0)


if __name__ == "__main__":
    main()
