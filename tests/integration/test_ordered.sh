#!/bin/bash
# An ordered sink gets frames in sequence order although three filter
# instances finish them out of order, with a failed frame, a crashed
# instance and skipped inputs leaving gaps that must not stall it.
. "$(dirname "$0")/lib.sh"

pipeline() { # mode at count
	cat <<INI
[src]
stage = testsrc
count = $3
width = 8
height = 8
[shuffle]
plugin = ${FP_FIXTURE_DIR:?}/misbehaving_filter.so
mode = $1
at = $2
workers = 3
[sink]
plugin = $FP_FIXTURE_DIR/ordered_sink.so
file = $WORK/$1.txt
INI
}

check_order() { # file expected-count what
	[ "$(wc -l <"$1")" -eq "$2" ] || fail "$3: $(wc -l <"$1") frames, expected $2"
	sort -n -c "$1" 2>/dev/null || fail "$3: frames out of order"
	[ "$(sort -u "$1" | wc -l)" -eq "$2" ] || fail "$3: a frame twice"
}

pipeline jitter 40 400 >"$WORK/j.ini"
fp run "$WORK/j.ini" -q
expect_rc 1 "jitter"
expect_err "frame 40: shuffle: jitter fails it" "jitter"
check_order "$WORK/jitter.txt" 399 "jitter"
grep -qx 40 "$WORK/jitter.txt" && fail "jitter: the failed frame was written"

pipeline crash 100 300 >"$WORK/c.ini"
fp run "$WORK/c.ini" -q
expect_rc 1 "crash"
check_order "$WORK/crash.txt" 299 "crash"

# The sink must run alone: asking for two is a config error.
pipeline jitter 0 10 | sed 's/^file =.*/&\nworkers = 2/' >"$WORK/two.ini"
fp run "$WORK/two.ini"
expect_rc 2 "ordered sink with two workers"
expect_err "sink.workers: stage ordered_sink runs as one instance (it writes frames in order), got 2" \
	"ordered sink with two workers"
finish
