#!/bin/bash
# The example plugins of examples/plugin in real runs (issue 16): edges
# (any 8-bit in, G8 out, declared with shape) against a Sobel computed
# here from ImageMagick's decode of the same files, its shape used by
# `check` and `stages`; json_sidecar (a JSON per input, output_extension
# ".json") against ImageMagick's pixels, with the output planning
# (collisions, --overwrite, --resume) covering its files.
. "$(dirname "$0")/lib.sh"

EX=${FP_FIXTURE_DIR:?}/examples
command -v convert >/dev/null || { echo "skipped: no ImageMagick"; exit 0; }
IN=$WORK/in
mkdir -p "$IN"
cp "$DATA/sample/coins.png" "$DATA/sample/chelsea.png" "$DATA/sample/logo.png" "$IN/"

# ---- edges ----
sed "s|^stage = edges|plugin = $EX/edges.so|" "$SRC/examples/plugin/edges.ini" >"$WORK/edges.ini"
fp run "$WORK/edges.ini" -i "$IN" -o "$WORK/edges"
expect_rc 0 "edges"
for f in coins chelsea logo; do
	out=$WORK/edges/${f}_edges.png
	[ "$(identify -format '%[channels] %z' "$out")" = "gray 8" ] ||
		fail "edges: $f: not an 8-bit gray PNG: $(identify "$out")"
	convert "$IN/$f.png" -depth 8 rgb:"$WORK/$f.rgb"
	convert "$out" -depth 8 gray:"$WORK/$f.edges"
	size=$(identify -format '%w %h' "$IN/$f.png")
	python3 - "$WORK/$f.rgb" "$WORK/$f.edges" $size <<'PY' || fail "edges: $f differs from a Sobel of ImageMagick's pixels"
import math, sys
rgb = open(sys.argv[1], "rb").read()
got = open(sys.argv[2], "rb").read()
w, h = int(sys.argv[3]), int(sys.argv[4])
g = [(77 * rgb[3 * i] + 150 * rgb[3 * i + 1] + 29 * rgb[3 * i + 2] + 128) >> 8
     for i in range(w * h)]
def at(x, y):
    return g[min(max(y, 0), h - 1) * w + min(max(x, 0), w - 1)]
bad = 0
for y in range(h):
    for x in range(w):
        gx = (at(x+1, y-1) + 2*at(x+1, y) + at(x+1, y+1)) - (at(x-1, y-1) + 2*at(x-1, y) + at(x-1, y+1))
        gy = (at(x-1, y+1) + 2*at(x, y+1) + at(x+1, y+1)) - (at(x-1, y-1) + 2*at(x, y-1) + at(x+1, y-1))
        m = math.sqrt(gx * gx + gy * gy)
        v = 255 if m >= 255 else int(m + 0.5)
        if got[y * w + x] != v:
            bad += 1
print(sys.argv[2], w, h, "pixels differing:", bad)
sys.exit(1 if bad else 0)
PY
done
# Its shape, as the core reads it: listed, and used by check.
FRAMEPIPE_PLUGIN_PATH=$EX fp stages edges
grep -q "formats:  G8 -> G8, GA8 -> G8, RGB8 -> G8, RGBA8 -> G8" "$OUT" ||
	fail "stages edges: $(grep formats "$OUT")"
FRAMEPIPE_PLUGIN_PATH=$EX fp check -p 'png_decode ! edges ! channel_mixer ! png_encode'
expect_rc 2 "check: gray into channel_mixer"
expect_err "channel_mixer: takes RGB8, RGBA8, RGB16 or RGBA16 frames, but edges before it makes G8" "check: the reason"

# ---- json_sidecar ----
sed "s|^stage = json_sidecar|plugin = $EX/json_sidecar.so|" "$SRC/examples/plugin/sidecar.ini" >"$WORK/sidecar.ini"
fp run "$WORK/sidecar.ini" -i "$IN" -o "$WORK/json"
expect_rc 0 "sidecar"
[ "$(ls -A "$WORK/json" | sort | tr '\n' ' ')" = "chelsea.json coins.json logo.json " ] ||
	fail "sidecar: the folder holds $(ls -A "$WORK/json")"
for f in coins chelsea logo; do
	python3 - "$WORK/json/$f.json" "$IN/$f.png" <<'PY' || fail "sidecar: $f.json"
import json, subprocess, sys
j = json.load(open(sys.argv[1]))
maps = {"G8": "gray", "GA8": "ia", "RGB8": "rgb", "RGBA8": "rgba"}
w, h = map(int, subprocess.run(["identify", "-format", "%w %h", sys.argv[2]],
                               capture_output=True, text=True, check=True).stdout.split())
raw = subprocess.run(["convert", sys.argv[2], "-depth", "8", maps[j["format"]] + ":-"],
                     capture_output=True, check=True).stdout
n = len(j["channels"])
assert j["input"] == sys.argv[2] and (j["width"], j["height"]) == (w, h), j
assert len(raw) == w * h * n, (len(raw), w, h, n)
for k, c in enumerate(j["channels"]):
    s = raw[k::n]
    assert (c["min"], c["max"]) == (min(s), max(s)), (k, c, min(s), max(s))
    assert abs(c["mean"] - sum(s) / len(s)) < 0.0005, (k, c, sum(s) / len(s))
print(sys.argv[1], j["format"], "matches ImageMagick")
PY
done
# A rerun does not silently replace them; --resume skips them; --overwrite
# replaces them.
fp run "$WORK/sidecar.ini" -i "$IN" -o "$WORK/json"
expect_rc 2 "sidecar rerun"
expect_err "$WORK/json/" "sidecar rerun: names the existing output"
fp run "$WORK/sidecar.ini" -i "$IN" -o "$WORK/json" --resume --stats-json "$WORK/resume.json"
expect_rc 0 "sidecar --resume"
python3 -c 'import json,sys; f=json.load(open(sys.argv[1]))["frames"]; assert f["skipped"] == 3 and f["ok"] == 0, f' "$WORK/resume.json" ||
	fail "sidecar --resume: not all skipped"
touch -d '2000-01-01' "$WORK/json/coins.json"
fp run "$WORK/sidecar.ini" -i "$IN" -o "$WORK/json" --overwrite
expect_rc 0 "sidecar --overwrite"
[ "$(stat -c %Y "$WORK/json/coins.json")" -gt 946684800 ] || fail "sidecar --overwrite: coins.json not rewritten"
# Two inputs of one stem collide before anything runs.
mkdir -p "$WORK/other"
cp "$DATA/sample/coins.png" "$WORK/other/coins.png"
fp run "$WORK/sidecar.ini" -i "$IN/coins.png" "$WORK/other/coins.png" -o "$WORK/clash"
expect_rc 2 "sidecar collision"
expect_err "coins.json" "sidecar collision: names the file"
finish
