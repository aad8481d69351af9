#!/bin/bash
# Broken and hostile files among good ones: each gets one line naming the
# file and the reason, the good ones are written, nothing half-written.
. "$(dirname "$0")/lib.sh"

IN="$WORK/in"
mkdir -p "$IN"
cp "$DATA/pngsuite/basn2c08.png" "$IN/a_good.png"
cp "$DATA/sample/coins.png" "$IN/z_good.png"
: >"$IN/empty.png"
echo "GIF89a definitely not a png" >"$IN/notpng.png"
head -c 2000 "$DATA/sample/coins.png" >"$IN/truncated.png"
cp "$DATA/pngsuite/basn2c08.png" "$IN/badcrc.png"
printf '\xff' | dd of="$IN/badcrc.png" bs=1 seek=29 conv=notrunc 2>/dev/null
# 100000 x 100000 RGBA declared in a well-formed IHDR.
python3 - "$IN/huge.png" <<'PY'
import struct, sys, zlib
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 6, 0, 0, 0)
chunk = lambda t, d: struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b""))
PY
cp "$DATA/sample/coins.png" "$IN/name with spaces.png"

fp run "$SRC/configs/default.ini" -i "$IN" -o "$WORK/out" --stats-json "$WORK/s.json"
expect_rc 1 "batch with bad files"
for f in empty notpng truncated badcrc huge; do
	n=$(grep -c "^$IN/$f.png: decode: " "$ERR")
	[ "$n" -eq 1 ] || fail "$f.png: expected one error line, got $n"
	[ -e "$WORK/out/$f.png" ] && fail "$f.png: output written for a bad input"
done
expect_err "$IN/empty.png: decode: empty file" "empty"
expect_err "$IN/notpng.png: decode: not a PNG" "not a png"
expect_err "max_pixels" "huge image names the limit"
for f in a_good z_good "name with spaces"; do
	[ -s "$WORK/out/$f.png" ] || fail "$f.png was not written"
done
ls -a "$WORK/out" | grep -q fp-tmp && fail "temporary files left"
python3 - "$WORK/s.json" <<'PY' || fail "stats"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 8, "ok": 3, "failed": 5}, s["frames"]
# The huge header must not have sized the pool: slots stay small.
assert s["pool"]["slot_bytes"] < 64 << 20, s["pool"]
PY

# An output folder that cannot be created is a usage error, before any work.
: >"$WORK/file"
fp run "$SRC/configs/default.ini" -i "$IN/a_good.png" -o "$WORK/file/sub"
expect_rc 2 "unusable output folder"
expect_err "cannot use as output folder" "unusable output folder"
finish
