#!/bin/bash
# --shard K/N and --list-inputs: four shards write exactly the files of one
# unsharded run (also with {index} in the output name, and through GNU
# parallel when it is installed); the split does not depend on the order of
# the inputs; --resume finishes a shard that died; an empty shard is not an
# error.
. "$(dirname "$0")/lib.sh"
PNG2RGBA=${FP_PNG2RGBA:?}

# A tree of inputs: the PNG suite (some of them broken on purpose, which
# fail the same way in every run) and the sample photos in a sub-folder.
mkdir -p "$WORK/in/photos"
cp "$DATA"/pngsuite/*.png "$WORK/in/"
cp "$DATA"/sample/*.png "$WORK/in/photos/"
PIPE='png_decode ! png_encode level=1'
printf '[pipeline]\noutput = {dir}/{index:04}_{stem}.png\n[d]\nstage = png_decode\n[e]\nstage = png_encode\nlevel = 1\n' >"$WORK/index.ini"

# Same files, same pixels, nothing else (no temporary files).
same_tree() {
	local a=$1 b=$2 what=$3
	diff <(cd "$a" && find . -type f | sort) <(cd "$b" && find . -type f | sort) >"$WORK/tree.diff" || {
		fail "$what: not the same files"
		head -5 "$WORK/tree.diff" >&2
		return
	}
	(cd "$a" && find . -type f) | while read -r f; do
		cmp -s <("$PNG2RGBA" "$a/$f") <("$PNG2RGBA" "$b/$f") ||
			fail "$what: $f differs"
	done
}

for cfg in "-p" "$WORK/index.ini"; do
	if [ "$cfg" = "-p" ]; then set -- -p "$PIPE"; name=default; else set -- "$cfg"; name=index; fi
	fp run "$@" -i "$WORK/in" -r -o "$WORK/all_$name" -q
	[ "$RC" -le 1 ] || fail "$name: unsharded run: exit $RC"
	for k in 0 1 2 3; do
		fp run "$@" -i "$WORK/in" -r -o "$WORK/sharded_$name" -q --shard "$k/4" \
			--stats-json "$WORK/stats_${name}_$k.json"
		[ "$RC" -le 1 ] || fail "$name: shard $k/4: exit $RC"
	done
	same_tree "$WORK/all_$name" "$WORK/sharded_$name" "4 shards ($name names)"
done
ls "$WORK/all_index" | grep -q '^0000_' || fail "{index:04} not used"

# Every input is in exactly one shard; the split does not move when the
# inputs are given in another order, or from another folder.
fp run -p "$PIPE" -i "$WORK/in" -r --list-inputs
expect_rc 0 "--list-inputs"
sort "$OUT" >"$WORK/list_all"
[ "$(wc -l <"$WORK/list_all")" -eq 166 ] || fail "--list-inputs: $(wc -l <"$WORK/list_all") inputs, expected 166"
: >"$WORK/list_union"
for k in 0 1 2 3; do
	fp run -p "$PIPE" -i "$WORK/in" -r --shard "$k/4" --list-inputs
	expect_rc 0 "--list-inputs --shard $k/4"
	n=$(wc -l <"$OUT")
	[ "$n" -ge 30 ] && [ "$n" -le 54 ] || fail "shard $k/4 has $n of 166 inputs"
	cat "$OUT" >>"$WORK/list_union"
	# The same files named one by one, in reverse order: the same share.
	grep -v /photos/ "$OUT" | sort >"$WORK/fwd_$k"
	fp run -p "$PIPE" -i $(ls -r "$WORK"/in/*.png) --shard "$k/4" --list-inputs
	sort "$OUT" | cmp -s - "$WORK/fwd_$k" ||
		fail "shard $k/4 changes with the order of the inputs"
done
sort "$WORK/list_union" | cmp -s - "$WORK/list_all" || fail "the 4 shards are not the input list"
cp -r "$WORK/in" "$WORK/moved"
fp run -p "$PIPE" -i "$WORK/moved" -r --shard 1/4 --list-inputs
sed "s|$WORK/moved|$WORK/in|" "$OUT" >"$WORK/moved_list"
fp run -p "$PIPE" -i "$WORK/in" -r --shard 1/4 --list-inputs
cmp -s "$OUT" "$WORK/moved_list" || fail "shard 1/4 depends on where the input folder is"

# check reports the share.
fp check -p "$PIPE" -i "$WORK/in" -r --shard 0/4
expect_rc 0 "check --shard"
grep -q "of 166 inputs in shard 0/4" "$OUT" || fail "check --shard: $(cat "$OUT")"

# A shard that died half-way: --resume does the rest, --list-inputs shows
# what is left.
rm -rf "$WORK/resumed"
cp -r "$WORK/sharded_index" "$WORK/resumed"
fp run "$WORK/index.ini" -i "$WORK/in" -r --shard 2/4 --list-inputs
mapfile -t mine <"$OUT"
victims=0
for f in "${mine[@]}"; do
	rel=${f#"$WORK/in/"}
	out=$(cd "$WORK/resumed" && ls "$(dirname "$rel")"/*_"$(basename "$rel")" 2>/dev/null | head -1)
	[ -n "$out" ] && [ $victims -lt 7 ] && { rm "$WORK/resumed/$out"; victims=$((victims + 1)); }
done
fp run "$WORK/index.ini" -i "$WORK/in" -r -o "$WORK/resumed" --shard 2/4 --resume --list-inputs
[ "$(wc -l <"$OUT")" -ge "$victims" ] || fail "--resume --list-inputs lists $(wc -l <"$OUT"), expected at least $victims"
fp run "$WORK/index.ini" -i "$WORK/in" -r -o "$WORK/resumed" --shard 2/4 --resume -q
[ "$RC" -le 1 ] || fail "--resume --shard: exit $RC"
same_tree "$WORK/all_index" "$WORK/resumed" "resumed shard"

# More shards than inputs: most are empty, which is not an error, and
# still leave a stats file.
for k in 0 1; do # coins.png is in one shard of 1000 at most
	fp run -p "$PIPE" -i "$DATA/sample/coins.png" --shard "$k/1000" --list-inputs
	[ -s "$OUT" ] || break
done
fp run -p "$PIPE" -i "$DATA/sample/coins.png" -o "$WORK/tiny" --shard "$k/1000" --stats-json "$WORK/empty.json"
expect_rc 0 "empty shard"
expect_err "shard $k/1000: none of the 1 inputs is in this shard" "empty shard"
[ -e "$WORK/tiny/coins.png" ] && fail "empty shard wrote something"
python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); assert s["frames"]["total"]==0 and len(s["stages"])==2, s' \
	"$WORK/empty.json" || fail "empty shard stats"
for k in $(seq 0 9); do
	fp run -p "$PIPE" -i "$DATA/sample/coins.png" -o "$WORK/tiny" --shard "$k/10" -q
	expect_rc 0 "shard $k/10 of one input"
done
[ -e "$WORK/tiny/coins.png" ] || fail "10 shards of one input: not written"

# Usage errors.
fp run -p "$PIPE" -i "$WORK/in" -o "$WORK/x" --shard 4/4
expect_rc 2 "--shard 4/4"
expect_err "--shard: expected K/N with 0 <= K < N <= 1000000, got '4/4'" "--shard 4/4"
fp run -p 'testsrc count=3 ! null_sink' --shard 0/2
expect_rc 2 "--shard with a source of its own"
expect_err "--shard splits the input files, and stage testsrc makes its own frames" "--shard testsrc"

# The recipe of docs/scale-out.md, when GNU parallel is installed.
if command -v parallel >/dev/null; then
	FP_TEST_TAG=$TAG parallel --will-cite --halt never \
		"$FP_BIN" run -p "'$PIPE'" -i "$WORK/in" -r -o "$WORK/parallel" -q --shard {}/4 \
		--stats-json "$WORK/par_{}.json" ::: 0 1 2 3 2>"$WORK/parallel.err"
	[ $? -le 4 ] || fail "parallel: $(tail -3 "$WORK/parallel.err")"
	check_nothing_left $$ "parallel"
	same_tree "$WORK/all_default" "$WORK/parallel" "GNU parallel, 4 shards"
else
	echo "GNU parallel not installed: its recipe was not run"
fi
finish
