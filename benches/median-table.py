"""Print a hyperfine JSON export as a Markdown table of medians, relative to the first command."""
# Usage: median-table.py EXPORT.json
import json
import sys

results = json.load(open(sys.argv[1]))["results"]
base = results[0]["median"]
print(f"| command | median | mean ± σ | median vs {results[0]['command']} |")
print("|---|---:|---:|---:|")
for r in results:
    print(
        f"| {r['command']} | {r['median'] * 1000:.2f} ms | "
        f"{r['mean'] * 1000:.2f} ± {r['stddev'] * 1000:.2f} ms | {r['median'] / base:.2f}x |"
    )
