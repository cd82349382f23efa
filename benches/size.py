#!/usr/bin/env python3
"""Where the binary's bytes go: text+data symbol sizes of an unstripped build, summed by crate
(the first path segment of each demangled symbol, as cargo-bloat --crates approximates it).
Usage: benches/size.py BINARY  (benches/size.sh builds one)."""
import collections
import re
import subprocess
import sys

binary = sys.argv[1]
out = subprocess.run(["nm", "-C", "-S", "--size-sort", binary], capture_output=True, text=True, check=True).stdout
by_crate = collections.Counter()
total = 0
for line in out.splitlines():
    parts = line.split(" ", 3)
    if len(parts) < 4 or parts[2].lower() not in "tdrb":
        continue
    size = int(parts[1], 16)
    name = parts[3]
    # Skip wrappers: <impl X for Y>, core::ptr::drop_in_place<...>, generic prefixes.
    inner = re.sub(r"^(core::ptr::drop_in_place<|<|_<|&)+", "", name)
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", inner)
    crate = m.group(1) if m else ("[C/std symbols]" if not "::" in name else "[other]")
    by_crate[crate] += size
    total += size
print(f"| crate | KiB | share |\n|---|---:|---:|")
for crate, size in by_crate.most_common(18):
    print(f"| {crate} | {size / 1024:.0f} | {100 * size / total:.1f} % |")
print(f"| (all symbols) | {total / 1024:.0f} | 100 % |")
