#!/usr/bin/env python3
"""YUV4MPEG2 clips for the y4m tests, independent of framepipe.

  y4m_tool.py gen OUT FRAMES W H [CHROMA] [RANGE]
      a clip whose frame i carries i in the luma of its top 8 rows (10
      bits, one 6-pixel-wide bar each, so W >= 60, 40 = 0 and 200 = 1), over a
      smooth moving pattern that stays inside the RGB gamut. CHROMA is a
      C tag (420jpeg, 420paldv, 420mpeg2, 420, 422, 444, mono), RANGE
      LIMITED or FULL. OUT - is standard output.
  y4m_tool.py check FILE FRAMES [REF [TOL]]
      FILE (- for stdin) has FRAMES frames whose index bars read 0, 1, 2
      ... in order; with REF, every plane sample is within TOL (default
      2) of REF's. Prints a line and exits 1 on the first mismatch.
  y4m_tool.py index FILE
      the index read from each frame, one a line.
"""
import sys

CHROMA = {"420jpeg": (2, 2), "420paldv": (2, 2), "420mpeg2": (2, 2),
          "420": (2, 2), "422": (2, 1), "444": (1, 1), "mono": None}


def planes_of(w, h, chroma):
    sub = CHROMA[chroma]
    if sub is None:
        return [(w, h)]
    cw, ch = (w + sub[0] - 1) // sub[0], (h + sub[1] - 1) // sub[1]
    return [(w, h), (cw, ch), (cw, ch)]


def gen(out, frames, w, h, chroma="420jpeg", rng="LIMITED"):
    f = sys.stdout.buffer if out == "-" else open(out, "wb")
    f.write(b"YUV4MPEG2 W%d H%d F25:1 Ip A1:1 C%s XCOLORRANGE=%s\n"
            % (w, h, chroma.encode(), rng.encode()))
    lo, hi = (40, 200)
    for i in range(frames):
        f.write(b"FRAME\n")
        ps = planes_of(w, h, chroma)
        luma = bytearray(w * h)
        for y in range(h):
            for x in range(w):
                if y < 8 and x < 6 * 10:
                    v = hi if (i >> (x // 6)) & 1 else lo
                else:
                    v = 60 + (x * 3 + y * 2 + i * 5) % 120
                luma[y * w + x] = v
        f.write(luma)
        for p, (cw, ch) in enumerate(ps[1:]):
            c = bytearray(cw * ch)
            for y in range(ch):
                for x in range(cw):
                    top = y * (h // ch if ch else 1) < 8
                    c[y * cw + x] = 128 if top else \
                        128 + ((x + 2 * y + 7 * i + 20 * p) % 41) - 20
            f.write(c)
    f.close()


def read(path):
    f = sys.stdin.buffer if path == "-" else open(path, "rb")
    data = f.read()
    nl = data.index(b"\n")
    head = data[:nl].split()
    assert head[0] == b"YUV4MPEG2", head
    tags = {t[:1]: t[1:].decode() for t in head[1:]}
    w, h = int(tags[b"W"]), int(tags[b"H"])
    chroma = tags.get(b"C", "420jpeg")
    ps = planes_of(w, h, chroma)
    size = sum(a * b for a, b in ps)
    pos, frames = nl + 1, []
    while pos < len(data):
        end = data.index(b"\n", pos)
        assert data[pos:pos + 5] == b"FRAME", data[pos:pos + 12]
        frames.append(data[end + 1:end + 1 + size])
        assert len(frames[-1]) == size, "short frame"
        pos = end + 1 + size
    return w, h, chroma, frames


def index_of(frame, w):
    n = 0
    for b in range(10):
        v = sum(frame[y * w + b * 6 + 3] for y in range(2, 6)) / 4
        n |= (v > 120) << b
    return n


def main(argv):
    if argv[1] == "gen":
        gen(argv[2], int(argv[3]), int(argv[4]), int(argv[5]), *argv[6:8])
        return 0
    w, h, chroma, frames = read(argv[2])
    if argv[1] == "index":
        for fr in frames:
            print(index_of(fr, w))
        return 0
    want = int(argv[3])
    if len(frames) != want:
        print("%d frames, expected %d" % (len(frames), want))
        return 1
    for i, fr in enumerate(frames):
        if index_of(fr, w) != i:
            print("frame %d carries index %d" % (i, index_of(fr, w)))
            return 1
    if len(argv) > 4:
        rw, rh, rchroma, ref = read(argv[4])
        tol = int(argv[5]) if len(argv) > 5 else 2
        if (rw, rh, planes_of(rw, rh, rchroma)) != (w, h, planes_of(w, h, chroma)):
            print("geometry %dx%d %s, reference %dx%d %s"
                  % (w, h, chroma, rw, rh, rchroma))
            return 1
        worst = 0
        for i, (a, b) in enumerate(zip(frames, ref)):
            d = max(abs(x - y) for x, y in zip(a, b))
            worst = max(worst, d)
            if d > tol:
                k = next(j for j in range(len(a)) if abs(a[j] - b[j]) > tol)
                print("frame %d: byte %d is %d, reference %d (tolerance %d)"
                      % (i, k, a[k], b[k], tol))
                return 1
        print("max difference %d" % worst)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
