/// When each buffer in a graph is last read. A view or an in-place result lives in the buffer of
/// the value it was made from (its owner), so reading it keeps that buffer alive; the function's
/// outputs and the gradients it leaves on leaves live past the end of the run.
struct Lifetimes {
    /// The value whose buffer each value lives in.
    let owner: [Int]
    /// Whether the plan computes the value into a buffer of its own (not a view, in-place result or input).
    let ownsBuffer: [Bool]
    /// Index of the last node reading each owner's buffer (Int.max: past the end of the run).
    let lastUse: [Int]

    init(_ graph: Graph) {
        var owner = Array(graph.values.indices)
        var ownsBuffer = [Bool](repeating: false, count: graph.values.count)
        for node in graph.nodes {
            if node.inPlace || node.op.isView {
                owner[node.outputs[0]] = owner[node.inputs[0]]
            } else {
                for id in node.outputs { ownsBuffer[id] = true }
            }
        }
        var last = [Int](repeating: -1, count: graph.values.count)
        for node in graph.nodes {
            for id in node.inputs + node.outputs { last[owner[id]] = max(last[owner[id]], node.index) }
        }
        for id in graph.outputs + graph.gradients.map(\.value) { last[owner[id]] = Int.max }
        self.owner = owner
        self.ownsBuffer = ownsBuffer
        lastUse = last
    }
}
