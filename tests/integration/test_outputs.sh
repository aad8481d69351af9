#!/bin/bash
# The output side: existing files are refused, replaced (--overwrite) or
# skipped (--resume); two inputs never share an output; a recursive input
# tree is mirrored; temporary files of killed runs are cleaned up; a killed
# run never leaves a half-written image under its final name.
. "$(dirname "$0")/lib.sh"
PNG2RGBA=${FP_PNG2RGBA:?}
CFG="$SRC/configs/default.ini"
DEST="$WORK/out"

fp run "$CFG" -i "$DATA/sample" -o "$DEST" -q
expect_rc 0 "first run"
fp run "$CFG" -i "$DATA/sample" -o "$DEST" -q
expect_rc 2 "existing outputs"
expect_err "already exists (and 4 more outputs): --overwrite replaces, --resume skips" "existing outputs"
# The folder as typed with a slash at its end: one slash in the names.
fp run "$CFG" -i "$DATA/sample" -o "$DEST/" -q
expect_rc 2 "existing outputs, -o ending in /"
expect_err "framepipe: $DEST/camera.png already exists" "-o ending in /: one slash"
fp run "$CFG" -i "$DATA/sample" -o "$DEST" -q --overwrite
expect_rc 0 "--overwrite"

# --resume after a partial run. Temporary files named by PID (framepipe
# before run ids) prove nothing about their run and are left alone, as is
# a user's file that merely contains the mark (test_run_temps.sh has the
# rest: a gone run's files removed, a live one's kept).
rm "$DEST/coins.png" "$DEST/logo.png"
sh -c 'exit 0' & dead=$!; wait $dead
: >"$DEST/.coins.png.fp-tmp-$dead-aaaaaa"
echo mine >"$DEST/.notes.fp-tmp-backup.txt"
fp run "$CFG" -i "$DATA/sample" -o "$DEST" --resume --stats-json "$WORK/r.json"
expect_rc 0 "--resume"
expect_err "2 written, 0 failed, 3 skipped (already done)" "--resume summary"
[ -e "$DEST/.coins.png.fp-tmp-$dead-aaaaaa" ] || fail "a PID-named file (no proof its run is gone) was removed"
[ -e "$DEST/.notes.fp-tmp-backup.txt" ] || fail "a user's .notes.fp-tmp-backup.txt was removed"
rm -f "$DEST/.notes.fp-tmp-backup.txt" "$DEST/.coins.png.fp-tmp-$dead-aaaaaa"
python3 - "$WORK/r.json" <<'PY' || fail "--resume stats"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["frames"] == {"total": 5, "ok": 2, "failed": 0, "skipped": 3}, s["frames"]
PY
for f in "$DATA"/sample/*.png; do
	cmp -s <("$PNG2RGBA" "$f") <("$PNG2RGBA" "$DEST/$(basename "$f")") ||
		fail "$(basename "$f") differs after resume"
done

# Collisions are found before the run.
printf '[pipeline]\noutput = all.png\n' >"$WORK/same.ini"
grep -v '^\[pipeline\]\|^output' "$CFG" >>"$WORK/same.ini"
fp run "$WORK/same.ini" -i "$DATA/sample" -o "$WORK/same"
expect_rc 2 "collision"
expect_err "would both be written to $WORK/same/all.png" "collision"
[ -e "$WORK/same/all.png" ] && fail "collision: something was written"

# A recursive tree is mirrored; without -r only the top level is read.
mkdir -p "$WORK/tree/a/deep" "$WORK/tree/b"
cp "$DATA/pngsuite/basn0g08.png" "$WORK/tree/top.png"
cp "$DATA/pngsuite/basn2c08.png" "$WORK/tree/a/x.png"
cp "$DATA/pngsuite/basn3p08.png" "$WORK/tree/a/deep/y.png"
cp "$DATA/pngsuite/basn6a08.png" "$WORK/tree/b/x.png"
fp run "$CFG" -i "$WORK/tree" -o "$WORK/mirror" -r -q
expect_rc 0 "recursive"
for f in top.png a/x.png a/deep/y.png b/x.png; do
	cmp -s <("$PNG2RGBA" "$WORK/tree/$f") <("$PNG2RGBA" "$WORK/mirror/$f") ||
		fail "recursive: $f not mirrored"
done
fp run "$CFG" -i "$WORK/tree" -o "$WORK/flat" -q
expect_rc 0 "not recursive"
[ "$(find "$WORK/flat" -type f | wc -l)" -eq 1 ] || fail "without -r only top.png"
printf '[pipeline]\noutput = {stem}.png\n' >"$WORK/flat.ini"
grep -v '^\[pipeline\]\|^output' "$CFG" >>"$WORK/flat.ini"
fp run "$WORK/flat.ini" -i "$WORK/tree" -o "$WORK/clash" -r
expect_rc 2 "recursive collision"
expect_err "a/x.png and $WORK/tree/b/x.png would both be written to $WORK/clash/x.png" "recursive collision"

# Kill -9 the supervisor while large frames are being encoded: every file
# under its final name is a complete PNG; then --resume finishes the job
# and leaves no temporary file.
cat >"$WORK/big.ini" <<INI
[src]
stage = testsrc
count = 12
width = 1500
height = 1500
pattern = noise
[encode]
stage = png_encode
level = 9
INI
FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/big.ini" -o "$WORK/big" -q 2>/dev/null &
pid=$!
sleep 1.5
instances=$(tagged_pids)
kill -KILL $pid
wait $pid 2>/dev/null
check_nothing_left $pid "killed encode"
# An instance that is still tearing down holds the run's lock, which keeps
# its temporary file; wait until every one has really gone, as a person
# re-running the command would.
for p in $instances; do
	while kill -0 "$p" 2>/dev/null; do sleep 0.02; done
done
for f in "$WORK"/big/*.png; do
	[ -e "$f" ] || continue
	"$PNG2RGBA" "$f" >/dev/null 2>&1 || fail "half-written output $(basename "$f")"
done
fp run "$WORK/big.ini" -o "$WORK/big" -q --resume
expect_rc 0 "resume after kill"
[ "$(ls "$WORK/big" | wc -l)" -eq 12 ] || fail "resume after kill: expected 12 outputs"
[ -z "$(ls -A "$WORK/big" | grep fp-tmp)" ] || fail "temporary files left after resume"
finish
