#!/bin/bash
# The Slurm recipe of docs/scale-out.md run by a real Slurm: a one-node
# cluster (slurm_cluster.sh) runs configs/slurm/framepipe-array.sbatch,
# unchanged, over 2,000 inputs as a 4-task array into one output folder;
# the outputs are those of one unsharded run, file for file, and the
# shards' --stats-json merged give the unsharded run's totals. Then the
# scheduler's faults: a task cancelled mid-run (scancel: SIGTERM, then
# SIGKILL KillWait seconds later) and a task that hits its --time limit,
# each resubmitted alone; with --resume they finish their shard, nothing is
# half-written or written twice, the merged stats count every input once.
# Last, what Slurm records for exit 1 (failed frames), 2 (config), 3 (the
# run failed) and a killed task. Exit 77 (ctest: skipped) without Slurm or
# root. The daemons are stopped by their PIDs whatever happens.
. "$(dirname "$0")/lib.sh"
SKIP=77
for tool in munged slurmctld slurmd sbatch scancel squeue scontrol; do
	command -v "$tool" >/dev/null || {
		echo "SKIPPED: $tool is not installed (Debian: slurm-wlm munge)"
		exit $SKIP
	}
done
[ "$(id -u)" -eq 0 ] || {
	echo "SKIPPED: the test cluster's daemons run as root"
	exit $SKIP
}
. "$(dirname "$0")/slurm_cluster.sh"
# The timeout task's processes carry a tag of their own: they run on while
# the other checks look for leftovers of the test's tag.
TAG_T="t-$TAG"
trap 'on_exit' EXIT
on_exit() {
	[ "$FAILURES" -ne 0 ] && [ -n "${SLURM_DIR:-}" ] &&
		tail -n 40 "$SLURM_DIR/log/slurmctld.log" "$SLURM_DIR/log/slurmd.log" | sed 's/^/  slurm: /' >&2
	for pid in $WATCHERS; do kill "$pid" 2>/dev/null; done
	slurm_stop
	cleanup_tagged
	TAG=$TAG_T cleanup_tagged
	rm -rf "$WORK"
}
SBATCH="$SRC/configs/slurm/framepipe-array.sbatch"
FIXTURES=${FP_FIXTURE_DIR:?}
COUNT=2000
START=$(date +%s)
elapsed() { echo "$(($(date +%s) - START)) s"; }

# 2,000 small distinct inputs (noise differs frame to frame).
fp run -p "testsrc count=$COUNT width=48 height=32 pattern=noise ! png_encode" -o "$WORK/in" -q
expect_rc 0 "making the inputs"
printf '[d]\nstage = png_decode\n[e]\nstage = png_encode\nlevel = 1\n' >"$WORK/batch.ini"
# The same pipeline with a stage that takes time without using a CPU, for
# tasks that must still be running when they are cancelled or time out;
# FP_FIXTURE_SLOW_MS (set per submission) says how slow.
printf '[d]\nstage = png_decode\n[s]\nplugin = %s\nms = 0\nworkers = 1\n[e]\nstage = png_encode\nlevel = 1\n' \
	"$FIXTURES/slow_filter.so" >"$WORK/slow.ini"

# The reference: one unsharded run.
fp run "$WORK/batch.ini" -i "$WORK/in" -r -o "$WORK/ref" -q --stats-json "$WORK/ref.json"
expect_rc 0 "unsharded run"
shm_before=$(awk 'NR > 1 {print $2}' /proc/sysvipc/shm | sort)

slurm_start "$WORK/slurm" || { fail "could not start Slurm"; finish; }
echo "slurm up after $(elapsed)"
mkdir -p "$WORK/logs"
cd "$WORK/logs" || exit 1 # the script's --output=framepipe-%A_%a.log lands here

# submit ARGS...: sbatch with the test's tag (every process of the job
# inherits it, so leftovers are found) and framepipe's path; sets RC.
submit() {
	FP_TEST_TAG=${SUBMIT_TAG:-$TAG} FRAMEPIPE=$FP_BIN sbatch "$@" >"$WORK/sbatch.out" 2>"$WORK/sbatch.err" </dev/null
	RC=$?
}

# job_state JOB_TASK: "STATE EXITCODE" as scontrol shows them, e.g.
# "FAILED 1:0"; empty while the task waits in its array's pending range
# (it has no record of its own yet) or once Slurm forgot it.
job_state() {
	scontrol -o show job "$1" 2>/dev/null | grep -E "ArrayJobId=${1%_*} ArrayTaskId=${1#*_} " | head -1 |
		grep -oE '(JobState|ExitCode)=[^ ]*' | cut -d= -f2 | tr '\n' ' ' | sed 's/ $//'
}
# watch JOB: from now on, note every state JOB goes through in
# $WORK/states/JOB, and its last in $WORK/states/JOB.end once it has ended
# (an ended job stays visible for MinJobAge seconds only, so someone must
# be looking then).
WATCHERS=""
watch() {
	mkdir -p "$WORK/states"
	(
		last=""
		for _ in $(seq 3000); do
			got=$(job_state "$1")
			[ -n "$got" ] && [ "$got" != "$last" ] && echo "$got" >>"$WORK/states/$1"
			case $got in
			"") [ -n "$last" ] && break ;;
			PENDING* | RUNNING* | COMPLETING* | CONFIGURING* | SUSPENDED* | REQUEUE*) ;;
			*) echo "$got" >"$WORK/states/$1.end.tmp" && mv "$WORK/states/$1.end.tmp" "$WORK/states/$1.end" && break ;;
			esac
			[ -n "$got" ] && last=$got
			sleep 0.1
		done
	) &
	WATCHERS="$WATCHERS $!"
}
# ended JOB SECONDS: the state JOB ended in (empty if it did not in time).
ended() {
	for _ in $(seq $(($2 * 10))); do
		[ -f "$WORK/states/$1.end" ] && break
		sleep 0.1
	done
	cat "$WORK/states/$1.end" 2>/dev/null
}
# running_for JOB_TASK SECONDS: wait until the task's script runs (Slurm
# makes its log then: RUNNING comes a second or two earlier, at the
# allocation), then SECONDS more (its frames take 6 ms each: ~3 s a shard).
running_for() {
	for _ in $(seq 600); do
		case $(job_state "$1") in
		RUNNING*) [ -f "framepipe-$1.log" ] && [ -n "$(tagged_pids)" ] && sleep "$2" && return 0 ;;
		esac
		sleep 0.05
	done
	fail "$1: not running after 30 s"
	return 1
}
job_id() { grep -o '[0-9]*' "$WORK/sbatch.out" | head -1; }
# written DIR: outputs there now (not temporary files).
written() {
	find "$1" -path "$1/.stats" -prune -o -name '*.png' -print | grep -c -v fp-tmp
}

# No process of the jobs, and no segment made since the start whose maker
# is gone.
check_node_clean() {
	local what=$1 leaked id cpid
	check_nothing_left $$ "$what"
	for _ in $(seq 40); do
		leaked=""
		for id in $(comm -13 <(echo "$shm_before") <(awk 'NR > 1 {print $2}' /proc/sysvipc/shm | sort)); do
			cpid=$(awk -v id="$id" '$2 == id {print $5}' /proc/sysvipc/shm)
			[ -n "$cpid" ] && ! kill -0 "$cpid" 2>/dev/null && leaked="$leaked $id"
		done
		[ -z "$leaked" ] && return 0
		sleep 0.05
	done
	fail "$what: shared memory left:$leaked"
}

# compare_ref DIR WHAT [partial]: DIR holds exactly the reference's files
# (besides .stats), byte for byte, and no temporary file; with partial, a
# subset of them, each whole (a task was stopped part-way). One process:
# 2,000 cmp runs would take seconds.
compare_ref() {
	python3 - "$WORK/ref" "$1" "$2" "${3:-}" <<'PY' || fail "$2: outputs"
import os, sys
ref, out, what, partial = sys.argv[1:5]
def files(top):
    found = set()
    for d, dirs, names in os.walk(top):
        dirs[:] = [x for x in dirs if x != ".stats"]
        found |= {os.path.relpath(os.path.join(d, n), top) for n in names}
    return found
r, o = files(ref), files(out)
if os.path.exists(os.path.join(out, "merged.json")):
    o.discard("merged.json")
temps = sorted(x for x in o if ".fp-tmp-" in x or os.path.basename(x).startswith(".fp-run-"))
o -= set(temps)
extra, missing = sorted(o - r), sorted(r - o)
bad = sorted(x for x in o & r if open(os.path.join(ref, x), "rb").read() != open(os.path.join(out, x), "rb").read())
errors = []
if extra: errors.append(f"{len(extra)} files not in the reference: {extra[:3]}")
if missing and not partial: errors.append(f"{len(missing)} missing: {missing[:3]}")
if bad: errors.append(f"{len(bad)} differ (half-written?): {bad[:3]}")
if temps and not partial: errors.append(f"temporary files left: {temps[:3]}")
for e in errors:
    print(f"FAIL: {what}: {e}", file=sys.stderr)
if not errors:
    print(f"{what}: {len(o)} outputs, each equal to the unsharded run's"
          + (f"; {len(temps)} temporary files of the stopped run" if temps else ""))
sys.exit(1 if errors else 0)
PY
}

# merge_check DIR WHAT: stats-merge of DIR's four shard files accounts for
# every input exactly once (written now, or skipped as done before), and
# with the same stages as the reference.
merge_check() {
	local dir=$1 what=$2
	fp stats-merge -o "$dir/merged.json" "$dir"/.stats/shard-*.json
	expect_rc 0 "$what: stats-merge"
	python3 - "$WORK/ref.json" "$dir/merged.json" "$COUNT" "$what" <<'PY' || fail "$what: merged stats"
import json, sys
ref, m, count, what = json.load(open(sys.argv[1])), json.load(open(sys.argv[2])), int(sys.argv[3]), sys.argv[4]
f = m["frames"]
assert m["shards"] == 4, m["shards"]
assert f["total"] == ref["frames"]["total"] == count, (f, ref["frames"])
assert f["ok"] + f.get("skipped", 0) == count, f
assert f["failed"] == 0 and f.get("not_started", 0) == 0, f
print(f"{what}: merged {f['total']} inputs: {f['ok']} written, {f.get('skipped', 0)} skipped as done, "
      f"{f['failed']} failed; wall (slowest shard) {m['wall_s']:.2f} s")
PY
}

# 1. The timeout task, started first: it holds one of the node's CPUs
# until Slurm ends it at its limit (--time=1: one minute; Slurm checks
# limits every 30 s, so it ends 60 to 90 s in), while the rest runs on the
# other CPU. Shard 2 of 4 at 400 ms a frame: ~200 s of work, never done
# in time.
SUBMIT_TAG=$TAG_T submit --parsable --array=2 --time=1 --cpus-per-task=1 \
	--export=ALL,SHARDS=4,FP_FIXTURE_SLOW_MS=400 "$SBATCH" "$WORK/slow.ini" "$WORK/in" "$WORK/out_t"
[ "$RC" -eq 0 ] || fail "timeout task: sbatch: $(cat "$WORK/sbatch.err")"
T_JOB=$(job_id)
watch "${T_JOB}_2"

# 2. The array: 4 tasks, one output folder, as docs/scale-out.md says.
t0=$(date +%s.%N)
submit --wait --array=0-3 --cpus-per-task=1 "$SBATCH" "$WORK/batch.ini" "$WORK/in" "$WORK/out_a"
t1=$(date +%s.%N)
[ "$RC" -eq 0 ] || fail "array 0-3: sbatch --wait exit $RC ($(cat "$WORK/sbatch.err"))"
check_node_clean "array 0-3"
compare_ref "$WORK/out_a" "array 0-3"
merge_check "$WORK/out_a" "array 0-3"
python3 - "$WORK/out_a/merged.json" "$WORK/ref.json" "$t0" "$t1" "$WORK"/out_a/.stats/shard-[0-3].json <<'PY' || fail "array 0-3: stats"
import json, sys
m, ref = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
t0, t1 = float(sys.argv[3]), float(sys.argv[4])
shards = [json.load(open(p)) for p in sys.argv[5:]]
# The totals of the unsharded run, stage by stage.
assert m["frames"]["ok"] == ref["frames"]["ok"] and m["frames"]["failed"] == 0
assert [(s["name"], s["stage"], s["frames"]) for s in m["stages"]] == \
       [(s["name"], s["stage"], s["frames"]) for s in ref["stages"]], (m["stages"], ref["stages"])
# --cpus-per-task=1: workers = auto made one instance a stage, though the
# node has more CPUs (task/none sets no affinity; SLURM_CPUS_PER_TASK says).
for s in shards:
    assert all(st["workers"] == 1 for st in s["stages"]), s["stages"]
n = [s["frames"]["total"] for s in shards]
w = [s["wall_s"] for s in shards]
print("array 0-3: inputs per task %s (max %+.1f%% over the mean), wall per task %s s (max %+.1f%% over "
      "the mean); unsharded run %.2f s; sbatch --wait returned after %.1f s"
      % (n, 100 * (max(n) / (sum(n) / 4) - 1), " ".join("%.2f" % x for x in w),
         100 * (max(w) / (sum(w) / 4) - 1), ref["wall_s"], t1 - t0))
PY
echo "array done after $(elapsed)"

# 3. Faults in one array: task 1 cancelled mid-run (scancel: SIGTERM, then
# SIGKILL), task 2 requeued mid-run (scontrol requeue: killed the same way,
# then run again by Slurm with the same task id). 6 ms a frame: each task
# takes ~3 s.
# (the last submission's file goes first: its job id is not this one's;
# on a loaded machine sbatch may take seconds to print the id)
rm -f "$WORK/sbatch.out"
submit --wait --array=0-3 --cpus-per-task=1 --export=ALL,FP_FIXTURE_SLOW_MS=6 \
	"$SBATCH" "$WORK/slow.ini" "$WORK/in" "$WORK/out_c" &
WAITER=$!
for _ in $(seq 600); do [ -n "$(job_id 2>/dev/null)" ] && break; sleep 0.05; done
C_JOB=$(job_id)
[ -n "$C_JOB" ] || fail "cancel: sbatch printed no job id in 30 s ($(cat "$WORK/sbatch.err" 2>/dev/null))"
watch "${C_JOB}_1"
running_for "${C_JOB}_1" 1 && scancel "${C_JOB}_1"
got=$(ended "${C_JOB}_1" 30)
case $got in CANCELLED*) ;; *) fail "cancel: Slurm shows '$got' for task 1, expected CANCELLED" ;; esac
echo "cancel: task 1 ended as '$got' (JobState ExitCode); its log: $(grep -h 'CANCELLED AT\|framepipe: [^s]' "framepipe-${C_JOB}_1.log" | tr '\n' '|')"
if running_for "${C_JOB}_2" 1; then
	scontrol requeue "${C_JOB}_2" || fail "requeue: scontrol requeue failed"
	# Once pending again, a requeued job waits 2 minutes (BeginTime)
	# unless told to start now.
	for _ in $(seq 100); do
		case $(job_state "${C_JOB}_2") in PENDING*) break ;; esac
		sleep 0.1
	done
	scontrol update JobId="${C_JOB}_2" StartTime=now || fail "requeue: StartTime=now refused"
fi
wait "$WAITER"
RC=$?
# sbatch --wait takes its exit status from FAILED tasks only: a CANCELLED
# (or TIMEOUT) task leaves it 0.
[ "$RC" -eq 0 ] || fail "cancel: sbatch --wait exit $RC"
got=$(job_state "${C_JOB}_2")
echo "requeue: task 2 now '$got', log: $(grep -h 'REQUEUE\|framepipe: [^s]' "framepipe-${C_JOB}_2.log" | tr '\n' '|')"
python3 - "$WORK/out_c/.stats/shard-2.json" <<'PY' || fail "requeue: the rerun of task 2 did not resume"
import json, sys
f = json.load(open(sys.argv[1]))["frames"]
assert f.get("skipped", 0) > 0 and f["ok"] + f["skipped"] == f["total"] and f["failed"] == 0, f
print(f"requeue: task 2 run again by Slurm: {f['skipped']} skipped as done, {f['ok']} written")
PY
done_c=$(written "$WORK/out_c")
[ "$done_c" -lt "$COUNT" ] || fail "cancel: task 1 finished before it was cancelled"
compare_ref "$WORK/out_c" "after the cancel" partial
check_node_clean "cancelled task"
submit --wait --array=1 --cpus-per-task=1 --export=ALL,SHARDS=4 \
	"$SBATCH" "$WORK/slow.ini" "$WORK/in" "$WORK/out_c"
[ "$RC" -eq 0 ] || fail "cancel: resubmitted task 1: exit $RC ($(cat "$WORK/sbatch.err"))"
check_node_clean "resubmitted task"
compare_ref "$WORK/out_c" "cancelled, requeued and resubmitted"
merge_check "$WORK/out_c" "cancelled, requeued and resubmitted"
echo "faults done after $(elapsed)"

# 4. Exit statuses as Slurm records them (the script execs framepipe: the
# task's exit code is framepipe's): 1 failed frames, 2 a config error, 3
# the run failed; and a task killed by a signal (an OOM kill looks so).
mkdir -p "$WORK/bad"
cp "$WORK/in/frame_000000.png" "$WORK/in/frame_000001.png" "$WORK/bad/"
head -c 100 "$WORK/in/frame_000002.png" >"$WORK/bad/truncated.png"
printf '[d]\nstage = png_decode\n[x]\nstage = no_such_stage\n' >"$WORK/broken.ini"
printf '[d]\nstage = png_decode\n[s]\nplugin = %s\nmode = crash\nat = 0\nrestarts = 0\n[e]\nstage = png_encode\n' \
	"$FIXTURES/misbehaving_filter.so" >"$WORK/crash.ini"
declare -A X_JOB
for case in "1 batch.ini" "2 broken.ini" "3 crash.ini"; do
	set -- $case
	submit --parsable --array=0 --cpus-per-task=1 --export=ALL,SHARDS=1 \
		"$SBATCH" "$WORK/$2" "$WORK/bad" "$WORK/out_x$1"
	X_JOB[$1]=$(job_id)
	watch "${X_JOB[$1]}_0"
done
submit --parsable --array=0 --cpus-per-task=1 --export=ALL,SHARDS=1,FP_FIXTURE_SLOW_MS=1000 \
	"$SBATCH" "$WORK/slow.ini" "$WORK/in" "$WORK/out_k"
K_JOB=$(job_id)
watch "${K_JOB}_0"
for x in 1 2 3; do
	got=$(ended "${X_JOB[$x]}_0" 60)
	[ "$got" = "FAILED $x:0" ] || fail "exit $x: Slurm shows '$got', expected 'FAILED $x:0'"
	echo "framepipe exit $x: Slurm shows '$got'; log: $(grep -h '^framepipe: \|frames:' "framepipe-${X_JOB[$x]}_0.log" | head -2 | tr '\n' '|')"
done
# Failed frames are listed in the stats file; a config error leaves none.
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["frames"]["failed"] == 1, s["frames"]' \
	"$WORK/out_x1/.stats/shard-0.json" || fail "exit 1: stats do not list the failed input"
[ -e "$WORK/out_x2/.stats/shard-0.json" ] && fail "exit 2: a stats file was written"
# Killed: SIGKILL to the task's framepipe, as the OOM killer would.
for _ in $(seq 300); do
	case $(job_state "${K_JOB}_0") in RUNNING*) [ -n "$(tagged_pids)" ] && break ;; esac
	sleep 0.1
done
sleep 0.5
scancel --batch --signal=KILL "${K_JOB}_0"
got=$(ended "${K_JOB}_0" 30)
[ "$got" = "FAILED 0:9" ] || fail "killed task: Slurm shows '$got', expected 'FAILED 0:9'"
echo "task killed by SIGKILL: Slurm shows '$got'"
check_node_clean "exit statuses"

# 5. The timeout task: Slurm ends it at its limit; resubmitted alone it
# finishes its shard; then the other shards.
got=$(ended "${T_JOB}_2" 150)
case $got in TIMEOUT*) ;; *) fail "timeout task: Slurm shows '$got', expected TIMEOUT" ;; esac
T_LOG="framepipe-${T_JOB}_2.log"
grep -q "DUE TO TIME LIMIT" "$T_LOG" || fail "timeout task: the log does not say TIME LIMIT: $(tail -3 "$T_LOG")"
done_t=$(written "$WORK/out_t")
echo "timeout: task 2 ended at its limit after $(elapsed), $done_t outputs written; Slurm shows '$got'; log: $(grep -h 'TIME LIMIT\|framepipe: [^s]' "$T_LOG" | tr '\n' '|')"
[ "$done_t" -gt 0 ] || fail "timeout: nothing was written before the limit"
compare_ref "$WORK/out_t" "after the time limit" partial
TAG=$TAG_T check_node_clean "timed-out task"
submit --wait --array=2 --cpus-per-task=1 --export=ALL,SHARDS=4,FP_FIXTURE_SLOW_MS=0 \
	"$SBATCH" "$WORK/slow.ini" "$WORK/in" "$WORK/out_t"
[ "$RC" -eq 0 ] || fail "timeout: resubmitted task 2: exit $RC ($(cat "$WORK/sbatch.err"))"
python3 - "$WORK/out_t/.stats/shard-2.json" "$done_t" <<'PY' || fail "timeout: the resubmitted task redid work"
import json, sys
f = json.load(open(sys.argv[1]))["frames"]
assert f.get("skipped", 0) == int(sys.argv[2]) and f["failed"] == 0, f
PY
submit --wait --array=0,1,3 --cpus-per-task=1 --export=ALL,SHARDS=4,FP_FIXTURE_SLOW_MS=0 \
	"$SBATCH" "$WORK/slow.ini" "$WORK/in" "$WORK/out_t"
[ "$RC" -eq 0 ] || fail "timeout: tasks 0,1,3: exit $RC ($(cat "$WORK/sbatch.err"))"
check_node_clean "timeout resubmitted"
compare_ref "$WORK/out_t" "timed out and resubmitted"
merge_check "$WORK/out_t" "timed out and resubmitted"

[ -z "$(squeue -h 2>/dev/null)" ] || fail "jobs left in the queue: $(squeue -h)"
cd "$WORK" || exit 1
slurm_stop
[ -z "$(slurm_leftovers)" ] || fail "slurm processes left: $(slurm_leftovers)"
check_node_clean "after the cluster stopped"
echo "test_slurm: $(elapsed) in all"
finish
