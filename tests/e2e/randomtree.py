#!/usr/bin/env python3
"""randomtree.py SEED COUNT DIR: COUNT random state directories for the
property test, DIR/1 .. DIR/COUNT, each with its expected outcome.

Each DIR/K holds root/ (global/, n059/, scripts/) with entries of random
kinds, names and modes, whose scripts append their $0 to DIR/K/trace, and
beside it:
  expected  the names pernode-services must run, in byte order, one a line
            ("global/NAME" or "n059/NAME", as list prints them)
  fails     how many entries it must count as failures
The model is pernode-services(8) as root: names beginning with a dot or
ending in a backup suffix are ignored; a broken link, or one that leads out
of ROOT, fails; what is not a regular file, or not executable, is skipped;
a file writable by group or others is refused (a failure); the rest run.
Names are 1-12 random bytes, anything but NUL, "/" and newline (list
prints one name a line; a newline in a name would be ambiguous there).
"""

import os
import random
import sys

IGNORED_SUFFIXES = [b"~", b".rpmsave", b".rpmnew", b".rpmorig", b".dpkg-old",
                    b".dpkg-new", b".dpkg-dist", b".dpkg-tmp", b".swp"]
BYTES = [b for b in range(1, 256) if b not in (0x2F, 0x0A)]
MODES = [0o755, 0o700, 0o500, 0o555, 0o711, 0o644, 0o600, 0o444,
         0o775, 0o757, 0o777, 0o664]


def name(rng, taken):
    while True:
        kind = rng.random()
        if kind < 0.6:
            n = bytes(rng.choice(BYTES) for _ in range(rng.randint(1, 12)))
        elif kind < 0.8:
            # printable only, so that byte order is often plain to see
            n = bytes(rng.randint(0x20, 0x7E) for _ in range(rng.randint(1, 8)))
            n = n.replace(b"/", b"_")
        elif kind < 0.9:
            n = b"." + bytes(rng.randint(0x61, 0x7A) for _ in range(3))
        else:
            n = (bytes(rng.randint(0x61, 0x7A) for _ in range(3))
                 + rng.choice(IGNORED_SUFFIXES))
        if n not in (b".", b"..") and n not in taken:
            taken.add(n)
            return n


def script(path, mode, trace):
    """A script that appends its $0 to the file trace (scripts run with a
    clean environment, so the path is written into them)."""
    with open(path, "wb") as f:
        f.write(b"#!/bin/sh\nprintf '%s\\n' \"$0\" >>'" + trace + b"'\n")
    os.chmod(path, mode)


def verdict(n, kind, mode):
    """'run', 'skip', 'fail' or 'ignored' for an entry, as the runner
    decides it."""
    if n.startswith(b".") or any(n.endswith(s) for s in IGNORED_SUFFIXES):
        return "ignored"
    if kind in ("broken", "outside"):
        return "fail"
    if kind in ("fifo", "dir", "link-dir", "link-fifo"):
        return "skip"
    if not mode & 0o111:
        return "skip"
    if mode & 0o022:
        return "fail"
    return "run"


def tree(rng, top):
    root = os.path.join(top, b"root")
    scripts = os.path.join(root, b"scripts")
    for d in (b"global", b"n059", b"scripts"):
        os.makedirs(os.path.join(root, d))
    os.mkfifo(os.path.join(scripts, b"fifo"))
    os.mkdir(os.path.join(scripts, b"dir"))
    expected, fails = [], 0
    trace = os.path.join(top, b"trace")
    for d in (b"global", b"n059"):
        taken = set()
        runs = []
        for _ in range(rng.randint(0, 12)):
            n = name(rng, taken)
            path = os.path.join(root, d, n)
            kind = rng.choice(["file", "file", "file", "link", "link",
                               "broken", "outside", "fifo", "dir",
                               "link-dir", "link-fifo"])
            mode = rng.choice(MODES)
            if kind == "file":
                script(path, mode, trace)
            elif kind == "link":
                target = b"t-" + d + b"-" + str(len(taken)).encode()
                script(os.path.join(scripts, target), mode, trace)
                os.symlink(b"../scripts/" + target, path)
            elif kind == "broken":
                os.symlink(b"../scripts/missing", path)
            elif kind == "outside":
                os.symlink(b"/bin/true", path)
            elif kind == "fifo":
                os.mkfifo(path)
            elif kind == "dir":
                os.mkdir(path)
            elif kind == "link-dir":
                os.symlink(b"../scripts/dir", path)
            elif kind == "link-fifo":
                os.symlink(b"../scripts/fifo", path)
            v = verdict(n, kind, mode)
            if v == "run":
                runs.append(n)
            elif v == "fail":
                fails += 1
        expected += [d + b"/" + n for n in sorted(runs)]
    with open(os.path.join(top, b"expected"), "wb") as f:
        f.write(b"".join(e + b"\n" for e in expected))
    with open(os.path.join(top, b"fails"), "w") as f:
        f.write("%d\n" % fails)


def main():
    seed, count, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    os.umask(0o022)
    for k in range(1, count + 1):
        top = os.path.join(os.fsencode(out), str(k).encode())
        os.makedirs(top)
        tree(rng, top)


if __name__ == "__main__":
    main()
