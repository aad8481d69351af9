#!/usr/bin/env python3
"""Check checksum_sink lines against ImageMagick's raw decoding of each input.

    tiff_check.py SUMS INPUT...

SUMS holds checksum_sink's lines ("index hash WxH FORMAT"), INPUT the run's
inputs in order. For every line, the input is decoded by ImageMagick
(`convert IN -depth 8|16 -endian LSB gray:-|rgb:-|rgba:-`; gray+alpha is
taken from rgba: R and A), hashed like checksum_sink (64-bit FNV-1a over
the pixel bytes, 16-bit samples little-endian as on the machines we run
on) and compared. Prints one line per mismatch; exits 1 if any, or if an
input has no line.
"""
import subprocess
import sys


def fnv1a(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def reference(path, fmt):
    depth = 16 if fmt.endswith("16") else 8
    layout = fmt[:-2] if depth == 16 else fmt[:-1]
    raw = {"G": "gray", "GA": "rgba", "RGB": "rgb", "RGBA": "rgba"}[layout]
    out = subprocess.run(
        ["convert", path, "-depth", str(depth), "-endian", "LSB", raw + ":-"],
        check=True, stdout=subprocess.PIPE).stdout
    if layout == "GA":
        step = depth // 8
        px = 4 * step
        ga = bytearray()
        for i in range(0, len(out), px):
            ga += out[i:i + step] + out[i + 3 * step:i + 4 * step]
        out = bytes(ga)
    return out


def main():
    sums, inputs = sys.argv[1], sys.argv[2:]
    seen = set()
    bad = 0
    with open(sums) as f:
        for line in f:
            index, digest, size, fmt = line.split()
            path = inputs[int(index)]
            seen.add(int(index))
            ref = reference(path, fmt)
            if fnv1a(ref) != int(digest, 16):
                print(f"{path}: {size} {fmt} differs from ImageMagick")
                bad += 1
    for i, path in enumerate(inputs):
        if i not in seen:
            print(f"{path}: not decoded")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
