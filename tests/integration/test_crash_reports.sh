#!/bin/bash
# A crash says what a person debugging it needs (issue 16): the instance
# that crashed (the one that said it was faulting, not another), the input
# it was on, the plugin's file, the pid, the faulting address and the code
# that faulted (as FILE+OFFSET, which nm and addr2line read), while the
# death stays a real SIGSEGV. A frame that crashes only on some instances
# is named in the restart line even when its retry passes.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}
SO=$FIX/misbehaving_filter.so

pipeline() { # mode workers count
	cat <<INI
[src]
stage = testsrc
count = $3
width = 32
height = 32
[bad]
plugin = $SO
mode = $1
at = 17
workers = $2
restarts = 5
[sum]
stage = checksum_sink
file = $WORK/$1.txt
INI
}

# A write to address 0x10 on input 17, two instances.
pipeline segv 2 40 >"$WORK/segv.ini"
fp run "$WORK/segv.ini" -q
expect_rc 1 "segv"
# Each instance says "bad#N: warning: faulting on input 17" just before;
# the restart line that follows must name that same instance.
said=$(grep -o '^bad#[01]: warning: faulting on input 17' "$ERR" | cut -d: -f1)
[ "$(echo "$said" | wc -l)" -eq 2 ] || fail "segv: expected two faults, got: $said"
named=$(grep -oE '^framepipe: stage bad#[01] killed by SIGSEGV' "$ERR" | grep -oE 'bad#[01]')
[ "$said" = "$named" ] || fail "segv: faulted in $(echo $said), the lines name $(echo $named)"
line=$(grep -m1 '^framepipe: stage bad#[01] killed by SIGSEGV' "$ERR")
echo "$line" | grep -qE "killed by SIGSEGV at address 0x10, code $SO\\+0x[0-9a-f]+ \\(pid [0-9]+, plugin $SO\\) on frame 17; restarting it \\(restart 1 of 5\\)\$" ||
	fail "segv: the crash line: $line"
# The offset is inside the fixture's fault function, as nm reads the file.
off=$(echo "$line" | grep -oE '\.so\+0x[0-9a-f]+' | cut -d+ -f2)
python3 - "$SO" "$off" <<'PY' || fail "segv: $off is not in fault() of the plugin"
import subprocess, sys
off = int(sys.argv[2], 16)
syms = []
for l in subprocess.run(["nm", "-n", "--defined-only", sys.argv[1]],
                        capture_output=True, text=True, check=True).stdout.splitlines():
    a, t, name = l.split()[:3]
    if t in "tT":
        syms.append((int(a, 16), name))
inside = [n for (a, n), nxt in zip(syms, syms[1:] + [(1 << 64, "")]) if a <= off < nxt[0]]
print("fault offset", hex(off), "in", inside)
sys.exit(0 if inside and inside[0] in ("fault", "misbehave_process") else 1)
PY
# The failure names both instances, the first with the whole story.
grep -qE "^(  )?frame 17: bad: instance #[01] killed by SIGSEGV at address 0x10, code .*; then, on its retry, instance #[01] killed by SIGSEGV; skipped\$" "$ERR" ||
	fail "segv: the failure line: $(grep 'frame 17:' "$ERR")"
grep -qE '^(  )?frame 17: bad: (stage )?bad' "$ERR" && fail "segv: the failure names its stage twice"

# raise(SIGSEGV): no fault address, said so.
pipeline crash 1 20 >"$WORK/crash.ini"
fp run "$WORK/crash.ini" -q
expect_rc 1 "raise"
expect_err "killed by SIGSEGV (raised by the stage itself) (pid " "raise: no address for a raised signal"

# A crash on the third frame each instance sees: every retry passes on a
# fresh instance, so no input fails; each restart line names the frame.
{ printf '[pipeline]\ndepth = 4\n'; pipeline third 1 10; } >"$WORK/third.ini"
fp run "$WORK/third.ini" -q
expect_rc 0 "third"
# (testsrc's workers make the frames in any order: which ones crash
# varies; each crash line names the frame the instance said it was on.)
said=$(sed -n 's/^bad#0: warning: faulting on input \([0-9]*\)$/\1/p' "$ERR")
named=$(sed -n 's/^framepipe: stage bad#0 killed by SIGSEGV at address 0x10, .* on frame \([0-9]*\); restarting it.*/\1/p' "$ERR")
[ "$(echo "$said" | wc -l)" -eq 4 ] || fail "third: expected 4 crashes, got: $(echo $said)"
[ "$said" = "$named" ] || fail "third: crashed on $(echo $said), the lines name $(echo $named)"
[ "$(wc -l <"$WORK/third.txt")" -eq 10 ] || fail "third: expected 10 frames written"

# Killed from outside: the sender is named, not an address.
cat >"$WORK/slow.ini" <<INI
[src]
stage = testsrc
count = 100000
width = 32
height = 32
[slow]
plugin = $FIX/slow_filter.so
ms = 20
restarts = 5
[sink]
stage = null_sink
INI
FP_TEST_TAG=$TAG "$FP_BIN" run "$WORK/slow.ini" -q >"$WORK/stdout" 2>"$WORK/stderr" </dev/null &
RUN=$!
victim=""
for _ in $(seq 100); do
	for p in $(tagged_pids); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = fp:slow ] && victim=$p
	done
	[ -n "$victim" ] && break
	sleep 0.05
done
sleep 0.3
kill -SEGV "$victim"
killer=$$ # this shell sent it
sleep 0.5
kill -INT "$RUN"
wait "$RUN"
grep -qE "^framepipe: stage slow#[0-9]+ killed by SIGSEGV \\(sent by pid $killer\\) \\(pid $victim, plugin $FIX/slow_filter.so\\)" "$WORK/stderr" ||
	fail "kill: $(grep -m1 'killed' "$WORK/stderr")"
check_nothing_left "$RUN" "kill"
finish
