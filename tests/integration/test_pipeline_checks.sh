#!/bin/bash
# What the core knows before the fork it refuses before the fork: a stage's
# own check() of its parameters, and a stage that can never get a frame of a
# format it takes. Exit 2, one line naming the file, line and section, and
# no instance started (no "cannot start"). A plugin built for ABI 1.1 is
# only ever handed the formats it declared.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}

# A stage's check(): FILE:LINE of the offending key, section.param: why.
printf '[src]\nstage = testsrc\ncount = 2\n[f]\nplugin = %s\ncolour = navy\n[sink]\nstage = null_sink\n' \
	"$FIX/checked_filter.so" >"$WORK/colour.ini"
for cmd in check run; do
	fp $cmd "$WORK/colour.ini"
	expect_rc 2 "$cmd: bad colour"
	expect_err "$WORK/colour.ini:6: f.colour: expected red, green or blue, got 'navy'" "$cmd: bad colour"
	grep -q "cannot start" "$ERR" && fail "$cmd: the check must run before the fork"
done
printf '[src]\nstage = testsrc\ncount = 2\n[f]\nplugin = %s\nlow = 9\nhigh = 3\n[sink]\nstage = null_sink\n' \
	"$FIX/checked_filter.so" >"$WORK/range.ini"
fp run "$WORK/range.ini"
expect_rc 2 "low above high"
expect_err "$WORK/range.ini:7: f.high: must be above low (9), got 3" "low above high"
# The same from a one-line pipeline.
fp check -p "testsrc count=2 ! $FIX/checked_filter.so colour=navy ! null_sink"
expect_rc 2 "-p: bad colour"
expect_err "colour: expected red, green or blue, got 'navy'" "-p: bad colour"
# Valid values pass and run.
fp run -p "testsrc count=3 ! $FIX/checked_filter.so colour=blue low=1 high=2 ! null_sink"
expect_rc 0 "valid values"

# Formats that can meet pass (all 16-bit into a stage that takes all).
fp run -p "testsrc count=3 width=8 height=4 format=ga16 ! $FIX/checked_filter.so ! null_sink"
expect_rc 0 "GA16 into a stage that takes it"

# An ABI 1.1 plugin (examples/plugin/vignette.c built against the saved
# 1.1 headers) runs on the 8-bit frames it declared ...
V11="$FIX/abi11/vignette_abi11.so"
[ -f "$V11" ] || fail "the ABI 1.1 build of vignette is missing"
fp run -p "testsrc count=4 width=16 height=8 format=rgb8 ! $V11 ! null_sink"
expect_rc 0 "ABI 1.1 plugin, 8-bit frames"
# ... and a 16-bit pipeline, whose frames it can never take, is refused
# before the run by check and run, naming it and the fix.
for cmd in check run; do
	fp $cmd -p "testsrc count=4 width=16 height=8 format=rgb16 ! $V11 ! null_sink"
	expect_rc 2 "$cmd: ABI 1.1 plugin, 16-bit frames"
	expect_err "(put \`convert format=rgb8\` before it)" "$cmd: ABI 1.1 plugin, 16-bit frames"
	expect_err "vignette_abi11: takes G8, GA8, RGB8 or RGBA8 frames, but testsrc before it makes RGB16" "$cmd: ABI 1.1 plugin, 16-bit frames"
done

# Gray frames of either depth into a colour-only stage: the advice is the
# nearest layout at the depth the frames have (not the richest format,
# rgba16, which would also widen 8-bit files), and following it passes.
fp check -p "png_decode layout=g ! channel_mixer preset=sepia ! png_encode"
expect_rc 2 "gray into channel_mixer"
expect_err "(put \`convert layout=rgb\` before it)" "gray into channel_mixer"
fp check -p "png_decode layout=g depth=8 ! channel_mixer preset=sepia ! png_encode"
expect_err "(put \`convert format=rgb8\` before it)" "8-bit gray into channel_mixer"
fp check -p "png_decode layout=g ! convert layout=rgb ! channel_mixer preset=sepia ! png_encode"
expect_rc 0 "the advised convert"

# What check cannot know, the host refuses: a plugin that relabels one
# frame G8 (its descriptor declares no change of format) hands it to
# channel_mixer, whose host fails that frame with one line naming the
# stage and both formats; the other frames go through.
cat >"$WORK/reformat.ini" <<INI
[src]
stage = testsrc
count = 12
width = 16
height = 8
format = rgb8
[bad]
plugin = $FIX/misbehaving_filter.so
mode = reformat
at = 7
[mix]
stage = channel_mixer
preset = sepia
[sink]
stage = null_sink
INI
fp check "$WORK/reformat.ini"
expect_rc 0 "check cannot see a format a plugin changes at run time"
fp run "$WORK/reformat.ini"
expect_rc 1 "a frame of an undeclared format"
expect_err "frame 7: mix: takes RGB8, RGBA8, RGB16 or RGBA16 frames, not G8" "the host's refusal"
expect_err "12 frames: 11 written, 1 failed" "the other frames go through"

# Built with the 1.2 headers for 1.1 on purpose (FP_ABI_TARGET_MINOR=1): it
# declares 1.1 and the 1.1 descriptor size, exactly what a 1.1 loader
# accepts (minor <= 1, struct_size >= 1.1's), and runs here.
T11="$FIX/abi11/vignette_target11.so"
fp stages "$T11"
expect_rc 0 "stages of a plugin targeting 1.1"
grep -q "ABI: *1.1$" "$OUT" || fail "FP_ABI_TARGET_MINOR=1 did not stamp ABI 1.1: $(grep ABI "$OUT")"
fp run -p "testsrc count=2 width=16 height=8 ! $T11 ! null_sink"
expect_rc 0 "a plugin targeting 1.1 runs"
# ... and in framepipe 1.1: its own loader (tests/abi/1.1/loader.c) takes
# the 1.1-targeted build and refuses the same plugin built for 1.2.
LOAD11=${FP_LOAD_WITH_ABI11:?}
"$LOAD11" "$T11" >"$OUT" 2>&1 ||
	fail "the 1.1 loader refused the plugin built for 1.1: $(cat "$OUT")"
grep -qx "$T11: loaded vignette (ABI 1.1)" "$OUT" ||
	fail "the 1.1 loader: $(cat "$OUT")"
T12="$FIX/examples/vignette.so"
"$LOAD11" "$T12" >"$OUT" 2>&1 && fail "the 1.1 loader took a plugin built for 1.2"
grep -q "^$T12: refused: .*ABI 1\.2" "$OUT" ||
	fail "the 1.1 loader's refusal of a 1.2 plugin: $(cat "$OUT")"
finish
