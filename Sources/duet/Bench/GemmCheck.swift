import DuetTensor
import Foundation

/// `duet bench --profile --gemm-check`: times every matmul shape of a profiled run on its own, so
/// the profile's GFLOP/s for those rows can be checked against a plain GEMM at the same shapes.
/// A large gap would mean the profiler's timing (or the step's use of the GEMM) is off.
enum GemmCheck {
    /// One matmul shape as the profile saw it, and as measured alone.
    struct Row {
        let inputs: [TensorMeta]
        let calls: Int
        /// What the table's row shows: all the row's FLOPs over all its self time.
        let profiledGflops: Double
        /// The median call's rate: on a busy machine, a preempted call drags the row's figure down
        /// while the alone timing (a median) shrugs it off; this column compares like with like.
        let medianCallGflops: Double
        let aloneGflops: Double
        var ratio: Double { aloneGflops > 0 ? profiledGflops / aloneGflops : 0 }
    }

    /// Matmul events grouped by input shapes, in order of first appearance. Each shape is then
    /// timed alone on inputs laid out as in the step (a Linear's weight arrives transposed), which
    /// one more run of `body` under a collecting observer supplies: the median of `repeats` calls
    /// after warm-up per layout, weighted by how often the step used each layout.
    static func rows(_ recording: ProfileRecording, layoutsFrom body: () throws -> Void, repeats: Int = 31) throws -> [Row] {
        var order: [String] = []
        var groups: [String: (inputs: [TensorMeta], calls: Int, flops: Int, selfNs: UInt64, rates: [Double])] = [:]
        for e in recording.events where e.op == "matmul" && e.completed {
            let key = shapesKey(e.inputs)
            if groups[key] == nil { order.append(key) }
            var g = groups[key] ?? (e.inputs, 0, 0, 0, [])
            g.calls += 1
            if e.selfNs > 0 { g.rates.append(Double(e.flops) / Double(e.selfNs)) }
            g.flops += e.flops
            g.selfNs += e.selfNs
            groups[key] = g
        }
        let collector = MatmulCollector()
        try collector.collect(body)
        return try order.compactMap { key in
            guard let g = groups[key], g.selfNs > 0, let layouts = collector.layouts[key] else { return nil }
            var seconds = 0.0, calls = 0
            for layout in layouts {
                let (a, b) = (layout.inputs[0], layout.inputs[1])
                seconds += Double(layout.calls) * (try BenchTiming.median(repeats: repeats, warmup: 3) { _ = try withNoGrad { try a.matmul(b) } })
                calls += layout.calls
            }
            let flopsPerCall = Double(g.flops) / Double(g.calls)
            let rates = g.rates.sorted()
            return Row(inputs: g.inputs, calls: g.calls, profiledGflops: Double(g.flops) / Double(g.selfNs),
                       medianCallGflops: rates.isEmpty ? 0 : rates[rates.count / 2],
                       aloneGflops: seconds > 0 ? flopsPerCall * Double(calls) / seconds / 1e9 : 0)
        }
    }

    static func shapesKey(_ inputs: [TensorMeta]) -> String { inputs.map(\.description).joined(separator: ", ") }

    static func text(_ rows: [Row]) -> String {
        let header = ["matmul inputs", "calls", "row GFLOP/s", "median call", "alone", "row/alone", "median/alone"]
        let body = rows.map { r in
            [r.inputs.map(\.description).joined(separator: ", "), String(r.calls), String(format: "%.1f", r.profiledGflops),
             String(format: "%.1f", r.medianCallGflops), String(format: "%.1f", r.aloneGflops), String(format: "%.2f", r.ratio),
             String(format: "%.2f", r.aloneGflops > 0 ? r.medianCallGflops / r.aloneGflops : 0)]
        }
        let title = "matmul rows against the same shapes and layouts timed alone (GFLOP/s; alone: median of repeated calls per layout)"
        let lines = [title] + TextTable.render(header, body)
        return lines.joined(separator: "\n")
    }
}

/// Keeps the inputs of every matmul layout a run uses (shapes and strides), so they can be timed
/// alone exactly as the run passed them; their values do not matter to the timing.
final class MatmulCollector: DispatchObserver {
    struct Layout {
        let inputs: [Tensor]
        var calls: Int
    }

    /// By input shapes (`GemmCheck.shapesKey`), one entry per distinct stride pattern.
    private(set) var layouts: [String: [Layout]] = [:]

    func collect(_ body: () throws -> Void) throws {
        let ctx = EngineContext.current
        let previous = ctx.observer
        ctx.observer = self
        defer { ctx.observer = previous }
        try body()
    }

    func observe(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs, inPlace: Bool, _ run: () throws -> [Tensor]) throws -> [Tensor] {
        if op.name == "matmul" && inputs.count == 2 {
            let key = GemmCheck.shapesKey(inputs.map(\.meta))
            var list = layouts[key] ?? []
            if let i = list.firstIndex(where: { zip($0.inputs, inputs).allSatisfy { $0.strides == $1.strides } }) {
                list[i].calls += 1
            } else {
                list.append(Layout(inputs: inputs, calls: 1))
            }
            layouts[key] = list
        }
        return try run()
    }
}
