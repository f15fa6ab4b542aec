#!/bin/sh
# Fetch Debian's busybox source package and cross-build it static for
# riscv64 with the config kept in the tree.
#   busybox.sh BUILD_DIR CONFIG
# Leaves BUILD_DIR/busybox/busybox (the binary) and busybox.links (one
# applet path a line, as "/bin/ls").  Everything is cached under
# BUILD_DIR/busybox: the source is fetched once, and the binary is rebuilt
# only when CONFIG differs from the one it was built with.
#
# apt runs with a private configuration under BUILD_DIR/apt: its own
# sources.list (one deb-src line for the mirror and suite the machine's
# own apt uses), its own state, cache and lists, so the machine's apt
# lists are never touched.
set -eu

mkdir -p "$1"
B=$(cd "$1" && pwd)
CONFIG=$2
BB=$B/busybox
APT=$B/apt
CROSS=${CROSS:-riscv64-linux-gnu-}

# The first "deb" entry of the machine's apt sources: "URI SUITE".
machine_source() {
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		awk '$1 == "deb" { i = 2; if ($2 ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
			print $i, $(i + 1); exit }' "$f"
	done | head -n 1 | grep . && return
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk 'tolower($1) == "uris:" { u = $2 } tolower($1) == "suites:" { s = $2 }
			/^$/ { if (u != "" && s != "") { print u, s; exit } u = ""; s = "" }
			END { if (u != "" && s != "") print u, s }' "$f"
	done | head -n 1
}

fetch_source() {
	src=$(machine_source)
	[ -n "$src" ] || { echo "busybox.sh: no deb entry in /etc/apt" >&2; exit 1; }
	set -- $src
	mkdir -p "$APT/lists/partial" "$APT/cache/archives/partial" "$APT/parts"
	echo "deb-src $1 $2 main" > "$APT/sources.list"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f "$keyring" ] && echo "deb-src [signed-by=$keyring] $1 $2 main" > "$APT/sources.list"
	opts="-o Dir::State=$APT -o Dir::State::Lists=$APT/lists
		-o Dir::State::status=/var/lib/dpkg/status
		-o Dir::Cache=$APT/cache -o Dir::Etc::SourceList=$APT/sources.list
		-o Dir::Etc::SourceParts=$APT/parts -o APT::Sandbox::User=root"
	echo "  APT     busybox source ($1 $2)"
	# shellcheck disable=SC2086
	apt-get $opts -qq update
	rm -rf "$BB/src.tmp"
	mkdir -p "$BB/src.tmp"
	# shellcheck disable=SC2086
	(cd "$BB/src.tmp" && apt-get $opts -qq source busybox >/dev/null)
	dir=$(find "$BB/src.tmp" -mindepth 1 -maxdepth 1 -type d -name 'busybox-*' | head -n 1)
	[ -n "$dir" ] || { echo "busybox.sh: apt-get source left no busybox-* folder" >&2; exit 1; }
	rm -rf "$BB/src"
	mv "$dir" "$BB/src"
	rm -rf "$BB/src.tmp"
}

mkdir -p "$BB"
[ -f "$BB/src/Makefile" ] || fetch_source

if [ -x "$BB/busybox" ] && [ -f "$BB/busybox.links" ] && cmp -s "$CONFIG" "$BB/config.built"; then
	exit 0
fi

echo "  BUSYBOX $CONFIG"
start=$(date +%s)
rm -rf "$BB/obj"
mkdir -p "$BB/obj"
cp "$CONFIG" "$BB/obj/.config"
# Out-of-tree build (O=), so the fetched source stays as Debian ships it.
mk="make -C $BB/src O=$BB/obj ARCH=riscv CROSS_COMPILE=$CROSS -j${JOBS:-2}"
$mk oldconfig </dev/null >"$BB/build.log" 2>&1
# oldconfig answers any option the config does not mention with its
# default: the config must mention every one, so that what is built is
# exactly what the tree says.  (Its comment lines carry a date.)
settings() { grep -E '^(CONFIG_|# CONFIG_)' "$1"; }
settings "$BB/obj/.config" > "$BB/obj/settings"
if ! settings "$CONFIG" | cmp -s - "$BB/obj/settings"; then
	echo "busybox.sh: $CONFIG is not complete; oldconfig changed it:" >&2
	settings "$CONFIG" | diff - "$BB/obj/settings" >&2 || true
	exit 1
fi
$mk busybox busybox.links >>"$BB/build.log" 2>&1 || {
	tail -n 30 "$BB/build.log" >&2
	exit 1
}
cp "$BB/obj/busybox" "$BB/busybox"
cp "$BB/obj/busybox.links" "$BB/busybox.links"
cp "$CONFIG" "$BB/config.built"
echo "  BUSYBOX built in $(( $(date +%s) - start )) s"
