#!/bin/bash
# Temporary files belong to a run (issue 14.5): their names carry the run's
# random id, the run removes its own at the end (even those of an instance
# that crashed mid-write), and a later run removes another run's only when
# it can take that run's lock: never while the run lives, on this host, in
# another PID namespace or on another machine sharing the folder. A user's
# file that merely looks like one is never touched.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}
CFG="$SRC/configs/default.ini"
temps() { ls -A "$1" | grep -e 'fp-tmp' -e '^\.fp-run-' || true; }
hex32() { head -c16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

sink() { # count width height [sink lines...]
	printf '[src]\nstage = testsrc\ncount = %s\nwidth = %s\nheight = %s\n' \
		"$1" "$2" "$3"
	printf '[out]\nplugin = %s/temp_sink.so\n' "$FIX"
	shift 3
	printf '%s\n' "$@"
}

# An encoder instance that crashes with its temporary file half-written:
# the frame is retried on a fresh instance, the run succeeds, and the
# crashed instance's temporary file is gone when it ends.
sink 6 64 48 "crash_once = $WORK/crashed" "workers = 1" >"$WORK/crash.ini"
fp run "$WORK/crash.ini" -o "$WORK/crash"
expect_rc 0 "crashed encoder"
[ -e "$WORK/crashed" ] || fail "crashed encoder: the fixture never crashed"
[ "$(ls "$WORK/crash" | wc -l)" -eq 6 ] || fail "crashed encoder: expected 6 outputs"
for f in "$WORK"/crash/*; do
	[ "$(stat -c %s "$f")" -eq $((64 * 48 * 3)) ] ||
		fail "crashed encoder: $(basename "$f") incomplete"
done
[ -z "$(temps "$WORK/crash")" ] ||
	fail "crashed encoder: left after a successful run: $(temps "$WORK/crash")"

# A live run's temporary files survive a second run into the same folder,
# from another PID namespace (its PIDs mean nothing there) when the kernel
# lets us make one, else from this one.
DEST="$WORK/shared"
mkdir -p "$DEST"
sink 1 64 48 "hold = $WORK/go" >"$WORK/hold.ini"
FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/hold.ini" -o "$DEST" -q \
	2>"$WORK/hold.err" </dev/null &
holder=$!
for _ in $(seq 3000); do
	[ "$(temps "$DEST" | grep -c fp-tmp)" -eq 1 ] && break
	sleep 0.01
done
live=$(temps "$DEST")
[ "$(echo "$live" | grep -c fp-tmp)" -eq 1 ] ||
	fail "live run: expected its temporary file, got: $live"
echo "$live" | grep -q -E '^\.fp-run-[0-9a-f]{32}\.lock$' ||
	fail "live run: no lock file"
echo "$live" | grep fp-tmp | grep -q -v -E '^\..+\.fp-tmp-[0-9a-f]{32}-[A-Za-z0-9]{6}$' &&
	fail "live run: a temporary file not named .NAME.fp-tmp-RUNID-XXXXXX"
ns=""
for try in "unshare --pid --fork" "unshare --user --map-root-user --pid --fork"; do
	if $try true 2>/dev/null; then
		ns=$try
		break
	fi
done
if [ -z "$ns" ]; then
	echo "SKIP (part): cannot make a PID namespace here (unshare --pid" \
		"needs root or user namespaces); the second run is in this one" >&2
fi
FP_TEST_TAG=$TAG $ns "$FP_BIN" run "$CFG" -i "$DATA/sample" -o "$DEST" -q \
	>"$WORK/second.out" 2>"$WORK/second.err" </dev/null
rc=$?
[ "$rc" -eq 0 ] || { fail "second run ($ns): exit $rc"; cat "$WORK/second.err" >&2; }
[ "$(temps "$DEST")" = "$live" ] ||
	fail "second run ($ns) removed a live run's files: was '$live', now '$(temps "$DEST")'"
touch "$WORK/go"
wait $holder
rc=$?
[ "$rc" -eq 0 ] || { fail "live run: exit $rc"; cat "$WORK/hold.err" >&2; }
check_nothing_left $holder "live run"
for f in "$DEST"/*.raw; do
	[ "$(stat -c %s "$f")" -eq $((64 * 48 * 3)) ] ||
		fail "live run: $(basename "$f") incomplete"
done
[ -z "$(temps "$DEST")" ] || fail "live run: left behind: $(temps "$DEST")"

# What a later run removes, and what it never touches.
LATER="$WORK/later"
mkdir -p "$LATER/sub"
dead=$(hex32)
printf 'sub\0\0' >"$LATER/.fp-run-$dead.lock" # its folders: sub, the root
: >"$LATER/.coins.png.fp-tmp-$dead-aB3xY9"
: >"$LATER/sub/.other.png.fp-tmp-$dead-Zz0000"
alive=$(hex32)
: >"$LATER/.fp-run-$alive.lock"
: >"$LATER/.logo.png.fp-tmp-$alive-bbbbbb"
exec 9<"$LATER/.fp-run-$alive.lock"
flock -s 9
unowned=$(hex32) # no lock: a harness's, or another tool's; never provable
: >"$LATER/.camera.png.fp-tmp-$unowned-cccccc"
mine=(".notes.fp-tmp-backup.txt" ".notes.fp-tmp-2024-backup"
	".x.fp-tmp-0-aaaaaa" ".x.fp-tmp-${dead^^}-aaaaaa"
	".x.fp-tmp-${dead:1}-aaaaaa" ".x.fp-tmp-$dead-aaaaaa.txt"
	".fp-tmp-$dead-aaaaaa" ".fp-run-$dead.lock.bak")
for f in "${mine[@]}"; do echo mine >"$LATER/$f"; done
fp run "$CFG" -i "$DATA/sample" -o "$LATER" -q
expect_rc 0 "later run"
exec 9<&-
[ -e "$LATER/.coins.png.fp-tmp-$dead-aB3xY9" ] && fail "a gone run's temporary file was not removed"
[ -e "$LATER/sub/.other.png.fp-tmp-$dead-Zz0000" ] &&
	fail "a gone run's temporary file in a folder it listed was not removed"
[ -e "$LATER/.fp-run-$dead.lock" ] && fail "a gone run's lock was not removed"
[ -e "$LATER/.logo.png.fp-tmp-$alive-bbbbbb" ] || fail "a live run's temporary file was removed"
[ -e "$LATER/.fp-run-$alive.lock" ] || fail "a live run's lock was removed"
[ -e "$LATER/.camera.png.fp-tmp-$unowned-cccccc" ] ||
	fail "a temporary file with no lock (no proof its run is gone) was removed"
for f in "${mine[@]}"; do
	[ "$(cat "$LATER/$f" 2>/dev/null)" = mine ] || fail "a user's $f was removed"
done

# A gone run's lock with no temporary file left, in an output folder the
# next run writes nothing to itself (-r, every output in a sub-folder):
# removed all the same.
mkdir -p "$WORK/tree/a"
cp "$DATA/sample/logo.png" "$WORK/tree/a/"
mkdir -p "$WORK/treeout"
dead=$(hex32)
printf '\0' >"$WORK/treeout/.fp-run-$dead.lock"
fp run "$CFG" -i "$WORK/tree" -r -o "$WORK/treeout" -q
expect_rc 0 "-r into sub-folders"
[ -e "$WORK/treeout/.fp-run-$dead.lock" ] &&
	fail "a gone run's lock in an output folder with no output of its own stayed"
[ -z "$(temps "$WORK/treeout"; temps "$WORK/treeout/a")" ] ||
	fail "-r into sub-folders: left: $(temps "$WORK/treeout")"

# Killed with SIGKILL in the middle: its lock is free once its processes
# are gone, and the next run into the folder removes its files.
sink 1 64 48 "hold = $WORK/never" "hold_max = 600" >"$WORK/killed.ini"
FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/killed.ini" -o "$WORK/killed" -q \
	2>/dev/null </dev/null &
victim=$!
for _ in $(seq 3000); do
	[ "$(temps "$WORK/killed" 2>/dev/null | grep -c fp-tmp)" -eq 1 ] && break
	sleep 0.01
done
instances=$(tagged_pids)
kill -KILL $victim
{ wait $victim; } 2>/dev/null
for p in $instances; do
	while kill -0 "$p" 2>/dev/null; do sleep 0.01; done
done
[ "$(temps "$WORK/killed" | grep -c fp-tmp)" -eq 1 ] ||
	fail "killed run: expected its temporary file, got: $(temps "$WORK/killed")"
sink 1 64 48 >"$WORK/after.ini"
fp run "$WORK/after.ini" -o "$WORK/killed" -q --overwrite
expect_rc 0 "after a killed run"
[ -z "$(temps "$WORK/killed")" ] ||
	fail "after a killed run: left: $(temps "$WORK/killed")"
finish
