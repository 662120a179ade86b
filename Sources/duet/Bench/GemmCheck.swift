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
        let profiledGflops: Double
        let aloneGflops: Double
        var ratio: Double { aloneGflops > 0 ? profiledGflops / aloneGflops : 0 }
    }

    /// Matmul events grouped by input shapes, in order of first appearance; each shape is then
    /// timed alone on fresh contiguous inputs (median of `repeats` calls after warm-up).
    static func rows(_ recording: ProfileRecording, repeats: Int = 31) throws -> [Row] {
        var order: [String] = []
        var groups: [String: (inputs: [TensorMeta], calls: Int, flops: Int, selfNs: UInt64)] = [:]
        for e in recording.events where e.op == "matmul" && e.completed {
            let key = e.inputs.map(\.description).joined(separator: ", ")
            if groups[key] == nil { order.append(key) }
            var g = groups[key] ?? (e.inputs, 0, 0, 0)
            g.calls += 1
            g.flops += e.flops
            g.selfNs += e.selfNs
            groups[key] = g
        }
        return try order.compactMap { key in
            guard let g = groups[key], g.selfNs > 0, g.inputs.count == 2 else { return nil }
            let a = try Tensor.randn(g.inputs[0].shape, dtype: g.inputs[0].dtype)
            let b = try Tensor.randn(g.inputs[1].shape, dtype: g.inputs[1].dtype)
            let seconds = try BenchTiming.median(repeats: repeats, warmup: 3) { _ = try withNoGrad { try a.matmul(b) } }
            let flopsPerCall = Double(g.flops) / Double(g.calls)
            return Row(inputs: g.inputs, calls: g.calls, profiledGflops: Double(g.flops) / Double(g.selfNs),
                       aloneGflops: flopsPerCall / seconds / 1e9)
        }
    }

    static func text(_ rows: [Row]) -> String {
        let header = ["matmul inputs", "calls", "profiled GFLOP/s", "alone GFLOP/s", "profiled/alone"]
        let body = rows.map { r in
            [r.inputs.map(\.description).joined(separator: ", "), String(r.calls), String(format: "%.1f", r.profiledGflops),
             String(format: "%.1f", r.aloneGflops), String(format: "%.2f", r.ratio)]
        }
        let table = [header] + body
        let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
        var lines = ["matmul rows against the same shapes timed alone (fresh contiguous inputs, median of repeated calls)"]
        for cells in table {
            var line = cells[0].padding(toLength: widths[0], withPad: " ", startingAt: 0)
            for c in 1..<cells.count { line += "  " + String(repeating: " ", count: widths[c] - cells[c].count) + cells[c] }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
