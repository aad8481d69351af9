#!/bin/bash
# Core files of stage instances (issue 16): with `ulimit -c unlimited`, a
# crash line says where each instance's core went, and two crashes never
# share one file: under the kernel's default pattern (`core`, no pid) the
# supervisor names each core.LABEL.INDEX.PID. The pool (shared memory)
# stays out of the cores. Without the limit raised, no core is made.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}
if nm -D "$FP_BIN" 2>/dev/null | grep -q __asan_init; then
	echo "$(basename "$0"): skipped (AddressSanitizer turns core files off)"
	exit 0
fi
pattern=$(cat /proc/sys/kernel/core_pattern)

cat >"$WORK/segv.ini" <<INI
[pipeline]
slot_size = 64M
slots = 6
[src]
stage = testsrc
count = 20
width = 32
height = 32
[bad]
plugin = $FIX/misbehaving_filter.so
mode = segv
at = 5
workers = 2
restarts = 5
[sum]
stage = null_sink
INI
mkdir -p "$WORK/cores" "$WORK/none"

# Two crashes (the frame and its retry), cores asked for.
(
	ulimit -c unlimited || exit 99
	cd "$WORK/cores" &&
		FP_TEST_TAG=$TAG exec "$FP_BIN" run "$WORK/segv.ini" -q \
			>"$WORK/stdout" 2>"$WORK/stderr" </dev/null
)
RC=$?
ERR=$WORK/stderr
check_nothing_left $$ "cores"
[ "$RC" -eq 99 ] && { echo "skipped: cannot raise RLIMIT_CORE"; exit 0; }
expect_rc 1 "cores"
lines=$(grep -c '^framepipe: stage bad#[01] killed by SIGSEGV.*core ' "$ERR")
[ "$lines" -eq 2 ] || fail "cores: expected 2 crash lines saying where the core went, got $lines"
case $pattern in
'|'*)
	expect_err "core piped to '${pattern#|}'" "cores: the pipe"
	;;
core)
	mapfile -t made < <(grep '^framepipe: stage' "$ERR" | grep -o 'core dumped: [^,)]*' | cut -d' ' -f3)
	[ "${#made[@]}" -eq 2 ] || fail "cores: ${#made[@]} paths printed"
	[ "${made[0]}" != "${made[1]}" ] || fail "cores: both crashes name one file"
	for c in "${made[@]}"; do
		[[ $c =~ ^$WORK/cores/core\.bad\.[01]\.[0-9]+$ ]] || fail "cores: '$c' is not named per process"
		[ -f "$c" ] || { fail "cores: $c does not exist"; continue; }
		# An ELF core file (e_type 4), without the 384 MiB pool.
		python3 - "$c" <<'PY' || fail "cores: $c is not a core without the pool"
import os, struct, sys
with open(sys.argv[1], "rb") as f:
    head = f.read(18)
assert head[:4] == b"\x7fELF", head[:4]
assert struct.unpack_from("<H", head, 16)[0] == 4, "not ET_CORE"
assert os.path.getsize(sys.argv[1]) < 64 << 20, os.path.getsize(sys.argv[1])
PY
	done
	[ -e "$WORK/cores/core" ] && fail "cores: a plain 'core' is left"
	;;
*)
	expect_err "core dumped" "cores: where they went"
	;;
esac

# Not asked for: no core, nothing said.
(
	ulimit -c 0
	cd "$WORK/none" &&
		FP_TEST_TAG=$TAG exec "$FP_BIN" run "$WORK/segv.ini" -q \
			>"$WORK/stdout" 2>"$WORK/stderr" </dev/null
)
RC=$?
expect_rc 1 "no cores"
grep -q "core dumped\|core piped" "$ERR" && fail "no cores: a core was made"
[ -z "$(ls "$WORK/none")" ] || fail "no cores: files left: $(ls "$WORK/none")"
finish
