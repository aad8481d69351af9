#!/bin/bash
# What root never sees (issue 14): runs as an unprivileged user, FP_USER
# (default fptest, made by .ci/run). An unreadable input fails with one
# line and the rest are written; an unwritable output folder is one clear
# line and nothing runs; another user cannot attach a run's pool (0600,
# marked for removal) even knowing its id. Needs root to switch users:
# skips (77) with the reason otherwise.
. "$(dirname "$0")/lib.sh"

FIX=${FP_FIXTURE_DIR:?}
USER_NAME=${FP_USER:-fptest}
skip() {
	echo "SKIP: $*" >&2
	exit 77
}
[ "$(id -u)" -eq 0 ] || skip "not root: cannot run as another user"
id -u "$USER_NAME" >/dev/null 2>&1 ||
	skip "no user '$USER_NAME' (.ci/run makes it: useradd -m $USER_NAME)"
command -v setpriv >/dev/null || skip "setpriv (util-linux) missing"
as_user() {
	setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --clear-groups -- "$@"
}

# The build may sit where the user cannot read (a clone under /root, a
# work tree of mode 0700): what the runs need is copied to a folder the
# user can reach, laid out as an install (bin/ and lib/framepipe/stages/).
BIN_DIR=$(dirname "$FP_BIN")
STAGES="$BIN_DIR/../lib/framepipe/stages"
[ -d "$STAGES" ] || skip "no built-in stages at $STAGES"
U=$(mktemp -d /tmp/fp_unpriv.XXXXXX)
trap 'cleanup_tagged; rm -rf "$WORK" "$U"' EXIT
mkdir -p "$U/bin" "$U/lib/framepipe" "$U/fixtures" "$U/in"
cp "$FP_BIN" "${FP_SHM_ATTACH:?}" "$U/bin/"
cp -r "$STAGES" "$U/lib/framepipe/"
cp "$FIX/temp_sink.so" "$U/fixtures/"
cp "$SRC/configs/default.ini" "$U/"
cp "$DATA"/sample/*.png "$U/in/"
chmod -R a+rX "$U"
as_user test -x "$U/bin/framepipe" ||
	skip "$USER_NAME cannot reach $U (a parent folder closed to it)"
# The run's own program as the user; lib.sh's fp() runs $FP_BIN.
cat >"$U/bin/as-user" <<SH
#!/bin/sh
exec setpriv --reuid="$USER_NAME" --regid="$USER_NAME" --clear-groups -- \
	env FRAMEPIPE_PLUGIN_PATH="$U/fixtures" "$U/bin/framepipe" "\$@"
SH
chmod 755 "$U/bin/as-user"
SAVED_BIN=$FP_BIN
FP_BIN="$U/bin/as-user"
cd "$U" || exit 1 # a working folder the user may read

mine() { # folder: made for the user's outputs
	mkdir -p "$1"
	chown "$USER_NAME" "$1"
}

# An input the user may not read: that file fails with one line naming it
# and why, every other input is written, exit 1.
chmod 000 "$U/in/coins.png"
mine "$U/out"
fp run "$U/default.ini" -i "$U/in" -o "$U/out" -q
expect_rc 1 "unreadable input"
[ "$(grep -c . "$ERR")" -eq 1 ] || fail "unreadable input: expected one line, got: $(cat "$ERR")"
expect_err "$U/in/coins.png: decode: cannot open: Permission denied" "unreadable input"
for f in camera chelsea hubble_deep_field logo; do
	[ -s "$U/out/$f.png" ] || fail "unreadable input: $f.png not written"
done
[ -e "$U/out/coins.png" ] && fail "unreadable input: coins.png written"
[ -z "$(ls -A "$U/out" | grep -e fp-tmp -e '^\.fp-run-')" ] ||
	fail "unreadable input: temporary files left"
chmod 644 "$U/in/coins.png"

# A sub-folder the user may not list, with -r: one line naming it and why,
# every other input written, exit 1 (its files were not read); check says
# so too, with the same status.
mkdir -p "$U/tree/open" "$U/tree/closed"
cp "$DATA"/sample/camera.png "$U/tree/open/"
cp "$DATA"/sample/coins.png "$U/tree/closed/"
chmod 755 "$U/tree" "$U/tree/open"
chmod 000 "$U/tree/closed"
mine "$U/tree-out"
fp run "$U/default.ini" -i "$U/tree" -r -o "$U/tree-out" -q
expect_rc 1 "unlistable sub-folder"
[ "$(grep -c . "$ERR")" -eq 1 ] || fail "unlistable sub-folder: expected one line, got: $(cat "$ERR")"
expect_err "$U/tree/closed: cannot list folder: Permission denied" "unlistable sub-folder"
[ -s "$U/tree-out/open/camera.png" ] || fail "unlistable sub-folder: open/camera.png not written"
fp check "$U/default.ini" -i "$U/tree" -r
expect_rc 1 "check, unlistable sub-folder"
expect_err "$U/tree/closed: cannot list folder: Permission denied" "check, unlistable sub-folder"
grep -q ": valid:" "$OUT" && fail "check, unlistable sub-folder: says valid: $(cat "$OUT")"
grep -q "some folders could not be listed" "$OUT" ||
	fail "check, unlistable sub-folder: the summary does not say so: $(cat "$OUT")"
chmod 755 "$U/tree/closed"

# An output folder the user may not write (root's), or not make (inside
# root's): one line naming it and why, exit 2, nothing written.
mkdir -p "$U/closed"
chmod 755 "$U/closed"
for out in "$U/closed" "$U/closed/sub"; do
	fp run "$U/default.ini" -i "$U/in" -o "$out" -q
	expect_rc 2 "unwritable output $out"
	[ "$(grep -c . "$ERR")" -eq 1 ] || fail "unwritable output $out: expected one line, got: $(cat "$ERR")"
	expect_err "framepipe: $out: cannot use as output folder: Permission denied" "unwritable output $out"
done
[ -z "$(ls -A "$U/closed")" ] || fail "unwritable output: something was written"

# Another user cannot attach a live run's pool. The run (root's) holds
# its frame half-written while the user tries shmat on the segment's id,
# read-write and read-only.
cat >"$U/hold.ini" <<INI
[src]
stage = testsrc
count = 1
width = 64
height = 64
[out]
plugin = $FIX/temp_sink.so
hold = $U/go
INI
FP_TEST_TAG=$TAG "$SAVED_BIN" run "$U/hold.ini" -o "$U/held" -q 2>"$WORK/held.err" </dev/null &
holder=$!
for _ in $(seq 3000); do
	ls -A "$U/held" 2>/dev/null | grep -q fp-tmp && break
	sleep 0.01
done
seg=$(segments_of $holder)
if [ -z "$seg" ]; then
	fail "pool: no segment of the run in /proc/sysvipc/shm"
else
	perms=$(awk -v id="$seg" 'NR > 1 && $2 == id { print $3 }' /proc/sysvipc/shm)
	[ "$((8#$perms & 8#777))" -eq $((8#600)) ] ||
		fail "pool: segment $seg has mode $perms, expected 600"
	[ "$((8#$perms & 8#1000))" -ne 0 ] ||
		fail "pool: segment $seg not marked for removal (mode $perms)"
	as_user "$U/bin/shm_attach" "$seg" >"$WORK/attach.out" 2>&1 ||
		fail "pool: $USER_NAME reached segment $seg: $(cat "$WORK/attach.out")"
	grep -q "read-write: Permission denied" "$WORK/attach.out" ||
		fail "pool: expected EACCES: $(cat "$WORK/attach.out")"
fi
touch "$U/go"
wait $holder
rc=$?
[ "$rc" -eq 0 ] || { fail "pool: held run exit $rc"; cat "$WORK/held.err" >&2; }
check_nothing_left $holder "held run"
finish
