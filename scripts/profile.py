#!/usr/bin/env python3
"""Count, instruction by instruction, where one VM operation's cost goes.

    scripts/profile.py --qemu "QEMU COMMAND WITHOUT -append" --case CASE
        [--kernel build/kernel.elf] [--user build/rootfs-stage/bench/vmbench]
        [--init /bench/vmbench] [--append "WORDS"] [--irqs]
        [--top 30] [--out FILE] [--lines FUNCTION]

Boots with init=/bench/vmbench bench=profile:CASE and QEMU's gdb stub.
vmbench sets up the case (zfod, zfod_prefault, zfod_seq, cow_copy, cow_rename,
file_read, syscall, fork[:pages], fork_exec[:off]) and runs one operation
between profile_begin()
and profile_end().  This script single-steps, through QEMU's gdb stub,
every instruction the machine runs in between (user, kernel, firmware;
QEMU holds interrupts off while stepping) and attributes each to the
function holding it: per-function
instruction counts, exact, the same figure `make bench` reports as a whole.

`make profile CASE=zfod` runs it on the benchmark kernel.

--irqs lets device interrupts in while stepping, for operations that wait
for a device (swapbench's page-ins and page-outs: `make swapprofile
CASE=seq_read`): the interrupt handlers, the page daemon and whatever else
runs meanwhile are counted too, and the idle loop's wait shows as one
instruction.  Timers stay held off (between steps the guest clock would
run on with real time, and the tick would fire every few steps), so the
tick's own cost is left out, and an operation that waits for a timeout
never finishes.  --init and --append choose the program (its symbols come
from --user) and add words to the command line.
"""

import argparse
import bisect
import os
import shlex
import socket
import subprocess
import sys
import time

PROFILE_MAGIC = 0x564d4b70726f66

REG_A0, REG_PC = 10, 32	# register numbers in the RISC-V gdb protocol
WFI = "73005010"	# the wfi instruction, as the stub shows memory


class Stub:
    """Just enough of the gdb remote protocol to single-step QEMU.

    gdb itself steps RISC-V in software (a breakpoint after the next
    instruction, then continue), which runs whole traps and lets interrupts
    in; QEMU's own single step (the 's' packet) takes one instruction at a
    time with interrupts and timers held off.
    """

    def __init__(self, port):
        for _ in range(100):
            try:
                self.sock = socket.create_connection(("127.0.0.1", port))
                self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                break
            except ConnectionRefusedError:
                time.sleep(0.1)
        else:
            sys.exit("profile: cannot reach QEMU's gdb stub")
        self.buf = b""
        self.acks = True
        if self.command("QStartNoAckMode") == "OK":
            self.acks = False

    def _read_packet(self):
        while True:
            start = self.buf.find(b"$")
            end = self.buf.find(b"#", start)
            if start >= 0 and end >= 0 and len(self.buf) >= end + 3:
                body = self.buf[start + 1:end]
                self.buf = self.buf[end + 3:]
                if self.acks:
                    self.sock.sendall(b"+")
                return body.decode()
            chunk = self.sock.recv(65536)
            if not chunk:
                sys.exit("profile: QEMU closed the gdb connection")
            self.buf += chunk

    def command(self, body, reply=True):
        data = body.encode()
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) & 0xff))
        return self._read_packet() if reply else None

    def regs(self, *numbers):
        """Registers by number, from one 'g' packet (x0-x31, then pc)."""
        packet = self.command("g")
        return [int.from_bytes(bytes.fromhex(packet[16 * n:16 * n + 16]), "little")
                for n in numbers]


def step_between(stub, begin, end, idle, symbols, irqs):
    """PCs run from profile_begin (entered with the magic) to profile_end."""
    # QEMU's step flags: 1 step, 2 no interrupts, 4 no timers.
    if irqs and stub.command("Qqemu.sstep=0x5") != "OK":
        sys.exit("profile: QEMU's stub cannot step with interrupts on")
    while True:
        stub.command("Z0,%x,2" % begin)
        stub.command("c")
        stub.command("z0,%x,2" % begin)
        if stub.regs(REG_A0)[0] == PROFILE_MAGIC:
            break
        stub.command("s")	# QEMU would stop at the breakpoint again
    stub.sock.settimeout(30)
    pcs = []
    while True:
        stub.command("s")
        pc, a0 = stub.regs(REG_PC, REG_A0)
        if pc == end and a0 == PROFILE_MAGIC:
            return pcs
        if not irqs and idle[0] <= pc < idle[1] and stub.command("m%x,4" % pc) == WFI:
            print("profile: the last instructions before going idle:")
            print_runs(pcs[-400:], *symbols)
            sys.exit("profile: the operation went idle (waiting for a device?); "
                     "QEMU holds interrupts off while stepping, so it would "
                     "never wake.  Warm up what it waits for first.")
        pcs.append(pc)


class Symbols:
    """Address to function name, from `nm -n` of one ELF file."""

    def __init__(self, path, nm):
        self.path = path
        self.addrs, self.names = [], []
        out = subprocess.run([nm, "-n", path], capture_output=True, text=True,
                             check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "tTwW":
                self.addrs.append(int(parts[0], 16))
                self.names.append(parts[2])

    def lookup(self, addr):
        i = bisect.bisect_right(self.addrs, addr) - 1
        return self.names[i] if i >= 0 else "?"

    def address(self, name):
        return self.addrs[self.names.index(name)]

    def extent(self, name):
        """[start, end) of a function: up to the next symbol."""
        i = self.names.index(name)
        return self.addrs[i], self.addrs[i + 1]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trace(qemu, init, append, case, kernel_syms, user_syms, irqs):
    """Run the case under QEMU's gdb stub; the PCs executed in between."""
    port = free_port()
    cmd = shlex.split(qemu) + ["-gdb", "tcp:127.0.0.1:%d" % port, "-S", "-append",
                               " ".join(["init=" + init, "bench=profile:" + case] +
                                        ([append] if append else []))]
    vm = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL)
    try:
        return step_between(Stub(port), user_syms.address("profile_begin"),
                            user_syms.address("profile_end"),
                            kernel_syms.extent("idle_loop"),
                            (kernel_syms, user_syms), irqs)
    finally:
        vm.kill()
        vm.wait()


def function_of(pc, kernel_syms, user_syms):
    """The function holding pc; firmware and user code named as such."""
    if pc >= 0xffffffff00000000:
        return kernel_syms.lookup(pc)
    if pc >= 0x80000000:
        return "[firmware]"
    return "[user] " + user_syms.lookup(pc)


def attribute(pcs, kernel_syms, user_syms):
    """{function: instructions}."""
    counts = {}
    for pc in pcs:
        name = function_of(pc, kernel_syms, user_syms)
        counts[name] = counts.get(name, 0) + 1
    return counts


def print_runs(pcs, kernel_syms, user_syms):
    """Each run of consecutive instructions in one function, in order."""
    last, n = None, 0
    for pc in pcs + [None]:
        name = None if pc is None else function_of(pc, kernel_syms, user_syms)
        if name != last and last is not None:
            print("%6d  %s" % (n, last))
            n = 0
        last, n = name, n + 1


def line_counts(pcs, syms, name, addr2line):
    """[(instructions, "file:line")] of the function `name', by source line
    (an inlined callee's lines under their own file), most first."""
    start, end = syms.extent(name)
    per_pc = {}
    for pc in pcs:
        if start <= pc < end:
            per_pc[pc] = per_pc.get(pc, 0) + 1
    if not per_pc:
        return []
    order = sorted(per_pc)
    out = subprocess.run([addr2line, "-e", syms.path] + ["%x" % pc for pc in order],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    per_line = {}
    for pc, where in zip(order, out):
        where = os.path.relpath(where) if where.startswith("/") else where
        per_line[where] = per_line.get(where, 0) + per_pc[pc]
    return sorted(((n, w) for w, n in per_line.items()), reverse=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--case", required=True)
    ap.add_argument("--kernel", default="build/kernel.elf")
    ap.add_argument("--user", default="build/rootfs-stage/bench/vmbench")
    ap.add_argument("--init", default="/bench/vmbench", help="the program to run")
    ap.add_argument("--append", default="", help="more kernel command line words")
    ap.add_argument("--irqs", action="store_true",
                    help="let interrupts in while stepping (device waits)")
    ap.add_argument("--nm", default="riscv64-linux-gnu-nm")
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--out", help="also write the full table here")
    ap.add_argument("--calls", action="store_true",
                    help="print the functions in the order they ran")
    ap.add_argument("--lines", metavar="FUNCTION",
                    help="also break FUNCTION's instructions down by source line")
    ap.add_argument("--addr2line", default="riscv64-linux-gnu-addr2line")
    args = ap.parse_args()

    kernel_syms = Symbols(args.kernel, args.nm)
    user_syms = Symbols(args.user, args.nm)
    pcs = trace(args.qemu, args.init, args.append, args.case, kernel_syms, user_syms,
                args.irqs)
    if args.calls:
        print_runs(pcs, kernel_syms, user_syms)
    counts = sorted(attribute(pcs, kernel_syms, user_syms).items(),
                    key=lambda kv: -kv[1])
    lines = ["profile %s: %d instructions from profile_begin to profile_end"
             % (args.case, len(pcs))]
    lines += ["%8d %5.1f%%  %s" % (n, 100.0 * n / len(pcs), name)
              for name, n in counts]
    print("\n".join(lines[:args.top + 1]))
    if args.lines:
        by_line = ["", "%s by source line:" % args.lines]
        by_line += ["%8d  %s" % nw for nw in
                    line_counts(pcs, kernel_syms, args.lines, args.addr2line)]
        print("\n".join(by_line))
        lines += by_line
    if args.out:
        with open(args.out, "w") as f:
            f.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
