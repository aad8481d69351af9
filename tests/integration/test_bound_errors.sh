#!/bin/bash
# slot_size = auto asks the source, before the run, what each input will
# make (probe, frame_bound). An input it says is unusable fails there,
# named with the source's reason, and is listed and counted as a failed
# input; the batch goes on (issue 16: the error used to be dropped).
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}
mkdir -p "$WORK/in"
cp "$DATA/sample/camera.png" "$DATA/sample/coins.png" "$WORK/in/"
# Not a PNG at all, and a PNG cut inside its header.
printf 'this is not an image\n' >"$WORK/in/text.png"
head -c 20 "$DATA/sample/logo.png" >"$WORK/in/cut.png"

# png_decode's probe (read from the header, never decoding).
fp run -p 'png_decode ! png_encode' -i "$WORK/in" -o "$WORK/out" \
	--stats-json "$WORK/probe.json"
expect_rc 1 "probe"
for f in text cut; do
	grep -qE "^$WORK/in/$f.png: png_decode: .+" "$ERR" ||
		fail "probe: $f.png not listed with a reason"
done
[ -f "$WORK/out/camera.png" ] && [ -f "$WORK/out/coins.png" ] ||
	fail "probe: the good inputs were not written"
python3 - "$WORK/probe.json" "$WORK/in" <<'PY' || fail "probe: accounting"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 4, "ok": 2, "failed": 2}, s["frames"]
failed = sorted(f["input"] for f in s["failures"])
assert failed == [sys.argv[2] + "/cut.png", sys.argv[2] + "/text.png"], failed
assert all(f["stage"] == "png_decode" and f["reason"] for f in s["failures"]), s["failures"]
PY

# A plugin source's frame_bound error, word for word.
touch "$WORK/a.raw" "$WORK/refuse-me.raw" "$WORK/c.raw"
cat >"$WORK/bound.ini" <<INI
[src]
plugin = $FIX/bound_source.so
[sum]
stage = checksum_sink
file = $WORK/bound.txt
INI
fp run "$WORK/bound.ini" -i "$WORK/a.raw" "$WORK/refuse-me.raw" "$WORK/c.raw" \
	--stats-json "$WORK/bound.json"
expect_rc 1 "frame_bound"
expect_err "$WORK/refuse-me.raw: src: its header says it is unusable" "frame_bound: the reason"
[ "$(wc -l <"$WORK/bound.txt")" -eq 2 ] || fail "frame_bound: expected the 2 other inputs written"
python3 - "$WORK/bound.json" <<'PY' || fail "frame_bound: accounting"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 3, "ok": 2, "failed": 1}, s["frames"]
PY

# --resume: an input already done is not probed again, nor failed.
fp run -p 'png_decode ! png_encode' -i "$WORK/in" -o "$WORK/out" --resume \
	--stats-json "$WORK/resume.json"
expect_rc 1 "resume"
python3 - "$WORK/resume.json" <<'PY' || fail "resume: accounting"
import json, sys
f = json.load(open(sys.argv[1]))["frames"]
assert f == {"total": 4, "ok": 0, "failed": 2, "skipped": 2}, f
PY
finish
