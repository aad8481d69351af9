#!/bin/bash
# Run every libFuzzer target for SECONDS each, from the seed corpus and the
# regression inputs. A crash leaves its input in the current folder and
# fails the run: commit it under tests/fuzz/regressions/TARGET/ once fixed.
#   tests/fuzz/run.sh BUILD_DIR [SECONDS]      (BUILD_DIR with FP_FUZZ=ON)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=$1
SECONDS_EACH=${2:-30}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

run() { # target seeds...
	local target=$1
	shift
	mkdir -p "$WORK/$target"
	cp "$@" "$WORK/$target/" 2>/dev/null || true
	echo "fuzzing $target for ${SECONDS_EACH}s"
	"$BUILD/bin/$target" -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 \
		-print_final_stats=1 "$WORK/$target" 2>"$WORK/$target.log" || {
		tail -40 "$WORK/$target.log" >&2
		exit 1
	}
	grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$WORK/$target.log"
}

run fuzz_png_decode "$ROOT"/tests/data/pngsuite/*.png "$ROOT"/tests/fuzz/regressions/png_decode/*
run fuzz_jpeg_decode "$ROOT"/tests/data/libjpeg-turbo/*.jpg "$ROOT"/tests/fuzz/regressions/jpeg_decode/*
run fuzz_webp_decode "$ROOT"/tests/data/webp/*.webp "$ROOT"/tests/fuzz/regressions/webp_decode/*
run fuzz_tiff_decode "$ROOT"/tests/data/tiff/*.tif "$ROOT"/tests/fuzz/regressions/tiff_decode/*
run fuzz_config "$ROOT"/configs/*.ini "$ROOT"/tests/fuzz/regressions/config/*
