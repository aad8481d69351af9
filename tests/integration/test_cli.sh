#!/bin/bash
# The command line: discovering stages, checking configs without running
# them (exact messages), one-line pipelines, progress on a terminal and off
# it, and the Chrome trace.
. "$(dirname "$0")/lib.sh"
CFG="$SRC/configs/default.ini"

fp --version
expect_rc 0 "--version"
grep -q "^framepipe [0-9.]* (stage ABI [0-9]*\.[0-9]*)$" "$OUT" || fail "--version text"
for cmd in "--help" "help run" "run --help" "check --help" "stages --help"; do
	fp $cmd
	expect_rc 0 "$cmd"
	grep -q "usage: framepipe" "$OUT" || fail "$cmd prints usage"
done
grep -q "exit status: 0 every frame written, 1 some or all frames failed" <("$FP_BIN" run --help) ||
	fail "run --help documents the exit codes"
# The option table words -o for each command, and -r without a
# "(the default)" that read as if recursion were.
"$FP_BIN" check --help | grep -A2 -- "-o, --output" | grep -q "never created" ||
	fail "check --help: -o does not say check creates nothing"
"$FP_BIN" check --help | grep -q "created if missing" && fail "check --help: -o says 'created if missing'"
"$FP_BIN" run --help | grep -q -- "-o, --output OUTDIR *output folder, created if missing" ||
	fail "run --help: -o wording"
"$FP_BIN" run --help | grep -A1 -- "-r, --recursive" | grep -q "default output name" ||
	fail "run --help: -r does not say the default output name mirrors sub-folders"
"$FP_BIN" run --help | grep -q "(the default)" && fail "run --help: -r still says '(the default)'"

# help NAME: a command's help, a stage's description, or a refusal with the
# nearest name of either.
for name in run check stages stats-merge; do
	cmp -s <("$FP_BIN" help $name) <("$FP_BIN" $name --help) ||
		fail "help $name differs from $name --help"
done
for name in png_decode pipeline; do
	fp help $name
	expect_rc 0 "help $name"
	cmp -s "$OUT" <("$FP_BIN" stages $name) || fail "help $name differs from stages $name"
done
fp help foo
expect_rc 2 "help foo"
expect_err "framepipe: unknown command or stage 'foo'" "help foo"
[ -s "$OUT" ] && fail "help foo printed help on stdout"
fp help png_decod
expect_rc 2 "help png_decod"
expect_err "unknown command or stage 'png_decod' (did you mean 'png_decode'?)" "help: stage did you mean"
fp help chek
expect_err "unknown command or stage 'chek' (did you mean 'check'?)" "help: command did you mean"

# Every option of `run --help` is in the man page.
for opt in $("$FP_BIN" run --help | grep -o -- '--[a-z-]*' | sort -u); do
	grep -q -- "${opt//-/\\\\-}" "$SRC/docs/framepipe.1" || fail "framepipe.1 lacks $opt"
done

# The docs name what the program has: every stage in README's Stages
# section, every variable the code reads in the man page's ENVIRONMENT
# (but the test switches FP_KIT_*), every --stats-json outcome in README
# and the man page, what install-deps adds for the optional stages and
# tests, and the package version in framepipeConfig.cmake's example.
stages_md=$(sed -n '/^### Stages$/,/^### [^S]/p' "$SRC/README.md")
for s in $(env -u FRAMEPIPE_PLUGIN_PATH "$FP_BIN" stages | awk '/^  / { print $1 }'); do
	grep -qF "\`$s\`" <<<"$stages_md" || fail "README's Stages section lacks $s"
done
env_man=$(sed -n '/^\.SH ENVIRONMENT/,/^\.SH EXIT/p' "$SRC/docs/framepipe.1")
for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)|"SLURM_[A-Z_]+"' "$SRC/core" "$SRC/apps" "$SRC/stages" |
	grep -oE '[A-Z][A-Z_]+' | grep -v '^FP_KIT_' | sort -u); do
	grep -qF "$v" <<<"$env_man" || fail "framepipe.1 ENVIRONMENT lacks $v"
done
outcome_man=$(sed -n '/^\.B outcome$/,/^\.TP$/p' "$SRC/docs/framepipe.1")
outcome_md=$(sed -n '/`outcome`: `ok`/,/`run_failed`)/p' "$SRC/README.md")
for o in $(sed -n '/^static const char \*outcome(/,/^}/p' "$SRC/core/run/report.c" | grep -oE '"[a-z_]+"' | tr -d '"'); do
	grep -qw -- "$o" <<<"$outcome_man" || fail "framepipe.1 --stats-json lacks outcome $o"
	grep -qF "\`$o\`" <<<"$outcome_md" || fail "README's --stats-json lacks outcome $o"
done
installs=$(sed -n '/^That installs what is missing/,/^$/p' "$SRC/README.md")
for what in "Little CMS" Slurm munge strace; do
	grep -qF "$what" <<<"$installs" || fail "README's install-deps sentence lacks $what"
done
version=$(sed -n 's/^project(framepipe VERSION \([0-9]*\.[0-9]*\).*/\1/p' "$SRC/CMakeLists.txt")
grep -q "find_package(framepipe $version REQUIRED)" "$SRC/cmake/framepipeConfig.cmake.in" ||
	fail "framepipeConfig.cmake.in's example does not ask for $version"

fp stages
expect_rc 0 "stages"
grep -q "^  png_decode *source *decode PNG" "$OUT" || fail "stages lists png_decode"
grep -q "^  misbehaving_filter *filter .*\[plugin\]" "$OUT" ||
	fail "stages lists plugins from FRAMEPIPE_PLUGIN_PATH"
fp stages png_encode
expect_rc 0 "stages png_encode"
grep -q "^  level *integer *default 6 *0..9" "$OUT" || fail "describe: level"
grep -q "one of all|none|sub|up|avg|paeth" "$OUT" || fail "describe: filter choices"
grep -q "accepts: *G8 GA8 RGB8 RGBA8 G16 GA16 RGB16 RGBA16$" "$OUT" || fail "describe: formats"
grep -q "^  workers" "$OUT" || fail "describe: framework settings"
fp stages png_encdoe
expect_rc 2 "stages typo"
expect_err "did you mean 'png_encode'?" "stages typo"

# check: a table of broken configs, each with its exact message.
n=0
while IFS='|' read -r ini message; do
	n=$((n + 1))
	printf '%b' "$ini" >"$WORK/bad$n.ini"
	fp check "$WORK/bad$n.ini"
	expect_rc 2 "check case $n"
	expect_err "framepipe: $WORK/bad$n.ini:$message" "check case $n"
done <<'TABLE'
[d]\nstage = png_decode\n[e]\nstage = png_encoder\n|4: e: no stage named 'png_encoder' (looked in
[d]\nstage = png_decode\nformat = cmyk\n[e]\nstage = png_encode\n|3: d.format: expected one of keep|g8|ga8|rgb8|rgba8|g16|ga16|rgb16|rgba16, got 'cmyk'
[d]\nstage = png_decode\nmax_width = 0\n[e]\nstage = png_encode\n|3: d.max_width: expected 1..
[d]\nstage = png_decode\n[e]\nstage = png_encode\nlevel = high\n|5: e.level: expected an integer, got 'high'
[d]\nstage = png_decode\n[e]\nstage = png_encode\ncolour = red\n|5: e.colour: no such parameter of stage png_encode
[d]\nstage = png_decode\n[e]\nstage = png_encode\n[f]\nstage = passthrough\n|6: f: placed after the sink e, where no frames reach it
[f]\nstage = passthrough\n[e]\nstage = png_encode\n|2: f: stage passthrough is a filter, but a pipeline starts with a source
[d]\nstage = png_decode\nworkers = 99\n[e]\nstage = png_encode\n|3: d.workers: expected auto or 0..64, got '99'
[pipeline]\nslots = many\n[d]\nstage = png_decode\n[e]\nstage = png_encode\n|2: pipeline.slots: expected auto or 1..4096, got 'many'
[d]\nstage = png_decode\n[e]\nstage = png_encode\ntimeout = -1\n|5: e.timeout: expected 0..1000000, got '-1'
TABLE
printf '[d]\nstage = png_decode\n[e]\nstage = png_encoder\n' >"$WORK/typo.ini"
fp check "$WORK/typo.ini"
expect_err "(did you mean 'png_encode'?)" "check: did you mean"

fp check "$CFG" -i "$WORK/nothere"
expect_rc 2 "check: missing input"
expect_err "$WORK/nothere: No such file or directory" "check: missing input"
: >"$WORK/afile"
fp check "$CFG" -i "$DATA/sample" -o "$WORK/afile/out"
expect_rc 2 "check: output under a file"
expect_err "cannot use as output folder: $WORK/afile is not a folder" "check: output under a file"
fp check "$CFG" -i "$DATA/sample" -o "$WORK/new/out"
expect_rc 0 "check: valid"
grep -q "valid: png_decode ! passthrough ! png_encode; 5 inputs" "$OUT" || fail "check: valid summary"
[ -e "$WORK/new" ] && fail "check must not create the output folder"
fp check -p 'png_decode ! resize widht=64 ! png_encode'
expect_rc 2 "check -p"
expect_err "framepipe: -p:21: resize.widht: no such parameter of stage resize" "check -p points at the column"

# -p runs the same pipeline as the INI file, and --print-config gives it.
# A line that starts or ends with a filter implies decode and encode, and
# the printed INI has them.
n=0
for LINE in 'png_decode layout=rgba ! passthrough workers=2 ! png_encode level=1' \
	'resize width=64'; do
	n=$((n + 1))
	fp run -p "$LINE" -i "$DATA/sample" -o "$WORK/p1_$n" -q
	expect_rc 0 "run -p '$LINE'"
	fp run -p "$LINE" --print-config
	expect_rc 0 "--print-config '$LINE'"
	cp "$OUT" "$WORK/printed$n.ini"
	fp run "$WORK/printed$n.ini" -i "$DATA/sample" -o "$WORK/p2_$n" -q
	expect_rc 0 "run the printed config of '$LINE'"
	[ -n "$(ls "$WORK/p1_$n")" ] || fail "run -p '$LINE' wrote nothing"
	for f in "$WORK/p1_$n"/*; do
		cmp -s "$f" "$WORK/p2_$n/$(basename "$f")" ||
			fail "-p '$LINE' and its INI differ on $(basename "$f")"
	done
done
grep -qxF '[decode]' "$WORK/printed2.ini" && grep -qxF '[encode]' "$WORK/printed2.ini" ||
	fail "--print-config of a lone filter lacks [decode] or [encode]: $(cat "$WORK/printed2.ini")"

# Progress: on a terminal a line updated in place, then the summary;
# elsewhere nothing but the summary unless --progress=lines.
cat >"$WORK/slow.ini" <<INI
[src]
stage = testsrc
count = 80
width = 400
height = 300
pattern = noise
[enc]
stage = png_encode
level = 1
INI
FP_TEST_TAG=$TAG script -q -e -c "'$FP_BIN' run '$WORK/slow.ini' -o '$WORK/tty'" \
	"$WORK/typescript" </dev/null >/dev/null 2>&1
RC=$?
check_nothing_left 0 "run under a terminal"
[ "$RC" -eq 0 ] || fail "run under a terminal: exit $RC"
grep -q $'\r\e\[K\[[#-]*\] *[0-9]*% [0-9]*/80, .* frames/s, ETA' "$WORK/typescript" ||
	fail "no progress line on a terminal"
grep -q "80 frames: 80 written" "$WORK/typescript" || fail "no summary on a terminal"
fp run "$WORK/slow.ini" -o "$WORK/notty"
grep -q "ETA" "$ERR" && fail "progress shown when not on a terminal"
grep -q "80 frames: 80 written" "$ERR" || fail "summary when not on a terminal"
fp run "$WORK/slow.ini" -o "$WORK/lines" --progress=lines
[ "$(grep -c '^[0-9]*/80 frames.*ETA' "$ERR")" -ge 1 ] || fail "--progress=lines prints lines"
fp run "$WORK/slow.ini" -o "$WORK/quiet" -q --overwrite
[ -s "$ERR" ] && fail "--quiet printed something"

# The trace: one track per instance, a slice per frame per stage named by
# its input, flows across stages, a counter of free slots.
fp run -p 'png_decode workers=1 ! passthrough workers=2 ! png_encode workers=1' -i "$DATA/sample" \
	-o "$WORK/traced" --trace "$WORK/trace.json" -q
expect_rc 0 "--trace"
python3 - "$WORK/trace.json" <<'PY' || fail "trace structure"
import json, sys, collections
t = json.load(open(sys.argv[1]))
ev = t["traceEvents"]
names = {e["pid"]: e["args"]["name"] for e in ev
         if e["ph"] == "M" and e["name"] == "process_name"}
tracks = sorted(v.split(" ")[0] for k, v in names.items() if k > 0)
assert tracks == ["passthrough#0", "passthrough#1", "png_decode#0", "png_encode#0"], tracks
slices = [e for e in ev if e["ph"] == "X"]
assert len(slices) == 5 * 3, len(slices)
per_input = collections.Counter(e["name"] for e in slices)
assert set(per_input.values()) == {3}, per_input
assert "camera.png" in per_input
assert all(e["dur"] >= 0 and e["ts"] >= 0 for e in slices)
flows = collections.defaultdict(list)
for e in ev:
    if e["ph"] in "stf":
        flows[e["id"]].append(e["ph"])
assert len(flows) == 5 and all(sorted(v) == ["f", "s", "t"] for v in flows.values()), flows
assert any(e["ph"] == "C" and e["name"] == "free slots" for e in ev)
PY
finish
