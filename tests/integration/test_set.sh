#!/bin/bash
# [pipeline] settings from one table, reachable from the command line
# (--set KEY=VALUE, SECTION.KEY=VALUE), and did-you-mean for parameters,
# settings, options and commands, with the list of valid names.
. "$(dirname "$0")/lib.sh"

P='testsrc count=3 width=64 height=64 ! null_sink'

# --set reaches [pipeline]: a slot too small for the frames fails them...
fp run -q --set slot_size=4K -p "$P"
expect_rc 1 "--set slot_size=4K"
expect_err "raise it: --set slot_size=N or [pipeline] slot_size" "--set slot_size=4K"
# ... and overrides what an INI says, in order (the last one wins).
printf '[pipeline]\nslot_size = 4K\n[s]\nstage = testsrc\ncount = 3\nwidth = 64\nheight = 64\n[k]\nstage = null_sink\n' >"$WORK/small.ini"
fp run -q "$WORK/small.ini"
expect_rc 1 "INI slot_size = 4K"
fp run -q "$WORK/small.ini" --set slot_size=4K --set slot_size=1M
expect_rc 0 "--set over the INI"
# A stage's parameter too.
fp run -q "$WORK/small.ini" --set slot_size=1M --set s.count=5 --stats-json "$WORK/s.json"
expect_rc 0 "--set s.count=5"
grep -q '"total":5' "$WORK/s.json" || fail "--set s.count=5 did not reach the stage: $(cat "$WORK/s.json")"

# Its errors are the table's, naming --set.
fp check --set slot_size=lots -p "$P"
expect_rc 2 "--set slot_size=lots"
expect_err "framepipe: --set: pipeline.slot_size: expected auto or a size in bytes (e.g. 4096, 64K, 16M), got 'lots'" "--set slot_size=lots"
fp check --set slots=0 -p "$P"
expect_err "--set: pipeline.slots: expected auto or 1..4096, got '0'" "--set slots=0"
fp check --set slot_sise=8M -p "$P"
expect_rc 2 "--set slot_sise"
expect_err "--set: pipeline.slot_sise: unknown setting (did you mean 'slot_size'?); it takes: slots, slot_size, depth, output, metadata_size" "--set slot_sise"
fp check --set nothing -p "$P"
expect_err "--set: expected KEY=VALUE or SECTION.KEY=VALUE" "--set without ="
fp check --set testsrk.count=2 -p "$P"
expect_err "--set: testsrk.count: the pipeline has no section [testsrk] (did you mean 'testsrc'?)" "--set bad section"

# --print-config shows what --set did.
fp run --print-config --set slot_size=8M -p "$P"
expect_rc 0 "--print-config --set"
grep -q '^\[pipeline\]$' "$OUT" && grep -q '^slot_size = 8M$' "$OUT" ||
	fail "--print-config lacks [pipeline] slot_size = 8M: $(cat "$OUT")"

# `framepipe stages pipeline` describes the settings from the same table.
fp stages pipeline
expect_rc 0 "stages pipeline"
grep -q "slot_size .*size .*default auto .*auto or 1..64G" "$OUT" ||
	fail "stages pipeline: no slot_size line: $(cat "$OUT")"

# Did you mean, for parameter names (with the valid ones), options and
# commands.
fp check -p 'testsrc cuont=2 ! null_sink'
expect_rc 2 "misspelt parameter"
expect_err "-p:9: testsrc.cuont: no such parameter of stage testsrc (did you mean 'count'?); it takes: " "misspelt parameter"
expect_err ", workers, restarts, timeout" "misspelt parameter lists the framework's"
fp check -p 'testsrc workres=2 ! null_sink'
expect_err "(did you mean 'workers'?)" "misspelt workers"
fp run --overwirte -p "$P"
expect_rc 2 "misspelt option"
expect_err "unknown option '--overwirte' (did you mean '--overwrite'?)" "misspelt option"
fp chek -p "$P"
expect_rc 2 "misspelt command"
expect_err "unknown command 'chek' (did you mean 'check'?)" "misspelt command"

# Numbers as a person writes them.
fp check -p 'testsrc count=-1 ! null_sink'
expect_err "testsrc.count: expected 0..1000000000000, got '-1'" "integer range"
fp stages testsrc
grep -q "e+" "$OUT" && fail "stages testsrc prints a float exponent: $(grep 'e+' "$OUT")"
grep -q "0000000001" "$OUT" && fail "stages testsrc prints a rounding tail: $(grep '0000000001' "$OUT")"
# An integer bound past 1e16 (max_pixels: 2^62) keeps every digit.
for stage in png_decode decode tiff_decode; do
	fp stages $stage
	grep -q "e+" "$OUT" && fail "stages $stage prints a float exponent: $(grep 'e+' "$OUT")"
	grep -q "max_pixels .*1\.\.4611686018427387904$" "$OUT" ||
		fail "stages $stage: max_pixels range: $(grep max_pixels "$OUT")"
done

# --help comes from the option table: every option parsed is listed.
fp run --help
for opt in --pipeline --input --output --recursive --set --overwrite --resume \
	--shard --list-inputs --stats-json --trace --progress --quiet \
	--print-config --help; do
	grep -q -- "$opt" "$OUT" || fail "run --help lacks $opt"
done
fp check --help
grep -q -- "--set" "$OUT" || fail "check --help lacks --set"
grep -q -- "--stats-json" "$OUT" && fail "check --help lists run's --stats-json"
finish
