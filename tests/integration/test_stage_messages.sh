#!/bin/bash
# A frame's failure is printed as "input: label: reason": the reason must
# not name the stage again ("channel_mixer: channel_mixer cannot handle
# G8 frames", issue 16). Checked on real runs, and on the sources of every
# stage (built-in, example and fixture) for messages that start with the
# stage's own name.
. "$(dirname "$0")/lib.sh"

# No failure line of the form "input: label: label..." or "label: label#".
no_double() { # what
	grep -E '^  [^:]+: ([a-z0-9_]+): (stage )?\1([: #]|$)' "$ERR" &&
		fail "$1: a message names its stage twice"
	return 0
}

# A geometry stage whose output does not fit its slot (the kit's message).
fp run -p 'testsrc count=2 width=64 height=64 ! resize width=3000 height=3000 ! null_sink' \
	--set slot_size=64K
expect_rc 1 "resize past the slot"
expect_err "frame 0: resize: a 3000x3000 RGB8 output needs 27000000 bytes" "resize: the reason"
no_double "resize"
fp run -p 'testsrc count=1 width=64 height=64 ! pad width=3000 height=3000 ! null_sink' \
	--set slot_size=64K
expect_rc 1 "pad past the slot"
expect_err "frame 0: pad: a 3000x3000 RGB8 output needs" "pad: the reason"
no_double "pad"

# The sources: no message a stage writes for the user (a frame's failure,
# init's, check's or a probe's err) starts with the stage's own name.
python3 - "$SRC" <<'PY' || fail "a stage's message starts with its own name"
import pathlib, re, sys
src = pathlib.Path(sys.argv[1])
files = sorted(list((src / "stages").rglob("*.c")) +
               list((src / "examples" / "plugin").glob("*.c")))
bad = []
for f in files:
    text = f.read_text()
    names = set(re.findall(r'\.name\s*=\s*"([a-z0-9_]+)"', text))
    names.add(f.stem)
    for m in re.finditer(r'(fp_frame_fail|fp__codec_error|snprintf)\s*\(([^;]*?)"((?:[^"\\]|\\.)*)"', text, re.S):
        if m.group(1) == "snprintf" and "err" not in m.group(2):
            continue
        lit = m.group(3)
        for n in names:
            if re.match(re.escape(n) + r'(:| cannot| would| needs| takes| out of)', lit):
                line = text.count("\n", 0, m.start()) + 1
                bad.append(f"{f.relative_to(src)}:{line}: \"{lit}\"")
for b in bad:
    print("names its own stage:", b)
sys.exit(1 if bad else 0)
PY
finish
