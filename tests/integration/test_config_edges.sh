#!/bin/bash
# Config edges (issue 14.11): terminal escapes from a config are escaped
# in messages; the -p parser is linear (3000 stages well under a second,
# as fast as the same INI); a NUL in a config file is refused.
. "$(dirname "$0")/lib.sh"

printf '[d]\nstage = png_decode\nformat = \033[31mred\n[e]\nstage = png_encode\n' >"$WORK/esc.ini"
fp check "$WORK/esc.ini"
expect_rc 2 "escape in a value"
expect_err 'got '"'"'\x1b[31mred'"'" "escape in a value"
grep -q "$(printf '\033')" "$ERR" && fail "a config's escape byte reached the terminal raw"
fp check -p "$(printf 'testsrc count=\033]0;pwned\007 ! null_sink')"
expect_rc 2 "escape in -p"
grep -q "$(printf '\033')" "$ERR" && fail "an escape byte of -p reached the terminal raw"

printf '[a]\nstage = testsrc\ncount = 1\0\n[k]\nstage = null_sink\n' >"$WORK/nul.ini"
fp check "$WORK/nul.ini"
expect_rc 2 "NUL in a config"
expect_err "$WORK/nul.ini:3: a NUL byte (a config is text)" "NUL in a config"

# 3000 stages on one line: linear, not cubic (it was 16 s).
line="testsrc count=1"
for _ in $(seq 3000); do line="$line ! passthrough workers=1"; done
line="$line ! null_sink"
start=$(date +%s%N)
fp check -p "$line"
ms=$((($(date +%s%N) - start) / 1000000))
expect_rc 0 "3000 stages"
echo "3000-stage -p check: $ms ms"
[ "$ms" -lt 2000 ] || fail "3000 stages on -p took $ms ms"
finish
