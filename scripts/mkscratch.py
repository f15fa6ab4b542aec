#!/usr/bin/env python3
"""Write the scratch disk the in-kernel block device tests use.

    mkscratch.py OUT [MIB]

Every 512-byte sector s holds s as a little-endian u64, then the byte
(s * 7) & 0xff repeated; sector 0 also carries the signature "VMKSCRATCH"
at offset 16, so the tests can tell this disk from others.  The tests
write to it, so `make check` makes a fresh one each run.
"""
import struct
import sys

SECTOR = 512


def sector(s):
    fill = bytes([(s * 7) & 0xff]) * (SECTOR - 8)
    data = bytearray(struct.pack("<Q", s) + fill)
    if s == 0:
        data[16:27] = b"VMKSCRATCH\0"
    return bytes(data)


def main():
    out = sys.argv[1]
    mib = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    with open(out, "wb") as f:
        for s in range(mib * 1024 * 1024 // SECTOR):
            f.write(sector(s))


if __name__ == "__main__":
    main()
