import DuetTensor

/// Builds a graph from the calls the tracing handler reports. Tensors map to graph values by
/// identity; a tensor the trace has not seen is lifted: a concrete one is captured state (or a
/// wrapped Python number), a symbolic one can only come from another trace and is an error.
final class Tracer: TraceRecorder {
    let graph: Graph
    private var ids: [ObjectIdentifier: Int] = [:]
    /// Symbolic tensors by storage: `detach()` makes a new tensor object over the same storage
    /// (autograd does this to every gradient it stores), which must still find its value.
    private var byStorage: [ObjectIdentifier: [(tensor: Tensor, id: Int)]] = [:]
    /// Keeps every mapped tensor alive, so no identifier is reused while tracing.
    private var seen: [Tensor] = []
    /// Captured leaves and the `.grad` they had before tracing (restored if the trace fails).
    private(set) var capturedLeaves: [(tensor: Tensor, gradBefore: Tensor?)] = []
    /// The symbolic stand-ins of the tensor arguments, by argument index.
    private(set) var arguments: [Tensor] = []

    /// Write every gradient back, even those an in-place update consumed.
    let keepGradients: Bool
    /// Outside state the traced code read (`noteTraceDependency`).
    var guards: [TraceGuard] = []

    init(name: String, keepGradients: Bool) {
        graph = Graph(name: name)
        self.keepGradients = keepGradients
    }

    /// A symbolic stand-in for tensor argument `index`; it requires grad when the real one does.
    func argument(_ index: Int, like real: Tensor) throws -> Tensor {
        let stand = Tensor.symbolic(shape: real.shape, dtype: real.dtype)
        if real.requiresGrad { try stand.requiresGrad() }
        bind(stand, graph.addValue(stand.meta, .argument(index)))
        arguments.append(stand)
        return stand
    }

    func record(_ op: OpDef, inputs: [Tensor], attrs: Attrs, outputs: [Tensor], inPlace: Bool) throws {
        let ins = try inputs.map(value(of:))
        let index = graph.nodes.count
        var outs: [Int] = []
        if inPlace, let target = outputs.first, let root = ins.first {
            let id = graph.addValue(target.meta, .node(index, output: 0), aliasOf: root)
            outs = [id]
            bind(target, id)
        } else {
            for (k, t) in outputs.enumerated() {
                let id = graph.addValue(t.meta, .node(index, output: k))
                outs.append(id)
                bind(t, id)
            }
        }
        let context = EngineContext.current
        graph.nodes.append(try GraphNode(index: index, op: op, inputs: ins, attrs: attrs, outputs: outs,
                                     inPlace: inPlace, scopes: context.scopes, location: context.sourceLocator?()))
    }

    /// The graph value a tensor stands for, lifting tensors from outside the function.
    func value(of t: Tensor) throws -> Int {
        if let id = ids[ObjectIdentifier(t)] { return id }
        if let id = sameLayout(t) { return id }
        if t.isSymbolic {
            throw TensorError.value("a tensor from another trace (or returned by an earlier trace of this function) was used inside a compiled function")
        }
        let id: Int
        if t.isWrappedNumber {
            id = graph.addValue(t.meta, .constant(t))
        } else {
            id = graph.addValue(t.meta, .captured(t))
            if t.requiresGrad && t.isLeaf { capturedLeaves.append((t, t.grad)) }
        }
        bind(t, id)
        return id
    }

    /// The graph value of a tensor the function touched, if any (its `.grad`, its results).
    func knownValue(of t: Tensor) -> Int? { ids[ObjectIdentifier(t)] ?? sameLayout(t) }

    /// The latest value bound to a symbolic tensor with the same storage and layout as `t`.
    private func sameLayout(_ t: Tensor) -> Int? {
        guard t.isSymbolic, let candidates = byStorage[ObjectIdentifier(t.storage)] else { return nil }
        return candidates.last { $0.tensor.shape == t.shape && $0.tensor.strides == t.strides && $0.tensor.offset == t.offset }?.id
    }

    private func bind(_ t: Tensor, _ id: Int) {
        ids[ObjectIdentifier(t)] = id
        if t.isSymbolic { byStorage[ObjectIdentifier(t.storage), default: []].append((t, id)) }
        seen.append(t)
    }

    /// After the traced function returns: its outputs, and the gradients it left on leaves.
    func finish(outputs: [Tensor]) throws {
        graph.outputs = try outputs.map { t in
            guard let id = knownValue(of: t) else {
                if t.isSymbolic { throw TensorError.value("a compiled function returned a tensor from another trace") }
                return try value(of: t)
            }
            return id
        }
        // A gradient can also be a concrete tensor a backward rule made (zeros for `sign`): lifted like any other.
        for (i, stand) in arguments.enumerated() {
            if let g = stand.grad { graph.gradients.append(GradientWrite(leaf: .argument(i), value: try value(of: g))) }
        }
        // A parameter the function updates in place (its optimizer step) has consumed its gradient,
        // as in TensorFlow: keeping it would hold a full-size buffer per parameter past the update.
        let updated = Set(graph.nodes.filter(\.inPlace).compactMap { node -> ObjectIdentifier? in
            guard case .captured(let t) = graph.values[graph.bufferOwner(node.inputs[0])].source else { return nil }
            return ObjectIdentifier(t)
        })
        for (leaf, before) in capturedLeaves {
            guard let g = leaf.grad, g !== before else { continue }
            if updated.contains(ObjectIdentifier(leaf)) && !keepGradients {
                graph.consumedGradients.append(leaf)
            } else {
                graph.gradients.append(GradientWrite(leaf: .captured(leaf), value: try value(of: g)))
            }
        }
    }

    /// Puts back the `.grad`s tracing replaced with symbolic tensors (runs then set real ones).
    func restoreGradients() {
        for (leaf, before) in capturedLeaves where leaf.grad.map({ $0.isSymbolic }) ?? false { leaf.grad = before }
    }
}
