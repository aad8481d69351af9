#!/usr/bin/env python3
"""Damage one AC scan of a progressive JPEG (for the DC-scan tests).

  cut_jpeg_scan.py IN.jpg OUT.jpg luma|chroma

Keeps every marker and every other scan; the chosen scan's entropy-coded
data is cut to its first 16 bytes, so a decoder that reads that scan hits
the next marker early (libjpeg: "Corrupt JPEG data: premature end of data
segment"). luma: the largest AC scan of the first component; chroma: the
first AC scan of the second.
"""
import struct
import sys


def segments(b):
    """(marker, start, header_end, data_end) for each marker after SOI."""
    p = 2
    while p < len(b):
        assert b[p] == 0xFF, "marker expected at %d" % p
        m = b[p + 1]
        if m == 0xD9:
            yield m, p, p + 2, p + 2
            return
        length = struct.unpack(">H", b[p + 2:p + 4])[0]
        end = p + 2 + length
        data_end = end
        if m == 0xDA:
            q = end
            while True:
                q = b.index(b"\xff", q)
                if b[q + 1] == 0 or 0xD0 <= b[q + 1] <= 0xD7:
                    q += 2
                elif b[q + 1] == 0xFF:
                    q += 1
                else:
                    break
            data_end = q
        yield m, p, end, data_end
        p = data_end


def main(src, dst, which):
    b = open(src, "rb").read()
    ac = []
    for m, start, hdr_end, data_end in segments(b):
        if m != 0xDA:
            continue
        ns = b[start + 4]
        comps = [b[start + 5 + 2 * i] for i in range(ns)]
        ss = b[start + 5 + 2 * ns]
        if ss > 0:
            ac.append((comps[0], data_end - hdr_end, hdr_end, data_end))
    ids = sorted({c for c, *_ in ac})
    if which == "luma":
        scan = max((s for s in ac if s[0] == ids[0]), key=lambda s: s[1])
    else:
        scan = [s for s in ac if s[0] == ids[1]][0]
    _, _, hdr_end, data_end = scan
    keep = 16 if b[hdr_end + 15] != 0xFF else 17
    open(dst, "wb").write(b[:hdr_end + keep] + b[data_end:])


if __name__ == "__main__":
    main(*sys.argv[1:4])
