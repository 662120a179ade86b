import ArgumentParser
import DuetTensor
import Foundation

/// `duet bench --profile` and `--trace`: after a workload's timed runs, one more run under the
/// profiler, printed as a kernel table and/or written as a Chrome trace.
struct BenchProfileOptions: ParsableArguments {
    @Flag(help: "After timing, run the workload once more under the profiler and print its kernel table.")
    var profile = false

    @Option(help: ArgumentHelp("Write a Chrome trace of one profiled run (open in Perfetto or chrome://tracing).", valueName: "file.json"))
    var trace: String?

    @Option(help: "Sort the table by: \(ProfileColumn.allCases.map(\.rawValue).joined(separator: ", ")).")
    var sort: String = ProfileColumn.selfTime.rawValue

    @Option(help: "Table rows per: \(ProfileGrouping.allCases.map(\.rawValue).joined(separator: ", ")).")
    var groupBy: String = ProfileGrouping.op.rawValue

    @Option(help: "Show only the first N rows of the table.")
    var top: Int = 20

    @Option(help: "Export at most N op events to the trace, to keep big traces openable.")
    var traceMaxEvents: Int?

    @Option(help: "Which events --trace-max-events keeps: longest or sample (every k-th).")
    var traceKeep: String = ChromeTraceOptions.Reduction.longest.rawValue

    @Option(help: "Runs of the workload recorded in one profile (after the warm-up runs); rows add up over them.")
    var profileRuns: Int = 1

    @Flag(help: "With --profile: time each matmul shape of the profiled run alone and print its GFLOP/s next to the profile's.")
    var gemmCheck = false

    /// Unprofiled runs before the profiled one: caches, lazily created gradients and BLAS threads
    /// are warm, as in the timed runs.
    static let warmupRuns = 2

    var isEnabled: Bool { profile || trace != nil }

    mutating func validate() throws {
        guard ProfileColumn(rawValue: sort) != nil else {
            throw ValidationError("unknown --sort column '\(sort)'; expected one of \(ProfileColumn.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ProfileGrouping(rawValue: groupBy) != nil else {
            throw ValidationError("unknown --group-by '\(groupBy)'; expected one of \(ProfileGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard ChromeTraceOptions.Reduction(rawValue: traceKeep) != nil else {
            throw ValidationError("unknown --trace-keep '\(traceKeep)'; expected longest or sample")
        }
        guard top >= 1 else { throw ValidationError("--top must be at least 1, got \(top)") }
        if let n = traceMaxEvents, n < 1 { throw ValidationError("--trace-max-events must be at least 1, got \(n)") }
        if traceMaxEvents != nil && trace == nil { throw ValidationError("--trace-max-events needs --trace") }
        guard profileRuns >= 1 else { throw ValidationError("--profile-runs must be at least 1, got \(profileRuns)") }
        if gemmCheck && !profile { throw ValidationError("--gemm-check needs --profile") }
        if let trace { try Self.checkWritable(trace) }
    }

    /// Refuses a trace path that cannot be written before any timing starts, not after it.
    private static func checkWritable(_ path: String) throws {
        guard !path.isEmpty else { throw ValidationError("--trace needs a file path") }
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ValidationError("--trace '\(path)' is a directory; give a file path such as \(url.appendingPathComponent("trace.json").path)")
        }
        let parent = url.deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ValidationError("--trace '\(path)': directory '\(parent)' does not exist")
        }
        guard FileManager.default.isWritableFile(atPath: parent) else {
            throw ValidationError("--trace '\(path)': directory '\(parent)' is not writable")
        }
    }

    /// Checks the flags against what `duet bench` selected.
    func check(selected: [Workload], json: Bool) throws {
        if profile && json { throw ValidationError("--profile prints a text table and cannot be combined with --json") }
        if trace != nil && selected.count != 1 {
            throw ValidationError("--trace writes one workload's trace; name exactly one workload (\(selected.count) selected)")
        }
        for w in selected where isEnabled && w.prepareProfiledRun == nil {
            throw ValidationError("workload '\(w.name)' has no profiled run; --profile and --trace do not apply to it")
        }
    }

    /// Runs `workload` once under the profiler and reports. Status lines go to stderr with `--json`
    /// so stdout stays one JSON object per line.
    func run(_ workload: Workload, json: Bool) throws {
        guard isEnabled, let prepare = workload.prepareProfiledRun else { return }
        let body = try prepare()
        for _ in 0..<Self.warmupRuns { try body() }
        let recording = try DuetTensor.profile { for _ in 0..<profileRuns { try body() } }.profiler.recording
        if profile {
            let column = ProfileColumn(rawValue: sort) ?? .selfTime
            let grouping = ProfileGrouping(rawValue: groupBy) ?? .op
            let runs = profileRuns == 1 ? "one run" : "\(profileRuns) runs"
            print("\nprofile of \(workload.name) (\(runs) after \(Self.warmupRuns) warm-up runs)")
            print(ProfileTable(recording, groupBy: grouping, sortBy: column, limit: top).text())
            print(MemoryTimeline(recording).summary)
            if gemmCheck { print("\n" + GemmCheck.text(try GemmCheck.rows(recording, layoutsFrom: body))) }
        }
        if let trace {
            let options = ChromeTraceOptions(maxEvents: traceMaxEvents, reduction: ChromeTraceOptions.Reduction(rawValue: traceKeep) ?? .longest)
            let summary = try ChromeTrace.write(recording, to: trace, options: options)
            var line = "trace: wrote \(trace) (\(ProfileUnits.bytes(summary.bytes)), \(summary.opEvents) op events, \(summary.counterEvents) memory samples)"
            if let note = summary.note { line += "\nnote: \(note)" }
            if json {
                FileHandle.standardError.write(Data((line + "\n").utf8))
            } else {
                print(line)
            }
        }
        fflush(nil)
    }
}
