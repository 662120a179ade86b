import DuetGraph
import DuetTensor

/// Keeps the batch dim symbolic in an export. A Duet graph is traced for one shape, so the
/// exporter traces twice, at batch B and B + 1, and compares: a shape attribute that moved with
/// the batch becomes -1 or 0 in a Reshape (or 1 in an Expand, or "to the end" in a Slice); any
/// other difference means the model's ops depend on the batch size, and the export stays static,
/// saying which node made it so.
struct OnnxBatchDimension {
    /// Replacement attribute values by node index and attribute name.
    var overrides: [Int: [String: [Int]]] = [:]

    /// Nil reason: the batch can be symbolic with `overrides`; otherwise why it cannot.
    static func analyse(_ a: Graph, _ b: Graph) -> (OnnxBatchDimension?, reason: String?) {
        guard a.nodes.count == b.nodes.count, a.values.count == b.values.count else {
            return (nil, "the traced ops differ between two batch sizes (\(a.nodes.count) and \(b.nodes.count) nodes)")
        }
        for (va, vb) in zip(a.values, b.values) {
            if case .constant(let ta) = va.source, case .constant(let tb) = vb.source,
               (try? ta.toDoubles()) != (try? tb.toDoubles()) {
                return (nil, "a number computed from the batch size (\(describe(ta)) at batch B) is a constant of the graph")
            }
        }
        var result = OnnxBatchDimension()
        for (na, nb) in zip(a.nodes, b.nodes) {
            guard na.op === nb.op else { return (nil, "node #\(na.index) is \(na.op.name) at one batch size and \(nb.op.name) at another") }
            guard na.attrs != nb.attrs else { continue }
            let where_ = "node #\(na.index) \(na.op.name)(\(na.attrs))\(na.location.map { " at \($0)" } ?? "")"
            guard let rewrite = rewrite(na, nb, a, b) else { return (nil, "\(where_) depends on the batch size") }
            result.overrides[na.index] = rewrite
        }
        return (result, nil)
    }

    private static func describe(_ t: Tensor) -> String {
        ((try? t.toDoubles()) ?? []).prefix(3).map { String($0) }.joined(separator: ", ")
    }

    /// The attribute values that express both traces, or nil when none does.
    private static func rewrite(_ na: GraphNode, _ nb: GraphNode, _ a: Graph, _ b: Graph) -> [String: [Int]]? {
        let inA = a.values[na.inputs[0]].meta.shape, inB = b.values[nb.inputs[0]].meta.shape
        let outA = a.values[na.outputs[0]].meta.shape, outB = b.values[nb.outputs[0]].meta.shape
        guard outA.count == outB.count, inA.count == inB.count else { return nil }
        let moved = outA.indices.filter { outA[$0] != outB[$0] }
        switch na.op.name {
        case "view":
            // ONNX Reshape: 0 copies the input's dim at that place, one -1 is inferred.
            var shape = outA
            var inferred = false
            for p in moved {
                if p < inA.count && inA[p] == outA[p] && inB[p] == outB[p] {
                    shape[p] = 0
                } else if !inferred {
                    shape[p] = -1
                    inferred = true
                } else {
                    return nil
                }
            }
            return ["size": shape]
        case "expand":
            // ONNX Expand broadcasts both ways: a 1 keeps the input's own (batch-sized) dim.
            var shape = outA
            let lead = outA.count - inA.count
            for p in moved {
                guard p >= lead, inA[p - lead] == outA[p], inB[p - lead] == outB[p] else { return nil }
                shape[p] = 1
            }
            return ["size": shape]
        case "slice":
            guard let dim = try? na.attrs.int("dim"), let endA = try? na.attrs.int("end"), let endB = try? nb.attrs.int("end"),
                  (try? na.attrs.int("start")) == (try? nb.attrs.int("start")), (try? na.attrs.int("step")) == (try? nb.attrs.int("step")) else { return nil }
            let d = dim < 0 ? dim + inA.count : dim
            guard d >= 0, d < inA.count, endA >= inA[d], endB >= inB[d] else { return nil }
            return ["end": [Int.max]]
        default:
            return nil
        }
    }
}
