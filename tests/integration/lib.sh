# Shared by the integration tests: run the real program, then check that
# the run left no process and no shared-memory segment behind.
#
# Every run is tagged through the environment (FP_TEST_TAG), which forked
# stage instances inherit, so leftovers are found even when tests run in
# parallel with other framepipe runs on the machine.
set -u

FP_BIN=${FP_BIN:?FP_BIN must name the framepipe program}
SRC=${FP_SOURCE_DIR:?FP_SOURCE_DIR must name the source tree}
DATA="$SRC/tests/data"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/fp_it.XXXXXX")
TAG="fp-test-$$-$RANDOM"
FAILURES=0
trap 'cleanup_tagged; rm -rf "$WORK"' EXIT

fail() {
	echo "FAIL: $*" >&2
	FAILURES=$((FAILURES + 1))
}

# Processes still carrying this test's tag, one pid per line.
tagged_pids() {
	grep -l -s -a "FP_TEST_TAG=$TAG" /proc/[0-9]*/environ 2>/dev/null |
		sed -e 's|/proc/||' -e 's|/environ||' | grep -v -x "$$" || true
}

cleanup_tagged() {
	for pid in $(tagged_pids); do kill -9 "$pid" 2>/dev/null; done
}

# Segments created by pid still in /proc/sysvipc/shm.
segments_of() {
	awk -v pid="$1" 'NR > 1 && $5 == pid { print $2 }' /proc/sysvipc/shm
}

# Wait up to 2 s for pid's processes and segments to be gone; fail if not.
check_nothing_left() {
	local pid=$1 what=$2 left segs
	for _ in $(seq 40); do
		left=$(tagged_pids)
		segs=$(segments_of "$pid")
		[ -z "$left" ] && [ -z "$segs" ] && return 0
		sleep 0.05
	done
	[ -n "$left" ] && fail "$what: processes left: $(echo $left)"
	[ -n "$segs" ] && fail "$what: shared memory left: $(echo $segs)"
	cleanup_tagged
	return 1
}

# fp ARGS...: run framepipe; sets RC, OUT and ERR (file names) and checks
# that nothing was left behind.
fp() {
	OUT="$WORK/stdout"
	ERR="$WORK/stderr"
	FP_TEST_TAG=$TAG "$FP_BIN" "$@" >"$OUT" 2>"$ERR" </dev/null &
	local pid=$!
	wait "$pid"
	RC=$?
	check_nothing_left "$pid" "framepipe $*"
}

# fp_rss ARGS...: fp, with the peak RSS of the largest process (KiB,
# /usr/bin/time's %M) in RSS. The leak check sees time's pid, which
# creates no segment: it covers the processes (by tag), and .ci/run's
# final check the segments.
fp_rss() {
	OUT="$WORK/stdout"
	ERR="$WORK/stderr"
	FP_TEST_TAG=$TAG /usr/bin/time -f '%M' -o "$WORK/rss" "$FP_BIN" "$@" \
		>"$OUT" 2>"$ERR" </dev/null &
	local pid=$!
	wait "$pid"
	RC=$?
	RSS=$(tail -1 "$WORK/rss")
	check_nothing_left "$pid" "framepipe $*"
}

# expect_refused DIR EXT STAGE OUTDIR OUTEXT: for every NAME of the
# associative array REASON, stderr has "DIR/NAME.EXT: STAGE: REASON" and
# OUTDIR/NAME.OUTEXT was not written (a hostile batch).
expect_refused() {
	local dir=$1 ext=$2 stage=$3 out=$4 out_ext=$5 name
	for name in "${!REASON[@]}"; do
		grep -q -F "$dir/$name.$ext: $stage: ${REASON[$name]}" "$ERR" ||
			fail "$name: no line with '${REASON[$name]}'"
		[ -e "$out/$name.$out_ext" ] && fail "$name: an output was written"
	done
	ls -a "$out" 2>/dev/null | grep -q fp-tmp && fail "temporary files left"
}

expect_rc() {
	[ "$RC" -eq "$1" ] || {
		fail "$2: exit $RC, expected $1"
		sed 's/^/  stderr: /' "$ERR" >&2
	}
}

expect_err() {
	grep -q -F -- "$1" "$ERR" || {
		fail "$2: stderr lacks '$1'"
		sed 's/^/  stderr: /' "$ERR" >&2
	}
}

finish() {
	if [ "$FAILURES" -ne 0 ]; then
		echo "$(basename "$0"): $FAILURES check(s) failed" >&2
		exit 1
	fi
	echo "$(basename "$0"): all checks passed"
}
