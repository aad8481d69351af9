#!/bin/bash
# --stats-json holds every figure the summary prints: the counts, the wall
# time and frames/s, the output folder, and per stage its instances,
# frames, mean and p95 ms, busy share and which was busiest; and the
# outcome, which tells all_failed from some_failed. Read with Python and
# compared with the summary's text, figure by figure.
. "$(dirname "$0")/lib.sh"

IN="$WORK/in"
mkdir -p "$IN"
cp "$DATA/sample/logo.png" "$DATA/sample/coins.png" "$DATA/sample/camera.png" "$IN/"
head -c 100 "$DATA/sample/chelsea.png" >"$IN/broken.png"

compare() {
	python3 - "$ERR" "$1" "$2" <<'PY' || fail "$2: the stats file and the summary disagree"
import json, re, sys
err, path, outcome = open(sys.argv[1]).read().splitlines(), sys.argv[2], sys.argv[3]
s = json.load(open(path))
head = next(l for l in err if re.match(r"framepipe: \d+ frames?: ", l))
m = re.match(r"framepipe: (\d+) frames?: (\d+) written, (?:all )?(\d+) failed"
             r".* in ([\d.]+) s \(([\d.]+) frames/s\)", head)
assert m, head
total, ok, failed, wall, rate = m.groups()
f = s["frames"]
assert (f["total"], f["ok"], f["failed"]) == (int(total), int(ok), int(failed)), f
# Printed rounded: equal within the last printed digit.
assert abs(s["wall_s"] - float(wall)) <= 0.005 + 1e-9, (s["wall_s"], wall)
assert abs(s["frames_per_s"] - float(rate)) <= 0.05 + 1e-9, (s["frames_per_s"], rate)
assert s["outcome"] == outcome, s["outcome"]
shown = [l for l in err if "output in " in l]
if int(ok) > 0:
    assert shown and shown[0].rstrip().endswith("output in %s/" % s["output_dir"]), shown
else:
    assert not shown and "output_dir" not in s, shown
i = err.index(next(l for l in err if l.split()[:2] == ["stage", "type"]))
rows = err[i + 1:i + 1 + len(s["stages"])]
for row, st in zip(rows, s["stages"]):
    c = row.split()
    assert c[0] == st["name"] and c[1] == st["stage"], (row, st)
    assert int(c[2]) == st["workers"] and int(c[3]) == st["frames"], (row, st)
    assert c[4] == "%.3f" % st["mean_ms"], (row, st["mean_ms"])
    assert c[5] == "%.3f" % st["p95_ms"], (row, st["p95_ms"])
    assert abs(float(c[6].rstrip("%")) - st["busy_percent"]) <= 0.5 + 1e-9, (row, st)
    assert ("<- busiest" in row) == st["busiest"], (row, st["busiest"])
assert sum(st["busiest"] for st in s["stages"]) == (1 if int(ok) else 0)
PY
}

fp run -p 'resize width=40' -i "$IN" -o "$WORK/out/" --stats-json "$WORK/some.json"
expect_rc 1 "some failed"
compare "$WORK/some.json" some_failed

fp run -p 'resize width=40' -i "$IN/broken.png" -o "$WORK/none" --stats-json "$WORK/all.json"
expect_rc 1 "all failed"
compare "$WORK/all.json" all_failed

rm "$IN/broken.png"
fp run -p 'resize width=40' -i "$IN" -o "$WORK/ok" --stats-json "$WORK/ok.json"
expect_rc 0 "all written"
compare "$WORK/ok.json" ok
finish
