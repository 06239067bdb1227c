#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Compare two JSON documents key by key: prints each path where they differ
# (a missing or extra key, a different value or length); exits 1 if any.
# Usage: jsoncmp.py EXPECTED ACTUAL   (ACTUAL must be exactly one document)
import json
import sys


def walk(path, want, got, out):
    if isinstance(want, dict) and isinstance(got, dict):
        for k in sorted(set(want) | set(got)):
            p = f"{path}.{k}"
            if k not in got:
                out.append(f"{p}: missing")
            elif k not in want:
                out.append(f"{p}: unexpected key")
            else:
                walk(p, want[k], got[k], out)
    elif isinstance(want, list) and isinstance(got, list):
        if len(want) != len(got):
            out.append(f"{path}: {len(got)} entries, want {len(want)}")
        for i, (w, g) in enumerate(zip(want, got)):
            walk(f"{path}[{i}]", w, g, out)
    elif want != got or type(want) is not type(got):
        out.append(f"{path}: {json.dumps(got)}, want {json.dumps(want)}")


def main():
    with open(sys.argv[1]) as f:
        want = json.load(f)
    with open(sys.argv[2]) as f:
        text = f.read()
    try:
        got = json.loads(text)  # the whole output: one document, nothing else
    except json.JSONDecodeError as e:
        print(f"not one JSON document: {e}")
        return 1
    out = []
    walk("", want, got, out)
    for line in out:
        print(line)
    return 1 if out else 0


if __name__ == "__main__":
    sys.exit(main())
