#!/bin/bash
# Everything a folder holds is accounted for: files that are not inputs
# (by name) are counted and the first few named in one summary line, and
# listed in --stats-json with the image kind their bytes show (checked
# against ImageMagick's identify). Policy: images among them (a GIF, a
# BMP, a PNG named .bak) make the exit status 1, as they are images the
# run did not process; other files (notes, a README) are named but leave
# the status alone; --ignore-unknown says nothing of any of them. Hidden
# files and sub-folders (without -r) are not counted.
. "$(dirname "$0")/lib.sh"

# expect_said TEXT WHAT: stderr says TEXT, across the summary's wrapping.
expect_said() {
	tr '\n' ' ' <"$ERR" | sed 's/   */ /g' | grep -q -F -- "$1" || {
		fail "$2: stderr lacks '$1'"
		sed 's/^/  stderr: /' "$ERR" >&2
	}
}

M="$WORK/mixed"
mkdir -p "$M/sub"
cp "$DATA/sample/logo.png" "$DATA/sample/coins.png" "$M/"
convert "$DATA/sample/logo.png" "$M/anim.gif" || fail "convert: no GIF"
convert "$DATA/sample/logo.png" "$M/old.bmp" || fail "convert: no BMP"
cp "$DATA/sample/camera.png" "$M/camera.png.bak"
echo "shot list" >"$M/notes.txt"
echo hidden >"$M/.DS_Store"
cp "$DATA/sample/logo.png" "$M/sub/deeper.png"

fp run -p 'resize width=20' -i "$M" -o "$WORK/out" --stats-json "$WORK/s.json"
expect_rc 1 "images not read"
expect_err "framepipe: 2 frames: 2 written, 0 failed" "images not read: frames"
expect_said "framepipe: 4 other files in the input folders, not read: $M/anim.gif (a GIF image), $M/camera.png.bak (a PNG image), $M/notes.txt and 1 more; 3 of them images (exit status 1; --ignore-unknown to accept)" \
	"images not read: the line"
awk 'length($0) > 80 { exit 1 }' "$ERR" || fail "images not read: a line over 80 columns"
python3 - "$WORK/s.json" "$M" <<'PY' || fail "images not read: stats file"
import json, subprocess, sys
s, m = json.load(open(sys.argv[1])), sys.argv[2]
u = s["not_read"]
assert (u["count"], u["images"], u["ignored"]) == (4, 3, False), u
assert [f["path"] for f in u["files"]] == [m + "/" + n for n in
        ("anim.gif", "camera.png.bak", "notes.txt", "old.bmp")], u["files"]
assert s["outcome"] == "images_not_read", s["outcome"]
for f in u["files"]:
    r = subprocess.run(["identify", "-format", "%m\n", f["path"] + "[0]"],
                       capture_output=True, text=True)
    theirs = r.stdout.split()[0] if r.returncode == 0 and r.stdout else None
    if theirs == "TXT":  # ImageMagick reads any text as an image of it
        theirs = None
    ours = f["kind"]
    assert (ours is None) == (theirs is None) and (
        ours is None or theirs.startswith(ours.upper())), (f, theirs)
PY

fp run -p 'resize width=20' -i "$M" -o "$WORK/out2" -q
expect_rc 1 "-q: images not read"
expect_said "4 other files in the input folders, not read:" "-q: the line stays"

fp run -p 'resize width=20' -i "$M" -o "$WORK/out3" --ignore-unknown --stats-json "$WORK/i.json"
expect_rc 0 "--ignore-unknown"
grep -q "not read" "$ERR" && fail "--ignore-unknown: named anyway"
python3 -c 'import json,sys; u=json.load(open(sys.argv[1]))["not_read"]; assert u["ignored"] and u["count"] == 4, u' \
	"$WORK/i.json" || fail "--ignore-unknown: stats file"

# No image among them: named, the status is the frames'.
rm "$M/anim.gif" "$M/old.bmp" "$M/camera.png.bak"
fp run -p 'resize width=20' -i "$M" -o "$WORK/out4"
expect_rc 0 "a text file only"
expect_said "1 other file in the input folders, not read: $M/notes.txt" "a text file: named"
fp run -p 'resize width=20' -i "$M" -o "$WORK/out5" -q
expect_rc 0 "-q, a text file only"
[ -s "$ERR" ] && fail "-q, a text file only: said $(cat "$ERR")"

# -r: sub-folders walked, the output folder inside the tree never counted.
echo x >"$M/sub/more.txt"
fp run -p 'resize width=20' -r -i "$M" -o "$M/thumbs" --stats-json "$WORK/r.json"
fp run -p 'resize width=20' -r -i "$M" -o "$M/thumbs" --overwrite --stats-json "$WORK/r.json"
expect_rc 0 "-r"
python3 -c 'import json,sys; u=json.load(open(sys.argv[1]))["not_read"]; assert u["count"] == 2, u' \
	"$WORK/r.json" || fail "-r: counted $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["not_read"])' "$WORK/r.json")"
finish
