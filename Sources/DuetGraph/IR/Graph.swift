import DuetTensor

/// Where a graph value comes from. Only `node` values are computed by the plan; the others are
/// bound to tensors when the plan is built or called.
public enum ValueSource {
    /// The i-th tensor argument of the compiled function, copied into its buffer on each call.
    case argument(Int)
    /// A tensor the function reached from outside (a parameter, optimizer state, the learning
    /// rate, a step counter): lifted as an input, read — and written, when the function updates it
    /// in place — at every run, never frozen as a constant.
    case captured(Tensor)
    /// A Python number the function wrapped while tracing (`x * 2`): fixed for the signature.
    case constant(Tensor)
    /// Output `output` of node `node`.
    case node(Int, output: Int)
}

/// One tensor-valued edge of the graph.
public struct GraphValue {
    public let id: Int
    public let meta: TensorMeta
    public let source: ValueSource
    /// For outputs of in-place nodes: the value whose buffer they write (they have none of their own).
    public let aliasOf: Int?
}

/// One registry call. Nodes are kept in trace order, which is the order eager code ran them: a
/// plan that keeps it sees every in-place write exactly where eager code made it.
public struct GraphNode {
    public let index: Int
    public let op: OpDef
    public let inputs: [Int]
    public let attrs: Attrs
    public let outputs: [Int]
    /// Writes its result into input 0 (`add_`, an optimizer's update).
    public let inPlace: Bool
    /// The profiler scopes around the call when it was traced (module paths, `record` names).
    public let scopes: [String]
    /// For a fused group: the nodes it runs as one kernel, in order.
    public let members: [GraphNode]
    /// For a fused group: the tiled kernel that runs the members.
    public let fused: FusedElementwise?
    /// The script line that made the call (`file:line`), when the language was asked to record
    /// it (ONNX export names each op it cannot export by its line).
    public let location: String?

    /// A traced call: its attrs are bound to the op's signature here (a pointer compare for attrs
    /// the dispatcher has bound), so the plan's kernels and views only see checked attrs.
    init(index: Int, op: OpDef, inputs: [Int], attrs: Attrs, outputs: [Int], inPlace: Bool, scopes: [String], location: String? = nil) throws {
        self.init(index: index, op: op, inputs: inputs, boundAttrs: try op.bind(attrs), outputs: outputs, inPlace: inPlace, scopes: scopes,
                  location: location)
    }

    /// A fused group: its op declares no attrs (each member's kernel keeps what it needs).
    init(index: Int, op: OpDef, inputs: [Int], outputs: [Int], inPlace: Bool, scopes: [String], members: [GraphNode], fused: FusedElementwise? = nil) {
        self.init(index: index, op: op, inputs: inputs, boundAttrs: Attrs(), outputs: outputs, inPlace: inPlace, scopes: scopes,
                  members: members, fused: fused)
    }

    private init(index: Int, op: OpDef, inputs: [Int], boundAttrs: Attrs, outputs: [Int], inPlace: Bool, scopes: [String],
                 members: [GraphNode] = [], fused: FusedElementwise? = nil, location: String? = nil) {
        self.index = index
        self.op = op
        self.inputs = inputs
        attrs = boundAttrs
        self.outputs = outputs
        self.inPlace = inPlace
        self.scopes = scopes
        self.members = members
        self.fused = fused
        self.location = location
    }

    /// The same node at another position, reading other values.
    func with(index: Int, inputs: [Int]? = nil) -> GraphNode {
        GraphNode(index: index, op: op, inputs: inputs ?? self.inputs, boundAttrs: attrs, outputs: outputs, inPlace: inPlace,
                  scopes: scopes, members: members, fused: fused, location: location)
    }
}

/// A traced function: values, nodes in execution order, the function's outputs, and the
/// gradients it leaves on leaves (written back after each run, as `backward()` would).
public final class Graph {
    public let name: String
    public internal(set) var values: [GraphValue] = []
    public internal(set) var nodes: [GraphNode] = []
    public internal(set) var outputs: [Int] = []
    /// `.grad` of a leaf (a parameter or an argument that requires grad) after the run.
    public internal(set) var gradients: [GradientWrite] = []
    /// Parameters whose gradient the function's own in-place update used up: `.grad` is None after a run.
    public internal(set) var consumedGradients: [Tensor] = []
    /// What each pass did, in order (the last line is the memory plan's).
    public internal(set) var reports: [PassReport] = []
    /// Byte offset of each computed value's buffer in the plan's arena.
    public internal(set) var bufferOffsets: [Int: Int] = [:]
    /// Computed values the function returns whole: they are written straight into the result
    /// tensors each run, outside the arena.
    public internal(set) var returnedValues: Set<Int> = []

    init(name: String) { self.name = name }

    /// Replaces the node list after a pass: nodes are renumbered in order, every value they make
    /// points at its new producer, and reads of replaced values follow `substitute`.
    func rebuild(_ newNodes: [GraphNode], substitute: [Int: Int] = [:]) {
        func resolve(_ id: Int) -> Int {
            var v = id
            while let next = substitute[v], next != v { v = next }
            return v
        }
        nodes = newNodes.enumerated().map { i, n in n.with(index: i, inputs: n.inputs.map(resolve)) }
        for node in nodes {
            for (k, id) in node.outputs.enumerated() {
                let v = values[id]
                values[id] = GraphValue(id: id, meta: v.meta, source: .node(node.index, output: k), aliasOf: v.aliasOf.map(resolve))
            }
        }
        outputs = outputs.map(resolve)
        gradients = gradients.map { GradientWrite(leaf: $0.leaf, value: resolve($0.value)) }
    }

    /// Values whose buffer some in-place node writes: a pass must not make another value share it.
    var mutatedOwners: Set<Int> {
        Set(nodes.filter(\.inPlace).map { bufferOwner($0.inputs[0]) })
    }

    /// Whether a value's elements are laid out contiguously from its start: replays the view ops
    /// between it and the buffer it lives in on a symbolic tensor of that buffer's layout.
    func isContiguous(_ id: Int) -> Bool {
        var v = id
        var chain: [GraphNode] = []
        while true {
            if let a = values[v].aliasOf { v = a; continue }
            if case .node(let n, _) = values[v].source, nodes[n].op.isView { chain.append(nodes[n]); v = nodes[n].inputs[0]; continue }
            break
        }
        var t: Tensor
        switch values[v].source {
        case .captured(let real), .constant(let real): t = real
        default: t = Tensor.symbolic(shape: values[v].meta.shape, dtype: values[v].meta.dtype)
        }
        for node in chain.reversed() {
            guard case .view(let makeView) = node.op.kernel, let next = try? makeView(t, node.attrs) else { return false }
            t = next
        }
        return t.isContiguous
    }

    /// The value whose whole buffer `id` is (itself, or through in-place results only), or nil
    /// when `id` is a view of a buffer.
    func wholeBuffer(of id: Int) -> Int? {
        var v = id
        while let a = values[v].aliasOf { v = a }
        if case .node(let n, _) = values[v].source, nodes[n].op.isView { return nil }
        return v
    }

    func addValue(_ meta: TensorMeta, _ source: ValueSource, aliasOf: Int? = nil) -> Int {
        let id = values.count
        values.append(GraphValue(id: id, meta: meta, source: source, aliasOf: aliasOf))
        return id
    }

    /// The value whose buffer `id` lives in: through in-place results and views to the value
    /// that was computed, passed in or captured.
    public func bufferOwner(_ id: Int) -> Int {
        var v = id
        while true {
            if let a = values[v].aliasOf { v = a; continue }
            if case .node(let n, _) = values[v].source, nodes[n].op.isView { v = nodes[n].inputs[0]; continue }
            return v
        }
    }

    public var argumentCount: Int {
        values.reduce(0) { n, v in if case .argument = v.source { n + 1 } else { n } }
    }

    public var capturedCount: Int {
        values.reduce(0) { n, v in if case .captured = v.source { n + 1 } else { n } }
    }
}

/// Where a gradient computed in the graph goes after each run.
public struct GradientWrite {
    public enum Leaf {
        case argument(Int)
        case captured(Tensor)
    }
    public let leaf: Leaf
    public let value: Int
}
