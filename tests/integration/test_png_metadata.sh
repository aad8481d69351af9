#!/bin/bash
# PNG metadata travels with the frame: a real photo (chelsea.png: iCCP,
# pHYs, XMP) given eXIf, iTXt with language tags (plain and compressed),
# zTXt, tEXt before and after IDAT, gAMA and cHRM by a script writing the
# chunks by hand goes through png_decode ! resize ! png_encode and every
# one of those chunks comes out with the same content (read back by
# tests/tools/png_read.py: Python's zlib, not libpng); strip=meta keeps
# only iCCP, gAMA, cHRM, sRGB; strip=all none. A 16-bit profile-tagged
# photo keeps its samples, profile and text. Overflows and bombs fail the
# file with one line naming the setting to raise.
. "$(dirname "$0")/lib.sh"
TOOLS="$SRC/tests/tools"
MAKE="python3 $TOOLS/make_meta_png.py"

mkdir -p "$WORK/in"
$MAKE annotated "$DATA/sample/chelsea.png" "$WORK/in/chelsea.png" ||
	fail "cannot make the annotated PNG"

# chunks_equal A B [types]: the metadata chunks of B equal A's (as a
# multiset, contents inflated), A's restricted to types when given.
chunks_equal() {
	python3 - "$TOOLS" "$@" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
import png_read
a = png_read.meta_chunks(sys.argv[2])
b = png_read.meta_chunks(sys.argv[3])
if len(sys.argv) > 4:
    keep = sys.argv[4].split(",")
    a = [c for c in a if c["type"] in keep]
key = lambda c: json.dumps(c, sort_keys=True)
if sorted(map(key, a)) != sorted(map(key, b)):
    print("want:", sorted(c["type"] for c in a), file=sys.stderr)
    print("got: ", sorted(c["type"] for c in b), file=sys.stderr)
    for c in a:
        if key(c) not in map(key, b):
            print("missing or changed:", key(c)[:200], file=sys.stderr)
    sys.exit(1)
print("%d chunks equal: %s" % (len(b), " ".join(c["type"] for c in b)))
PY
}

python3 - "$TOOLS" "$WORK/in/chelsea.png" <<'PY' || fail "the input lacks chunks"
import sys
sys.path.insert(0, sys.argv[1])
import png_read
have = {c["type"] for c in png_read.meta_chunks(sys.argv[2])}
want = {"iCCP", "eXIf", "iTXt", "zTXt", "tEXt", "pHYs", "gAMA", "cHRM"}
assert want <= have, want - have
PY

fp run -p 'png_decode ! resize scale=0.5 ! png_encode level=1' \
	-i "$WORK/in" -o "$WORK/keep" -q
expect_rc 0 "strip=keep"
chunks_equal "$WORK/in/chelsea.png" "$WORK/keep/chelsea.png" ||
	fail "strip=keep: chunks differ"

fp run -p 'png_decode ! resize scale=0.5 ! png_encode level=1 strip=meta' \
	-i "$WORK/in" -o "$WORK/meta" -q
expect_rc 0 "strip=meta"
chunks_equal "$WORK/in/chelsea.png" "$WORK/meta/chelsea.png" \
	iCCP,gAMA,cHRM,sRGB || fail "strip=meta: not only the colour chunks"

fp run -p 'png_decode ! resize scale=0.5 ! png_encode level=1 strip=all' \
	-i "$WORK/in" -o "$WORK/all" -q
expect_rc 0 "strip=all"
chunks_equal "$WORK/in/chelsea.png" "$WORK/all/chelsea.png" none ||
	fail "strip=all: metadata left"

# A 16-bit photo with an ICC profile and text: all of it kept.
mkdir -p "$WORK/in16"
cp "$DATA/libjpeg-turbo/monkey16.png" "$WORK/in16/"
fp run -p 'png_decode ! png_encode level=1' -i "$WORK/in16" -o "$WORK/out16" -q
expect_rc 0 "16-bit with a profile"
chunks_equal "$WORK/in16/monkey16.png" "$WORK/out16/monkey16.png" ||
	fail "16-bit: chunks differ"
python3 "$TOOLS/png_read.py" same "$WORK/in16/monkey16.png" \
	"$WORK/out16/monkey16.png" || fail "16-bit: samples differ"

# A 2 MiB iTXt does not fit the default 1 MiB area: one line naming the
# file and the setting; with a larger area it comes out whole.
mkdir -p "$WORK/big"
$MAKE big_itxt "$DATA/pngsuite/basn2c08.png" "$WORK/big/big.png" 2097152
fp run -p 'png_decode ! png_encode level=1' -i "$WORK/big" -o "$WORK/big1" -q
expect_rc 1 "2 MiB iTXt, 1 MiB area"
expect_err "big.png: png_decode: metadata area full: iTXt 'Big' needs" "area full"
expect_err "(raise [pipeline] metadata_size)" "area full: the setting"
[ "$(grep -c 'metadata area full' "$ERR")" -eq 1 ] || fail "area full: one line"
printf '[pipeline]\nmetadata_size = 4M\n[d]\nstage = png_decode\n[e]\nstage = png_encode\nlevel = 1\n' \
	>"$WORK/big.ini"
fp run "$WORK/big.ini" -i "$WORK/big" -o "$WORK/big4" -q
expect_rc 0 "2 MiB iTXt, 4 MiB area"
chunks_equal "$WORK/big/big.png" "$WORK/big4/big.png" || fail "big iTXt changed"

# Decompression bombs: a 256 KiB zTXt, iTXt or iCCP inflating to 256 MiB
# is refused without inflating it whole: past the area's free space, or
# past max_metadata when the area is larger.
mkdir -p "$WORK/bombs"
for type in zTXt iTXt iCCP; do
	$MAKE bomb "$DATA/pngsuite/basn2c08.png" "$WORK/bombs/$type.png" "$type" 256
done
fp run -p 'png_decode ! png_encode level=1' -i "$WORK/bombs" -o "$WORK/b1" -q
expect_rc 1 "bombs, default area"
for type in zTXt iTXt iCCP; do
	expect_err "$type.png: png_decode: metadata area full: $type 'Bomb" "$type bomb"
done
printf '[pipeline]\nmetadata_size = 8M\nslots = 2\n[d]\nstage = png_decode\nmax_metadata = 2M\n[e]\nstage = png_encode\n' \
	>"$WORK/bomb.ini"
fp run "$WORK/bomb.ini" -i "$WORK/bombs" -o "$WORK/b2" -q
expect_rc 1 "bombs, max_metadata"
for type in zTXt iTXt iCCP; do
	expect_err "$type.png: d: $type 'Bomb" "$type bomb, max_metadata"
done
expect_err "inflates past png_decode.max_metadata=2097152" "max_metadata named"

# 1,000 zTXt chunks of 8 KiB, each inflating to 8 MiB (8 MB of file):
# refused at the first one that does not fit, not after 8 GB of inflate.
mkdir -p "$WORK/many"
$MAKE bomb "$DATA/pngsuite/basn2c08.png" "$WORK/many/many.png" zTXt 8 1000
fp run -p 'png_decode ! png_encode level=1' -i "$WORK/many" -o "$WORK/m1" -q
expect_rc 1 "1000 zTXt bombs"
expect_err "many.png: png_decode: metadata area full: zTXt 'Bomb'" "1000 zTXt"
finish
