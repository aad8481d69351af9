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
cp "$DATA/pngsuite/basn0g08.png" "$IN/-leading-dash.png"
cp "$DATA/pngsuite/basn0g08.png" "$IN/new"$'\n'"line.png"
python3 "$SRC/tests/tools/make_hostile.py" "$IN"
mkfifo "$IN/fifo.png"
ln -s "$IN/nowhere.png" "$IN/dangling.png"
mkdir "$IN/folder.png"
: >"$IN/bad"$'\n'"name.png"

fp run "$SRC/configs/default.ini" -i "$IN" -o "$WORK/out" --stats-json "$WORK/s.json"
expect_rc 1 "batch with bad files"
# One line per bad file, naming it and the reason; nothing written for it.
declare -A REASON=(
	[empty]="empty file"
	[notpng]="not a PNG file"
	[truncated]="truncated"
	[badcrc]="CRC"
	[huge]="max_pixels"
	[huge_header]="exceeds png_decode.max_width=65535, png_decode.max_height=65535 and png_decode.max_pixels=100000000 (raise them"
	[huge_1bit]="20000x20000 exceeds png_decode.max_pixels=100000000"
	[idat_crc]="IDAT: CRC error"
	[no_iend]="no IEND"
	[zero_size]="width 0 is invalid"
	[fifo]="is a FIFO"
	[dangling]="dangling symbolic link"
	[folder]="is a folder"
)
for f in "${!REASON[@]}"; do
	# (the summary lists failures again, indented)
	n=$(grep -F "$IN/$f.png: decode: " "$ERR" | grep -c -v '^  ')
	[ "$n" -eq 1 ] || fail "$f.png: expected one error line, got $n"
	grep -q -F "$IN/$f.png: decode: " "$ERR" &&
		! grep -F "$IN/$f.png: decode: " "$ERR" | grep -q -F "${REASON[$f]}" &&
		fail "$f.png: reason lacks '${REASON[$f]}'"
	[ -e "$WORK/out/$f.png" ] && fail "$f.png: output written for a bad input"
done
# A newline in a name cannot split its line: it is shown escaped.
expect_err "$IN/bad\\nname.png: decode: empty file" "newline in a bad file's name"
# Odd names are fine.
for f in a_good z_good "name with spaces" -leading-dash "new"$'\n'"line" junk_after_iend palette_index; do
	[ -s "$WORK/out/$f.png" ] || fail "$f.png was not written"
done
ls -a "$WORK/out" | grep -q fp-tmp && fail "temporary files left"
python3 - "$WORK/s.json" <<'PY' || fail "stats"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 21, "ok": 7, "failed": 14}, s["frames"]
# The huge headers must not have sized the pool: slots stay small.
assert s["pool"]["slot_size"] < 64 << 20, s["pool"]
PY

# Disk full half-way (a file-size limit stands in for it): the frames that
# do not fit fail with the reason, leave no partial file, and the rest of
# the batch is written.
mkdir -p "$WORK/mixed"
cp "$DATA/pngsuite/basn0g08.png" "$DATA/pngsuite/basn2c08.png" "$WORK/mixed/"
cp "$DATA/sample/camera.png" "$WORK/mixed/"
(ulimit -f 40; FP_TEST_TAG=$TAG "$FP_BIN" run "$SRC/configs/default.ini" -i "$WORK/mixed" \
	-o "$WORK/full" -q >"$WORK/stdout" 2>"$WORK/stderr" </dev/null)
RC=$?
expect_rc 1 "disk full"
expect_err "$WORK/mixed/camera.png: encode: " "disk full names the file"
expect_err "File too large" "disk full says why"
[ -e "$WORK/full/camera.png" ] && fail "disk full: partial output under the final name"
ls -a "$WORK/full" | grep -q fp-tmp && fail "disk full: temporary file left"
[ -s "$WORK/full/basn0g08.png" ] && [ -s "$WORK/full/basn2c08.png" ] ||
	fail "disk full: the small images were not written"

# An output folder that cannot be created is a usage error, before any work.
: >"$WORK/file"
fp run "$SRC/configs/default.ini" -i "$IN/a_good.png" -o "$WORK/file/sub"
expect_rc 2 "unusable output folder"
expect_err "cannot use as output folder" "unusable output folder"
finish
