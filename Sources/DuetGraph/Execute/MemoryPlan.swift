import DuetTensor

/// Where every buffer the plan computes lives: an offset in one arena. Buffers whose lifetimes
/// (first write to last read, in node order) do not overlap may share bytes; an elementwise
/// node whose input dies there writes its result over that input. Placement is greedy, largest
/// first, at the lowest offset free for the buffer's whole lifetime.
struct MemoryPlan {
    static let alignment = 64

    /// Byte offset of each buffer-owning value's slot.
    private(set) var offsets: [Int: Int] = [:]
    private(set) var arenaBytes = 0
    /// Elementwise nodes that write over a dying input.
    private(set) var inPlaceReuses = 0
    /// Bytes the buffers would take with none shared.
    private(set) var unsharedBytes = 0

    /// Without `shared`, every buffer gets bytes of its own (what `passes={"plan": False}` shows);
    /// `returned` values live in the caller's result tensors, outside the arena.
    init(_ graph: Graph, _ lifetimes: Lifetimes, shared: Bool = true, returned: Set<Int> = []) {
        // Each slot: the values sharing it, its lifetime and its size.
        var slotOf: [Int: Int] = [:]
        var slots: [(values: [Int], start: Int, end: Int, bytes: Int)] = []
        for node in graph.nodes where !node.inPlace && !node.op.isView {
            for id in node.outputs where !returned.contains(id) {
                let bytes = Self.aligned(graph.values[id].meta.byteCount)
                unsharedBytes += bytes
                let end = lifetimes.lastUse[id]
                if shared, let reuse = Self.dyingInput(node, id, graph, lifetimes), let s = slotOf[reuse], slots[s].bytes >= bytes {
                    slots[s].values.append(id)
                    slots[s].end = end
                    slotOf[id] = s
                    inPlaceReuses += 1
                } else {
                    slotOf[id] = slots.count
                    slots.append(([id], node.index, end, bytes))
                }
            }
        }
        var placed: [(start: Int, end: Int, offset: Int, bytes: Int)] = []
        for s in slots.indices.sorted(by: { (slots[$0].bytes, -slots[$0].start) > (slots[$1].bytes, -slots[$1].start) }) {
            let slot = slots[s]
            let overlapping = placed.filter { !shared || ($0.start <= slot.end && slot.start <= $0.end) }.sorted { $0.offset < $1.offset }
            var offset = 0
            for p in overlapping where offset + slot.bytes > p.offset {
                offset = max(offset, p.offset + p.bytes)
            }
            placed.append((slot.start, slot.end, offset, slot.bytes))
            arenaBytes = max(arenaBytes, offset + slot.bytes)
            for id in slot.values { offsets[id] = offset }
        }
    }

    private static func aligned(_ n: Int) -> Int { (max(n, 1) + alignment - 1) / alignment * alignment }

    /// An input of an elementwise node that dies at this node and has the output's shape and byte
    /// size, read through its own buffer or through `view`s of it (which keep a computed buffer's
    /// contiguous order): the output can be written over it element for element.
    private static func dyingInput(_ node: GraphNode, _ output: Int, _ graph: Graph, _ lifetimes: Lifetimes) -> Int? {
        // A fused group writes an output tile while later members may still read that input tile.
        guard node.op.fusion == .elementwise, node.fused == nil, node.outputs.count == 1 else { return nil }
        let meta = graph.values[output].meta
        for input in node.inputs where graph.values[input].meta.shape == meta.shape {
            guard let owner = reshapedOwner(input, graph), lifetimes.ownsBuffer[owner], lifetimes.lastUse[owner] == node.index,
                  graph.values[owner].meta.byteCount == meta.byteCount else { continue }
            return owner
        }
        return nil
    }

    /// The computed value `id` is, or views of it whose layout is still its own contiguous order
    /// (reshapes, a transpose undone by another): replayed on a symbolic tensor to find out.
    private static func reshapedOwner(_ id: Int, _ graph: Graph) -> Int? {
        var v = id
        var chain: [GraphNode] = []
        while case .node(let n, _) = graph.values[v].source, graph.nodes[n].op.isView {
            chain.append(graph.nodes[n])
            v = graph.nodes[n].inputs[0]
        }
        guard graph.values[v].aliasOf == nil else { return nil }
        if chain.isEmpty { return v }
        var t = Tensor.symbolic(shape: graph.values[v].meta.shape, dtype: graph.values[v].meta.dtype)
        for node in chain.reversed() {
            guard case .view(let makeView) = node.op.kernel, let next = try? makeView(t, node.attrs) else { return nil }
            t = next
        }
        return t.isContiguous && t.offset == 0 ? v : nil
    }
}
