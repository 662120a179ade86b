import DuetTensor

/// A graph made runnable for one signature: every value is bound to a tensor once — arguments
/// and returned results to unbound tensors that each run points at the caller's memory, captured
/// state to itself, other computed values to offsets in one arena, views to views made here,
/// in-place results to their targets — and each compute node becomes a kernel call whose
/// arguments are fixed. A run is then a loop over kernels: no dispatch, no shape rules, no tape,
/// and no allocation but the results'.
final class Plan {
    let graph: Graph
    /// Values read after the run: the outputs, and the gradients written back to leaves.
    private let outputBuffers: [Tensor]
    /// For each output that is a returned value (or an in-place result written over one): that value.
    private let outputOwners: [Int?]
    private let gradientBuffers: [Tensor]
    private let steps: [Step]
    /// Each argument's unbound tensor, by argument position.
    private let argumentSlots: [Tensor]
    /// Arguments some node writes in place: the caller's tensor sees the write, as in eager code.
    private let writtenArguments: Set<Int>
    /// Computed values the function returns, kept out of the arena: each run binds them to fresh
    /// tensors that become the results, so nothing is copied out.
    private let returnedSlots: [(value: Int, slot: Tensor)]
    /// Captured tensors the plan writes in place; their versions are bumped after each run.
    private let writtenCaptures: [Tensor]
    /// Their storages: an argument sharing one is copied in, since passes may move those writes.
    private let writtenStorages: Set<ObjectIdentifier>
    /// Bytes of the buffers this plan allocated (the arena and cast temporaries).
    let allocatedBytes: Int
    /// The one arena every other computed value lives in, at offsets the memory plan chose.
    let arenaBytes: Int
    let inPlaceReuses: Int
    /// Bytes the kernels read and write, from the registry's cost model: computed with the plan,
    /// so a cost model that fails fails the compile rather than a later stats read.
    let bytesMoved: Int

    struct Step {
        let node: GraphNode
        let kernel: @Sendable (KernelArgs) throws -> Void
        let args: KernelArgs
        /// For in-place nodes whose result dtype differs from the target's: where the result is
        /// computed before being cast into the target.
        let castInto: Tensor?
    }

    init(graph: Graph, planMemory: Bool = true) throws {
        self.graph = graph
        let lifetimes = Lifetimes(graph)
        var bound = [Tensor?](repeating: nil, count: graph.values.count)
        var arguments: [(Int, Tensor)] = []
        for v in graph.values {
            switch v.source {
            case .argument(let i):
                let slot = try Tensor.unbound(v.meta.shape, dtype: v.meta.dtype)
                bound[v.id] = slot
                arguments.append((i, slot))
            case .captured(let t), .constant(let t):
                bound[v.id] = t
            case .node:
                break
            }
        }
        var returned: [(value: Int, slot: Tensor)] = []
        let wholeOutputs = graph.outputs.map { graph.wholeBuffer(of: $0).flatMap { lifetimes.ownsBuffer[$0] ? $0 : nil } }
        for id in Set(wholeOutputs.compactMap { $0 }).sorted() {
            let slot = try Tensor.unbound(graph.values[id].meta.shape, dtype: graph.values[id].meta.dtype)
            bound[id] = slot
            returned.append((id, slot))
        }
        func tensor(_ id: Int) throws -> Tensor {
            guard let t = bound[id] else { throw TensorError.value("graph \(graph.name): value %\(id) is used before it is computed") }
            return t
        }
        let memory = MemoryPlan(graph, lifetimes, shared: planMemory, returned: Set(returned.map(\.value)))
        graph.bufferOffsets = memory.offsets
        graph.returnedValues = Set(returned.map(\.value))
        graph.reports.append(PassReport(pass: "plan", summary: planMemory
            ? "buffers \(Allocator.describe(memory.unsharedBytes)) → arena \(Allocator.describe(memory.arenaBytes)) (\(memory.inPlaceReuses) written over a dying input)"
            : "off: every buffer has its own bytes, \(Allocator.describe(memory.arenaBytes))"))
        let arena = try Tensor.uninitialized([(memory.arenaBytes + 3) / 4], dtype: .float32)
        var steps: [Step] = []
        var written: [ObjectIdentifier: Tensor] = [:]
        var writtenArguments: Set<Int> = []
        var bytes = 0
        for node in graph.nodes {
            let ins = try node.inputs.map(tensor)
            switch node.op.kernel {
            case .view(let makeView):
                bound[node.outputs[0]] = try makeView(ins[0], node.attrs)
            case .compute(let kernel):
                if node.inPlace {
                    let target = ins[0]
                    bound[node.outputs[0]] = target
                    let result = try node.op.outputMetas(ins.map(\.meta), node.attrs)[0]
                    var temp: Tensor?
                    if result.dtype != target.dtype {
                        temp = try Tensor.uninitialized(result.shape, dtype: result.dtype)
                        bytes += result.byteCount
                    }
                    steps.append(Step(node: node, kernel: kernel,
                                      args: KernelArgs(inputs: ins, outputs: [temp ?? target], attrs: node.attrs), castInto: temp.map { _ in target }))
                    switch graph.values[lifetimes.owner[node.inputs[0]]].source {
                    case .captured(let t): written[ObjectIdentifier(t)] = t
                    case .argument(let i): writtenArguments.insert(i)
                    default: break
                    }
                } else {
                    var outs: [Tensor] = []
                    for id in node.outputs {
                        let meta = graph.values[id].meta
                        if bound[id] == nil {
                            bound[id] = try arena.reinterpreted(meta.shape, dtype: meta.dtype, byteOffset: memory.offsets[id] ?? 0)
                        }
                        outs.append(try tensor(id))
                    }
                    steps.append(Step(node: node, kernel: kernel, args: KernelArgs(inputs: ins, outputs: outs, attrs: node.attrs), castInto: nil))
                }
            }
        }
        outputBuffers = try graph.outputs.map(tensor)
        outputOwners = wholeOutputs
        gradientBuffers = try graph.gradients.map { try tensor($0.value) }
        self.steps = steps
        argumentSlots = arguments.sorted { $0.0 < $1.0 }.map(\.1)
        self.writtenArguments = writtenArguments
        returnedSlots = returned
        writtenCaptures = Array(written.values)
        writtenStorages = Set(written.values.map { ObjectIdentifier($0.storage) })
        allocatedBytes = bytes + memory.arenaBytes
        arenaBytes = memory.arenaBytes
        inPlaceReuses = memory.inPlaceReuses
        bytesMoved = try steps.reduce(0) { total, step in
            let cost = try step.node.op.costFor(step.args.inputs.map(\.meta), step.node.outputs.map { graph.values[$0].meta }, step.node.attrs)
            return total + cost.bytesRead + cost.bytesWritten
        }
    }

    /// Kernels one run launches (views launch none).
    var kernelCount: Int { steps.count }

    /// Points the argument slots at the caller's tensors and the returned values at fresh tensors,
    /// runs every kernel in trace order, and writes gradients back to their leaves. An argument
    /// that is not contiguous, or shares memory with state the function writes, goes through a
    /// contiguous copy (written back if the function writes it). Returns the function's outputs:
    /// the fresh tensors, or copies of values that live elsewhere.
    func run(_ arguments: [Tensor]) throws -> [Tensor] {
        guard arguments.count == argumentSlots.count else {
            throw TensorError.value("graph \(graph.name): expected \(argumentSlots.count) tensor arguments, got \(arguments.count)")
        }
        defer {
            for slot in argumentSlots { slot.unbind() }
            for r in returnedSlots { r.slot.unbind() }
        }
        var sources: [Tensor] = []
        for (slot, argument) in zip(argumentSlots, arguments) {
            let bindable = (argument.isContiguous || argument.count == 0) && !writtenStorages.contains(ObjectIdentifier(argument.storage))
            let source = bindable ? argument : try Self.copy(of: argument)
            try slot.bind(to: source)
            sources.append(source)
        }
        var results: [Int: Tensor] = [:]
        for r in returnedSlots {
            let fresh = try Tensor.uninitialized(r.slot.shape, dtype: r.slot.dtype)
            try r.slot.bind(to: fresh)
            results[r.value] = fresh
        }
        let ctx = EngineContext.current
        try withHandler(GraphRunHandler.shared) {
            if let observer = ctx.observer {
                for step in steps {
                    try runObserved(step, observer, ctx)
                    try ProcessGroup.advance()
                }
            } else {
                for step in steps {
                    try step.kernel(step.args)
                    if let target = step.castInto, let temp = step.args.outputs.first { try target.assignValues(from: temp) }
                    try ProcessGroup.advance()
                }
            }
        }
        for t in writtenCaptures { t.markWritten() }
        for i in writtenArguments {
            if sources[i] !== arguments[i] { try arguments[i].assignValues(from: sources[i]) } else { arguments[i].markWritten() }
        }
        for (write, buffer) in zip(graph.gradients, gradientBuffers) {
            let grad = results[write.value] ?? buffer
            switch write.leaf {
            case .argument(let i): arguments[i].grad = grad
            case .captured(let t): t.grad = grad
            }
        }
        for t in graph.consumedGradients { t.grad = nil }
        return try zip(outputOwners, outputBuffers).map { owner, buffer in try owner.flatMap { results[$0] } ?? Self.copy(of: buffer) }
    }

    /// A contiguous copy made without dispatch (a run may be inside a trace or a no-grad block).
    private static func copy(of t: Tensor) throws -> Tensor {
        let out = try Tensor.uninitialized(t.shape, dtype: t.dtype)
        try out.assignValues(from: t)
        return out
    }

    /// A step as the profiler sees it: labelled "graph", inside the scopes it was traced in.
    private func runObserved(_ step: Step, _ observer: DispatchObserver, _ ctx: EngineContext) throws {
        _ = try ctx.withScopes(step.node.scopes) {
            try observer.observe(step.node.op, step.args.inputs, step.node.attrs, inPlace: step.node.inPlace) {
                try step.kernel(step.args)
                if let target = step.castInto, let temp = step.args.outputs.first { try target.assignValues(from: temp) }
                return step.args.outputs
            }
        }
    }
}

/// Installed while a plan runs, so the profiler labels its kernels "graph"; any op a kernel
/// dispatches on its own runs eagerly.
final class GraphRunHandler: DispatchHandler, Sendable {
    static let shared = GraphRunHandler()
    var mode: String { "graph" }
    func call(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs) throws -> [Tensor] {
        try EagerHandler.shared.call(op, inputs, attrs)
    }
    func callInPlace(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs) throws -> Tensor {
        try EagerHandler.shared.callInPlace(op, inputs, attrs)
    }
}
