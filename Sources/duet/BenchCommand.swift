import ArgumentParser
import Foundation

/// `duet bench`: runs the BENCHMARKS.md workloads and prints one figure per line (or JSON lines).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time the benchmark workloads (medians after warm-up; build with -c release).")

    @Argument(help: "Workloads to run (default: all). Use --list to see them.")
    var workloads: [String] = []

    @Option(help: "Only this mode: eager, graph, engine, script or all.")
    var mode: String = "all"

    @Flag(help: "One JSON object per line.")
    var json = false

    @Flag(help: "List the workloads and exit.")
    var list = false

    @OptionGroup(title: "Profiling")
    var profiling: BenchProfileOptions

    @OptionGroup(title: "Comparing with another framework")
    var peers: PeerOptions

    static var registry: [Workload] { EngineWorkloads.all + TrainingWorkloads.all + GraphWorkloads.all + ScriptWorkloads.all }

    func run() throws {
        let all = Self.registry
        if list {
            for w in all { print("\(w.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(w.mode.padding(toLength: 7, withPad: " ", startingAt: 0)) \(w.unit.padding(toLength: 8, withPad: " ", startingAt: 0)) \(w.summary)") }
            return
        }
        let modes = ["eager", "graph", "engine", "script", "all"]
        guard modes.contains(mode) else { throw ValidationError("unknown mode '\(mode)'; expected one of \(modes.joined(separator: ", "))") }
        let known = Set(all.map(\.name))
        for w in workloads where !known.contains(w) {
            throw ValidationError("unknown workload '\(w)'; known: \(all.map(\.name).joined(separator: ", "))")
        }
        let selected = all.filter { (workloads.isEmpty || workloads.contains($0.name)) && (mode == "all" || $0.mode == mode) }
        try profiling.check(selected: selected, json: json)
        if let framework = peers.framework {
            if profiling.isEnabled { throw ValidationError("--profile and --trace cannot be combined with --vs") }
            try PeerComparison(framework: framework, rounds: peers.rounds, json: json).run(selected, options: peers)
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for w in selected {
            let value = try w.measure()
            let result = BenchResult(workload: w.name, mode: w.mode, value: value, unit: w.unit)
            if json, let line = String(data: try encoder.encode(result), encoding: .utf8) {
                print(line)
            } else {
                print("\(w.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(w.mode.padding(toLength: 7, withPad: " ", startingAt: 0)) \(String(format: "%10.3f", value)) \(w.unit)")
            }
            fflush(nil)
            try profiling.run(w, json: json)
        }
    }
}
