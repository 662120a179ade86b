import DuetTensor

/// Algebraic simplification: nodes that give back one of their inputs unchanged — `x * 1`,
/// `x + 0`, `x - 0`, `x / 1`, a transpose undoing a transpose, a reshape to the same shape — are
/// dropped and their readers read the input. Only when shape and dtype already match, and never
/// for a result that is later written in place (it would then alias the input).
enum Simplification {
    static func run(_ graph: Graph) throws -> PassReport {
        let mutated = graph.mutatedOwners
        var substitute: [Int: Int] = [:]
        var kept: [GraphNode] = []
        for node in graph.nodes {
            let inputs = node.inputs.map { substitute[$0] ?? $0 }
            if !node.inPlace, node.outputs.count == 1, !mutated.contains(graph.bufferOwner(node.outputs[0])),
               let same = try identityInput(node, inputs, graph), graph.values[same].meta == graph.values[node.outputs[0]].meta {
                substitute[node.outputs[0]] = same
                continue
            }
            kept.append(node)
        }
        let removed = graph.nodes.count - kept.count
        if removed > 0 { graph.rebuild(kept, substitute: substitute) }
        return PassReport(pass: "simplify", summary: removed == 0 ? "no identity found" : "removed \(removed) identit\(removed == 1 ? "y" : "ies") (x*1, x+0, transpose∘transpose, same-shape reshape)")
    }

    /// The input a node returns unchanged, if it is one.
    private static func identityInput(_ node: GraphNode, _ inputs: [Int], _ graph: Graph) throws -> Int? {
        switch node.op.name {
        case "mul": return inputs.count == 2 ? (isConstant(inputs[1], 1, graph) ? inputs[0] : isConstant(inputs[0], 1, graph) ? inputs[1] : nil) : nil
        case "add": return inputs.count == 2 ? (isConstant(inputs[1], 0, graph) ? inputs[0] : isConstant(inputs[0], 0, graph) ? inputs[1] : nil) : nil
        case "sub": return inputs.count == 2 && isConstant(inputs[1], 0, graph) ? inputs[0] : nil
        case "div": return inputs.count == 2 && isConstant(inputs[1], 1, graph) ? inputs[0] : nil
        case "view": return graph.values[inputs[0]].meta.shape == graph.values[node.outputs[0]].meta.shape ? inputs[0] : nil
        case "permute":
            guard case .node(let n, _) = graph.values[inputs[0]].source, graph.nodes[n].op.name == "permute" else { return nil }
            let outer = try node.attrs.ints("dims"), inner = try graph.nodes[n].attrs.ints("dims")
            guard outer.count == inner.count else { return nil }
            let rank = outer.count
            let composed = outer.map { inner[($0 + rank) % rank] }
            return composed.enumerated().allSatisfy { ($1 + rank) % rank == $0 } ? graph.nodes[n].inputs[0] : nil
        default: return nil
        }
    }

    private static func isConstant(_ id: Int, _ value: Double, _ graph: Graph) -> Bool {
        guard case .constant(let t) = graph.values[id].source, t.count == 1 else { return false }
        return (try? withHandler(EagerHandler.shared) { try t.item() }) == value
    }
}
