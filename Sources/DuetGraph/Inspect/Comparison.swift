import Foundation
import DuetTensor

/// What one way of running a function costs per call.
public struct RunCost: Sendable, Equatable {
    public var medianNs: Double
    /// High-water mark of all live bytes during one call (DESIGN.md's definition, the same for both).
    public var peakBytes: Int
    /// Kernel launches in one call (views launch none).
    public var kernels: Int
    /// Bytes the kernels read and wrote, from the registry's cost model.
    public var bytesMoved: Int
}

/// Eager against compiled, on the same arguments and the same state: what `compare(f, *args)`
/// prints and the workbench's profile pane shows side by side.
public struct Comparison: Sendable {
    public let name: String
    public let calls: Int
    public let eager: RunCost
    public let graph: RunCost
    /// Largest difference between the two ways' outputs on the first call.
    public let maxAbsDifference: Double
    /// One profiled call each way, for the profile pane's side-by-side tables.
    public let eagerProfile: ProfileRecording
    public let graphProfile: ProfileRecording

    /// Runs `eager` and `compiled` (closures calling the same function both ways) `calls` times
    /// each, interleaved. State the graph captures (parameters, optimizer state) is copied first
    /// and put back before every measured first call and at the end, and the random generator
    /// likewise, so both ways see the same inputs and comparing a training step trains nothing.
    public static func measure(_ name: String, graph: Graph, calls: Int = 20,
                               eager: () throws -> [Tensor], compiled: () throws -> [Tensor]) throws -> Comparison {
        let state = try StateSnapshot(graph)
        defer { state.restore() }
        let eagerOut = try state.fresh(eager)
        let graphOut = try state.fresh(compiled)
        var diff = 0.0
        guard eagerOut.count == graphOut.count else {
            throw TensorError.value("compare \(name): eager returned \(eagerOut.count) tensors, the graph \(graphOut.count)")
        }
        for (e, g) in zip(eagerOut, graphOut) {
            guard e.shape == g.shape else { diff = .infinity; break }
            for (a, b) in zip(try e.toDoubles(), try g.toDoubles()) { diff = max(diff, abs(a - b)) }
        }
        let eagerCounts = try state.fresh { try Self.kernels(eager) }
        let graphCounts = try state.fresh { try Self.kernels(compiled) }
        let eagerPeak = try state.fresh { try Self.peak(eager) }
        let graphPeak = try state.fresh { try Self.peak(compiled) }
        var eagerNs: [Double] = [], graphNs: [Double] = []
        for _ in 0..<max(1, calls) {
            eagerNs.append(try Self.time(eager))
            graphNs.append(try Self.time(compiled))
        }
        return Comparison(
            name: name, calls: max(1, calls),
            eager: RunCost(medianNs: median(eagerNs), peakBytes: eagerPeak, kernels: eagerCounts.kernels, bytesMoved: eagerCounts.bytes),
            graph: RunCost(medianNs: median(graphNs), peakBytes: graphPeak, kernels: graphCounts.kernels, bytesMoved: graphCounts.bytes),
            maxAbsDifference: diff, eagerProfile: eagerCounts.recording, graphProfile: graphCounts.recording)
    }

    private static func kernels(_ body: () throws -> [Tensor]) throws -> (kernels: Int, bytes: Int, recording: ProfileRecording) {
        let (_, profiler) = try profile { try body() }
        var count = 0, bytes = 0
        for e in profiler.events where !(Ops.byName[e.op]?.isView ?? false) {
            count += 1
            bytes += e.bytesRead + e.bytesWritten
        }
        return (count, bytes, profiler.recording)
    }

    private static func peak(_ body: () throws -> [Tensor]) throws -> Int {
        Allocator.shared.resetPeak()
        _ = try body()
        return Allocator.shared.stats.peakBytes
    }

    private static func time(_ body: () throws -> [Tensor]) throws -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        _ = try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start)
    }

    private static func median(_ xs: [Double]) -> Double {
        let s = xs.sorted()
        return s.isEmpty ? 0 : s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
    }

    /// The comparison as a table, ratios graph/eager.
    public var text: String {
        func ms(_ ns: Double) -> String { String(format: "%.3f ms", ns / 1e6) }
        func ratio(_ g: Double, _ e: Double) -> String { e > 0 ? String(format: "%.2f×", g / e) : "—" }
        let rows: [(String, String, String, String)] = [
            ("time / call", ms(eager.medianNs), ms(graph.medianNs), ratio(graph.medianNs, eager.medianNs)),
            ("peak memory", Allocator.describe(eager.peakBytes), Allocator.describe(graph.peakBytes), ratio(Double(graph.peakBytes), Double(eager.peakBytes))),
            ("kernels", "\(eager.kernels)", "\(graph.kernels)", ratio(Double(graph.kernels), Double(eager.kernels))),
            ("bytes moved", Allocator.describe(eager.bytesMoved), Allocator.describe(graph.bytesMoved), ratio(Double(graph.bytesMoved), Double(eager.bytesMoved))),
        ]
        var lines = ["compare \(name): eager vs graph, median of \(calls) calls"]
        lines.append("  " + "".padding(toLength: 13, withPad: " ", startingAt: 0) + "eager".leftPadded(12) + "graph".leftPadded(12) + "graph/eager".leftPadded(13))
        for r in rows {
            lines.append("  " + r.0.padding(toLength: 13, withPad: " ", startingAt: 0) + r.1.leftPadded(12) + r.2.leftPadded(12) + r.3.leftPadded(13))
        }
        lines.append("  max |eager − graph| of the outputs: " + (maxAbsDifference == 0 ? "0" : String(format: "%.3g", maxAbsDifference)))
        return lines.joined(separator: "\n")
    }
}

private extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}

/// Copies of the tensors a graph captures and of the random generator, put back on demand.
private struct StateSnapshot {
    let saved: [(Tensor, Tensor)]
    let generator: [UInt64]

    init(_ graph: Graph) throws {
        var saved: [(Tensor, Tensor)] = []
        for v in graph.values {
            guard case .captured(let t) = v.source else { continue }
            let copy = try Tensor.uninitialized(t.shape, dtype: t.dtype)
            try copy.assignValues(from: t)
            saved.append((t, copy))
        }
        self.saved = saved
        generator = Generator.current.snapshot
    }

    func restore() {
        for (t, copy) in saved { try? t.assignValues(from: copy) }
        try? Generator.current.restore(generator)
    }

    /// Runs `body` from the snapshot's state.
    func fresh<R>(_ body: () throws -> R) throws -> R {
        restore()
        return try body()
    }
}
