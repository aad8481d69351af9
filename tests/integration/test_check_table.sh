#!/bin/bash
# Every built-in filter's invalid values and combinations, through the real
# program: `framepipe check` and `framepipe run` must exit 2 with
# `FILE:LINE: section.param: ...` before any stage process starts (no
# "cannot start", no per-frame failure).
#
# Two kinds of rows:
#   table  a value the parameter table refuses (range, choice, name): the
#          core's parser, already before the fork.
#   check  a structured value or a rule across parameters (a colour, a
#          matrix, a kernel, resize's size rules, levels' range, crop's
#          corner): the stage's descriptor check(), which the core calls
#          before the fork (ABI 1.2).
# ROLE=source or ROLE=sink puts the stage there instead of between a
# testsrc and a null_sink (the codecs and the generic decode/encode).
# The same check() rows, with their exact messages, are in
# tests/stages/test_checks.c.
. "$(dirname "$0")/lib.sh"

# ini FILE STAGE PARAM=VALUE...: write a config with the filter in
# section [f], one parameter a line from line 8.
ini() {
	local f=$1 stage=$2
	shift 2
	{
		[ "${ROLE:-}" = source ] ||
			printf '[src]\nstage = testsrc\ncount = 2\nwidth = 8\nheight = 8\n'
		printf '[f]\nstage = %s\n' "$stage"
		for kv in "$@"; do printf '%s = %s\n' "${kv%%=*}" "${kv#*=}"; done
		[ "${ROLE:-}" = sink ] || printf '[sink]\nstage = null_sink\n'
	} >"$f"
}

# mistake KIND PARAM STAGE PARAM=VALUE...: PARAM is the parameter the
# message must name (f.PARAM:).
n=0
mistake() {
	local kind=$1 param=$2 stage=$3
	shift 3
	local f="$WORK/m$n.ini" what
	n=$((n + 1))
	ini "$f" "$stage" "$@"
	what="$kind $stage $*"
	local inputs=()
	[ "${ROLE:-}" = source ] && inputs=(-i "$DATA/sample/logo.png")
	for cmd in check run; do
		fp "$cmd" "$f" "${inputs[@]}" -o "$WORK/out$n"
		expect_rc 2 "$cmd: $what"
		grep -q -E "^(framepipe: )?$f:[0-9]+: f\.$param: " "$ERR" ||
			fail "$cmd: $what: no '$f:LINE: f.$param: ' line: $(cat "$ERR")"
		grep -q -E "cannot start|no running instance|frame [0-9]" "$ERR" &&
			fail "$cmd: $what: a process started: $(cat "$ERR")"
		[ "$(wc -l <"$ERR")" -le 2 ] ||
			fail "$cmd: $what: more than one message: $(cat "$ERR")"
	done
}

# per-pixel
mistake table luma grayscale luma=bt2020
mistake table foo invert foo=1
mistake table contrast brightness_contrast contrast=-1
mistake table brightness brightness_contrast brightness=300
mistake table gamma gamma gamma=0
mistake table in_black levels in_black=300
mistake check in_white levels in_black=100 in_white=100
mistake check in_white levels in_black=200 in_white=100
mistake table level threshold level=257
mistake table preset channel_mixer preset=warm
mistake check matrix channel_mixer 'matrix=1 0 0'
mistake check matrix channel_mixer 'matrix=1 0 0 0 1 0 0 0 1 0'
mistake check matrix channel_mixer 'matrix=100 0 0 0 1 0 0 0 1'
mistake check matrix channel_mixer 'matrix=1 0 0 0 x 0 0 0 1'
# alpha
mistake check color alpha_flatten color=beige
mistake check color alpha_flatten 'color=#12345'
mistake table amount premultiply amount=1
mistake table x unpremultiply x=1
# geometry
mistake table width crop width=-1
mistake table gravity crop gravity=middle
mistake check x crop x=-1
mistake check y crop x=2 y=-3
mistake table degrees rotate degrees=45
mistake table direction flip direction=diagonal
mistake table angle transpose angle=1
mistake table width pad width=70000
mistake table gravity pad gravity=up
mistake check color pad color=navy
mistake check color pad 'color=#11112222333g'
# resize
mistake check width resize
mistake check width resize width=0 height=0
mistake check scale resize scale=0.5 width=100
mistake check scale resize scale=2 height=50
mistake table kernel resize kernel=gaussian width=10
mistake table fit resize fit=fill width=10
mistake table scale resize scale=65
# neighbourhood
mistake table sigma blur sigma=0
mistake table amount sharpen amount=21
mistake table threshold sharpen threshold=256
mistake check kernel convolve 'kernel=1 2 3 4'
mistake check kernel convolve 'kernel=1 1 1 1 1 1 1 1 q'
mistake check kernel convolve kernel=300 divisor=1
mistake table divisor convolve divisor=1e7
mistake table radius median radius=4
# format changes, colour management
mistake check format convert format=rgb8 layout=g
mistake check format convert format=g16 depth=8
mistake table layout convert layout=cmyk
mistake check to icc_transform to=/nonexistent/profile.icc
# sources and sinks: the codecs and the generic decode and encode
ROLE=source mistake check depth png_decode format=g16 depth=8
ROLE=source mistake check layout png_decode format=rgb8 layout=g
ROLE=source mistake check 'png\.depth' decode png.format=g16 png.depth=8
ROLE=source mistake table 'jpeg\.max_scans' decode jpeg.max_scans=0
ROLE=sink mistake check near_lossless webp_encode near_lossless=60
ROLE=sink mistake check 'webp\.near_lossless' encode webp.near_lossless=60
ROLE=sink mistake table quality jpeg_encode quality=101
ROLE=sink mistake table 'png\.level' encode png.level=10

# Valid configs of the same stages pass check and run.
for ok in "resize width=4" "pad width=8 height=8 color=#0000ff" \
	"alpha_flatten color=transparent" "levels in_black=10 in_white=20" \
	"crop gravity=southeast x=-1 y=-1 width=4 height=4" \
	"convolve kernel=0~-1~0~-1~5~-1~0~-1~0" "channel_mixer preset=sepia"; do
	read -r -a words <<<"$ok"
	args=()
	for w in "${words[@]:1}"; do args+=("${w//\~/ }"); done
	f="$WORK/ok$n.ini"
	n=$((n + 1))
	ini "$f" "${words[0]}" "${args[@]}"
	fp check "$f"
	expect_rc 0 "check: $ok"
	fp run "$f" -q
	expect_rc 0 "run: $ok"
done

finish
