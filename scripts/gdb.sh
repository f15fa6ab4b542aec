#!/bin/sh
# gdb.sh KERNEL.ELF CONSOLE_LOG PIDFILE QEMU_COMMAND...: boot the guest
# halted under QEMU's gdb stub (tcp port $GDB_PORT, default 1234) and
# attach gdb-multiarch to it (`make gdb`).  The guest's console goes to
# CONSOLE_LOG; QEMU's pid to PIDFILE.
#
# Ctrl-C at the gdb prompt must stop the guest, not end QEMU: the
# terminal sends SIGINT to its whole foreground process group, which is
# make, this shell, gdb and, without care, QEMU (which dies of it).  So
# QEMU runs in a session of its own (setsid), where the terminal's
# signals do not reach it, and this shell traps SIGINT with a no-op so
# that it stays to stop QEMU when gdb exits (gdb itself takes the SIGINT
# as "interrupt the target").  make, interrupted too, waits for us.
set -u
kernel=$1 log=$2 pidfile=$3
port=${GDB_PORT:-1234}
shift 3

rm -f "$pidfile"
setsid "$@" -gdb "tcp::$port" -S -display none -serial "file:$log" -monitor none \
    -pidfile "$pidfile" </dev/null &
trap : INT
gdb-multiarch -q -ex "set architecture riscv:rv64" \
    -ex "target remote :$port" "$kernel"
status=$?
[ -s "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
wait
exit $status
