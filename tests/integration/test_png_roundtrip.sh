#!/bin/bash
# Every PngSuite file through decode -> encode with the real program: the
# written PNG decodes to exactly the reference pixels, whether the pipeline
# keeps each file's layout or converts everything to RGBA.
. "$(dirname "$0")/lib.sh"
PNG2RGBA=${FP_PNG2RGBA:?}

check_outputs() { # outdir what
	local n=0 bad=0 ref
	for png in "$DATA"/pngsuite/*.png; do
		name=$(basename "$png" .png)
		n=$((n + 1))
		"$PNG2RGBA" --compare "$1/$name.png" "$DATA/pngsuite-ref/$name.pam" \
			>>"$WORK/compare.txt" 2>&1 || bad=$((bad + 1))
	done
	[ "$n" -eq 161 ] || fail "$2: expected 161 inputs, saw $n"
	[ "$bad" -eq 0 ] || { fail "$2: $bad of $n outputs differ"; head "$WORK/compare.txt" >&2; }
	ls -a "$1" | grep -q 'fp-tmp' && fail "$2: temporary files left in $1"
}

fp run "$SRC/configs/decode_encode.ini" -i "$DATA/pngsuite" -o "$WORK/rgba" -q
expect_rc 0 "layout=rgba"
check_outputs "$WORK/rgba" "layout=rgba"

fp run "$SRC/configs/default.ini" -i "$DATA/pngsuite" -o "$WORK/keep" \
	--stats-json "$WORK/keep.json" -q
expect_rc 0 "format=keep"
check_outputs "$WORK/keep" "format=keep"
# keep writes gray as gray: much smaller files than RGBA.
[ "$(du -sb "$WORK/keep" | cut -f1)" -lt "$(du -sb "$WORK/rgba" | cut -f1)" ] ||
	fail "format=keep should write smaller files than layout=rgba"
finish
