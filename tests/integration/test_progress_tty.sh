#!/bin/bash
# The progress bar on a terminal (a pseudo-terminal 60 columns wide, as a
# user's): a bar with a percentage and an ETA that fits the line, erased
# before the summary; Ctrl-C typed at it (the terminal echoes ^C and sends
# SIGINT) leaves the interrupt message on a clean line of its own, with
# nothing of the bar left on the screen.
. "$(dirname "$0")/lib.sh"

PTY="$SRC/tests/tools/pty_run.py"
LINE='testsrc count=40 width=16 height=16 ! slow_filter ms=20 workers=2 ! null_sink'

# tty_run NAME ARGS...: the screen in $WORK/NAME.screen, the bytes written
# in $WORK/NAME.raw, the exit status in RC.
tty_run() {
	local name=$1
	shift
	FP_TEST_TAG=$TAG python3 "$PTY" --cols 60 --raw "$WORK/$name.raw" "$@" \
		>"$WORK/$name.screen" 2>"$WORK/$name.err" </dev/null &
	local pid=$!
	wait $pid
	RC=$?
	ERR="$WORK/$name.screen"
	check_nothing_left $pid "$name"
}

# Every drawing of the bar (what follows each erase-line): no wider than
# the terminal less 3 columns (room for the ^C echo), and with a bar and a
# percentage.
check_drawn() {
	python3 - "$WORK/$1.raw" <<'PY' || fail "$1: the bar as drawn"
import re, sys
raw = open(sys.argv[1], newline="").read()
# A drawing ends where the next one erases it; a message ends its line.
# (the terminal turns each \n into \r\n).
cut = [s.split("\r")[0] for s in raw.split("\x1b[K")[1:]]
bars = [b for b, s in zip(cut, raw.split("\x1b[K")[1:])
        if b and "\n" not in b and not s[len(b):].startswith("\r\n")]
assert bars, "no bar drawn"
for b in bars:
    assert len(b) <= 57, "wider than 60 - 3 columns: %r" % b
assert any(re.match(r"\[#*-*\] +\d+% \d+/40, [\d.]+ frames/s, ETA ", b)
           for b in bars), bars[:3]
assert any(re.match(r"\[#+-*\] +(\d+)% ", b) and int(re.match(
    r"\[#+-*\] +(\d+)% ", b).group(1)) > 0 for b in bars), bars
PY
}

tty_run plain -- "$FP_BIN" run -p "$LINE"
expect_rc 0 "a run at a terminal"
check_drawn plain
grep -q "ETA\|\[#" "$WORK/plain.screen" && fail "plain: the bar is left on the screen"
grep -q "^framepipe: 40 frames: 40 written" "$WORK/plain.screen" ||
	fail "plain: the summary is not on a line of its own"

LINE='testsrc count=400 width=16 height=16 ! slow_filter ms=20 workers=2 ! null_sink'
tty_run intr --interrupt-after '%' -- "$FP_BIN" run -p "$LINE"
expect_rc 3 "interrupted at a terminal"
python3 -c "import sys; sys.exit(0 if \"%\" in open(sys.argv[1]).read() else 1)" "$WORK/intr.raw" || fail "interrupt: no percentage drawn"
grep -q "ETA\|\[#" "$WORK/intr.screen" && fail "interrupt: the bar is left on the screen"
grep -q -x "framepipe: Interrupt: finishing frames in flight, taking no" \
	"$WORK/intr.screen" || fail "interrupt: the message is not on a clean line"
grep -q "\^C" "$WORK/intr.screen" && fail "interrupt: the ^C echo is left on the screen"
[ "$FAILURES" -eq 0 ] || sed 's/^/  screen: /' "$WORK/intr.screen" >&2
finish
