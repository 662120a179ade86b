/// Dead-code elimination: drops nodes none of whose results is read later, returned, or left as
/// a gradient. In-place writes (they change state) and random draws (dropping one would shift
/// every later draw away from eager's) always stay.
enum DeadCode {
    static func run(_ graph: Graph) -> PassReport {
        var used = Set(graph.outputs + graph.gradients.map(\.value))
        // In-place results alias their target: reading the result keeps the target's writers.
        var keep = [Bool](repeating: false, count: graph.nodes.count)
        for node in graph.nodes.reversed() {
            let live = node.inPlace || node.op.hasEffects || node.outputs.contains(where: used.contains)
            guard live else { continue }
            keep[node.index] = true
            used.formUnion(node.inputs)
        }
        let removed = keep.filter { !$0 }.count
        if removed > 0 { graph.rebuild(graph.nodes.filter { keep[$0.index] }) }
        return PassReport(pass: "dce", summary: removed == 0 ? "nothing unused" : "removed \(removed) unused node\(removed == 1 ? "" : "s")")
    }
}
