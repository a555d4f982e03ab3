#!/usr/bin/env bash
# The text rules' cost in a one-event `check` of example-event, and that `check` as a whole
# process. Release build; prints:
#   1. instructions (valgrind callgrind, inclusive) of each text rule's check function — the
#      annotation of the texts is counted in the first rule that asks for it — and of the
#      whole process; the rules' time is estimated from the process's own time per instruction;
#   2. the median of 101 runs of `bxland check example-event`, taken in turns with /bin/true.
# Usage: benches/text_rules.sh [path/to/bxland]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/release/bxland}
[ -x "$BIN" ] || cargo build --release
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

valgrind --tool=callgrind --callgrind-out-file="$out/cg" "$BIN" check example-event >/dev/null 2>&1 || true
callgrind_annotate --inclusive=yes --threshold=100 "$out/cg" >"$out/ann" 2>/dev/null

python3 - "$BIN" "$out/ann" <<'PY'
import re, statistics, subprocess, sys, time
bin_, ann = sys.argv[1], sys.argv[2]
costs = {}
total = None
for line in open(ann, encoding="utf-8", errors="replace"):
    m = re.match(r"\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(.*)", line)
    if not m:
        continue
    n = int(m.group(1).replace(",", ""))
    name = m.group(2)
    if "PROGRAM TOTALS" in name:
        total = n
    for rule, fn in [
        ("text.positioning", "rules::text::positioning::check"),
        ("text.competitor", "rules::text::competitor::check"),
        ("text.sales", "rules::text::sales::check"),
        ("text.comparison", "rules::text::sales::comparison"),
        ("form.third-party", "rules::text::third_party::check"),
    ]:
        if name.endswith(fn) or (fn + " ") in name or name.split(":")[-1] == fn.split("::")[-1] and fn in name:
            costs[rule] = max(costs.get(rule, 0), n)

def run(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - t) * 1000

check, true = [], []
for _ in range(101):
    check.append(run([bin_, "check", "example-event"]))
    true.append(run(["/bin/true"]))
mc, mt = statistics.median(check), statistics.median(true)
print(f"one-event check: median {mc:.2f} ms (p10 {sorted(check)[10]:.2f}, p90 {sorted(check)[90]:.2f}); /bin/true median {mt:.2f} ms; check - true {mc - mt:.2f} ms")
if total:
    ns = mc * 1e6 / total
    rules = sum(costs.values())
    print(f"whole check: {total/1e6:.2f} M instructions (~{ns:.2f} ns each at the median)")
    for rule, n in costs.items():
        print(f"  {rule:<18} {n/1e6:6.3f} M instructions")
    print(f"  text rules together: {rules/1e6:.3f} M instructions, ~{rules * ns / 1e6:.3f} ms")
PY
