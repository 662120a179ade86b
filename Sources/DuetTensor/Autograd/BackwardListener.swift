/// Code that backward tells when a leaf's gradient for this pass is complete, gives a turn
/// between ops, and tells when the pass ends: what data-parallel training needs to start each
/// gradient bucket's all-reduce while backward still runs, and to advance it (Open MPI moves
/// messages only inside its calls). PyTorch's `register_post_accumulate_grad_hook` and the
/// autograd engine's `queue_callback`, in one protocol.
public protocol BackwardListener: AnyObject {
    /// `leaf.grad` now holds everything this backward adds to it.
    func gradientReady(_ leaf: Tensor) throws
    /// Between two backward ops.
    func betweenOps() throws
    /// After the last op; leaves never reported had no gradient in this pass.
    func backwardFinished() throws
}

/// A listener held weakly, so that a wrapper listening to its own parameters is not kept
/// alive by them.
public struct WeakBackwardListener {
    public weak var listener: BackwardListener?
    public init(_ listener: BackwardListener) { self.listener = listener }
}

/// The leaves of one backward pass that have listeners: how many tape edges still lead to
/// each, so a leaf is reported once its last edge has delivered.
struct ListenedLeaves {
    private var remaining: [ObjectIdentifier: (tensor: Tensor, edges: Int, received: Bool)] = [:]
    private var listeners: [BackwardListener] = []

    init(_ nodes: [Node]) {
        var seen = Set<ObjectIdentifier>()
        for node in nodes {
            for case .leaf(let t) in node.edges where !t.backwardListeners.isEmpty {
                let id = ObjectIdentifier(t)
                remaining[id, default: (t, 0, false)].edges += 1
                for l in t.backwardListeners.compactMap(\.listener) where seen.insert(ObjectIdentifier(l)).inserted { listeners.append(l) }
            }
        }
    }

    var isEmpty: Bool { listeners.isEmpty }

    /// One edge into `leaf` was processed (with a gradient or without one).
    mutating func delivered(_ leaf: Tensor, gradient: Bool) throws {
        let id = ObjectIdentifier(leaf)
        guard var entry = remaining[id] else { return }
        entry.edges -= 1
        entry.received = entry.received || gradient
        if entry.edges > 0 {
            remaining[id] = entry
            return
        }
        remaining[id] = nil
        if entry.received { try Self.report(leaf) }
    }

    func betweenOps() throws {
        for l in listeners { try l.betweenOps() }
    }

    /// Leaves some of whose edges never ran (their nodes got no gradient) are reported now if
    /// they received anything; then every listener hears the pass is over.
    mutating func finish() throws {
        for (_, entry) in remaining where entry.received { try Self.report(entry.tensor) }
        remaining = [:]
        for l in listeners { try l.backwardFinished() }
    }

    private static func report(_ leaf: Tensor) throws {
        for l in leaf.backwardListeners.compactMap(\.listener) { try l.gradientReady(leaf) }
    }
}
