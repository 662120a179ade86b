/// Reverse-mode differentiation over the tape: walk nodes in reverse creation order, call each
/// op's vector-Jacobian product (written in registry ops, so it is itself recorded when
/// `createGraph` is on), and route gradients along the edges.
enum AutogradEngine {
    /// A place a gradient is wanted by `grad(...)`: a leaf, or a given output of a node.
    private enum Target: Hashable {
        case leaf(ObjectIdentifier)
        case output(ObjectIdentifier, Int)
    }

    /// Runs backward from `roots` seeded with `seeds`. With `inputs`, returns their gradients
    /// instead of accumulating into `.grad` (PyTorch's `autograd.grad`).
    static func run(roots: [Tensor], seeds: [Tensor], inputs: [Tensor]?, retainGraph: Bool,
                    createGraph: Bool, allowUnused: Bool = true) throws -> [Tensor?] {
        var targets: [Target: Int] = [:]
        for (i, t) in (inputs ?? []).enumerated() {
            guard t.requiresGrad else {
                throw TensorError.autograd("grad: input \(i) does not require grad")
            }
            if let fn = t.gradFn { targets[.output(ObjectIdentifier(fn), t.outputIndex)] = i }
            else { targets[.leaf(ObjectIdentifier(t))] = i }
        }
        var captured = [Tensor?](repeating: nil, count: inputs?.count ?? 0)
        let capturing = inputs != nil

        return try withGradMode(createGraph) {
            var pending: [ObjectIdentifier: [Tensor?]] = [:]
            var roots2: [Node] = []
            for (root, seed) in zip(roots, seeds) {
                guard root.requiresGrad else {
                    throw TensorError.autograd("element 0 of tensors does not require grad and does not have a grad_fn")
                }
                if let fn = root.gradFn {
                    try accumulate(&pending, fn, root.outputIndex, seed)
                    roots2.append(fn)
                } else if capturing {
                    if let i = targets[.leaf(ObjectIdentifier(root))] { captured[i] = try sum(captured[i], seed) }
                } else {
                    try accumulateLeaf(root, seed, createGraph: createGraph)
                }
            }
            let order = try topologicalOrder(roots2)
            var listened = capturing ? ListenedLeaves([]) : ListenedLeaves(order)
            for node in order {
                let id = ObjectIdentifier(node)
                guard let grads = pending.removeValue(forKey: id) else { continue }
                if capturing {
                    for (j, g) in grads.enumerated() {
                        if let g, let i = targets[.output(id, j)] { captured[i] = try sum(captured[i], g) }
                    }
                } else {
                    for r in node.retained {
                        if let t = r.tensor, let g = grads[r.index] { try accumulateLeaf(t, g, createGraph: createGraph) }
                    }
                }
                guard case .rule(_, let vjp) = node.op.backward else { continue }
                if node.saved.isEmpty && node.savedWereFreed {
                    throw TensorError.autograd("\(node.name): trying to backward through the graph a second time; pass retain_graph=True to the first backward")
                }
                let gradOutputs = try zip(grads, node.outputMetas).map { g, meta in
                    try g ?? Tensor.zeros(meta.shape, dtype: meta.dtype)
                }
                let (savedInputs, savedOutputs) = try node.unpackSaved()
                let needs = node.edges.map { if case .none = $0 { false } else { true } }
                let ctx = VJPContext(savedInputs: savedInputs, savedOutputs: savedOutputs, gradOutputs: gradOutputs,
                                     attrs: node.attrs, inputMetas: node.inputMetas, needsGrad: needs, opName: node.name)
                let rule: () throws -> [Tensor?] = { try node.customRule.map { try $0(gradOutputs, savedInputs) } ?? vjp(ctx) }
                let inputGrads = try EngineContext.current.observer == nil ? rule()
                    : EngineContext.current.withScope("backward of \(node.name)#\(node.sequence)", rule)
                if !retainGraph { node.freeSaved() }
                for (k, edge) in node.edges.enumerated() {
                    let given = k < inputGrads.count ? inputGrads[k] : nil
                    if var g = given {
                        g = try conform(g, to: node.inputMetas[k], op: node.op.name, input: k)
                        switch edge {
                        case .none: break
                        case .node(let n, let idx): try accumulate(&pending, n, idx, g)
                        case .leaf(let t):
                            if capturing {
                                if let i = targets[.leaf(ObjectIdentifier(t))] { captured[i] = try sum(captured[i], g) }
                            } else {
                                try accumulateLeaf(t, g, createGraph: createGraph)
                            }
                        }
                    }
                    if !listened.isEmpty, case .leaf(let t) = edge { try listened.delivered(t, gradient: given != nil) }
                }
                if !listened.isEmpty { try listened.betweenOps() }
            }
            if !listened.isEmpty { try listened.finish() }
            if capturing && !allowUnused, let i = captured.firstIndex(where: { $0 == nil }) {
                throw TensorError.autograd("grad: input \(i) was not used to compute the outputs")
            }
            return captured
        }
    }

    /// Every node reachable from `roots`, latest first: a node runs only after all its consumers.
    private static func topologicalOrder(_ roots: [Node]) throws -> [Node] {
        var seen = Set<ObjectIdentifier>()
        var stack = roots
        var nodes: [Node] = []
        while let n = stack.popLast() {
            guard seen.insert(ObjectIdentifier(n)).inserted else { continue }
            nodes.append(n)
            for case .node(let m, _) in n.edges { stack.append(m) }
        }
        return nodes.sorted { $0.sequence > $1.sequence }
    }

    private static func accumulate(_ pending: inout [ObjectIdentifier: [Tensor?]], _ node: Node, _ index: Int, _ g: Tensor) throws {
        let id = ObjectIdentifier(node)
        var slots = pending[id] ?? [Tensor?](repeating: nil, count: node.outputMetas.count)
        slots[index] = try sum(slots[index], g)
        pending[id] = slots
    }

    private static func accumulateLeaf(_ t: Tensor, _ g: Tensor, createGraph: Bool) throws {
        let incoming = createGraph ? g : g.detach()
        if let existing = t.grad {
            t.grad = try existing + incoming
        } else {
            t.grad = createGraph ? incoming : try incoming.contiguous().detach()
        }
    }

    private static func sum(_ a: Tensor?, _ b: Tensor) throws -> Tensor {
        guard let a else { return b }
        return try a + b
    }

    /// A rule's gradient must match its input's shape and dtype; broadcasting is reduced here too,
    /// so no rule can hand a wrongly shaped gradient to the next node.
    private static func conform(_ g: Tensor, to meta: TensorMeta, op: String, input: Int) throws -> Tensor {
        var g = g
        if g.shape != meta.shape {
            g = try g.sumToShape(meta.shape)
            guard g.shape == meta.shape else {
                throw TensorError.autograd("\(op): backward produced a gradient of shape \(shapeString(g.shape)) for input \(input) of shape \(shapeString(meta.shape))")
            }
        }
        if g.dtype != meta.dtype && meta.dtype.isFloatingPoint { g = try g.to(meta.dtype) }
        return g
    }
}

extension Node {
    /// After a backward without retain_graph, saved tensors are dropped to free memory.
    func freeSaved() {
        if !saved.isEmpty { savedWereFreed = true }
        saved = []
    }
}
