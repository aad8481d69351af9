#!/bin/bash
# The output folder is not left behind when nothing is written: every input
# failed, a mistake found once the run had made the folder, no input at
# all. A folder that was there before stays, and so does one that holds
# anything.
. "$(dirname "$0")/lib.sh"

IN="$WORK/in"
mkdir -p "$IN" "$WORK/empty"
head -c 100 "$DATA/sample/coins.png" >"$IN/a.png"
head -c 100 "$DATA/sample/camera.png" >"$IN/b.png"

fp run -p 'resize width=16' -i "$IN" -o "$WORK/new/deep/out"
expect_rc 1 "every input failed"
[ -e "$WORK/new" ] && fail "every input failed: the output folder was made: $(find "$WORK/new")"

mkdir "$WORK/there"
fp run -p 'resize width=16' -i "$IN" -o "$WORK/there/out"
expect_rc 1 "every input failed, parent there"
[ -d "$WORK/there" ] || fail "a folder that was there is gone"
[ -e "$WORK/there/out" ] && fail "every input failed: there/out was made"

# Two inputs named alike: found when the run plans its outputs.
cp "$DATA/sample/logo.png" "$WORK/empty/logo.png"
mkdir -p "$WORK/other" && cp "$DATA/sample/logo.png" "$WORK/other/logo.png"
fp run -p 'resize width=16' -i "$WORK/empty/logo.png" "$WORK/other/logo.png" \
	-o "$WORK/clash"
expect_rc 2 "two outputs alike"
[ -e "$WORK/clash" ] && fail "two outputs alike: the output folder was made"
rm "$WORK/empty/logo.png"

fp run -p 'resize width=16' -i "$WORK/empty" -o "$WORK/none"
expect_rc 2 "no input"
[ -e "$WORK/none" ] && fail "no input: the output folder was made"

# The stats file inside it: the folder holds something and stays.
fp run -p 'resize width=16' -i "$IN" -o "$WORK/kept" --stats-json "$WORK/kept/s.json"
[ -s "$WORK/kept/s.json" ] || fail "the stats file inside the output folder is gone"

fp run -p 'resize width=16' -i "$IN" "$DATA/sample/logo.png" -o "$WORK/some/out"
expect_rc 1 "one written"
[ -f "$WORK/some/out/logo.png" ] || fail "one written: no output"
finish
