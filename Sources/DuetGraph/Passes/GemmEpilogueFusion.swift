import DuetTensor

/// GEMM epilogue fusion: work that only reads the result of a GEMM-backed op (matmul, conv2d) is
/// folded into it (`FusedMatmul`, `EpilogueKernel`), so that result never gets a buffer of its own.
/// - Forward, `matmul → add(bias) → relu`: the bias row is written first and the GEMM accumulates
///   onto it; the activation runs over the output in place. `conv2d → relu` likewise.
/// - Backward, `matmul → relu_backward(·, mask)`: the incoming gradient's GEMM masks its own output.
/// - SGD, `matmul → mul(·, lr) → p.sub_(·)` (a weight's gradient consumed by its update): the GEMM
///   accumulates `−lr · a @ b` straight into the parameter, so the gradient is never stored. The
///   fused node runs as soon as the parameter's old value has been read for the last time, which
///   is usually the gradient's own position, not the optimizer's.
/// A folded node moves to the matmul's position only if everything it reads is ready there and
/// nothing in between writes it; the update moves only past nodes that leave its operands alone.
enum GemmEpilogueFusion {
    static func run(_ graph: Graph) -> PassReport {
        var fuser = Fuser(graph)
        var biases = 0, epilogues = 0, updates = 0
        for m in graph.nodes.indices where (graph.nodes[m].op === Ops.matmul || graph.nodes[m].op === Ops.conv2d) && !graph.nodes[m].inPlace {
            guard fuser.floatResult(m) else { continue }
            if graph.nodes[m].op === Ops.matmul, fuser.fuseUpdate(m) {
                updates += 1
            } else if let (bias, epilogue) = fuser.fuseEpilogue(m) {
                biases += bias ? 1 : 0
                epilogues += epilogue ? 1 : 0
            }
        }
        guard biases + epilogues + updates > 0 else { return PassReport(pass: "gemm", summary: "no matmul epilogue to fold") }
        graph.rebuild(fuser.nodeList())
        var parts: [String] = []
        if biases > 0 { parts.append("\(biases) bias add\(biases == 1 ? "" : "s")") }
        if epilogues > 0 { parts.append("\(epilogues) activation\(epilogues == 1 ? "" : "s") or mask\(epilogues == 1 ? "" : "s")") }
        if updates > 0 { parts.append("\(updates) SGD update\(updates == 1 ? "" : "s")") }
        return PassReport(pass: "gemm", summary: "folded " + parts.joined(separator: ", ") + " into their GEMMs")
    }

    /// The graph being rewritten: which nodes read each value, which nodes were folded away, and
    /// which fused node replaces or follows each original position.
    private struct Fuser {
        let graph: Graph
        let lifetimes: Lifetimes
        var readers: [Int: [Int]] = [:]
        /// Values returned or left as gradients: they must keep their own buffers.
        let escaping: Set<Int>
        var removed = Set<Int>()
        var replacement: [Int: GraphNode] = [:]
        /// Fused updates that run right after a node that stays where it was.
        var insertAfter: [Int: [GraphNode]] = [:]

        init(_ graph: Graph) {
            self.graph = graph
            lifetimes = Lifetimes(graph)
            for node in graph.nodes { for id in node.inputs { readers[id, default: []].append(node.index) } }
            escaping = Set(graph.outputs + graph.gradients.map(\.value))
        }

        /// The nodes in order, fused nodes at the positions chosen for them.
        func nodeList() -> [GraphNode] {
            graph.nodes.flatMap { node -> [GraphNode] in
                let here = replacement[node.index].map { [$0] } ?? (removed.contains(node.index) ? [] : [node])
                return here + (insertAfter[node.index] ?? [])
            }
        }

        func floatResult(_ m: Int) -> Bool {
            let dtype = graph.values[graph.nodes[m].outputs[0]].meta.dtype
            return (dtype == .float32 || dtype == .float64) && replacement[m] == nil && !removed.contains(m)
        }

        /// The one node reading `value`, if exactly one does and the value does not escape.
        func onlyReader(_ value: Int) -> GraphNode? {
            guard !escaping.contains(value), let r = readers[value], r.count == 1, !removed.contains(r[0]), replacement[r[0]] == nil
            else { return nil }
            return graph.nodes[r[0]]
        }

        /// True when `node`'s inputs (other than `except`) are ready at `position` and no in-place
        /// node between `position` and `node` writes any of them.
        func canRun(_ node: GraphNode, at position: Int, except: Set<Int>) -> Bool {
            let owners = Set(node.inputs.filter { !except.contains($0) }.map(memory))
            for id in node.inputs where !except.contains(id) {
                if case .node(let p, _) = graph.values[id].source, p >= position { return false }
            }
            return !graph.nodes[(position + 1)..<max(position + 1, node.index)].contains { $0.inPlace && owners.contains(memory($0.inputs[0])) }
        }

        /// Which memory a value lives in: its owner's id, or for captured tensors their storage,
        /// since two captured tensors can share it (a parameter and its `detach()`ed alias).
        func memory(_ id: Int) -> AnyHashable {
            let owner = lifetimes.owner[id]
            if case .captured(let t) = graph.values[owner].source { return AnyHashable(ObjectIdentifier(t.storage)) }
            return AnyHashable(owner)
        }

        // MARK: bias and activation

        mutating func fuseEpilogue(_ m: Int) -> (bias: Bool, epilogue: Bool)? {
            let producer = graph.nodes[m], isMatmul = producer.op === Ops.matmul
            let result = producer.outputs[0], meta = graph.values[result].meta
            var inputs = producer.inputs, members = [producer], folded: [Int] = []
            var current = result, hasBias = false
            if isMatmul, let add = onlyReader(result), add.op === Ops.add, !add.inPlace,
               let bias = add.inputs.first(where: { $0 != result }), add.inputs.contains(result),
               graph.values[add.outputs[0]].meta == meta, isRowVector(bias, columns: meta.shape.last ?? 0, dtype: meta.dtype),
               canRun(add, at: m, except: [result]) {
                inputs.append(bias)
                members.append(add)
                folded.append(add.index)
                current = add.outputs[0]
                hasBias = true
            }
            guard case .compute(var kernel) = producer.op.kernel else { return nil }
            if isMatmul {
                guard let matmul = try? FusedMatmul(bias: hasBias, update: false) else { return nil }
                kernel = { args in try matmul.run(args.inputs, args.outputs) }
            }
            var hasEpilogue = false
            if let e = onlyReader(current), let (elementwise, extra) = epilogueKernel(e, reading: current, meta),
               canRun(e, at: m, except: [current]),
               let fused = try? EpilogueKernel(producer: kernel, producerInputs: inputs.count, producerAttrs: producer.attrs, epilogue: elementwise) {
                kernel = { args in try fused.run(args.inputs, args.outputs) }
                inputs += extra
                members += e.members.isEmpty ? [e] : e.members
                folded.append(e.index)
                current = e.outputs[0]
                hasEpilogue = true
            }
            guard hasBias || hasEpilogue else { return nil }
            let op = fusedOp(members, kernel, flopsOf: producer, [graph.values[current].meta])
            replacement[m] = GraphNode(index: m, op: op, inputs: inputs, outputs: [current], inPlace: false,
                                       scopes: producer.scopes, members: members)
            removed.formUnion(folded)
            return (hasBias, hasEpilogue)
        }

        private func isRowVector(_ id: Int, columns: Int, dtype: DType) -> Bool {
            let meta = graph.values[id].meta
            return meta.dtype == dtype && meta.shape.last == columns && meta.shape.dropLast().allSatisfy { $0 == 1 }
        }

        /// The elementwise node (or fused group) as a kernel whose input 0 is `value`; it must have
        /// one output of the matmul's shape, made by its last member, and full-size contiguous or
        /// single-element other inputs.
        private func epilogueKernel(_ e: GraphNode, reading value: Int, _ meta: TensorMeta) -> (FusedElementwise, [Int])? {
            guard e.op.fusion == .elementwise, !e.inPlace, e.outputs.count == 1, graph.values[e.outputs[0]].meta == meta else { return nil }
            let extra = e.inputs.enumerated().filter { $0.element != value }.map(\.element)
            let count = meta.shape.reduce(1, *)
            for id in extra {
                let c = graph.values[id].meta.shape.reduce(1, *)
                guard c == 1 || (c == count && graph.isContiguous(id)) else { return nil }
            }
            let order = [value] + Array(Set(extra)).sorted()
            let index = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
            let members: [FusedElementwise.Member]
            let outputMember: Int
            if let group = e.fused {
                guard group.outputMembers.count == 1 else { return nil }
                members = group.members.map { member in
                    FusedElementwise.Member(op: member.op, operands: member.operands.map { operand in
                        if case .input(let i) = operand, let mapped = index[e.inputs[i]] { return .input(mapped) }
                        return operand
                    })
                }
                outputMember = group.outputMembers[0]
            } else {
                guard FusedElementwise.canFuse(e.op) else { return nil }
                members = [FusedElementwise.Member(op: e.op, operands: e.inputs.compactMap { index[$0].map(FusedElementwise.Operand.input) })]
                outputMember = 0
            }
            guard outputMember == members.count - 1,
                  let kernel = try? FusedElementwise(members: members, inputDTypes: order.map { graph.values[$0].meta.dtype }, outputMembers: [outputMember])
            else { return nil }
            return (kernel, Array(order.dropFirst()))
        }

        // MARK: SGD update

        /// `g = a @ b; t = g * lr; p.sub_(t)` with `g` and `t` read nowhere else becomes one
        /// in-place node on `p`, placed right after the last node that reads `p`'s old value.
        mutating func fuseUpdate(_ m: Int) -> Bool {
            let matmul = graph.nodes[m]
            let grad = matmul.outputs[0], meta = graph.values[grad].meta
            guard let mul = onlyReader(grad), mul.op === Ops.mul, !mul.inPlace,
                  let lr = mul.inputs.first(where: { $0 != grad }), mul.inputs.contains(grad),
                  graph.values[lr].meta.shape.reduce(1, *) == 1, graph.values[mul.outputs[0]].meta == meta,
                  let sub = onlyReader(mul.outputs[0]), sub.op === Ops.sub, sub.inPlace, sub.inputs.count == 2, sub.inputs[1] == mul.outputs[0]
            else { return false }
            let target = sub.inputs[0], owner = memory(target)
            guard graph.values[target].meta == meta, graph.wholeBuffer(of: target) != nil, graph.isContiguous(target),
                  !matmul.inputs.contains(where: { memory($0) == owner }) else { return false }
            // Read the learning rate before any cast node made for this update, so the cast can go too.
            var scale = lr, cast: GraphNode?
            if case .node(let c, _) = graph.values[lr].source, graph.nodes[c].op === Ops.to, readers[lr]?.count == 1,
               !escaping.contains(lr), graph.values[graph.nodes[c].inputs[0]].meta.dtype.isFloatingPoint {
                scale = graph.nodes[c].inputs[0]
                cast = graph.nodes[c]
            }
            let skip = Set([mul.index, sub.index] + (cast.map { [$0.index] } ?? []))
            var position = m
            for node in graph.nodes[..<sub.index] where !skip.contains(node.index) {
                if (node.inputs + node.outputs).contains(where: { memory($0) == owner }) { position = max(position, node.index) }
            }
            if case .node(let p, _) = graph.values[scale].source { position = max(position, p) }
            guard position < sub.index else { return false }
            let operandOwners = Set((matmul.inputs + [scale]).map(memory))
            guard !graph.nodes[m..<max(m, position + 1)].contains(where: { $0.inPlace && $0.index != m && operandOwners.contains(memory($0.inputs[0])) }),
                  let update = try? FusedMatmul(bias: false, update: true) else { return false }
            let members = [matmul] + (cast.map { [$0] } ?? []) + [mul, sub]
            let op = fusedOp(members, { args in try update.run(args.inputs, args.outputs) }, flopsOf: matmul, [graph.values[target].meta])
            let node = GraphNode(index: position, op: op, inputs: [target] + matmul.inputs + [scale],
                                 outputs: sub.outputs, inPlace: true, scopes: sub.scopes, members: members)
            if position == m {
                replacement[m] = node
            } else {
                removed.insert(m)
                insertAfter[position, default: []].append(node)
            }
            removed.formUnion(skip)
            return true
        }
    }

    /// A registry-shaped entry for a fused node, named after its members (`matmul+add+relu`): the
    /// producer's FLOPs plus one per element for each folded op, and only the bytes crossing its boundary.
    private static func fusedOp(_ members: [GraphNode], _ kernel: @escaping @Sendable (KernelArgs) throws -> Void,
                                flopsOf producer: GraphNode, _ metas: [TensorMeta]) -> OpDef {
        let name = members.map(\.op.name).joined(separator: "+")
        let foldedOps = members.count - 1
        let producerOp = producer.op, producerAttrs = producer.attrs, producerInputs = producer.inputs.count
        let update = producer.outputs.count == 1 && members.last?.inPlace == true
        return OpDef(
            name: name, doc: "A \(producerOp.name) with \(foldedOps) op\(foldedOps == 1 ? "" : "s") folded into its output pass.",
            inputs: [InputParam("inputs", variadic: true)], fusion: .opaque,
            infer: { _, _ in metas },
            kernel: .compute(kernel),
            reference: { _, _ in throw TensorError.value("\(name) has no reference: compare it with its members run eagerly") },
            backward: .notDifferentiable,
            cost: { ins, outs, _ in
                let operands = Array(ins.dropFirst(update ? 1 : 0).prefix(producerInputs))
                let produced = try producerOp.costFor(operands, outs, producerAttrs).flops
                let elements = outs.reduce(0) { $0 + $1.byteCount / max(1, $1.dtype.itemSize) }
                return Cost(flops: produced + elements * foldedOps,
                            bytesRead: ins.reduce(0) { $0 + $1.byteCount }, bytesWritten: outs.reduce(0) { $0 + $1.byteCount })
            },
            samples: [])
    }
}
