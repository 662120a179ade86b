/// Common-subexpression elimination: a node that repeats an earlier node (same op, same inputs,
/// same attributes) reuses its results. Random draws never merge; an in-place write ends every
/// match (values read before it may differ after), and results that are later written in place
/// are never shared.
enum CommonSubexpressions {
    private struct Key: Hashable {
        let op: String
        let inputs: [Int]
        let attrs: String
    }

    static func run(_ graph: Graph) -> PassReport {
        let mutated = graph.mutatedOwners
        var seen: [Key: GraphNode] = [:]
        var substitute: [Int: Int] = [:]
        var kept: [GraphNode] = []
        for node in graph.nodes {
            let inputs = node.inputs.map { substitute[$0] ?? $0 }
            if node.inPlace {
                seen.removeAll()
                kept.append(node)
                continue
            }
            let key = Key(op: node.op.name, inputs: inputs, attrs: node.attrs.description)
            if !node.op.hasEffects, node.fused == nil, !node.outputs.contains(where: { mutated.contains(graph.bufferOwner($0)) }) {
                if let first = seen[key] {
                    for (a, b) in zip(node.outputs, first.outputs) { substitute[a] = b }
                    continue
                }
                seen[key] = node
            }
            kept.append(node)
        }
        let merged = graph.nodes.count - kept.count
        if merged > 0 { graph.rebuild(kept, substitute: substitute) }
        return PassReport(pass: "cse", summary: merged == 0 ? "no repeated subexpression" : "merged \(merged) repeated node\(merged == 1 ? "" : "s")")
    }
}
