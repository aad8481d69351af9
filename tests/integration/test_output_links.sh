#!/bin/bash
# A symbolic link to a folder inside the output folder (issue 14.7): with
# -r, outputs are never written through it (the folders are made and
# opened one component at a time from the output root, O_NOFOLLOW).
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/in/sub" "$WORK/out" "$WORK/elsewhere"
cp "$DATA/sample/coins.png" "$WORK/in/sub/"
cp "$DATA/sample/camera.png" "$WORK/in/"
ln -s "$WORK/elsewhere" "$WORK/out/sub"

fp run -q -r -p 'png_decode ! png_encode' -i "$WORK/in" -o "$WORK/out"
expect_rc 2 "symlinked sub-folder"
expect_err "$WORK/out/sub: a symbolic link inside the output folder $WORK/out (outputs are never written through one)" "symlinked sub-folder"
[ -e "$WORK/elsewhere/coins.png" ] && fail "an output was written through the link"
fp check -r -p 'png_decode ! png_encode' -i "$WORK/in" -o "$WORK/out"
expect_rc 2 "check: symlinked sub-folder"
expect_err "a symbolic link inside the output folder" "check: symlinked sub-folder"

# The output root itself may be a link (the user's choice), and a real
# sub-folder is fine.
rm "$WORK/out/sub"
ln -s "$WORK/out" "$WORK/out-link"
fp run -q -r -p 'png_decode ! png_encode' -i "$WORK/in" -o "$WORK/out-link"
expect_rc 0 "output root is a link"
[ -f "$WORK/out/sub/coins.png" ] || fail "output root is a link: sub/coins.png not written"
[ -L "$WORK/out/sub" ] && fail "sub became a link"
finish
