import DuetTensor

/// Constant folding: a node whose inputs are all constants (numbers the function wrapped, or
/// results folded before) is computed once, now, and becomes a constant. Captured state is never
/// a constant — it changes between calls — and random draws are never folded.
enum ConstantFolding {
    static func run(_ graph: Graph) -> PassReport {
        var constant: [Int: Tensor] = [:]
        for v in graph.values { if case .constant(let t) = v.source { constant[v.id] = t } }
        var substitute: [Int: Int] = [:]
        var kept: [GraphNode] = []
        for node in graph.nodes {
            let inputs = node.inputs.map { substitute[$0] ?? $0 }
            let values = inputs.compactMap { constant[$0] }
            guard !node.inPlace, !node.op.hasEffects, node.fused == nil, !inputs.isEmpty, values.count == inputs.count,
                  let results = try? withHandler(EagerHandler.shared, { try withNoGrad { try Dispatch.call(node.op, values, node.attrs) } }),
                  results.count == node.outputs.count else {
                kept.append(node)
                continue
            }
            for (id, t) in zip(node.outputs, results) {
                let folded = graph.addValue(t.meta, .constant(t))
                constant[folded] = t
                substitute[id] = folded
            }
        }
        let folded = graph.nodes.count - kept.count
        if folded > 0 { graph.rebuild(kept, substitute: substitute) }
        return PassReport(pass: "fold", summary: folded == 0 ? "no constant subexpression" : "folded \(folded) node\(folded == 1 ? "" : "s") into constants")
    }
}
