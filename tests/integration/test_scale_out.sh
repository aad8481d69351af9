#!/bin/bash
# The recipes of docs/scale-out.md, as far as one machine can run them:
# the Slurm array script run once per task with the array variables set by
# hand, then stats-merge of its per-shard files; the Kubernetes manifest's
# structure and its command with JOB_COMPLETION_INDEX set by hand. (GNU
# parallel is run by test_shard.sh.)
. "$(dirname "$0")/lib.sh"
SBATCH="$SRC/configs/slurm/framepipe-array.sbatch"
K8S="$SRC/configs/k8s/framepipe-indexed-job.yaml"
PNG2RGBA=${FP_PNG2RGBA:?}

mkdir -p "$WORK/in/sub"
cp "$DATA"/pngsuite/basn*.png "$WORK/in/"
cp "$DATA"/sample/*.png "$WORK/in/sub/"
printf '[d]\nstage = png_decode\n[e]\nstage = png_encode\nlevel = 1\n' >"$WORK/batch.ini"
count=$(find "$WORK/in" -name '*.png' | wc -l)

# The reference: one unsharded run.
fp run "$WORK/batch.ini" -i "$WORK/in" -r -o "$WORK/ref" -q
expect_rc 0 "unsharded run"

# sbatch --array=0-3: four tasks, as Slurm would start them.
bash -n "$SBATCH" || fail "sbatch script: syntax"
grep -q '^#SBATCH --array=0-3' "$SBATCH" || fail "sbatch script: no --array"
for k in 0 1 2 3; do
	FP_TEST_TAG=$TAG SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=4 FRAMEPIPE=$FP_BIN \
		bash "$SBATCH" "$WORK/batch.ini" "$WORK/in" "$WORK/out" \
		>"$WORK/task$k.log" 2>&1 || fail "array task $k: exit $? ($(tail -2 "$WORK/task$k.log"))"
done
check_nothing_left $$ "array tasks"
diff <(cd "$WORK/ref" && find . -type f | sort) \
	<(cd "$WORK/out" && find . -path ./.stats -prune -o -type f -print | sort) >/dev/null ||
	fail "array tasks: not the files of one run"
for f in $(cd "$WORK/ref" && find . -type f); do
	cmp -s <("$PNG2RGBA" "$WORK/ref/$f") <("$PNG2RGBA" "$WORK/out/$f") || fail "array tasks: $f differs"
done
# Outside an array it says so.
FRAMEPIPE=$FP_BIN bash "$SBATCH" "$WORK/batch.ini" "$WORK/in" "$WORK/out" 2>"$WORK/noarray.err" &&
	fail "sbatch script outside an array: exit 0"
grep -q "not in a Slurm job array" "$WORK/noarray.err" || fail "sbatch script outside an array: $(cat "$WORK/noarray.err")"
# A task run again (a node died): everything is there, nothing redone.
FP_TEST_TAG=$TAG SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=4 FRAMEPIPE=$FP_BIN \
	bash "$SBATCH" "$WORK/batch.ini" "$WORK/in" "$WORK/out" >"$WORK/again.log" 2>&1 ||
	fail "array task 2 again: exit $?"
grep -q "skipped (already done)" "$WORK/again.log" || fail "array task 2 again: $(tail -2 "$WORK/again.log")"
# One task re-run alone: Slurm counts 1 task, SHARDS gives N.
FP_TEST_TAG=$TAG SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=1 SHARDS=4 FRAMEPIPE=$FP_BIN \
	bash "$SBATCH" "$WORK/batch.ini" "$WORK/in" "$WORK/out" >"$WORK/again1.log" 2>&1 ||
	fail "array task 1 alone with SHARDS=4: exit $? ($(tail -2 "$WORK/again1.log"))"

# stats-merge of the four shards' files.
fp stats-merge "$WORK"/out/.stats/shard-0.json "$WORK"/out/.stats/shard-[23].json \
	"$WORK"/out/.stats/shard-1.json -o "$WORK/merged.json"
expect_rc 0 "stats-merge"
[ -s "$OUT" ] && fail "stats-merge -o wrote to standard output"
python3 - "$WORK/merged.json" "$count" "$WORK"/out/.stats/shard-*.json <<'PY' || fail "merged stats"
import json, sys
m = json.load(open(sys.argv[1]))
count = int(sys.argv[2])
shards = [json.load(open(p)) for p in sys.argv[3:]]
assert m["shards"] == 4, m
# Shards 1 and 2 were run again with everything done: their files now
# say "skipped"; all inputs are counted once per file.
assert m["frames"]["total"] == sum(s["frames"]["total"] for s in shards), m
assert m["frames"]["ok"] + m["frames"].get("skipped", 0) == count, m
assert [s["name"] for s in m["stages"]] == ["d", "e"], m
assert m["stages"][0]["frames"] == sum(s["stages"][0]["frames"] for s in shards)
assert abs(m["wall_s"] - max(s["wall_s"] for s in shards)) < 1e-6
assert "pids" not in m["stages"][0]
PY
fp stats-merge "$WORK"/out/.stats/shard-*.json
expect_rc 0 "stats-merge to standard output"
python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$OUT" || fail "stats-merge stdout is not JSON"
fp stats-merge "$WORK/out/.stats/shard-0.json" "$WORK/ref/basn0g01.png" -o "$WORK/bad.json"
expect_rc 2 "stats-merge of a PNG"
expect_err "basn0g01.png: byte 0: expected a value" "stats-merge of a PNG"
[ -e "$WORK/bad.json" ] && fail "stats-merge left a file after an error"
fp stats-merge
expect_rc 2 "stats-merge without files"

# The Kubernetes manifest: no cluster here, so its structure (and, where
# PyYAML is installed, that it parses) and its shell command, run with the
# index set by hand.
for key in 'kind: Job' 'apiVersion: batch/v1' 'completionMode: Indexed' 'completions: 4' \
	'restartPolicy: Never' 'JOB_COMPLETION_INDEX' '--shard "$JOB_COMPLETION_INDEX/$SHARDS"' '--resume'; do
	grep -q -F -- "$key" "$K8S" || fail "k8s manifest lacks $key"
done
grep -q $'\t' "$K8S" && fail "k8s manifest has tabs"
if python3 -c 'import yaml' 2>/dev/null; then
	python3 - "$K8S" <<'PY' || fail "k8s manifest does not parse as the Job we mean"
import sys, yaml
j = yaml.safe_load(open(sys.argv[1]))
s = j["spec"]
assert j["kind"] == "Job" and s["completionMode"] == "Indexed"
c = s["template"]["spec"]["containers"][0]
assert any(e["name"] == "SHARDS" and int(e["value"]) == s["completions"] for e in c["env"])
PY
else
	echo "PyYAML not installed: the k8s manifest was checked by grep only"
fi
# Its command, with the paths of this test and each index in turn.
cmd=$(awk '/^          args:/{on=1; next} on && /^          [a-z]/{exit} on' "$K8S" |
	sed -e 's/^ *- >-//' -e 's/^ *//' | tr '\n' ' ')
[ -n "$cmd" ] || fail "k8s manifest: no command found"
cmd=${cmd//\/data\/config.ini/$WORK/batch.ini}
cmd=${cmd//\/data\/in/$WORK/in}
cmd=${cmd//\/data\/out/$WORK/k8s}
cmd=${cmd//exec framepipe/exec \"\$FP_BIN\"}
for k in 0 1 2 3; do
	FP_TEST_TAG=$TAG JOB_COMPLETION_INDEX=$k SHARDS=4 FP_BIN=$FP_BIN sh -c "$cmd" >"$WORK/pod$k.log" 2>&1 ||
		fail "pod $k: exit $? ($(tail -2 "$WORK/pod$k.log"))"
done
check_nothing_left $$ "pods"
diff <(cd "$WORK/ref" && find . -type f | sort) \
	<(cd "$WORK/k8s" && find . -path ./.stats -prune -o -type f -print | sort) >/dev/null ||
	fail "pods: not the files of one run"
[ "$(ls "$WORK/k8s/.stats" | wc -l)" -eq 4 ] || fail "pods: stats files $(ls "$WORK/k8s/.stats")"
finish
