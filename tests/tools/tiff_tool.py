#!/usr/bin/env python3
"""TIFF files made byte by byte for the tests, and a tag reader.

    tiff_tool.py meta OUT          a 16x16 gray TIFF with an ICC profile,
                                   XMP, a resolution and orientation 6
    tiff_tool.py hostile DIR       the hostile files of test_tiff.sh
    tiff_tool.py tag FILE TAG      tag TAG's value bytes of the first IFD,
                                   hex on stdout (nothing if absent)

The ICC and XMP values are made-up bytes: libtiff keeps them as given.
"""
import struct
import sys

ICC = b"made-up ICC profile bytes for the round trip" * 3
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'

SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1}  # BYTE ASCII SHORT LONG RATIONAL UNDEFINED


def tiff(entries, pixels, next_ifd=0, strip_offset=None, width=16, height=16):
    """Little-endian classic TIFF: header, pixels at 8, then the IFD.
    entries: (tag, type, values) with values bytes for BYTE/UNDEFINED."""
    data_at = 8 + len(pixels)
    base = [
        (256, 4, [width]), (257, 4, [height]), (258, 3, [8]), (259, 3, [1]),
        (262, 3, [1]), (273, 4, [strip_offset if strip_offset is not None else 8]),
        (277, 3, [1]), (278, 4, [height]), (279, 4, [len(pixels)]),
    ]
    tags = {t: (ty, v) for t, ty, v in base}
    for t, ty, v in entries:
        tags[t] = (ty, v)
    ifd_at = data_at
    count = len(tags)
    extra_at = ifd_at + 2 + 12 * count + 4
    ifd = struct.pack("<H", count)
    extra = b""
    for t in sorted(tags):
        ty, v = tags[t]
        if ty in (1, 7):
            raw, n = bytes(v), len(v)
        elif ty == 5:
            raw = b"".join(struct.pack("<II", a, b) for a, b in v)
            n = len(v)
        else:
            fmt = "<" + ("H" if ty == 3 else "I") * len(v)
            raw, n = struct.pack(fmt, *v), len(v)
        if len(raw) <= 4:
            ifd += struct.pack("<HHI", t, ty, n) + raw.ljust(4, b"\0")
        else:
            ifd += struct.pack("<HHII", t, ty, n, extra_at + len(extra))
            extra += raw + (b"\0" if len(raw) % 2 else b"")
    ifd += struct.pack("<I", next_ifd if next_ifd >= 0 else ifd_at)
    return b"II*\0" + struct.pack("<I", ifd_at) + pixels + ifd + extra, ifd_at


def meta(out):
    pixels = bytes((x * 16 + y) & 0xFF for y in range(16) for x in range(16))
    data, _ = tiff([(282, 5, [(300, 1)]), (283, 5, [(150, 1)]),
                    (296, 3, [2]), (274, 3, [6]),
                    (700, 1, list(XMP)), (34675, 7, list(ICC))], pixels)
    open(out, "wb").write(data)


def hostile(d):
    pixels = bytes(range(256))
    # The IFD's next-IFD offset points back at itself.
    data, _ = tiff([], pixels, next_ifd=-1)
    open(f"{d}/ifd_loop.tif", "wb").write(data)
    # The strip's offset is past the end of the file.
    data, _ = tiff([], pixels, strip_offset=1 << 30)
    open(f"{d}/strip_past_end.tif", "wb").write(data)
    # 2^31 x 2^31 pixels, one strip per row, claimed; 256 bytes present.
    big = 1 << 31
    data, _ = tiff([(278, 4, [1])], pixels, width=big, height=big)
    open(f"{d}/huge_dimensions.tif", "wb").write(data)
    # The first IFD's offset is past the end.
    open(f"{d}/ifd_past_end.tif", "wb").write(b"II*\0" + struct.pack("<I", 1 << 20))
    open(f"{d}/not_tiff.tif", "wb").write(b"GIF89a" + bytes(32))


def tag(path, want):
    d = open(path, "rb").read()
    le = d[:2] == b"II"
    e = "<" if le else ">"
    ifd = struct.unpack(e + "I", d[4:8])[0]
    (count,) = struct.unpack(e + "H", d[ifd:ifd + 2])
    for i in range(count):
        t, ty, n, v = struct.unpack(e + "HHII", d[ifd + 2 + 12 * i:ifd + 14 + 12 * i])
        if t != want:
            continue
        size = SIZES.get(ty, 1) * n
        raw = d[ifd + 10 + 12 * i:ifd + 10 + 12 * i + size] if size <= 4 else d[v:v + size]
        print(raw.hex())


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "meta":
        meta(sys.argv[2])
    elif cmd == "hostile":
        hostile(sys.argv[2])
    elif cmd == "tag":
        tag(sys.argv[2], int(sys.argv[3]))
    elif cmd == "icc":
        print(ICC.hex())
    elif cmd == "xmp":
        print(XMP.hex())
