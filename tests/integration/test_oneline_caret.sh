#!/bin/bash
# A mistake in a -p line: the message with its column, then the line and
# a caret under that column (exact output); a long line is shown as a
# window around the column; a control byte in the line is escaped and the
# caret still lands under the right place; a setting where a stage name
# belongs is refused; an INI file's mistake has no caret line.
. "$(dirname "$0")/lib.sh"

# expect_stderr WHAT: stderr equals $WORK/want exactly.
expect_stderr() {
	diff -u "$WORK/want" "$ERR" >&2 || fail "$1: stderr differs (above)"
}

fp check -p 'png_decode ! resize x="abc ! png_encode'
expect_rc 2 "unterminated quote"
cat >"$WORK/want" <<'TXT'
framepipe: -p:23: unterminated quote
  png_decode ! resize x="abc ! png_encode
                        ^
TXT
expect_stderr "unterminated quote"

fp run -p 'png_decode ! resize widht=3 ! png_encode' -i "$DATA/sample" -o "$WORK/o"
expect_rc 2 "misspelt parameter"
cat >"$WORK/want" <<'TXT'
framepipe: -p:21: resize.widht: no such parameter of stage resize (did you mean 'width'?); it takes: width, height, scale, fit, kernel, workers, restarts, timeout
  png_decode ! resize widht=3 ! png_encode
                      ^
TXT
expect_stderr "misspelt parameter"

fp run -p 'png_decode ! resize x="a b' --print-config
expect_rc 2 "--print-config"
cat >"$WORK/want" <<'TXT'
framepipe: -p:23: unterminated quote
  png_decode ! resize x="a b
                        ^
TXT
expect_stderr "--print-config"

# A setting where a stage name belongs: refused, saying where it goes
# (it became a stage section [output={stem}]).
fp run -p 'output={stem}.json ! resize width=8' --print-config
expect_rc 2 "a [pipeline] setting as a stage"
cat >"$WORK/want" <<'TXT'
framepipe: -p:1: 'output={stem}.json' is a setting, not a stage: use --set output=... for [pipeline] settings
  output={stem}.json ! resize width=8
  ^
TXT
expect_stderr "a [pipeline] setting as a stage"
fp check -p 'png_decode ! width=8 ! png_encode'
expect_rc 2 "a stage's setting as a stage"
cat >"$WORK/want" <<'TXT'
framepipe: -p:14: 'width=8' is a setting, not a stage: a stage's settings follow its name (NAME key=value)
  png_decode ! width=8 ! png_encode
               ^
TXT
expect_stderr "a stage's setting as a stage"

# A tab before the mistake is shown as \t: the caret moves one column.
fp check -p "$(printf 'png_decode\t! resize widht=3 ! png_encode')"
cat >"$WORK/want" <<'TXT'
  png_decode\t! resize widht=3 ! png_encode
                       ^
TXT
tail -n 2 "$ERR" >"$WORK/got"
diff -u "$WORK/want" "$WORK/got" >&2 || fail "tab: caret misplaced"

LONG='png_decode ! resize width=10 ! blur sigma=1 ! sharpen sigma=1 ! invert ! grayscale ! brightness_contrast brightness=3 contrst=2 ! levels ! png_encode level=6'
fp check -p "$LONG"
cat >"$WORK/want" <<'TXT'
  ...le ! brightness_contrast brightness=3 contrst=2 ! levels ! png_encode ...
                                           ^
TXT
tail -n 2 "$ERR" >"$WORK/got"
diff -u "$WORK/want" "$WORK/got" >&2 || fail "long line: window"
awk 'length($0) > 80 && NR > 1 { exit 1 }' "$ERR" || fail "long line: wider than 80"

printf '[d]\nstage = png_decode\n[r]\nstage = resize\nwidht = 3\n[e]\nstage = png_encode\n' >"$WORK/typo.ini"
fp check "$WORK/typo.ini"
expect_rc 2 "INI typo"
[ "$(wc -l <"$ERR")" -eq 1 ] || fail "INI typo: more than the one line: $(cat "$ERR")"
finish
