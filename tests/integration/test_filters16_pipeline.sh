#!/bin/bash
# Every built-in filter at 16 bits through the real program (testsrc's
# 16-bit formats, the stage host, the pool), the format and size each one
# makes as checksum_sink sees them; a format a filter does not take
# refused before the run; and slots sized from the filters' shapes:
# enlarging, padding and turning in a -p line with no slot setting.
. "$(dirname "$0")/lib.sh"

SUM="$WORK/sum.txt"
# run1 FORMAT 'FILTER PARAMS' EXPECTED ('WxH FORMAT' of every frame)
run1() {
	local fmt=$1 filter=$2 want=$3
	rm -f "$SUM"
	fp run -p "testsrc count=3 width=37 height=23 format=$fmt ! $filter ! checksum_sink file=$SUM" -q
	expect_rc 0 "$fmt $filter"
	[ "$RC" -eq 0 ] || return
	local got
	got=$(awk '{print $3, $4}' "$SUM" | sort -u)
	[ "$got" = "$want" ] || fail "$fmt $filter: made '$got', expected '$want'"
}

for fmt in g16 ga16 rgb16 rgba16; do
	F=$(echo "$fmt" | tr a-z A-Z)
	run1 $fmt invert "37x23 $F"
	run1 $fmt "brightness_contrast contrast=1.3 brightness=5" "37x23 $F"
	run1 $fmt "gamma gamma=2.2" "37x23 $F"
	run1 $fmt "levels in_black=10 in_white=240" "37x23 $F"
	run1 $fmt threshold "37x23 $F"
	run1 $fmt premultiply "37x23 $F"
	run1 $fmt unpremultiply "37x23 $F"
	run1 $fmt "crop x=3 y=4 width=20 height=10" "20x10 $F"
	run1 $fmt "rotate degrees=90" "23x37 $F"
	run1 $fmt "flip direction=vertical" "37x23 $F"
	run1 $fmt transpose "23x37 $F"
	run1 $fmt "pad width=50 height=30 color=#123456789abc" "50x30 $F"
	run1 $fmt "resize width=74 kernel=lanczos3" "74x46 $F"
	run1 $fmt "blur sigma=1.5" "37x23 $F"
	run1 $fmt "sharpen sigma=1 amount=2" "37x23 $F"
	run1 $fmt "convolve kernel='0 -1 0 -1 5 -1 0 -1 0'" "37x23 $F"
	run1 $fmt "median radius=2" "37x23 $F"
done
run1 rgb16 grayscale "37x23 G16"
run1 rgba16 "grayscale luma=bt709" "37x23 GA16"
run1 ga16 grayscale "37x23 GA16"
run1 rgba16 "alpha_flatten color=#ffff00000000" "37x23 RGB16"
run1 ga16 alpha_flatten "37x23 G16"
run1 rgb16 "channel_mixer preset=sepia" "37x23 RGB16"
run1 rgba16 "channel_mixer matrix='0 0 1 0 1 0 1 0 0'" "37x23 RGBA16"

# channel_mixer has no gray: refused before anything runs, with the fix
fp check -p "testsrc format=g16 ! channel_mixer ! null_sink"
expect_rc 2 "channel_mixer on G16"
expect_err "G16" "channel_mixer on G16"
expect_err "convert" "channel_mixer on G16"

# Slots from shapes: an 8x8 source, then frames of up to 1200x800 RGBA16
# (7.7 MB), with no slot setting anywhere.
rm -f "$SUM"
fp run -p "testsrc count=2 width=8 height=8 format=rgba16 ! pad width=600 height=400 ! resize width=1200 ! rotate degrees=90 ! checksum_sink file=$SUM" -q
expect_rc 0 "pad, upscale and turn with slot_size = auto"
[ "$RC" -eq 0 ] && { [ "$(awk '{print $3, $4}' "$SUM" | sort -u)" = "800x1200 RGBA16" ] ||
	fail "pad, upscale and turn: made $(awk '{print $3, $4}' "$SUM" | sort -u | tr '\n' ' ')"; }
finish
