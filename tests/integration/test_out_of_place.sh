#!/bin/bash
# Size-changing filters write a second, granted slot. Every output must be
# its own input, resized: the granted slot carries the frame's identity
# (a bug once named outputs after whichever frame last used the slot).
. "$(dirname "$0")/lib.sh"

fp run -p 'png_decode ! resize width=100 workers=2 ! rotate degrees=90 ! png_encode' \
	-i "$DATA/sample" -o "$WORK/out" --stats-json "$WORK/s.json" -q
expect_rc 0 "resize and rotate"
python3 - "$DATA/sample" "$WORK/out" <<'PY' || fail "outputs do not match their inputs"
import os, struct, sys
def size(p):
    d = open(p, "rb").read(24)
    return struct.unpack(">II", d[16:24])
src, out = sys.argv[1], sys.argv[2]
names = sorted(f for f in os.listdir(src) if f.endswith(".png"))
assert sorted(os.listdir(out)) == names, os.listdir(out)
for n in names:
    w, h = size(os.path.join(src, n))
    # resize to width 100 keeping the aspect, then a quarter turn
    expect = (round(h * 100 / w), 100)
    got = size(os.path.join(out, n))
    assert abs(got[0] - expect[0]) <= 1 and got[1] == expect[1], (n, got, expect)
PY
finish
