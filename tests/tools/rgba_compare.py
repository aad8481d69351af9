#!/usr/bin/env python3
"""rgba_compare.py A.rgba B.rgba — compare two raw 8-bit RGBA images of the
same size. Prints "MAXDIFF PSNR" (PSNR in dB over all samples, "inf" when
equal). Colour is compared premultiplied by alpha (c * a / 255, what the
pixel contributes when composited): the colour of a nearly transparent
pixel is invisible and, after resampling, ill-defined. Exit 2 when the
sizes differ."""
import math
import sys


def main():
    a = open(sys.argv[1], "rb").read()
    b = open(sys.argv[2], "rb").read()
    if len(a) != len(b) or len(a) % 4:
        print("sizes differ: %d vs %d bytes" % (len(a), len(b)))
        return 2
    n = se = worst = 0
    for i in range(0, len(a), 4):
        fa, fb = a[i + 3] / 255.0, b[i + 3] / 255.0
        for c in range(4):
            if c < 3:
                d = abs(a[i + c] * fa - b[i + c] * fb)
            else:
                d = abs(a[i + c] - b[i + c])
            se += d * d
            n += 1
            worst = max(worst, d)
    psnr = "inf" if se == 0 else "%.2f" % (10 * math.log10(255.0 * 255.0 * n / se))
    print("%d %s" % (round(worst), psnr))
    return 0


if __name__ == "__main__":
    sys.exit(main())
