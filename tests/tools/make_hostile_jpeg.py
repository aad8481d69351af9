#!/usr/bin/env python3
"""Write broken and hostile JPEG files made from a good one, for the tests.

Each file breaks one thing (SEED is a baseline JPEG with one scan):
  truncated_scan.jpg    cut in the middle of the scan data
  truncated_header.jpg  cut just before the SOS marker (tables, no scan)
  huge_header.jpg       SOF says 65500 x 65500, the rest unchanged
  bad_dht.jpg           a Huffman table whose code counts add up past 256
  bad_huffman_data.jpg  scan data overwritten with bytes that are no code
  orientation9.jpg      a good image with an EXIF orientation of 9
                        (accepted: not an orientation, ignored)
  not_jpeg.jpg          text
Usage: make_hostile_jpeg.py SEED.jpg FOLDER
"""
import os
import struct
import sys


def segments(data):
    """(marker, offset of the marker, offset after the segment) up to SOS."""
    at = 2
    while at + 4 <= len(data):
        marker = data[at + 1]
        length = struct.unpack(">H", data[at + 2:at + 4])[0]
        yield marker, at, at + 2 + length
        if marker == 0xDA:
            return
        at += 2 + length


def find(data, marker):
    for m, start, end in segments(data):
        if m == marker:
            return start, end
    raise SystemExit("seed has no marker %02x" % marker)


def exif_orientation(value):
    tiff = b"II*\0" + struct.pack("<I", 8) + struct.pack("<H", 1)
    tiff += struct.pack("<HHIHH", 0x0112, 3, 1, value, 0) + b"\0\0\0\0"
    body = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body


def main():
    seed, folder = sys.argv[1], sys.argv[2]
    data = open(seed, "rb").read()
    out = lambda name, b: open(os.path.join(folder, name), "wb").write(b)
    sos, scan = find(data, 0xDA)
    out("truncated_scan.jpg", data[:scan + (len(data) - scan) // 2])
    out("truncated_header.jpg", data[:sos])
    sof, _ = find(data, 0xC0)
    out("huge_header.jpg",
        data[:sof + 5] + struct.pack(">HH", 65500, 65500) + data[sof + 9:])
    dht, _ = find(data, 0xC4)
    out("bad_dht.jpg", data[:dht + 5] + b"\xff" * 16 + data[dht + 21:])
    middle = scan + (len(data) - scan) // 3
    out("bad_huffman_data.jpg",
        data[:middle] + b"\xfe\xfe" * 64 + data[middle + 128:])
    out("orientation9.jpg", data[:2] + exif_orientation(9) + data[2:])
    out("not_jpeg.jpg", b"this is not a JPEG file\n")


main()
