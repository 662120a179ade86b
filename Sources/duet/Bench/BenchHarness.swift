import Foundation

/// One line of `duet bench` output: names and units are a contract (BENCHMARKS.md).
struct BenchResult: Codable {
    let workload: String
    let mode: String
    let value: Double
    let unit: String
    /// Distributed workloads only: how many ranks, which strategy, and what each step sent
    /// and waited on rank 0.
    var ranks: Int? = nil
    var strategy: String? = nil
    var bytesPerStep: Double? = nil
    var waitMillisecondsPerStep: Double? = nil

    enum CodingKeys: String, CodingKey {
        case workload, mode, value, unit, ranks, strategy
        case bytesPerStep = "bytes_per_step"
        case waitMillisecondsPerStep = "wait_ms_per_step"
    }

    /// The line `duet bench` prints without --json.
    var text: String {
        var line = "\(workload.count >= 16 ? workload : workload.padding(toLength: 16, withPad: " ", startingAt: 0)) \(mode.padding(toLength: 7, withPad: " ", startingAt: 0)) \(String(format: "%10.3f", value)) \(unit)"
        if let ranks, let strategy { line += "  ranks \(ranks) \(strategy)" }
        if let bytesPerStep, let waitMillisecondsPerStep {
            line += String(format: "  %.2f MB/step, waited %.2f ms/step", bytesPerStep / 1_048_576, waitMillisecondsPerStep)
        }
        return line
    }
}

/// A benchmark workload: prepares its inputs once, then measures one figure in one mode.
struct Workload {
    let name: String
    let mode: String
    let unit: String
    let summary: String
    let measure: () throws -> Double
    /// Prepares inputs and returns one run of the workload for `--profile`/`--trace`, so that setup
    /// stays out of the profile. Nil for workloads that cannot be profiled.
    var prepareProfiledRun: (() throws -> () throws -> Void)? = nil
}

enum BenchTiming {
    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// Median seconds of `repeats` timed calls of `body`, after `warmup` untimed calls.
    static func median(repeats: Int = 7, warmup: Int = 2, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmup { try body() }
        var times: [Double] = []
        for _ in 0..<repeats {
            let start = now()
            try body()
            times.append(Double(now() - start) * 1e-9)
        }
        times.sort()
        return times[times.count / 2]
    }
}
