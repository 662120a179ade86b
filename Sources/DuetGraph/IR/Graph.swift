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

    init(name: String) { self.name = name }

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
