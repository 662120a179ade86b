"""What every peer benchmark script shares: the timing rule and the two ways of running.

Timing follows BENCHMARKS.md: the median of several timed repetitions after warm-up.
Output is one JSON object per line, as `duet bench --json` prints:
  {"workload": ..., "mode": ..., "value": ..., "unit": ..., "framework": ...}

Run with workload names, a script measures those (all when none are given) and exits.
Run with --serve (what `duet bench --vs` does), it prints one "ready" line once the framework
has loaded, then measures each workload named on a line of stdin, so Duet can interleave its own
runs with the peer's without paying the framework's import time again.
"""
import json
import statistics
import sys
import time


def median_seconds(fn, repeats=7, warmup=2):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def result(framework, workloads, name):
    mode, unit, fn = workloads[name]
    return {"workload": name, "mode": mode, "value": fn(), "unit": unit, "framework": framework}


def main(framework, version, workloads):
    """workloads: name -> (mode, unit, function returning the figure)."""
    args = sys.argv[1:]
    if args[:1] != ["--serve"]:
        for name in args or workloads:
            if name not in workloads:
                sys.exit(f"unknown workload {name!r}; known: {', '.join(workloads)}")
            print(json.dumps(result(framework, workloads, name)), flush=True)
        return
    print(json.dumps({"ready": True, "framework": framework, "version": version, "workloads": list(workloads)}), flush=True)
    for line in sys.stdin:
        name = line.strip()
        if not name:
            continue
        try:
            reply = result(framework, workloads, name) if name in workloads else {"workload": name, "error": "unknown workload"}
        except Exception as error:  # reported to Duet, which carries on without this figure
            reply = {"workload": name, "error": f"{type(error).__name__}: {error}"}
        print(json.dumps(reply), flush=True)
