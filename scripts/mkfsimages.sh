#!/bin/sh
# Build the ext2 images the kernel boots and tests with.
#   mkfsimages.sh BUILD_DIR
# root.img   the root file system (4 KiB blocks) from BUILD_DIR/rootfs
# fs1k.img   1 KiB blocks, fs2k.img 2 KiB blocks: small test trees
# badmagic.img, badblock.img, dirloop.img: deliberately damaged images
set -eu

B=$1
ROOT=$B/rootfs
FIX=$B/fsfixture
mkdir -p "$ROOT" "$FIX"

# A tree with the cases the file-system tests read: text, a file big
# enough for indirect blocks, a sparse file, directories and symlinks.
make_tree() {
	d=$1
	mkdir -p "$d/dir/sub" "$d/tmp"
	printf 'vmk test file system\n' > "$d/README"
	printf 'hello from a subdirectory\n' > "$d/dir/sub/file.txt"
	python3 -c '
import struct, sys
with open(sys.argv[1], "wb") as f:
    for off in range(0, 300 * 1024, 8):
        f.write(struct.pack("<Q", off))
' "$d/big.bin"
	rm -f "$d/hole.bin"
	python3 -c '
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"start")
    f.seek(200 * 1024)
    f.write(b"end")
' "$d/hole.bin"
	ln -sf dir/sub/file.txt "$d/link"
	ln -sf /nowhere "$d/dangling"
}

make_tree "$ROOT"
make_tree "$FIX"

# The programs (built by make userland) and the directories a system has.
cp -a "$B/rootfs-stage/." "$ROOT/"
mkdir -p "$ROOT/etc" "$ROOT/home"
printf 'Welcome to vmk.  Try: ls -l /bin, cat /README, sysctl -a\n' > "$ROOT/etc/motd"

rm -f "$B/root.img" "$B/fs1k.img" "$B/fs2k.img"
mke2fs -q -F -t ext2 -b 4096 -L vmkroot -d "$ROOT" "$B/root.img" 128M >/dev/null
mke2fs -q -F -t ext2 -b 1024 -d "$FIX" "$B/fs1k.img" 8M >/dev/null
mke2fs -q -F -t ext2 -b 2048 -d "$FIX" "$B/fs2k.img" 8M >/dev/null

# Damaged images, each from a small good one.
small() {
	rm -f "$1"
	mke2fs -q -F -t ext2 -b 1024 -d "$FIX" "$1" 4M >/dev/null
}
small "$B/badmagic.img"
printf '\000\000' | dd of="$B/badmagic.img" bs=1 seek=$((1024 + 56)) conv=notrunc 2>/dev/null

small "$B/badblock.img"
debugfs -w -R "sif /README block[0] 4000000" "$B/badblock.img" >/dev/null 2>&1
debugfs -w -R "sif /dir/sub block[0] 4000001" "$B/badblock.img" >/dev/null 2>&1

# /dir/sub's ".." names /dir/sub itself: walking up never reaches the root.
small "$B/dirloop.img"
debugfs -w -R "unlink /dir/sub/.." "$B/dirloop.img" >/dev/null 2>&1
debugfs -w -R "link /dir/sub /dir/sub/.." "$B/dirloop.img" >/dev/null 2>&1
