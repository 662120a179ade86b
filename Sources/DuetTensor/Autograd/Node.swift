import Synchronization

/// Where a gradient flows from a node's input: into the node that produced it, into a leaf's
/// `.grad`, or nowhere.
enum Edge {
    case none
    case leaf(Tensor)
    case node(Node, Int)
}

/// A tensor kept for backward with the storage version it had, so that a later in-place write is
/// caught instead of silently producing wrong gradients (PyTorch's version counter check).
struct SavedTensor {
    let tensor: Tensor
    let version: Int
    /// Saved outputs keep no strong link to their node (that would be a cycle); backward re-attaches it.
    let isOutput: Bool
}

/// A non-leaf that keeps its gradient; weak, since the tensor owns the node.
struct RetainedOutput {
    let index: Int
    weak var tensor: Tensor?
}

/// A recorded op on the tape: which op, its attrs, where input gradients go, and what backward needs.
public final class Node {
    public let op: OpDef
    let attrs: Attrs
    /// Emptied only by the teardown in `deinit`.
    private(set) var edges: [Edge]
    let inputMetas: [TensorMeta]
    let outputMetas: [TensorMeta]
    var saved: [SavedTensor]
    var savedWereFreed = false
    let savedInputCount: Int
    /// For an autograd.Function's node: its rule, and the class name the tape shows.
    var customRule: CustomFunctions.Rule?
    var customName: String?
    /// Outputs whose `retain_grad()` asks backward to keep their gradient in `.grad`.
    var retained: [RetainedOutput] = []
    /// Creation order: a node is always created after the nodes of its inputs, so sorting by it
    /// descending is a topological order for backward.
    let sequence: Int

    private static let nextSequence = Atomic<Int>(0)

    init(op: OpDef, attrs: Attrs, edges: [Edge], inputMetas: [TensorMeta], outputMetas: [TensorMeta],
         saved: [SavedTensor], savedInputCount: Int) {
        self.op = op
        self.attrs = attrs
        self.edges = edges
        self.inputMetas = inputMetas
        self.outputMetas = outputMetas
        self.saved = saved
        self.savedInputCount = savedInputCount
        self.sequence = Node.nextSequence.wrappingAdd(1, ordering: .relaxed).newValue
    }

    public var name: String { customName ?? op.name }

    /// Releases the history behind this node without recursion. Left to Swift, dropping the last
    /// tensor of a 200 000-op chain (`x = x * 1.0001` in a loop) frees node n, whose edges and saved
    /// tensors free node n-1 from inside its deinit, and so on until the stack overflows. Here every
    /// node or tensor whose last reference is ours hands its links to explicit stacks before it dies,
    /// so each deinit that runs finds nothing left to release; anything still referenced elsewhere
    /// is just let go, its links intact.
    deinit {
        var nodes: [Node] = []
        var tensors: [Tensor] = []
        surrenderLinks(nodes: &nodes, tensors: &tensors)
        while true {
            if var t = tensors.popLast() {
                if isKnownUniquelyReferenced(&t) { t.surrenderLinks(nodes: &nodes, tensors: &tensors) }
            } else if var n = nodes.popLast() {
                if isKnownUniquelyReferenced(&n) { n.surrenderLinks(nodes: &nodes, tensors: &tensors) }
            } else {
                break
            }
        }
    }

    /// Moves the nodes and tensors this node references onto the stacks.
    private func surrenderLinks(nodes: inout [Node], tensors: inout [Tensor]) {
        for edge in edges {
            switch edge {
            case .node(let n, _): nodes.append(n)
            case .leaf(let t): tensors.append(t)
            case .none: break
            }
        }
        edges = []
        tensors += saved.map(\.tensor)
        saved = []
    }

    /// Bytes held alive for backward.
    var savedBytes: Int { saved.reduce(0) { $0 + $1.tensor.count * $1.tensor.dtype.itemSize } }

    /// Saved tensors, checked against in-place modification; outputs come back linked to this node
    /// so that higher-order gradients flow through them.
    func unpackSaved() throws -> (inputs: [Tensor], outputs: [Tensor]) {
        var inputs: [Tensor] = []
        var outputs: [Tensor] = []
        for (i, s) in saved.enumerated() {
            if s.tensor.version != s.version {
                let which = s.isOutput ? "output \(i - savedInputCount)" : "input \(i)"
                throw TensorError.autograd(
                    "\(op.name): a tensor needed for gradient computation (\(which), shape \(shapeString(s.tensor.shape))) was modified by an in-place operation: it is at version \(s.tensor.version), expected version \(s.version)")
            }
            if s.isOutput {
                let t = s.tensor.detach()
                t.gradFn = self
                t.outputIndex = i - savedInputCount
                t.requiresGrad = true
                outputs.append(t)
            } else {
                inputs.append(s.tensor)
            }
        }
        return (inputs, outputs)
    }
}

extension Tensor {
    /// The tensor-side half of `Node`'s teardown: the node that made this tensor, the base it is a
    /// view of, and its gradient, moved onto the stacks.
    fileprivate func surrenderLinks(nodes: inout [Node], tensors: inout [Tensor]) {
        if let fn = gradFn { nodes.append(fn) }
        gradFn = nil
        if let base = viewBase { tensors.append(base) }
        viewBase = nil
        if let g = grad { tensors.append(g) }
        grad = nil
    }
}
