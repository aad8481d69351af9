#!/bin/bash
# workers = auto follows the CPUs the run may use, each source of the
# limit for real: an affinity mask (taskset), SLURM_CPUS_PER_TASK, and a
# cgroup CPU quota in a cgroup this test makes (v2 cpu.max, else v1
# cpu.cfs_quota_us; skipped with a message where none can be made). The
# pool stays within the task's memory (SLURM_MEM_PER_NODE/_PER_CPU, a
# cgroup memory limit) or the run stops before it starts, exit 2.
. "$(dirname "$0")/lib.sh"
PIPE='testsrc count=6 width=64 height=48 ! passthrough ! null_sink'
NPROC=$(nproc)

# workers of the passthrough stage in the stats of a run of "$@".
workers_of() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stages"][1]["workers"])' "$1"
}

# expect_workers N WHAT CMD...: CMD (ending in framepipe's arguments)
# makes N instances of a stage whose workers are auto.
expect_workers() {
	local want=$1 what=$2
	shift 2
	rm -f "$WORK/stats.json"
	FP_TEST_TAG=$TAG "$@" run -p "$PIPE" -q --stats-json "$WORK/stats.json" \
		>"$WORK/out" 2>"$WORK/err" </dev/null
	local rc=$?
	check_nothing_left $$ "$what"
	[ "$rc" -eq 0 ] || { fail "$what: exit $rc ($(head -2 "$WORK/err"))"; return; }
	local got
	got=$(workers_of "$WORK/stats.json")
	[ "$got" = "$want" ] || fail "$what: $got workers, expected $want"
}

# The test may itself run inside a Slurm job: start from no limit.
unset SLURM_CPUS_PER_TASK SLURM_MEM_PER_NODE SLURM_MEM_PER_CPU
MASK=$(python3 -c 'import os; print(len(os.sched_getaffinity(0)))')

# The whole mask, then one CPU of it.
expect_workers "$MASK" "no limit" "$FP_BIN"
FIRST=$(python3 -c 'import os; print(min(os.sched_getaffinity(0)))')
expect_workers 1 "taskset -c $FIRST" taskset -c "$FIRST" "$FP_BIN"
[ "$MASK" -ge 2 ] || echo "one CPU only: the mask could not be narrowed below the machine"

# SLURM_CPUS_PER_TASK: fewer than the mask wins; more does not.
expect_workers 1 "SLURM_CPUS_PER_TASK=1" env SLURM_CPUS_PER_TASK=1 "$FP_BIN"
expect_workers "$MASK" "SLURM_CPUS_PER_TASK=999" env SLURM_CPUS_PER_TASK=999 "$FP_BIN"
expect_workers "$MASK" "SLURM_CPUS_PER_TASK=junk" env SLURM_CPUS_PER_TASK=junk "$FP_BIN"
# An explicit workers = N is kept whatever the limits say.
fp run -p 'testsrc count=3 ! passthrough workers=3 ! null_sink' -q --stats-json "$WORK/n.json"
expect_rc 0 "workers=3"
[ "$(workers_of "$WORK/n.json")" = 3 ] || fail "workers=3 not kept"

# A cgroup of our own: v2 where the cpu controller can be enabled below
# the root, else the v1 cpu hierarchy; none when not root or read-only.
CG=""
CG_KIND=""
v2=$(awk '$0 ~ / - cgroup2 / {print $5; exit}' /proc/self/mountinfo)
if [ -n "$v2" ] && grep -qw cpu "$v2/cgroup.controllers" 2>/dev/null &&
	{ grep -qw cpu "$v2/cgroup.subtree_control" || echo +cpu >"$v2/cgroup.subtree_control"; } 2>/dev/null &&
	mkdir "$v2/fp-test-$$" 2>/dev/null; then
	CG=$v2/fp-test-$$
	CG_KIND=v2
else
	v1=$(awk '{ split($0, a, " - "); split(a[2], b, " ");
		if (b[1] == "cgroup" && ("," b[3] ",") ~ /,cpu,/) { print $5; exit } }' /proc/self/mountinfo)
	if [ -n "$v1" ] && mkdir "$v1/fp-test-$$" 2>/dev/null; then
		CG=$v1/fp-test-$$
		CG_KIND=v1
	fi
fi
trap 'cleanup_tagged; [ -n "$CG" ] && rmdir "$CG" 2>/dev/null; [ -n "${MCG:-}" ] && rmdir "$MCG" 2>/dev/null; rm -rf "$WORK"' EXIT
if [ -z "$CG" ]; then
	echo "SKIPPED (cgroup CPU quota): no cgroup could be made here (not root, or no writable cpu controller); the cgroup source is covered by test_task_limits' fake trees only"
else
	if [ "$CG_KIND" = v2 ]; then
		echo "50000 100000" >"$CG/cpu.max"
	else
		echo 100000 >"$CG/cpu.cfs_period_us"
		echo 50000 >"$CG/cpu.cfs_quota_us"
	fi
	# Half a CPU: one instance. The shell moves itself into the cgroup,
	# then becomes framepipe.
	in_cgroup() {
		sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$CG" "$@"
	}
	expect_workers 1 "cgroup $CG_KIND quota 0.5 CPU" in_cgroup "$FP_BIN"
	if [ "$MASK" -ge 3 ]; then
		if [ "$CG_KIND" = v2 ]; then echo "200000 100000" >"$CG/cpu.max"; else echo 200000 >"$CG/cpu.cfs_quota_us"; fi
		expect_workers 2 "cgroup $CG_KIND quota 2 CPUs" in_cgroup "$FP_BIN"
	fi
	echo "cgroup CPU quota tested ($CG_KIND, $CG)"
fi

# Memory. 2000x2000 RGB frames: 12 MB a slot.
BIG='testsrc count=3 width=2000 height=2000 ! null_sink'
FP_TEST_TAG=$TAG SLURM_MEM_PER_NODE=20 "$FP_BIN" run -p "$BIG" -q >"$WORK/out" 2>"$WORK/err"
RC=$?
ERR=$WORK/err
expect_rc 2 "SLURM_MEM_PER_NODE=20"
expect_err "more than 3/4 of the 20 MiB this task may use (SLURM_MEM_PER_NODE)" "SLURM_MEM_PER_NODE=20"
[ "$(wc -l <"$WORK/err")" -eq 1 ] || fail "SLURM_MEM_PER_NODE=20: not one line: $(cat "$WORK/err")"
check_nothing_left $$ "SLURM_MEM_PER_NODE=20"
# Enough for a few slots: the auto pool shrinks to fit, and the run works.
FP_TEST_TAG=$TAG SLURM_MEM_PER_NODE=100 "$FP_BIN" run -p "$BIG" -q --stats-json "$WORK/m.json" 2>"$WORK/err"
RC=$?
expect_rc 0 "SLURM_MEM_PER_NODE=100"
python3 - "$WORK/m.json" <<'PY' || fail "SLURM_MEM_PER_NODE=100: pool not within 75 MiB"
import json, sys
p = json.load(open(sys.argv[1]))["pool"]
assert p["slots"] * p["slot_size"] <= 75 << 20, p
assert p["slots"] >= 2, p
PY
# Per CPU, times the CPUs: 2 x 10 MB is too little, 2 x 50 fits.
FP_TEST_TAG=$TAG SLURM_CPUS_PER_TASK=2 SLURM_MEM_PER_CPU=10 "$FP_BIN" run -p "$BIG" -q 2>"$WORK/err"
RC=$?
expect_rc 2 "SLURM_MEM_PER_CPU=10"
expect_err "(SLURM_MEM_PER_CPU)" "SLURM_MEM_PER_CPU=10"
FP_TEST_TAG=$TAG SLURM_CPUS_PER_TASK=2 SLURM_MEM_PER_CPU=50 "$FP_BIN" run -p "$BIG" -q 2>"$WORK/err"
RC=$?
expect_rc 0 "SLURM_MEM_PER_CPU=50"
# Explicit slots that cannot fit: the same error, before anything starts.
printf '[pipeline]\nslots = 8\nslot_size = 16M\n[s]\nstage = testsrc\ncount = 2\n[k]\nstage = null_sink\n' >"$WORK/big.ini"
FP_TEST_TAG=$TAG SLURM_MEM_PER_NODE=64 "$FP_BIN" run "$WORK/big.ini" -q 2>"$WORK/err"
RC=$?
expect_rc 2 "slots = 8 of 16M in 64 MB"
expect_err "the pool needs 128 MiB (8 slots of 16777216 bytes)" "slots = 8 of 16M in 64 MB"

# A cgroup memory limit, where a memory cgroup can be made.
MCG=""
if [ "$CG_KIND" = v2 ] && grep -qw memory "$v2/cgroup.controllers" 2>/dev/null &&
	{ grep -qw memory "$v2/cgroup.subtree_control" || echo +memory >"$v2/cgroup.subtree_control"; } 2>/dev/null; then
	MCG=$CG
	echo $((64 << 20)) >"$MCG/memory.max"
	mfile=memory.max
else
	m1=$(awk '{ split($0, a, " - "); split(a[2], b, " ");
		if (b[1] == "cgroup" && ("," b[3] ",") ~ /,memory,/) { print $5; exit } }' /proc/self/mountinfo)
	if [ -n "$m1" ] && mkdir "$m1/fp-test-$$" 2>/dev/null; then
		MCG=$m1/fp-test-$$
		echo $((64 << 20)) >"$MCG/memory.limit_in_bytes"
		mfile=memory.limit_in_bytes
	fi
fi
if [ -z "$MCG" ]; then
	echo "SKIPPED (cgroup memory limit): no memory cgroup could be made here"
else
	FP_TEST_TAG=$TAG sh -c 'echo $$ >"$1/cgroup.procs" && shift && exec "$@"' sh "$MCG" \
		"$FP_BIN" run "$WORK/big.ini" -q 2>"$WORK/err"
	RC=$?
	expect_rc 2 "cgroup $mfile 64 MiB"
	expect_err "of the 64 MiB this task may use (cgroup $mfile)" "cgroup $mfile 64 MiB"
	echo "cgroup memory limit tested ($MCG)"
	[ "$MCG" = "$CG" ] && MCG=""
fi
check_nothing_left $$ "cgroup runs"
finish
