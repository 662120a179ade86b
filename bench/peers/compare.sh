#!/usr/bin/env bash
# Runs Duet's and PyTorch's versions of the workloads alternately, ROUNDS times, and prints each
# side's median and the median of the per-round ratios (Duet / PyTorch). These machines are
# noisy: only ratios measured in one interleaved run mean anything (BENCHMARKS.md).
# Usage: bench/peers/compare.sh PYTHON [ROUNDS] [workload ...]
set -euo pipefail
cd "$(dirname "$0")/../.."
python=${1:?usage: compare.sh PYTHON [ROUNDS] [workload ...]}
rounds=${2:-5}
shift $(( $# >= 2 ? 2 : 1 ))
workloads=("$@")
[ ${#workloads[@]} -gt 0 ] || workloads=(sgemm1024 exp16M add16_overhead gelu4M mlp_train_step lenet_train_step)
out=$(mktemp)
for ((r = 0; r < rounds; r++)); do
    for w in "${workloads[@]}"; do
        .build/release/duet bench "$w" --json | sed 's/}$/, "framework": "duet", "round": '"$r"'}/' >> "$out"
        "$python" bench/peers/torch_bench.py "$w" | sed 's/}$/, "round": '"$r"'}/' >> "$out"
    done
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = sorted({(r["workload"], r["mode"]) for r in rows if r["framework"] == "duet"})
for w, mode in keys:
    duet = {r["round"]: r["value"] for r in rows if r["framework"] == "duet" and r["workload"] == w and r["mode"] == mode}
    torch = {r["round"]: r["value"] for r in rows if r["framework"] == "pytorch" and r["workload"] == w}
    common = sorted(set(duet) & set(torch))
    if not common:
        continue
    unit = next(r["unit"] for r in rows if r["workload"] == w)
    ratio = statistics.median(duet[k] / torch[k] for k in common)
    print(f"{w:18} {mode:7} duet {statistics.median(duet.values()):9.3f}  pytorch {statistics.median(torch.values()):9.3f} {unit:8} duet/pytorch {ratio:6.2f}")
PY
rm -f "$out"
