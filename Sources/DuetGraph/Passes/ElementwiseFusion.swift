import DuetTensor

/// Elementwise fusion: each maximal run of consecutive elementwise nodes over the same number of
/// elements becomes one node that runs them as a single tiled kernel (`FusedElementwise`), so
/// their intermediates never reach main memory. Operands must be full-size and contiguous, or
/// single elements; results read after the run, returned, or left as gradients are the group's
/// outputs. Keeping runs consecutive keeps every in-place write where eager code made it.
enum ElementwiseFusion {
    static func run(_ graph: Graph) -> PassReport {
        var used: [Int: Int] = [:]
        for node in graph.nodes { for id in node.inputs { used[id] = max(used[id] ?? -1, node.index) } }
        for id in graph.outputs + graph.gradients.map(\.value) { used[id] = Int.max }
        var result: [GraphNode] = []
        var run: [GraphNode] = []
        var fusedOps = 0, groups = 0
        func flush() {
            defer { run = [] }
            guard run.count >= 2, let group = fuse(run, graph, used) else { result += run; return }
            result.append(group)
            fusedOps += run.count
            groups += 1
        }
        for node in graph.nodes {
            if fusible(node, graph), run.first.map({ count(of: $0, graph) == count(of: node, graph) }) ?? true {
                run.append(node)
            } else {
                flush()
                if fusible(node, graph) { run.append(node) } else { result.append(node) }
            }
        }
        flush()
        if groups > 0 { graph.rebuild(result) }
        return PassReport(pass: "fuse", summary: groups == 0 ? "nothing to fuse" : "fused \(fusedOps) ops into \(groups) kernel\(groups == 1 ? "" : "s")")
    }

    private static func count(of node: GraphNode, _ graph: Graph) -> Int {
        graph.values[node.outputs[0]].meta.byteCount / max(1, graph.values[node.outputs[0]].meta.dtype.itemSize)
    }

    private static func fusible(_ node: GraphNode, _ graph: Graph) -> Bool {
        guard FusedElementwise.canFuse(node.op), !node.inPlace, node.fused == nil, node.outputs.count == 1 else { return false }
        let n = count(of: node, graph)
        return node.inputs.allSatisfy { id in
            let meta = graph.values[id].meta
            let c = meta.byteCount / meta.dtype.itemSize
            return c == 1 || (c == n && graph.isContiguous(id))
        }
    }

    /// One node running `run` as a fused group, or nil when its dtypes do not line up.
    private static func fuse(_ run: [GraphNode], _ graph: Graph, _ used: [Int: Int]) -> GraphNode? {
        let last = run[run.count - 1].index
        var inputs: [Int] = []
        var memberOf: [Int: Int] = [:]
        var members: [FusedElementwise.Member] = []
        for (m, node) in run.enumerated() {
            let operands = node.inputs.map { id -> FusedElementwise.Operand in
                if let j = memberOf[id] { return .member(j) }
                if let i = inputs.firstIndex(of: id) { return .input(i) }
                inputs.append(id)
                return .input(inputs.count - 1)
            }
            members.append(FusedElementwise.Member(op: node.op, operands: operands))
            memberOf[node.outputs[0]] = m
        }
        let outputMembers = run.indices.filter { (used[run[$0].outputs[0]] ?? -1) > last }
        guard !outputMembers.isEmpty,
              let kernel = try? FusedElementwise(members: members, inputDTypes: inputs.map { graph.values[$0].meta.dtype }, outputMembers: outputMembers)
        else { return nil }
        let outputs = outputMembers.map { run[$0].outputs[0] }
        let metas = outputs.map { graph.values[$0].meta }
        let op = fusedOp(run, kernel, metas)
        return GraphNode(index: run[0].index, op: op, inputs: inputs, outputs: outputs, inPlace: false,
                         scopes: run[0].scopes, members: run, fused: kernel)
    }

    /// A registry-shaped entry for the group, so the plan, the profiler and the cost model treat it
    /// like any op: named after its members, its bytes only those crossing its boundary.
    private static func fusedOp(_ run: [GraphNode], _ kernel: FusedElementwise, _ metas: [TensorMeta]) -> OpDef {
        let name = "fused[" + run.map(\.op.name).joined(separator: ",") + "]"
        let memberCosts = run.map { ($0.op, $0.attrs) }
        return OpDef(
            name: name, doc: "A fused group of \(run.count) elementwise ops run as one tiled kernel.",
            inputs: [InputParam("inputs", variadic: true)], fusion: .elementwise,
            infer: { _, _ in metas },
            kernel: .compute { args in try kernel.run(args.inputs, args.outputs) },
            reference: { _, _ in throw TensorError.value("\(name) has no reference: compare it with its members run eagerly") },
            backward: .notDifferentiable,
            cost: { ins, outs, _ in
                let elements = outs.first.map { $0.byteCount / max(1, $0.dtype.itemSize) } ?? 0
                let flops = try memberCosts.reduce(0) { $0 + (try $1.0.costFor([], [TensorMeta(shape: [elements], dtype: .float32)], $1.1).flops) }
                return Cost(flops: flops, bytesRead: ins.reduce(0) { $0 + $1.byteCount }, bytesWritten: outs.reduce(0) { $0 + $1.byteCount })
            },
            samples: [])
    }
}
