#!/bin/bash
# Mistakes in the command line or the config: exit 2 and one clear line
# naming the file, line and setting, before any process is forked.
. "$(dirname "$0")/lib.sh"

fp run
expect_rc 2 "no config"
expect_err "framepipe run: needs a CONFIG file or -p PIPELINE" "no config"
fp frobnicate
expect_rc 2 "unknown command"
fp run "$SRC/configs/default.ini" -o "$WORK/out"
expect_rc 2 "no inputs"
expect_err "give some with -i" "no inputs"
fp run "$SRC/configs/default.ini" -i "$WORK/missing.png" -o "$WORK/out"
expect_rc 2 "missing input"
expect_err "$WORK/missing.png: No such file or directory" "missing input"
fp run "$SRC/configs/default.ini" -i "$DATA/sample"
expect_rc 2 "no output folder"
expect_err "give an output folder with -o" "no output folder"
fp run "$WORK/nothere.ini" -i "$DATA/sample" -o "$WORK/out"
expect_rc 2 "missing config"
expect_err "$WORK/nothere.ini: cannot read config" "missing config"

printf '[decode]\nstage = png_decode\nformat = cmyk\n[encode]\nstage = png_encode\n' >"$WORK/bad.ini"
fp run "$WORK/bad.ini" -i "$DATA/sample" -o "$WORK/out"
expect_rc 2 "bad parameter"
expect_err "$WORK/bad.ini:3: decode.format: expected one of keep|g8|ga8|rgb8|rgba8|g16|ga16|rgb16|rgba16, got 'cmyk'" "bad parameter"
printf '[decode]\nstage = png_decoder\n[encode]\nstage = png_encode\n' >"$WORK/typo.ini"
fp run "$WORK/typo.ini" -i "$DATA/sample" -o "$WORK/out"
expect_rc 2 "unknown stage"
expect_err "$WORK/typo.ini:2: decode: no stage named 'png_decoder'" "unknown stage"
fp run -p 'resize width=8' -i "$DATA/sample" -o "$WORK/thumbs/{stem}.json"
expect_rc 2 "template as -o"
expect_err "-o names the output folder, and '$WORK/thumbs/{stem}.json' looks like a name template" "template as -o"
[ -e "$WORK/thumbs" ] && fail "a template given to -o must not create a folder"
[ -e "$WORK/out" ] && fail "a config error must not create the output folder"
finish
