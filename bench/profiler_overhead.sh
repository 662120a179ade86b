#!/usr/bin/env bash
# What the profiler costs on the smallest op (issue 5), reproducibly:
#   off  - add16_overhead in the normal build (the dispatcher checks for an observer; none is set)
#          against a build without that check (-D DUET_NO_PROFILER_HOOK, in .build-nohook/):
#          the difference is what "off" costs per op call.
#   on   - add16_profiled (the same 1000 adds with a profiler recording) against add16_overhead
#          in the normal build: the difference is the cost of one recorded event.
# The builds run alternately, ROUNDS times, and the medians are compared: these machines are
# shared and noisy, so the load average is printed too. Usage: bench/profiler_overhead.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
[ -x /opt/swift/usr/bin/swift ] && export PATH=/opt/swift/usr/bin:$PATH
swift build -c release >/dev/null
swift build -c release --scratch-path .build-nohook -Xswiftc -DDUET_NO_PROFILER_HOOK >/dev/null
hook=.build/release/duet
nohook=.build-nohook/release/duet
out=$(mktemp)
trap 'rm -f "$out"' EXIT
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 0; r < rounds; r++)); do
    if ((r % 2 == 0)); then order=(hook nohook); else order=(nohook hook); fi
    for build in "${order[@]}"; do
        bin=$hook; [ "$build" = nohook ] && bin=$nohook
        "$bin" bench add16_overhead --mode engine --json | sed 's/}$/, "build": "'"$build"'"}/' >> "$out"
    done
    "$hook" bench add16_profiled --json | sed 's/}$/, "build": "hook"}/' >> "$out"
done
echo "load after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$rounds" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
def values(workload, build):
    return [r["value"] * 1000 for r in rows if r["workload"] == workload and r["build"] == build]
off, none, on = values("add16_overhead", "hook"), values("add16_overhead", "nohook"), values("add16_profiled", "hook")
med = statistics.median
print(f"{sys.argv[2]} rounds, add16 ns/op, median (each run's figure is itself a median of 15 x 1000 adds)")
for label, xs in [("hook, profiler off", off), ("no hook           ", none), ("hook, profiler on ", on)]:
    print(f"  {label}: {med(xs):6.1f}   runs: {' '.join(f'{x:.0f}' for x in xs)}")
# Runs of one round follow each other within a second, so they see the same load: the median of
# the per-round differences is steadier than the difference of the medians on a busy machine.
print(f"profiler off costs {med(off) - med(none):+.1f} ns per op call (difference of medians); "
      f"median of per-round differences {med(a - b for a, b in zip(off, none)):+.1f} ns")
print(f"one recorded event costs {med(on) - med(off):+.1f} ns (difference of medians); "
      f"median of per-round differences {med(a - b for a, b in zip(on, off)):+.1f} ns")
PY
