#!/bin/bash
# Never destroy an input by accident (issue 15.2): an output that is, or
# resolves to, one of the run's inputs is refused before the run unless
# --in-place, whatever --overwrite says; with -r the output folder (and
# anything under it) is never read back as input.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/photos"
cp "$DATA/sample/camera.png" "$DATA/sample/coins.png" "$WORK/photos/"
cp -r "$WORK/photos" "$WORK/originals"
same_as_originals() {
	cmp -s "$WORK/photos/camera.png" "$WORK/originals/camera.png" &&
		cmp -s "$WORK/photos/coins.png" "$WORK/originals/coins.png"
}
P='png_decode ! invert ! png_encode'

for extra in "" --overwrite --resume; do
	fp run -q -p "$P" -i "$WORK/photos" -o "$WORK/photos" $extra
	expect_rc 2 "-i X -o X $extra"
	expect_err "$WORK/photos/camera.png would replace the input $WORK/photos/camera.png (and 1 more): give -o another folder, or --in-place to replace the inputs on purpose" "-i X -o X $extra"
	same_as_originals || fail "-i X -o X $extra: an input was changed"
done
fp check -p "$P" -i "$WORK/photos" -o "$WORK/photos" --overwrite
expect_rc 2 "check -i X -o X"
expect_err "would replace the input" "check -i X -o X"

# The same folder spelt otherwise, and an output that is a link to an
# input.
fp run -q -p "$P" -i "$WORK/photos" -o "$WORK/photos/./" --overwrite
expect_rc 2 "-o X/./"
mkdir -p "$WORK/linked"
ln -s "$WORK/photos/coins.png" "$WORK/linked/coins.png"
fp run -q -p "$P" -i "$WORK/photos" -o "$WORK/linked" --overwrite
expect_rc 2 "output linked to an input"
expect_err "$WORK/linked/coins.png would replace the input $WORK/photos/coins.png" "output linked to an input"
same_as_originals || fail "an input was changed through a link"

# --in-place says so on purpose: the inputs are replaced (inverted).
fp run -q -p "$P" -i "$WORK/photos" -o "$WORK/photos" --in-place
expect_rc 0 "--in-place"
cmp -s "$WORK/photos/camera.png" "$WORK/originals/camera.png" &&
	fail "--in-place: camera.png was not replaced"
fp run -q -p "$P" -i "$WORK/photos" -o "$WORK/photos" --in-place
expect_rc 0 "--in-place twice"
"$FP_PNG2RGBA" "$WORK/photos/camera.png" >"$WORK/twice.rgba" &&
	"$FP_PNG2RGBA" "$WORK/originals/camera.png" >"$WORK/orig.rgba" &&
	cmp -s "$WORK/twice.rgba" "$WORK/orig.rgba" ||
	fail "--in-place twice: inverting twice did not give the original pixels"

# -r with the output folder inside the input tree: a second run does not
# read the first run's outputs back in.
mkdir -p "$WORK/tree/a"
cp "$DATA/sample/camera.png" "$WORK/tree/"
cp "$DATA/sample/coins.png" "$WORK/tree/a/"
for run in 1 2; do
	fp run -q -r -p 'png_decode ! png_encode' -i "$WORK/tree" \
		-o "$WORK/tree/thumbs" --overwrite --stats-json "$WORK/s$run.json"
	expect_rc 0 "-r, output inside the input tree, run $run"
	grep -q '"total":2' "$WORK/s$run.json" ||
		fail "run $run read other than the 2 inputs: $(cat "$WORK/s$run.json")"
done
[ -e "$WORK/tree/thumbs/thumbs" ] && fail "-r read its own outputs back in (thumbs/thumbs)"
fp run -r --list-inputs -p 'png_decode ! png_encode' -i "$WORK/tree" -o "$WORK/tree/thumbs"
grep -q thumbs "$OUT" && fail "--list-inputs lists the output folder: $(cat "$OUT")"
# The output folder reached through a link is the output folder too.
ln -s "$WORK/tree/thumbs" "$WORK/thumbs-link"
fp run -r --list-inputs -p 'png_decode ! png_encode' -i "$WORK/tree" -o "$WORK/thumbs-link"
grep -q thumbs "$OUT" && fail "--list-inputs lists the output folder given as a link"
finish
