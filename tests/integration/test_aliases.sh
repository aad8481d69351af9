#!/bin/bash
# Old spellings of parameters (core/plugin/aliases.c), through the real
# program: each is accepted by `check` and `run`, prints exactly one note
# on stderr naming the new spelling (once per run, however often it is
# written), makes the same output as the new spelling, and is printed in
# the new spelling by --print-config.
# (tests/stages/test_aliases.c checks every alias of the table in-process.)
. "$(dirname "$0")/lib.sh"

SRC8='testsrc count=3 width=24 height=16 format=rgba8 pattern=noise'

# alias STAGE OLD NEW [SOURCE]: OLD and NEW are KEY=VALUE of STAGE, a filter
# between SOURCE and a checksum sink, or a sink after SOURCE (sink rows
# give `-` as STAGE and put the sink in OLD/NEW whole).
alias_row() {
	local stage=$1 old=$2 new=$3 src=${4:-$SRC8} what="$1 $2"
	local p_old p_new named=()
	if [ "$stage" = - ]; then
		p_old="$src ! $old" p_new="$src ! $new" what=$old
		named=(--set 'output=f{index}.png')
	else
		p_old="$src ! $stage $old ! checksum_sink file=$WORK/old.sum"
		p_new="$src ! $stage $new ! checksum_sink file=$WORK/new.sum"
	fi
	rm -rf "$WORK/old.sum" "$WORK/new.sum" "$WORK/o_old" "$WORK/o_new"
	fp check -p "$p_old" -o "$WORK/o_old" "${named[@]}"
	expect_rc 0 "check: $what"
	expect_err "note: " "check: $what"
	expect_err "is now spelled" "check: $what"
	local key=${new%%=*} value=${new#*=}
	[ "$stage" = - ] && { key=${new#* }; value=${key#*=}; key=${key%%=*}; }
	expect_err ".$key = $value (the old spelling works in every 1.x)" "check: $what: names the new spelling"
	[ "$(grep -c 'note: ' "$ERR")" -eq 1 ] || fail "check: $what: not one note: $(cat "$ERR")"
	# --print-config writes the pipeline as it is spelled now
	fp run -p "$p_old" --print-config
	expect_rc 0 "--print-config: $what"
	grep -qxF "$key = $value" "$OUT" || fail "--print-config: $what: no '$key = $value' in: $(cat "$OUT")"
	fp run -q -p "$p_old" -o "$WORK/o_old" "${named[@]}"
	expect_rc 0 "run: $what"
	[ "$(grep -c 'note: ' "$ERR")" -eq 1 ] || fail "run: $what: not one note: $(cat "$ERR")"
	cp "$ERR" "$WORK/err_old"
	fp run -q -p "$p_new" -o "$WORK/o_new" "${named[@]}"
	expect_rc 0 "run: $new"
	[ -s "$ERR" ] && fail "run: $new: stderr not empty: $(cat "$ERR")"
	if [ "$stage" = - ]; then
		diff -r "$WORK/o_old" "$WORK/o_new" >/dev/null || fail "$what: output differs from $new"
	else
		cmp -s <(sort "$WORK/old.sum") <(sort "$WORK/new.sum") ||
			fail "$what: checksums differ from $new"
	fi
}

alias_row alpha_flatten 'background=#102030' 'color=#102030'
alias_row grayscale weights=bt709 luma=bt709
alias_row - 'png_encode strategy=filtered' 'png_encode strategy=long'
alias_row - 'png_encode strategy=default' 'png_encode strategy=full'
alias_row - 'encode png.strategy=filtered' 'encode png.strategy=long'

# The old spelling really changes something: bt709 differs from bt601.
fp run -q -p "$SRC8 ! grayscale luma=bt601 ! checksum_sink file=$WORK/601.sum"
fp run -q -p "$SRC8 ! grayscale weights=bt709 ! checksum_sink file=$WORK/709.sum"
cmp -s <(sort "$WORK/601.sum") <(sort "$WORK/709.sum") && fail "weights=bt709 made bt601's output"

# y4m: a stream through y4m_read matrix= and y4m_write matrix=.
Y4M="python3 $SRC/tests/tools/y4m_tool.py"
$Y4M gen "$WORK/g.y4m" 3 64 32 420jpeg
for pair in "y4m_read file=$WORK/g.y4m matrix=bt709 ! y4m_write file=$WORK/old.y4m|y4m_read file=$WORK/g.y4m luma=bt709 ! y4m_write file=$WORK/new.y4m" \
	"y4m_read file=$WORK/g.y4m ! y4m_write file=$WORK/old.y4m matrix=bt709|y4m_read file=$WORK/g.y4m ! y4m_write file=$WORK/new.y4m luma=bt709"; do
	fp run -q -p "${pair%%|*}"
	expect_rc 0 "run: ${pair%%|*}"
	expect_err ".luma = bt709 (the old spelling works in every 1.x)" "${pair%%|*}"
	fp run -q -p "${pair#*|}"
	expect_rc 0 "run: ${pair#*|}"
	cmp -s "$WORK/old.y4m" "$WORK/new.y4m" || fail "${pair%%|*}: stream differs"
done

# png_decode's layouts were values of format: the same frames from files.
for pair in "format=rgba|layout=rgba" "format=rgb|layout=rgb" "format=gray|layout=g" \
	"format=ga|layout=ga" "format=gray depth=16|layout=g depth=16"; do
	old=${pair%%|*} new=${pair#*|}
	rm -f "$WORK/old.sum" "$WORK/new.sum"
	fp run -q -p "png_decode $old ! checksum_sink file=$WORK/old.sum" -i "$DATA/pngsuite"
	expect_rc 0 "png_decode $old"
	v=${new#layout=}
	expect_err "is now spelled png_decode.layout = ${v%% *} (the" "png_decode $old"
	[ "$(grep -c 'note: ' "$ERR")" -eq 1 ] || fail "png_decode $old: not one note: $(cat "$ERR")"
	fp run -q -p "png_decode $new ! checksum_sink file=$WORK/new.sum" -i "$DATA/pngsuite"
	expect_rc 0 "png_decode $new"
	[ -s "$ERR" ] && fail "png_decode $new: stderr not empty: $(cat "$ERR")"
	cmp -s <(sort "$WORK/old.sum") <(sort "$WORK/new.sum") ||
		fail "png_decode $old: frames differ from $new"
done
grep -q ' G16$' "$WORK/new.sum" || fail "layout=g depth=16 made no G16 frame"
# ... and through the generic decode, prefixed.
fp check -p 'decode png.format=gray ! null_sink' -i "$DATA/sample"
expect_rc 0 "decode png.format=gray"
expect_err "note: decode.png.format = gray is now spelled decode.png.layout = g" "decode png.format=gray"

# y4m_read format=auto|rgb|gray and y4m_write chroma=mono.
$Y4M gen "$WORK/m.y4m" 2 32 16 mono
for pair in "y4m_read file=$WORK/g.y4m format=gray|y4m_read file=$WORK/g.y4m format=g8" \
	"y4m_read file=$WORK/g.y4m format=rgb|y4m_read file=$WORK/g.y4m format=rgb8" \
	"y4m_read file=$WORK/m.y4m format=auto|y4m_read file=$WORK/m.y4m format=keep"; do
	fp run -q -p "${pair%%|*} ! checksum_sink file=$WORK/old.sum"
	expect_rc 0 "run: ${pair%%|*}"
	expect_err "is now spelled y4m_read.format = ${pair##*format=}" "${pair%%|*}"
	fp run -q -p "${pair#*|} ! checksum_sink file=$WORK/new.sum"
	expect_rc 0 "run: ${pair#*|}"
	cmp -s <(sort "$WORK/old.sum") <(sort "$WORK/new.sum") || fail "${pair%%|*}: frames differ"
	rm -f "$WORK/old.sum" "$WORK/new.sum"
done
fp run -q -p "y4m_read file=$WORK/g.y4m ! y4m_write file=$WORK/old.y4m chroma=mono"
expect_rc 0 "chroma=mono"
expect_err "is now spelled y4m_write.chroma = gray" "chroma=mono"
head -1 "$WORK/old.y4m" | grep -q ' Cmono' || fail "chroma=mono: no Cmono header"
fp run -q -p "y4m_read file=$WORK/g.y4m ! y4m_write file=$WORK/new.y4m chroma=gray"
cmp -s "$WORK/old.y4m" "$WORK/new.y4m" || fail "chroma=mono: stream differs from chroma=gray"

# `framepipe stages NAME` lists a stage's old spellings.
fp stages png_decode
expect_rc 0 "stages png_decode"
grep -q 'format = gray *-> layout = g' "$OUT" || fail "stages png_decode: old spellings not listed: $(cat "$OUT")"

# Once per run: the same old spelling in two sections, one note, naming
# the first place; another old spelling gets its own.
cat >"$WORK/twice.ini" <<'INI'
[src]
stage = testsrc
count = 1
format = rgba8
[a]
stage = grayscale
weights = bt709
[b]
stage = grayscale
weights = bt601
[c]
stage = alpha_flatten
background = black
[sink]
stage = null_sink
INI
fp check "$WORK/twice.ini"
expect_rc 0 "check twice.ini"
[ "$(grep -c 'note: ' "$ERR")" -eq 2 ] || fail "twice.ini: expected 2 notes: $(cat "$ERR")"
expect_err "framepipe: $WORK/twice.ini:7: note: a.weights = bt709 is now spelled a.luma = bt709" "twice.ini"
expect_err "framepipe: $WORK/twice.ini:13: note: c.background = black is now spelled c.color = black" "twice.ini"

# An old name with a bad value: the note, then the error under the new name.
fp check -p 'testsrc ! grayscale weights=bt2020 ! null_sink'
expect_rc 2 "weights=bt2020"
expect_err "grayscale.luma: expected one of bt601|bt709, got 'bt2020'" "weights=bt2020"

finish
