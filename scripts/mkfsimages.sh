#!/bin/sh
# Build the ext2 images the kernel boots and tests with.
#   mkfsimages.sh BUILD_DIR OUT_DIR [root]
# Into OUT_DIR (only root.img with "root"):
# root.img   the root file system (4 KiB blocks): BUILD_DIR/rootfs-stage
#            (our programs), busybox (BUILD_DIR/busybox) and its applet
#            links where no program of ours has the name, userland/etc/
# fs1k.img   1 KiB blocks, fs2k.img 2 KiB blocks: small test trees
# badmagic.img, badblock.img, dirloop.img: deliberately damaged images
set -eu

B=$1
OUT=$2
ONLY=${3:-}
ROOT=$B/rootfs
FIX=$B/fsfixture
# Made anew each time, so that a program retired from the tree is gone.
rm -rf "$ROOT" "$FIX"
mkdir -p "$ROOT" "$FIX" "$OUT"

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

# The programs (built by make userland), the files of userland/etc and
# the directories a system has.
cp -a "$B/rootfs-stage/." "$ROOT/"
mkdir -p "$ROOT/etc" "$ROOT/home" "$ROOT/sbin" "$ROOT/usr/bin" "$ROOT/root" \
    "$ROOT/proc" "$ROOT/mnt" "$ROOT/dev/shm"
chmod 1777 "$ROOT/tmp" "$ROOT/dev/shm"
cp -a userland/etc/. "$ROOT/etc/"

# busybox, and a symbolic link to it for each applet (busybox.links: one
# path a line) unless one of our programs is there already.
cp "$B/busybox/busybox" "$ROOT/bin/busybox"
while read -r link; do
	[ -e "$ROOT$link" ] && continue
	case $link in
	/bin/*) ln -s busybox "$ROOT$link" ;;
	/sbin/*) ln -s ../bin/busybox "$ROOT$link" ;;
	/usr/bin/*) ln -s ../../bin/busybox "$ROOT$link" ;;
	*) echo "mkfsimages.sh: busybox link $link: unexpected folder" >&2; exit 1 ;;
	esac
done < "$B/busybox/busybox.links"

rm -f "$OUT/root.img"
mke2fs -q -F -t ext2 -b 4096 -L vmkroot -d "$ROOT" "$OUT/root.img" 128M >/dev/null
[ "$ONLY" = root ] && exit 0
rm -f "$OUT/fs1k.img" "$OUT/fs2k.img"
mke2fs -q -F -t ext2 -b 1024 -d "$FIX" "$OUT/fs1k.img" 8M >/dev/null
mke2fs -q -F -t ext2 -b 2048 -d "$FIX" "$OUT/fs2k.img" 8M >/dev/null

# Damaged images, each from a small good one.
small() {
	rm -f "$1"
	mke2fs -q -F -t ext2 -b 1024 -d "$FIX" "$1" 4M >/dev/null
}
small "$OUT/badmagic.img"
printf '\000\000' | dd of="$OUT/badmagic.img" bs=1 seek=$((1024 + 56)) conv=notrunc 2>/dev/null

small "$OUT/badblock.img"
debugfs -w -R "sif /README block[0] 4000000" "$OUT/badblock.img" >/dev/null 2>&1
debugfs -w -R "sif /dir/sub block[0] 4000001" "$OUT/badblock.img" >/dev/null 2>&1

# /dir/sub's ".." names /dir/sub itself: walking up never reaches the root.
small "$OUT/dirloop.img"
debugfs -w -R "unlink /dir/sub/.." "$OUT/dirloop.img" >/dev/null 2>&1
debugfs -w -R "link /dir/sub /dir/sub/.." "$OUT/dirloop.img" >/dev/null 2>&1
