#!/usr/bin/env python3
"""Sums a WASM module's code and data by crate, from twiggy's CSV, as a Markdown table.

    twiggy top -n 1000000 -f csv named.wasm | scripts/wasm-by-crate.py

The module must keep its function names (docs/BENCHMARKS.md, "Size of the hydrate WASM", says how to
get one optimised like the shipped file). `<A as B>::f` counts for B's crate (a trait's generic code
is monomorphized for A but written in B), or for A's when B is in core/alloc (`Debug`, `Drop`...).
"""
import collections
import csv
import re
import sys


def crate(path):
    path = path.lstrip("<&*").replace("mut ", "").replace("dyn ", "")
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)", path)
    return m.group(1) if m else path[:20]


def bucket(name):
    if name.startswith('"function names"') or "custom section" in name:
        return None  # stripped from the shipped file
    if name.startswith("data segment"):
        return "data segments (strings, tables)"
    if name.startswith("code["):
        return "(functions without a name)"
    m = re.match(r"<(.+?) as ([a-z_0-9]+(::[A-Za-z_0-9]+)*)", name)
    if m:
        key = crate(m.group(2))
        return crate(m.group(1)) if key in ("core", "alloc") else key
    return crate(name)


def main():
    totals = collections.Counter()
    for row in csv.DictReader(sys.stdin):
        key = bucket(row["Name"])
        if key:
            totals[key] += int(row["ShallowSize"])
    everything = sum(totals.values())
    print("| crate | bytes | share |\n|---|---|---|")
    for key, size in totals.most_common(int(sys.argv[1]) if len(sys.argv) > 1 else 12):
        print(f"| {key} | {size:,} | {100 * size / everything:.1f} % |")
    print(f"| all | {everything:,} | |")


if __name__ == "__main__":
    main()
