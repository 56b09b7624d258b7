#!/usr/bin/env python3
"""randomgroups.py SEED COUNT DIR: COUNT random ClusterShell group files for
the comparison of pernode-services' group matching with ClusterShell's own
nodeset, DIR/1 .. DIR/COUNT, each holding:
  groups      ROOT/groups: definitions with ranges (padded or not, with
              steps), lists, several brackets, words, @references to
              groups defined earlier (so no cycles), and the operators
              , ! & ^ read left to right
  candidates  node names to test, one a line: names the patterns stand
              for, and near misses (other padding, a number past the end,
              another prefix)
Which group each candidate is in is then asked of nodeset -e, not
modelled here.
"""

import random
import sys

PREFIXES = ["n", "node", "gpu-", "rack1n", "c", "x_"]


def number(rng):
    return rng.randint(0, 40)


def rng_item(rng):
    """One item of a bracketed list, with its padding, and a few values."""
    pad = rng.choice([0, 0, 2, 3])
    a = number(rng)
    b = a + rng.randint(0, 12)
    fmt = (lambda v: str(v).zfill(pad)) if pad else str
    if pad and len(str(b)) > pad:
        b = 10 ** pad - 1
    kind = rng.random()
    if kind < 0.3:
        return fmt(a), [a]
    step = rng.choice([1, 1, 1, 2, 3])
    item = "%s-%s" % (fmt(a), fmt(b))
    if step > 1:
        item += "/%d" % step
    return item, list(range(a, b + 1, step))


def pattern(rng):
    """A node pattern with one or two bracketed lists."""
    parts = [rng.choice(PREFIXES)]
    for i in range(rng.choice([1, 1, 2])):
        if i:
            parts.append(rng.choice(["s", "n", "-x"]))
        items = [rng_item(rng)[0] for _ in range(rng.choice([1, 1, 2, 3]))]
        parts.append("[" + ",".join(items) + "]")
    if rng.random() < 0.2:
        parts.append(rng.choice(["a", "-ib"]))
    return "".join(parts)


def literal(rng):
    return rng.choice(PREFIXES) + str(number(rng)).zfill(rng.choice([1, 2, 3]))


def term(rng, defined):
    r = rng.random()
    if defined and r < 0.2:
        return "@" + rng.choice(defined)
    if r < 0.35:
        return literal(rng)
    return pattern(rng)


def definition(rng, defined):
    terms = [term(rng, defined) for _ in range(rng.choice([1, 1, 2, 3, 4]))]
    out = terms[0]
    for t in terms[1:]:
        # A space is a comma: ClusterShell joins the words.
        out += rng.choice([",", ",", " ", "!", "&", "^"]) + t
    return out


def words(value):
    """The terms of a definition: split at operators and blanks outside
    brackets."""
    out, cur, depth = [], "", 0
    for ch in value:
        depth += ch == "["
        depth -= ch == "]"
        if depth == 0 and ch in ",!&^ ":
            out.append(cur)
            cur = ""
        else:
            cur += ch
    return [w for w in out + [cur] if w]


def candidates(rng, lines):
    """Names to try: near each term's expansions, and plain misses."""
    names = set()
    for _ in range(12):
        names.add(literal(rng))
    for line in lines:
        for word in words(line.split(": ", 1)[1]):
            if not word.startswith("@"):
                names.add(expand_one(rng, word))
                names.add(expand_one(rng, word))
    return sorted(names)


def expand_one(rng, word):
    """A name near what word stands for: in it, or just off."""
    out = ""
    while "[" in word:
        head, rest = word.split("[", 1)
        body, word = rest.split("]", 1)
        item = rng.choice(body.split(","))
        lo = item.split("/")[0].split("-")[0]
        width = len(lo)
        value = int(lo) + rng.choice([0, 0, 1, 2, 5, -1])
        value = max(value, 0)
        digits = str(value).zfill(width) if lo.startswith("0") and width > 1 \
            else str(value)
        if rng.random() < 0.1:
            digits = "0" + digits
        out += head + digits
    return out + word


def main():
    seed, count, top = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    rng = random.Random(seed)
    for k in range(1, count + 1):
        defined, lines = [], []
        for g in range(rng.randint(2, 6)):
            name = "g%d" % g
            lines.append("%s: %s" % (name, definition(rng, defined)))
            defined.append(name)
        text = "\n".join(lines) + "\n"
        with open("%s/%d.groups" % (top, k), "w") as f:
            f.write(text)
        with open("%s/%d.candidates" % (top, k), "w") as f:
            f.write("\n".join(candidates(rng, lines)) + "\n")


if __name__ == "__main__":
    main()
