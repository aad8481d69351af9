#!/usr/bin/env python3
"""Run one command and print what tests/bench/run.sh tabulates:

    wall_s cpu_s peak_pss_mib sys_s page_faults

wall: monotonic clock around the command; cpu: user + system time of the
command and every descendant it waited for (wait4 rusage); peak PSS: the
largest sum of Pss (smaps_rollup) over the command's whole process tree,
sampled every 50 ms (shared pages are split between their users, so a pool
mapped by every stage counts once). The sampler costs a few ms of CPU per
second on its own, the same for every tool measured. sys and page faults
(minor + major) come from the same rusage: the whole waited-for tree.

    measure.py [--interval S] -- CMD ARG...
"""
import os
import subprocess
import sys
import time


def children_map():
    kids = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(name))
    return kids


def tree_pss_kib(root):
    kids = children_map()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(kids.get(pid, ()))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total


def main():
    args = sys.argv[1:]
    interval = 0.05
    if args[:1] == ["--interval"]:
        interval, args = float(args[1]), args[2:]
    if args[:1] == ["--"]:
        args = args[1:]
    start = time.monotonic()
    proc = subprocess.Popen(args)
    peak = 0
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid != 0:
            break
        peak = max(peak, tree_pss_kib(proc.pid))
        time.sleep(interval)
    wall = time.monotonic() - start
    cpu = usage.ru_utime + usage.ru_stime
    code = os.waitstatus_to_exitcode(status)
    faults = usage.ru_minflt + usage.ru_majflt
    print(f"{wall:.3f} {cpu:.2f} {peak / 1024:.1f} {usage.ru_stime:.2f} {faults}")
    if code != 0:
        print(f"measure.py: {args[0]} exited with {code}", file=sys.stderr)
    sys.exit(code if code > 0 else 1 if code < 0 else 0)


if __name__ == "__main__":
    main()
