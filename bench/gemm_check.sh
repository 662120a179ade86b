#!/usr/bin/env bash
# Issue 5's check that the profiler's matmul rows are honest: runs
#   duet bench WORKLOAD --profile --profile-runs 20 --gemm-check
# RUNS times and prints, per matmul shape, the median over runs of the row's GFLOP/s over the same
# GEMM timed alone (and of the median call's), plus the median share of wall time the kernels
# explain. One profiled run on a shared machine is at the mercy of a preempted call; the median of
# several is not. Usage: bench/gemm_check.sh [RUNS] [WORKLOAD]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
workload=${2:-mlp_train_step}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < runs; r++)); do
    .build/release/duet bench "$workload" --profile --profile-runs 20 --gemm-check --top 1 >> "$out"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$runs" <<'PY'
import re, statistics, sys
text = open(sys.argv[1]).read()
rows = {}
for line in text.splitlines():
    m = re.match(r"^(float32\[.*?\], float32\[.*?\])\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)$", line)
    if m:
        rows.setdefault(m.group(1), []).append([float(m.group(i)) for i in (3, 4, 5, 6, 7)])
coverage = [float(x) for x in re.findall(r"wall \(([\d.]+)%\)", text)]
med = statistics.median
print(f"{sys.argv[2]} runs of 20 profiled steps each; medians over runs")
print(f"{'matmul inputs':36} {'row GFLOP/s':>11} {'median call':>11} {'alone':>7} {'row/alone':>9} {'median/alone':>12}")
for shape, values in rows.items():
    cols = list(zip(*values))
    print(f"{shape:36} {med(cols[0]):11.1f} {med(cols[1]):11.1f} {med(cols[2]):7.1f} {med(cols[3]):9.2f} {med(cols[4]):12.2f}")
print(f"kernels' share of wall time: median {med(coverage):.1f}% (runs: {', '.join(f'{c:.1f}' for c in coverage)})")
PY
