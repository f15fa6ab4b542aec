#!/bin/sh
# Check for every Debian package the build, run and tests need (dpkg-dev,
# patch and xz-utils: for apt-get source busybox), and install
# the missing ones with apt-get when we can (root, or passwordless sudo).
# Otherwise print the exact command to run and fail.
#
# Each entry is "package:probe", where probe is a file that the package
# installs; checking files instead of dpkg state keeps this fast and works
# inside containers whose dpkg database is trimmed.
set -eu

PKGS="
qemu-system-misc:/usr/bin/qemu-system-riscv64
opensbi:/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
gcc-riscv64-linux-gnu:/usr/bin/riscv64-linux-gnu-gcc
binutils-riscv64-linux-gnu:/usr/bin/riscv64-linux-gnu-objdump
libc6-dev-riscv64-cross:/usr/riscv64-linux-gnu/lib/libc.a
e2fsprogs:/sbin/mke2fs
util-linux:/sbin/mkswap
qemu-user:/usr/bin/qemu-riscv64
gdb-multiarch:/usr/bin/gdb-multiarch
libcmocka-dev:/usr/include/cmocka.h
pkg-config:/usr/bin/pkg-config
gcc:/usr/bin/gcc
make:/usr/bin/make
python3:/usr/bin/python3
device-tree-compiler:/usr/bin/dtc
gnuplot-nox:/usr/bin/gnuplot
dpkg-dev:/usr/bin/dpkg-source
patch:/usr/bin/patch
xz-utils:/usr/bin/xz
"

missing=""
for entry in $PKGS; do
	pkg=${entry%%:*}
	probe=${entry#*:}
	[ -e "$probe" ] || missing="$missing $pkg"
done

[ -z "$missing" ] && exit 0

echo "deps: missing Debian packages:$missing"
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	echo "deps: cannot install them here; run as root:"
	echo "    apt-get update && apt-get install -y$missing"
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
echo "deps: installed$missing"
