#!/bin/sh
# Emit the kernel symbol table as assembly for the .ksyms section.
#   ksyms.sh NM KERNEL.ELF > ksyms.S     table of KERNEL.ELF's text symbols
#   ksyms.sh --empty > ksyms.S           empty table for the first link
set -eu

if [ "$1" = "--empty" ]; then
	syms=""
else
	# Text symbols only, sorted by address, one per address.
	syms=$("$1" -n --defined-only "$2" | awk '$2 ~ /^[tT]$/ && $3 !~ /^\.L/ { if ($1 != last) print $1, $3; last = $1 }')
fi

echo '	.section .ksyms, "a"'
echo '	.balign 8'
echo '	.globl ksyms_count, ksyms_addr, ksyms_name, ksyms_strtab'
echo "ksyms_count:"
printf '%s\n' "$syms" | awk 'NF { n++ } END { printf "\t.quad %d\n", n }'
echo "ksyms_addr:"
printf '%s\n' "$syms" | awk 'NF { printf "\t.quad 0x%s\n", $1 }'
echo "ksyms_name:"
printf '%s\n' "$syms" | awk 'NF { printf "\t.word %d\n", off; off += length($2) + 1 }'
echo "ksyms_strtab:"
printf '%s\n' "$syms" | awk 'NF { printf "\t.string \"%s\"\n", $2 }'
