#!/usr/bin/env python3
"""Run a command on a pseudo-terminal of a given width, as a user would at
a terminal, and print what the screen shows when it ends.

  pty_run.py [--cols N] [--interrupt-after TEXT] [--raw FILE] -- CMD...

--interrupt-after: once TEXT has been written, type Ctrl-C (the terminal
driver sends SIGINT, and echoes ^C, as a real one does). --raw: the bytes
as written, for checks of what was drawn. The screen is emulated well
enough for a progress line: printable text, CR, LF, ESC[K, and wrapping at
the last column. Exit status: the command's."""
import argparse
import fcntl
import os
import pty
import select
import struct
import sys
import termios


def screen(data, cols):
    rows, row, col = [[]], 0, 0
    i = 0
    while i < len(data):
        ch = data[i]
        if data.startswith("\x1b[K", i):
            del rows[row][col:]
            i += 3
            continue
        if ch == "\r":
            col = 0
        elif ch == "\n":
            row += 1
            col = 0
            if row == len(rows):
                rows.append([])
        else:
            if col == cols:  # the pending wrap
                row, col = row + 1, 0
                if row == len(rows):
                    rows.append([])
            line = rows[row]
            line.extend(" " * (col - len(line)))
            if col < len(line):
                line[col] = ch
            else:
                line.append(ch)
            col += 1
        i += 1
    return ["".join(r).rstrip() for r in rows]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cols", type=int, default=80)
    ap.add_argument("--interrupt-after")
    ap.add_argument("--raw")
    ap.add_argument("cmd", nargs="+")
    a = ap.parse_args()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(a.cmd[0], a.cmd)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, a.cols, 0, 0))
    buf, sent = b"", False
    while True:
        r, _, _ = select.select([fd], [], [], 120)
        if not r:
            break
        try:
            d = os.read(fd, 65536)
        except OSError:  # EIO: the other side is closed
            break
        if not d:
            break
        buf += d
        if a.interrupt_after and not sent and a.interrupt_after.encode() in buf:
            os.write(fd, b"\x03")
            sent = True
    _, status = os.waitpid(pid, 0)
    text = buf.decode(errors="replace")
    if a.raw:
        with open(a.raw, "w") as f:
            f.write(text)
    for line in screen(text, a.cols):
        print(line)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
