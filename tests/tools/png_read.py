#!/usr/bin/env python3
"""An independent PNG reader (Python's zlib only, no libpng, no PIL) for
tests that check framepipe's PNG output without trusting its own code.

  png_read.py samples FILE.png     JSON: width, height, channels, depth,
                                   and the samples as a hex string (8-bit:
                                   1 byte each; 16-bit: 2, big-endian)
  png_read.py same A.png B.png     exit 0 when both hold the same samples,
                                   else one line on stdout and exit 1
  png_read.py chunks FILE.png      JSON list of the metadata chunks in file
                                   order, each {type, ...} with its fields
                                   and its content inflated

Samples are canonical: palettes are expanded to RGB (RGBA with a tRNS),
a tRNS on gray or RGB becomes an alpha channel (0 on the key colour,
full elsewhere), bit depths below 8 are scaled to 8 by replication, so a
file and its re-encoding in another layout compare equal when nothing was
lost. Adam7 is de-interlaced. CRCs are checked.
"""
import json
import struct
import sys
import zlib


def chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    at = 8
    while at < len(data):
        n, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + n]
        crc, = struct.unpack(">I", data[at + 8 + n:at + 12 + n])
        if zlib.crc32(kind + body) != crc:
            raise ValueError("CRC error in " + kind.decode("latin-1"))
        yield kind.decode("latin-1"), body
        at += 12 + n
        if kind == b"IEND":
            break


def unfilter(raw, width, height, bpp_bits, channels_bytes):
    """raw: filtered scanlines of one pass; returns the unfiltered rows."""
    stride = (width * bpp_bits + 7) // 8
    bpp = max(1, channels_bytes)
    rows, prev, at = [], bytearray(stride), 0
    for _ in range(height):
        ftype = raw[at]
        line = bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 255
            elif ftype != 0:
                raise ValueError("bad filter type %d" % ftype)
        rows.append(line)
        prev = line
    return rows, at


def row_samples(line, width, spp, depth):
    if depth == 8:
        return list(line[:width * spp])
    if depth == 16:
        return [line[2 * i] << 8 | line[2 * i + 1] for i in range(width * spp)]
    out, per = [], 8 // depth
    for i in range(width * spp):
        byte = line[i // per]
        shift = 8 - depth * (i % per + 1)
        out.append((byte >> shift) & ((1 << depth) - 1))
    return out


ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4),
         (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]


def decode(path):
    data = open(path, "rb").read()
    idat, plte, trns, ihdr = b"", None, None, None
    for kind, body in chunks(data):
        if kind == "IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == "IDAT":
            idat += body
        elif kind == "PLTE":
            plte = body
        elif kind == "tRNS":
            trns = body
    width, height, depth, color, _, _, interlace = ihdr
    spp = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[color]
    raw = zlib.decompress(idat)
    pix = [[None] * width for _ in range(height)]
    passes = ADAM7 if interlace else [(0, 0, 1, 1)]
    at = 0
    for x0, y0, dx, dy in passes:
        pw = (width - x0 + dx - 1) // dx
        ph = (height - y0 + dy - 1) // dy
        if pw == 0 or ph == 0:
            continue
        rows, used = unfilter(raw[at:], pw, ph, spp * depth,
                              spp * depth // 8)
        at += used
        for j, line in enumerate(rows):
            s = row_samples(line, pw, spp, depth)
            for i in range(pw):
                pix[y0 + j * dy][x0 + i * dx] = s[i * spp:(i + 1) * spp]
    # canonical form
    out_depth = 16 if depth == 16 else 8
    full = 65535 if out_depth == 16 else 255
    channels = spp
    if color == 3:
        channels = 4 if trns else 3
    elif trns and color in (0, 2):
        channels = spp + 1
    samples = []
    for row in pix:
        for s in row:
            if color == 3:
                r, g, b = plte[3 * s[0]:3 * s[0] + 3]
                px = [r, g, b]
                if trns:
                    px.append(trns[s[0]] if s[0] < len(trns) else 255)
            else:
                px = list(s)
                if depth < 8:
                    px = [v * 255 // ((1 << depth) - 1) for v in px]
                if trns and color in (0, 2):
                    key = list(struct.unpack(">%dH" % spp, trns))
                    px.append(0 if list(s) == key else full)
            samples.extend(px)
    return {"width": width, "height": height, "channels": channels,
            "depth": out_depth, "samples": samples}


def inflate(b):
    return zlib.decompress(b)


def meta_chunks(path):
    data = open(path, "rb").read()
    out = []
    for kind, body in chunks(data):
        if kind == "tEXt":
            k, t = body.split(b"\0", 1)
            out.append({"type": kind, "keyword": k.decode("latin-1"),
                        "text": t.decode("latin-1")})
        elif kind == "zTXt":
            k, rest = body.split(b"\0", 1)
            out.append({"type": kind, "keyword": k.decode("latin-1"),
                        "method": rest[0],
                        "text": inflate(rest[1:]).decode("latin-1")})
        elif kind == "iTXt":
            k, rest = body.split(b"\0", 1)
            flag, method = rest[0], rest[1]
            lang, rest = rest[2:].split(b"\0", 1)
            trans, text = rest.split(b"\0", 1)
            if flag:
                text = inflate(text)
            out.append({"type": kind, "keyword": k.decode("latin-1"),
                        "compressed": flag, "language": lang.decode(),
                        "translated": trans.decode("utf-8"),
                        "text": text.decode("utf-8")})
        elif kind == "iCCP":
            name, rest = body.split(b"\0", 1)
            out.append({"type": kind, "name": name.decode("latin-1"),
                        "profile": inflate(rest[1:]).hex()})
        elif kind in ("eXIf", "pHYs", "gAMA", "cHRM", "sRGB"):
            out.append({"type": kind, "data": body.hex()})
    return out


def main(argv):
    if len(argv) == 3 and argv[1] == "samples":
        d = decode(argv[2])
        fmt = ">%dH" if d["depth"] == 16 else "%dB"
        d["samples"] = struct.pack(fmt % len(d["samples"]),
                                   *d["samples"]).hex()
        print(json.dumps(d))
    elif len(argv) == 4 and argv[1] == "same":
        a, b = decode(argv[2]), decode(argv[3])
        for key in ("width", "height", "channels", "depth"):
            if a[key] != b[key]:
                print("%s: %s %s vs %s" % (argv[3], key, a[key], b[key]))
                return 1
        for i, (x, y) in enumerate(zip(a["samples"], b["samples"])):
            if x != y:
                print("%s: sample %d: %d vs %d" % (argv[3], i, x, y))
                return 1
    elif len(argv) == 3 and argv[1] == "chunks":
        print(json.dumps(meta_chunks(argv[2]), indent=1))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
