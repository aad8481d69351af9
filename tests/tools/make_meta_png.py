#!/usr/bin/env python3
"""Write PNGs with metadata chunks made by hand (struct + zlib, no libpng),
for the metadata tests.

  make_meta_png.py annotated BASE.png OUT.png
      BASE's chunks plus eXIf, iTXt with a language tag and a translated
      keyword (plain and compressed), zTXt, tEXt (one before IDAT, one
      after it), gAMA and cHRM; BASE keeps its own (chelsea.png: iCCP,
      pHYs, XMP in iTXt).
  make_meta_png.py big_itxt BASE.png OUT.png BYTES
      BASE plus one uncompressed iTXt of BYTES bytes of text.
  make_meta_png.py bomb BASE.png OUT.png TYPE MIB [COUNT]
      BASE plus COUNT (default 1) TYPE chunks (zTXt, iTXt or iCCP) whose
      compressed part inflates to MIB MiB of zeros each.
  make_meta_png.py with_profile_exif BASE.png OUT.png ICC EXIF
      BASE with its iCCP and eXIf replaced by the ICC profile in file ICC
      and the EXIF (a TIFF structure) in file EXIF.
  make_meta_png.py big_icc PROFILE.icc OUT.icc BYTES
      PROFILE with one more tag ('fpPd', BYTES bytes of a pattern) at its
      end: a valid profile of any size (libpng and ImageMagick read it).
"""
import struct
import sys
import zlib

sys.path.insert(0, __file__.rsplit("/", 1)[0])
import png_read  # noqa: E402


def chunk(kind, body):
    kind = kind.encode("latin-1")
    return (struct.pack(">I", len(body)) + kind + body +
            struct.pack(">I", zlib.crc32(kind + body)))


def exif():
    """A little-endian TIFF structure: ImageDescription and Orientation."""
    desc = b"framepipe metadata test\0"
    entries = 2
    ifd_size = 2 + 12 * entries + 4
    desc_at = 8 + ifd_size
    ifd = struct.pack("<H", entries)
    ifd += struct.pack("<HHII", 0x010E, 2, len(desc), desc_at)
    ifd += struct.pack("<HHIHH", 0x0112, 3, 1, 1, 0)
    ifd += struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", 8) + ifd + desc


def itxt(key, text, lang="", trans="", compressed=False):
    body = text.encode("utf-8")
    if compressed:
        body = zlib.compress(body)
    return chunk("iTXt", key.encode("latin-1") + b"\0" +
                 bytes([1 if compressed else 0, 0]) + lang.encode() + b"\0" +
                 trans.encode("utf-8") + b"\0" + body)


def annotated():
    before = [
        chunk("gAMA", struct.pack(">I", 45455)),
        chunk("cHRM", struct.pack(">8I", 31270, 32900, 64000, 33000,
                                  30000, 60000, 15000, 6000)),
        chunk("eXIf", exif()),
        itxt("Title", "Chelsea, le chat", lang="fr", trans="Titre"),
        itxt("Description", "Eine Katze, zweimal so klein " * 20,
             lang="de-CH", trans="Beschreibung", compressed=True),
        chunk("zTXt", b"Comment\0\0" +
              zlib.compress(("Comment inflated from zTXt. " * 40)
                            .encode("latin-1"))),
        chunk("tEXt", b"Copyright\0Test image, see tests/data/sample"),
    ]
    after = [chunk("tEXt", b"Software\0written after IDAT \xe9")]
    return before, after


def rebuild(base, out, before, after):
    data = open(base, "rb").read()
    parts, placed = [data[:8]], False
    for kind, body in png_read.chunks(data):
        if kind == "IDAT" and not placed:
            parts.extend(before)
            placed = True
        if kind == "IEND":
            parts.extend(after)
        parts.append(chunk(kind, body))
    open(out, "wb").write(b"".join(parts))


def bomb(kind, mib, count):
    z = zlib.compress(bytes(mib << 20), 9)
    if kind == "zTXt":
        c = chunk(kind, b"Bomb\0\0" + z)
    elif kind == "iTXt":
        c = chunk(kind, b"Bomb\0\x01\0\0\0" + z)
    else:
        c = chunk(kind, b"Bomb profile\0\0" + z)
    return [c] * count


def with_profile_exif(base, out, icc, exif):
    data = open(base, "rb").read()
    parts, placed = [data[:8]], False
    for kind, body in png_read.chunks(data):
        if kind in ("iCCP", "eXIf"):
            continue
        if kind == "IDAT" and not placed:
            parts.append(chunk("iCCP", b"framepipe test profile\0\0" +
                               zlib.compress(open(icc, "rb").read())))
            parts.append(chunk("eXIf", open(exif, "rb").read()))
            placed = True
        parts.append(chunk(kind, body))
    open(out, "wb").write(b"".join(parts))


def big_icc(profile, out, pad):
    src = open(profile, "rb").read()
    count = struct.unpack(">I", src[128:132])[0]
    start = 132 + 12 * count
    tags = [struct.unpack(">4sII", src[132 + 12 * i:144 + 12 * i])
            for i in range(count)]
    # one more table entry moves every tag's data by 12 bytes
    at = (len(src) + 12 + 3) & ~3
    body = bytearray(src[:128]) + struct.pack(">I", count + 1)
    for sig, offset, size in tags:
        body += struct.pack(">4sII", sig, offset + 12, size)
    body += struct.pack(">4sII", b"fpPd", at, 8 + pad)
    body += src[start:]
    body += bytes(at - len(body))
    body += b"fpPd" + bytes(4) + bytes((i * 7 + 3) & 0xff for i in range(pad))
    body[0:4] = struct.pack(">I", len(body))
    body[84:100] = bytes(16)  # no profile ID: it would be wrong now
    open(out, "wb").write(bytes(body))


def main(argv):
    if argv[1] == "annotated":
        before, after = annotated()
        rebuild(argv[2], argv[3], before, after)
    elif argv[1] == "big_itxt":
        text = ("0123456789abcdef" * (int(argv[4]) // 16 + 1))[:int(argv[4])]
        rebuild(argv[2], argv[3], [itxt("Big", text)], [])
    elif argv[1] == "bomb":
        count = int(argv[6]) if len(argv) > 6 else 1
        rebuild(argv[2], argv[3], bomb(argv[4], int(argv[5]), count), [])
    elif argv[1] == "with_profile_exif":
        with_profile_exif(argv[2], argv[3], argv[4], argv[5])
    elif argv[1] == "big_icc":
        big_icc(argv[2], argv[3], int(argv[4]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
