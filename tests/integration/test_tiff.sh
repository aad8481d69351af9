#!/bin/bash
# tiff_decode and tiff_encode against libtiff's tools and ImageMagick:
# every base image (8- and 16-bit gray, gray+alpha, RGB, RGBA; palette;
# bilevel) is rewritten by tiffcp with each compression (none, LZW with and
# without predictor, Deflate, PackBits, JPEG), as tiles, with 7-row strips
# and as separate planes; decoded pixels equal ImageMagick's raw output
# (`convert X -depth 8|16 -endian LSB gray:|rgb:|rgba:`) byte for byte.
# Frames encoded with every compression read back identical in ImageMagick
# and pass `tiffinfo -D`. Metadata (ICC, XMP, resolution, orientation)
# survives decode and encode; pages; hostile files one line each.
. "$(dirname "$0")/lib.sh"
for tool in tiffcp tiffinfo convert python3; do
	command -v $tool >/dev/null || {
		fail "$tool is missing (run .ci/install-deps)"
		finish
	}
done
TOOL="$SRC/tests/tools/tiff_tool.py"
CHECK="$SRC/tests/tools/tiff_check.py"
S="$DATA/sample"

# tfp PIPELINE NAME ARGS...: fp run of PIPELINE whose outputs are named
# NAME (a template such as {stem}.tif), through a config ([pipeline] output
# has no command-line form yet).
tfp() {
	local line=$1 name=$2
	shift 2
	{
		printf '[pipeline]\noutput = %s\n\n' "$name"
		"$FP_BIN" run -p "$line" --print-config
	} >"$WORK/run.ini"
	fp run "$WORK/run.ini" "$@"
}

# ---- the set ---------------------------------------------------------------
B="$WORK/base"
SET="$WORK/set"
mkdir -p "$B" "$SET"
convert "$S/chelsea.png" -compress none "$B/rgb8.tif"
convert "$S/camera.png" -compress none "$B/gray8.tif"
convert "$S/chelsea.png" -alpha set -channel A -fx 'i/(w-1)' +channel \
	-compress none "$B/rgba8.tif"
convert "$S/coins.png" -alpha set -channel A -fx 'j/(h-1)' +channel \
	-type GrayscaleAlpha -compress none "$B/ga8.tif"
# 16 bits with real 16-bit values (resampled at 16 bits, not v * 257)
convert "$S/chelsea.png" -depth 16 -resize 90% -compress none "$B/rgb16.tif"
convert "$S/camera.png" -depth 16 -resize 90% -compress none "$B/gray16.tif"
convert "$B/rgba8.tif" -depth 16 -resize 90% -compress none "$B/rgba16.tif"
convert "$B/ga8.tif" -depth 16 -resize 90% -type GrayscaleAlpha \
	-compress none "$B/ga16.tif"
convert "$S/chelsea.png" -colors 200 -type Palette -compress none "$B/pal8.tif"
convert "$S/chelsea.png" -colors 12 -type Palette -depth 4 -compress none "$B/pal4.tif"
convert "$S/camera.png" -threshold 50% -type Bilevel -compress group4 "$B/bilevel.tif"
for f in "$B"/*.tif; do
	b=$(basename "$f" .tif)
	for c in none lzw zip packbits; do
		tiffcp -c $c "$f" "$SET/${b}_$c.tif"
	done
	tiffcp -c lzw -t -w 64 -l 32 "$f" "$SET/${b}_tiles.tif"
	tiffcp -r 7 -c packbits "$f" "$SET/${b}_rows7.tif"
	case $b in
	*8 | *16)
		tiffcp -c lzw:2 "$f" "$SET/${b}_lzw_predictor.tif"
		tiffcp -c zip:2 -t -w 32 -l 48 "$f" "$SET/${b}_tiles_zip_predictor.tif"
		;;
	esac
done
for b in rgb8 gray8; do
	tiffcp -c jpeg:90 -r 16 "$B/$b.tif" "$SET/${b}_jpeg.tif"
	tiffcp -c jpeg -t -w 64 -l 64 "$B/$b.tif" "$SET/${b}_jpeg_tiles.tif"
done
tiffcp -c jpeg:r -r 16 "$B/rgb8.tif" "$SET/rgb8_jpeg_rgb.tif"
for b in rgb8 rgba8; do
	tiffcp -c zip -p separate "$B/$b.tif" "$SET/${b}_separate.tif"
	tiffcp -c lzw -p separate -t -w 32 -l 32 "$B/$b.tif" "$SET/${b}_tiles_separate.tif"
done
n=$(ls "$SET" | wc -l)
[ "$n" -ge 90 ] || fail "made $n test files, expected at least 90"

# ---- decode: 8-bit frames hashed as they leave tiff_decode -----------------
EIGHT=$(ls "$SET"/{rgb8,gray8,rgba8,ga8,pal4,bilevel}_*.tif)
# shellcheck disable=SC2086
fp run -p "tiff_decode ! checksum_sink file=$WORK/sums" -i $EIGHT -o "$WORK/o" -q
expect_rc 0 "decode the 8-bit set"
# shellcheck disable=SC2086
python3 "$CHECK" "$WORK/sums" $EIGHT >&2 || fail "8-bit decodes differ from ImageMagick"

# ---- decode at 16 bits, through tiff_encode (uncompressed) -----------------
tfp 'tiff_decode ! tiff_encode compression=none' '{stem}.tif' \
	-i "$SET"/*16_*.tif "$SET"/pal8_*.tif -o "$WORK/d16" -q
expect_rc 0 "decode the 16-bit set"
for f in "$SET"/*16_*.tif "$SET"/pal8_*.tif; do
	b=$(basename "$f")
	ours="$WORK/d16/$b"
	bits=$(tiffinfo "$ours" 2>/dev/null | sed -n 's/.*Bits\/Sample: //p')
	[ "$bits" = 16 ] || fail "$b: decoded to $bits bits, expected 16"
	cmp -s <(convert "$f" -depth 16 -endian LSB rgba:-) \
		<(convert "$ours" -depth 16 -endian LSB rgba:-) ||
		fail "$b: 16-bit pixels differ from ImageMagick"
done
# Gray+alpha in separate planes: ImageMagick and libtiff's RGBA reader
# both misread them, so they are checked against the contiguous file (and
# tiffcp separates 8-bit samples only).
tiffcp -c zip -p separate "$B/ga8.tif" "$WORK/ga8_sep.tif"
tiffcp -c lzw -p separate -t -w 32 -l 16 "$B/ga8.tif" "$WORK/ga8_sep_tiles.tif"
fp run -p "tiff_decode ! checksum_sink file=$WORK/ga_sums" -i "$WORK/ga8_sep.tif" \
	"$WORK/ga8_sep_tiles.tif" "$B/ga8.tif" -o "$WORK/o" -q
expect_rc 0 "decode gray+alpha planes"
[ "$(cut -d' ' -f2- "$WORK/ga_sums" | sort -u | wc -l)" = 1 ] ||
	fail "gray+alpha planes differ from the contiguous file"

# ---- encode: every format and compression ----------------------------------
for c in none lzw deflate packbits; do
	for p in auto none; do
		tfp "tiff_decode ! tiff_encode compression=$c predictor=$p" '{stem}.tif' \
			-i "$B"/{rgb8,gray8,rgba8,ga8,rgb16,gray16,rgba16,ga16}.tif \
			-o "$WORK/enc_${c}_$p" -q
		expect_rc 0 "encode $c predictor=$p"
		for f in "$B"/{rgb8,gray8,rgba8,ga8,rgb16,gray16,rgba16,ga16}.tif; do
			b=$(basename "$f")
			ours="$WORK/enc_${c}_$p/$b"
			tiffinfo -D "$ours" >/dev/null 2>"$WORK/tiffinfo.err" ||
				fail "$c/$p $b: tiffinfo -D fails"
			[ -s "$WORK/tiffinfo.err" ] && fail "$c/$p $b: $(head -1 "$WORK/tiffinfo.err")"
			cmp -s <(convert "$f" -depth 16 -endian LSB rgba:-) \
				<(convert "$ours" -depth 16 -endian LSB rgba:-) ||
				fail "$c/$p $b: ImageMagick reads other pixels"
		done
	done
done
tiffinfo "$WORK/enc_deflate_auto/rgb16.tif" | grep -q "Predictor: horizontal differencing" ||
	fail "deflate with predictor=auto has no predictor"
tiffinfo "$WORK/enc_lzw_none/rgb16.tif" | grep -q "Predictor" &&
	fail "predictor=none wrote a predictor"

# ---- metadata --------------------------------------------------------------
python3 "$TOOL" meta "$WORK/meta.tif"
tfp 'tiff_decode ! tiff_encode' '{stem}.tif' -i "$WORK/meta.tif" -o "$WORK/m_keep" -q
expect_rc 0 "metadata round trip"
tfp 'tiff_decode ! tiff_encode strip=meta' '{stem}.tif' -i "$WORK/meta.tif" -o "$WORK/m_meta" -q
tfp 'tiff_decode ! tiff_encode strip=all' '{stem}.tif' -i "$WORK/meta.tif" -o "$WORK/m_all" -q
icc=$(python3 "$TOOL" icc)
xmp=$(python3 "$TOOL" xmp)
[ "$(python3 "$TOOL" tag "$WORK/m_keep/meta.tif" 34675)" = "$icc" ] || fail "ICC profile not kept"
[ "$(python3 "$TOOL" tag "$WORK/m_keep/meta.tif" 700)" = "$xmp" ] || fail "XMP not kept"
tiffinfo "$WORK/m_keep/meta.tif" | grep -q "Resolution: 300, 150 pixels/inch" || fail "resolution not kept"
tiffinfo "$WORK/m_keep/meta.tif" | grep -q "Orientation: row 0 rhs, col 0 top" || fail "orientation not kept"
[ "$(python3 "$TOOL" tag "$WORK/m_meta/meta.tif" 34675)" = "$icc" ] || fail "strip=meta dropped the profile"
[ -z "$(python3 "$TOOL" tag "$WORK/m_meta/meta.tif" 700)" ] || fail "strip=meta kept XMP"
[ -z "$(python3 "$TOOL" tag "$WORK/m_all/meta.tif" 34675)" ] || fail "strip=all kept the profile"
# ImageMagick's files carry a resolution in pixels/cm: kept as such.
tiffinfo "$WORK/enc_lzw_auto/rgb8.tif" | grep -q "Resolution: 28.35, 28.35 pixels/cm" ||
	fail "pixels/cm resolution not kept"

# ---- pages -----------------------------------------------------------------
tiffcp "$B/gray8.tif" "$B/rgb8.tif" "$WORK/pages.tif"
fp run -p 'tiff_decode page=1 ! checksum_sink file='"$WORK/p1" -i "$WORK/pages.tif" -o "$WORK/o" -q
expect_rc 0 "page 1"
grep -q " 451x300 RGB8$" "$WORK/p1" || fail "page=1 is not the second page"
fp run -p 'tiff_decode ! checksum_sink file='"$WORK/p0" -i "$WORK/pages.tif" -o "$WORK/o" -q
grep -q " 512x512 G8$" "$WORK/p0" || fail "the default page is not the first"
fp run -p 'tiff_decode page=2 ! checksum_sink file='"$WORK/p2" -i "$WORK/pages.tif" -o "$WORK/o" -q
expect_rc 1 "page 2 of 2"
expect_err "page 2 does not exist: the file has 2 pages (tiff_decode.page counts from 0)" "page 2"

# ---- hostile files ---------------------------------------------------------
BAD="$WORK/bad"
mkdir -p "$BAD"
python3 "$TOOL" hostile "$BAD"
cp "$B/rgb8.tif" "$BAD/a_good.tif"
cp "$SET/gray16_tiles.tif" "$BAD/z_good.tif"
head -c 300000 "$B/rgb8.tif" >"$BAD/truncated.tif"
: >"$BAD/empty.tif"
# found by fuzz_tiff_decode: 65024 samples per pixel make a 7.8 GB strip
cp "$SRC/tests/fuzz/regressions/tiff_decode/many_samples.tif" "$BAD/"
{
	printf '[pipeline]\noutput = {stem}.tif\n\n'
	"$FP_BIN" run -p 'tiff_decode ! tiff_encode' --print-config
} >"$WORK/bad.ini"
fp_rss run "$WORK/bad.ini" -i "$BAD"/*.tif -o "$WORK/badout"
expect_rc 1 "hostile batch"
declare -A REASON=(
	[ifd_loop]="IFD loop: directory 1 points back to offset"
	[strip_past_end]="strip 0: TIFFFillStrip: Read error"
	[huge_dimensions]="2147483648x2147483648 exceeds tiff_decode.max_width=65535"
	[ifd_past_end]="directory 0 at offset 1048576 is past the end of the file"
	[not_tiff]="not a TIFF file"
	[truncated]="directory 0 at offset 405908 is past the end of the file"
	[empty]="empty file"
	[many_samples]="a strip of 7815624704 bytes (65024 samples per pixel) for a 30049x32 image"
)
expect_refused "$BAD" tif tiff_decode "$WORK/badout" tif
for name in a_good z_good; do
	[ -s "$WORK/badout/$name.tif" ] || fail "$name: not written"
done
[ "$RSS" -lt 200000 ] || fail "peak RSS $RSS KiB on the hostile batch"
echo "hostile batch: peak RSS $RSS KiB" >&2
finish
