/// Gradient rules given as code instead of a registry entry: what a script's
/// `torch.autograd.Function` subclass defines. The outputs of its forward (run without
/// recording) are tied to one tape node whose backward calls the rule with the incoming
/// gradients and the tensors it saved (checked against in-place writes, as saved tensors are).
public enum CustomFunctions {
    /// The gradient rule: incoming gradients (one per output) and the saved tensors in, one
    /// gradient or nil per input out.
    public typealias Rule = (_ gradOutputs: [Tensor], _ saved: [Tensor]) throws -> [Tensor?]

    /// The op every custom node is recorded as; it is not in the registry (no builtin, no kernel).
    static let op = OpDef(
        name: "custom_function", doc: "A gradient rule written as code (autograd.Function).", inputs: [InputParam("inputs", variadic: true)],
        fusion: .opaque, infer: { metas, _ in metas }, kernel: .compute { _ in }, reference: { arrays, _ in arrays },
        backward: .rule(saves: [], vjp: { _ in throw TensorError.autograd("custom_function: its rule runs from its node") }),
        cost: { _, _, _ in Cost(flops: 0, bytesRead: 0, bytesWritten: 0) }, samples: [])

    /// Makes `outputs` results of a node over `inputs` whose backward is `rule`. Outputs that are
    /// one of the inputs are replaced by aliases first, so the inputs keep their own history.
    /// Returns the outputs to hand back (each a float tensor that now requires grad).
    public static func attach(name: String, inputs: [Tensor], outputs: [Tensor], saved: [Tensor], rule: @escaping Rule) -> [Tensor] {
        let outs = outputs.map { o in inputs.contains { $0 === o } || o.gradFn != nil ? o.detach() : o }
        guard EngineContext.current.gradEnabled, inputs.contains(where: \.requiresGrad) else { return outs }
        let edges: [Edge] = inputs.map { t in
            guard t.requiresGrad else { return .none }
            if let fn = t.gradFn { return .node(fn, t.outputIndex) }
            return .leaf(t)
        }
        // A saved output would hold its own node alive through itself: keep an alias instead.
        let kept = saved.map { s in outs.contains { $0 === s } ? s.detach() : s }
        let node = Node(op: op, attrs: Attrs(), edges: edges, inputMetas: inputs.map(\.meta), outputMetas: outs.map(\.meta),
                        saved: kept.map { SavedTensor(tensor: $0, version: $0.version, isOutput: false) }, savedInputCount: kept.count)
        node.customRule = rule
        node.customName = name
        for (i, o) in outs.enumerated() where o.dtype.isFloatingPoint {
            o.gradFn = node
            o.outputIndex = i
            o.requiresGrad = true
        }
        EngineContext.current.tape.append(op: name, inputs: inputs, outputs: outs, savedBytes: node.savedBytes)
        return outs
    }
}
