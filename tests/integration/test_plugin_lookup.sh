#!/bin/bash
# Where stages are looked for (issue 14.9): a misspelt stage name is
# answered from file names alone, without loading (and so running the
# constructors of) every plugin on FRAMEPIPE_PLUGIN_PATH; and when
# /proc/self/exe cannot be read the built-in folder is unknown, never a
# path relative to the current folder.
. "$(dirname "$0")/lib.sh"

mkdir -p "$WORK/plugins"
cp "$FP_FIXTURE_DIR/fixture_marker.so" "$WORK/plugins/"
export FRAMEPIPE_PLUGIN_PATH="$FRAMEPIPE_PLUGIN_PATH:$WORK/plugins"
export FP_MARK_FILE="$WORK/loaded"

# The marker really marks when it is loaded.
fp check -p "testsrc ! fixture_marker ! null_sink"
expect_rc 0 "marker loads"
[ -e "$WORK/loaded" ] || fail "the marker fixture leaves no mark when loaded"
rm -f "$WORK/loaded"

fp check -p "tstsrc count=1 ! null_sink"
expect_rc 2 "misspelt stage"
expect_err "-p:1: tstsrc: no stage named 'tstsrc'" "misspelt stage"
expect_err "(did you mean 'testsrc'?)" "misspelt stage"
[ -e "$WORK/loaded" ] && fail "a misspelt stage name loaded every plugin"
rm -f "$WORK/loaded"
fp check -p "testsrc ! fixture_markr ! null_sink"
expect_err "(did you mean 'fixture_marker'?)" "misspelt plugin"
[ -e "$WORK/loaded" ] && fail "suggesting a plugin's name loaded it"
rm -f "$WORK/loaded"
fp stages fixture_markr
expect_rc 2 "stages: misspelt"
expect_err "(did you mean 'fixture_marker'?)" "stages: misspelt"
[ -e "$WORK/loaded" ] && fail "stages NAME: a misspelt name loaded plugins"

# /proc/self/exe unreadable (a fresh /proc-less mount namespace): a
# null_sink.so relative to the current folder, where the built-in folder
# would be relative to bin/, must never be loaded.
if unshare -rm true 2>/dev/null; then
	mkdir -p "$WORK/cwd" "$WORK/lib/framepipe/stages"
	cp "$FP_FIXTURE_DIR/fixture_marker.so" \
		"$WORK/lib/framepipe/stages/null_sink.so"
	(cd "$WORK/cwd" && FP_TEST_TAG=$TAG unshare -rm sh -c \
		'mount -t tmpfs none /proc && exec "$0" run -q -p "testsrc count=2 workers=1 ! null_sink"' \
		"$FP_BIN" >"$WORK/stdout" 2>"$WORK/stderr")
	RC=$?
	ERR="$WORK/stderr"
	# Under AddressSanitizer (CI's second pass) the sanitizer itself
	# needs /proc and fails the exit status; what may be loaded is still
	# checked below.
	[ -n "${ASAN_OPTIONS:-}" ] || expect_rc 0 "no /proc/self/exe"
	[ -e "$WORK/loaded" ] &&
		fail "no /proc/self/exe: a stage was loaded relative to the current folder"
	grep -q "lib/framepipe/stages/null_sink.so" "$WORK/stderr" &&
		fail "no /proc/self/exe: the cwd-relative file was looked at"
else
	echo "skip: no unprivileged mount namespace here"
fi
finish
