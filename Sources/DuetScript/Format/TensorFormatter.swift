import Foundation
import DuetTensor

/// Prints tensors the way PyTorch does (torch/_tensor_str.py with default print options):
/// a common width and style for all elements (integers as `1.`, 4 decimals, or scientific
/// notation when magnitudes are far apart), rows wrapped at 80 columns, and tensors of more
/// than 1000 elements summarized to 3 items at each end of every dim.
enum TensorFormatter {
    static let lineWidth = 80
    static let threshold = 1000
    static let edgeItems = 3
    static let precision = 4

    static func repr(_ t: Tensor) -> String {
        let prefix = "tensor("
        let indent = prefix.count
        var suffixes: [String] = []
        guard let values = try? t.toDoubles() else { return "tensor(<symbolic \(t.dtype)\(t.shape)>)" }
        let body: String
        if t.count == 0 && t.rank != 1 {
            body = "[]"
            suffixes.append("size=(" + t.shape.map(String.init).joined(separator: ", ") + (t.rank == 1 ? "," : "") + ")")
        } else {
            let summarize = t.count > threshold
            let style = Style(values: summarize ? summarized(values, t.shape) : values, dtype: t.dtype)
            body = render(values, shape: t.shape, strides: contiguousStrides(t.shape), offset: 0, indent: indent, summarize: summarize, style: style)
        }
        if t.dtype == .float64 || t.dtype.isHalfPrecision { suffixes.append("dtype=torch.\(t.dtype)") }
        if let node = t.gradFn {
            suffixes.append("grad_fn=<\(backwardName(node.name))>")
        } else if t.requiresGrad {
            suffixes.append("requires_grad=True")
        }
        var out = prefix + body
        let lastNewline = out.lastIndex(of: "\n").map { out.distance(from: $0, to: out.endIndex) } ?? out.count
        var lastLine = lastNewline + 1
        for s in suffixes {
            if lastLine + s.count + 2 > lineWidth {
                out += ",\n" + String(repeating: " ", count: indent) + s
                lastLine = indent + s.count
            } else {
                out += ", " + s
                lastLine += s.count + 2
            }
        }
        return out + ")"
    }

    /// `log_softmax` → `LogSoftmaxBackward0`, PyTorch's naming of autograd nodes.
    static func backwardName(_ op: String) -> String {
        op.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined() + "Backward0"
    }

    private static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc *= shape[i]
        }
        return strides
    }

    /// The elements a summarized printout shows (which decide its width and style).
    private static func summarized(_ values: [Double], _ shape: [Int]) -> [Double] {
        let strides = contiguousStrides(shape)
        var out: [Double] = []
        func walk(_ dim: Int, _ offset: Int) {
            if dim == shape.count {
                out.append(values[offset])
                return
            }
            for i in shownIndices(shape[dim], summarize: true) where i >= 0 { walk(dim + 1, offset + i * strides[dim]) }
        }
        walk(0, 0)
        return out
    }

    /// Indices shown along a dim; -1 marks the `...`.
    private static func shownIndices(_ n: Int, summarize: Bool) -> [Int] {
        guard summarize && n > 2 * edgeItems else { return Array(0..<n) }
        return Array(0..<edgeItems) + [-1] + Array((n - edgeItems)..<n)
    }

    private static func render(_ values: [Double], shape: [Int], strides: [Int], offset: Int, indent: Int, summarize: Bool, style: Style) -> String {
        if shape.isEmpty { return style.format(values[offset]) }
        if shape.count == 1 {
            let elementLength = style.width + 2
            let perLine = max(1, (lineWidth - indent) / elementLength)
            let items = shownIndices(shape[0], summarize: summarize).map { i in
                i < 0 ? " ..." : style.format(values[offset + i * strides[0]])
            }
            var lines: [String] = []
            var k = 0
            while k < items.count {
                lines.append(items[k..<min(k + perLine, items.count)].joined(separator: ", "))
                k += perLine
            }
            return "[" + lines.joined(separator: ",\n" + String(repeating: " ", count: indent + 1)) + "]"
        }
        let rows = shownIndices(shape[0], summarize: summarize).map { i in
            i < 0 ? "..." : render(values, shape: Array(shape.dropFirst()), strides: Array(strides.dropFirst()),
                                  offset: offset + i * strides[0], indent: indent + 1, summarize: summarize, style: style)
        }
        let separator = "," + String(repeating: "\n", count: shape.count - 1) + String(repeating: " ", count: indent + 1)
        return "[" + rows.joined(separator: separator) + "]"
    }

    /// PyTorch's `_Formatter`: one width and notation for all printed elements.
    struct Style {
        let dtype: DType
        var intMode = true
        var sciMode = false
        var width = 1

        init(values: [Double], dtype: DType) {
            self.dtype = dtype
            if dtype == .bool {
                width = values.contains(0) ? 5 : 4
                return
            }
            if !dtype.isFloatingPoint {
                width = values.map { String(Int64(exactly: $0.rounded()) ?? 0).count }.max() ?? 1
                return
            }
            let finite = values.filter { $0.isFinite && $0 != 0 }
            guard !finite.isEmpty else { return }
            let magnitudes = finite.map(Swift.abs)
            let lo = magnitudes.min() ?? 1, hi = magnitudes.max() ?? 1
            intMode = finite.allSatisfy { $0 == $0.rounded(.up) }
            if intMode {
                if hi / lo > 1000 || hi > 1e8 {
                    sciMode = true
                    width = finite.map { String(format: "%.\(precision)e", $0).count }.max() ?? 1
                } else {
                    width = finite.map { String(format: "%.0f", $0).count + 1 }.max() ?? 1
                }
            } else if hi / lo > 1000 || hi > 1e8 || lo < 1e-4 {
                sciMode = true
                width = finite.map { String(format: "%.\(precision)e", $0).count }.max() ?? 1
            } else {
                width = finite.map { String(format: "%.\(precision)f", $0).count }.max() ?? 1
            }
        }

        func format(_ v: Double) -> String {
            let text: String
            switch dtype {
            case .bool: text = v != 0 ? "True" : "False"
            case .int64: text = String(Int64(exactly: v.rounded()) ?? 0)
            case .float16, .bfloat16, .float32, .float64:
                if v.isNaN { text = "nan" }
                else if v.isInfinite { text = v < 0 ? "-inf" : "inf" }
                else if sciMode { text = String(format: "%.\(precision)e", v) }
                else if intMode { text = String(format: "%.0f", v) + "." }
                else { text = String(format: "%.\(precision)f", v) }
            }
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
    }
}
