#!/usr/bin/env python3
"""Write hostile and broken PNG files into a folder, for the tests.

Each file breaks one thing; the test asserts the outcome per file:
  idat_crc.png        a valid image whose IDAT CRC is wrong
  no_iend.png         a valid image with its IEND chunk cut off
  junk_after_iend.png a valid image with bytes after IEND (accepted)
  palette_index.png   palette image using indices past its 2-entry PLTE:
                      accepted, the missing entries decode as black (what
                      libpng does, like browsers; it only warns, and not
                      at all for 8-bit indices)
  huge_header.png     IHDR of 100000x100000 RGBA, nothing else
  huge_1bit.png       a valid 20000x20000 1-bit image (50 KB on disk,
                      1.6 GB as RGBA): must be refused by the limits
  zero_size.png       IHDR of 0x10
Usage: make_hostile.py FOLDER
"""
import os
import struct
import sys
import zlib


def chunk(kind, data):
    return (struct.pack(">I", len(data)) + kind + data +
            struct.pack(">I", zlib.crc32(kind + data)))


def png(width, height, depth, colour, rows, extra=b"", plte=None):
    ihdr = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
    if plte is not None:
        out += chunk(b"PLTE", plte)
    out += chunk(b"IDAT", zlib.compress(rows, 9)) + extra
    return out + chunk(b"IEND", b"")


def gray_rows(width, height):
    return b"".join(b"\x00" + bytes((x + y) & 255 for x in range(width))
                    for y in range(height))


def main(folder):
    good = png(16, 16, 8, 0, gray_rows(16, 16))
    files = {}
    bad_crc = bytearray(good)
    idat = bad_crc.index(b"IDAT")
    length = struct.unpack(">I", bad_crc[idat - 4:idat])[0]
    bad_crc[idat + 4 + length] ^= 0xFF
    files["idat_crc.png"] = bytes(bad_crc)
    files["no_iend.png"] = good[:-12]
    files["junk_after_iend.png"] = good + b"trailing junk" * 10
    plte = b"\xff\x00\x00\x00\xff\x00"
    rows = b"".join(b"\x00" + bytes([0, 1, 5, 200] * 2) for _ in range(8))
    files["palette_index.png"] = png(8, 8, 8, 3, rows, plte=plte)
    ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 6, 0, 0, 0)
    files["huge_header.png"] = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                                + chunk(b"IEND", b""))
    row = b"\x00" + bytes(20000 // 8)
    files["huge_1bit.png"] = png(20000, 20000, 1, 0, row * 20000)
    ihdr = struct.pack(">IIBBBBB", 0, 10, 8, 0, 0, 0, 0)
    files["zero_size.png"] = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
                              + chunk(b"IEND", b""))
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main(sys.argv[1])
