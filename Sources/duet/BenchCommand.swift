import ArgumentParser
import Foundation
import DuetTensor

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

    @Option(help: "mlp_train_step_dist only: run it on N ranks through mpirun (and the one-rank baseline).")
    var ranks: Int?

    @Option(help: "With --ranks: the strategies, comma-separated (allreduce, ps-sync, ps-async; default all).")
    var strategy: String = "allreduce,ps-sync,ps-async"

    @Option(help: "With --ranks 2: fit a latency-bandwidth model here and project step time at these rank counts (e.g. 8,64,512).")
    var project: String?

    @OptionGroup(title: "Profiling")
    var profiling: BenchProfileOptions

    @OptionGroup(title: "Comparing with another framework")
    var peers: PeerOptions

    static var registry: [Workload] { EngineWorkloads.all + TrainingWorkloads.all + GraphWorkloads.all + ScriptWorkloads.all + DistributedWorkloads.all }

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
        if let ranks {
            try runDistributed(selected, ranks: ranks)
            return
        }
        if let framework = peers.framework {
            if profiling.isEnabled { throw ValidationError("--profile and --trace cannot be combined with --vs") }
            try PeerComparison(framework: framework, rounds: peers.rounds, json: json).run(selected, options: peers)
            return
        }
        for w in selected {
            try report(BenchResult(workload: w.name, mode: w.mode, value: try w.measure(), unit: w.unit))
            try profiling.run(w, json: json)
        }
    }

    private func report(_ result: BenchResult) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if json, let line = String(data: try encoder.encode(result), encoding: .utf8) { print(line) } else { print(result.text) }
        fflush(nil)
    }

    /// `--ranks N`: the one-rank baseline here, then the same workload on N ranks under mpirun,
    /// where every rank measures and rank 0 reports.
    private func runDistributed(_ selected: [Workload], ranks: Int) throws {
        guard !selected.isEmpty, selected.allSatisfy({ $0.name == DistributedWorkloads.name }) else {
            throw ValidationError("--ranks applies to \(DistributedWorkloads.name) only; name it: duet bench \(DistributedWorkloads.name) --ranks \(ranks)")
        }
        guard ranks >= 1 else { throw ValidationError("--ranks must be at least 1, got \(ranks)") }
        let strategies = try strategy.split(separator: ",").map { name in
            guard let s = DistributedWorkloads.Strategy(rawValue: String(name)) else {
                throw ValidationError("unknown strategy '\(name)'; expected \(DistributedWorkloads.Strategy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return s
        }
        let projected = try project.map { list in
            try list.split(separator: ",").map { item in
                guard let p = Int(item), p >= 2, p <= 1 << 24 else { throw ValidationError("--project takes rank counts from 2 to 16777216, comma-separated; got '\(item)'") }
                return p
            }
        }
        if projected != nil && ranks != 2 { throw ValidationError("--project calibrates on two ranks: use --ranks 2") }
        for s in strategies where ranks > 1 && DistributedWorkloads.globalBatch % (ranks - s.servers) != 0 {
            throw ValidationError("--ranks \(ranks): \(s.rawValue) has \(ranks - s.servers) workers, which do not split the global batch of \(DistributedWorkloads.globalBatch) evenly; choose other --ranks or --strategy")
        }
        let modes = selected.map(\.mode)
        guard ProcessGroup.launchedByMPI else {
            for mode in modes {
                guard let f = try DistributedWorkloads.measure(mode: mode, group: nil) else { continue }
                try report(BenchResult(workload: DistributedWorkloads.name, mode: mode, value: f.samplesPerSecond, unit: "samples/s", ranks: 1, strategy: "none"))
            }
            guard ranks > 1 else { return }
            let arguments = ["bench", DistributedWorkloads.name, "--ranks", String(ranks), "--mode", mode, "--strategy", strategy]
                + (json ? ["--json"] : []) + (project.map { ["--project", $0] } ?? [])
            let status = try MPILaunch.run(ranks: ranks, forwarding: arguments)
            if status != 0 { throw ExitCode(status) }
            return
        }
        var failed = true
        defer { ProcessGroup.endOfProcess(failed: failed) }
        do {
            try measureRanks(strategies, modes)
            if let projected {
                let group = try ProcessGroup.required("--project")
                let (calibration, checks) = try DistributedProjection.calibrate(group)
                if group.rank == 0 {
                    let lines = json ? try DistributedProjection.jsonLines(calibration, ranks: projected)
                        : DistributedProjection.report(calibration, checks, ranks: projected)
                    print(lines.joined(separator: "\n"))
                }
            }
        } catch {
            // Printed here: the abort that ends the other ranks comes before ArgumentParser would print it.
            FileHandle.standardError.write(Data("[rank \(ProcessGroup.launchRank)] duet bench: \(error)\n".utf8))
            throw ExitCode(1)
        }
        failed = false
    }

    /// This rank's part of `--ranks`: each strategy in each mode, the first worker reporting.
    private func measureRanks(_ strategies: [DistributedWorkloads.Strategy], _ modes: [String]) throws {
        let group = try ProcessGroup.initialize()
        for s in strategies {
            for mode in modes {
                // The first worker reports: rank 0, or rank 1 when rank 0 is the parameter server.
                guard let f = try DistributedWorkloads.measure(mode: mode, group: group, strategy: s), group.rank == s.servers else { continue }
                try report(BenchResult(workload: DistributedWorkloads.name, mode: mode, value: f.samplesPerSecond, unit: "samples/s", ranks: group.worldSize,
                                       strategy: s.rawValue, bytesPerStep: f.bytesPerStep, waitMillisecondsPerStep: f.waitMillisecondsPerStep))
            }
        }
    }
}
