import DuetTensor

/// A graph made runnable for one signature: every value is bound to a tensor once — arguments
/// to buffers they are copied into, captured state to itself, compute outputs to buffers
/// allocated here, views to views made here, in-place results to their targets — and each
/// compute node becomes a kernel call whose arguments are fixed. A run is then a loop over
/// kernels: no dispatch, no shape rules, no tape, no allocation.
final class Plan {
    let graph: Graph
    /// The tensor each value the run reads or leaves behind lives in, by value id (values a
    /// fused group keeps in its tiles have none).
    private let buffers: [Tensor?]
    /// Values read after the run: the outputs, and the gradients written back to leaves.
    private let outputBuffers: [Tensor]
    private let gradientBuffers: [Tensor]
    private let steps: [Step]
    private let argumentValues: [Int]
    /// Captured tensors the plan writes in place; their versions are bumped after each run.
    private let writtenCaptures: [Tensor]
    /// Bytes of the buffers this plan allocated (arguments and the arena).
    let allocatedBytes: Int
    /// The one arena every computed value lives in, at offsets the memory plan chose.
    let arenaBytes: Int
    let inPlaceReuses: Int

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
        var bound = [Tensor?](repeating: nil, count: graph.values.count)
        var arguments: [(Int, Int)] = []
        var bytes = 0
        for v in graph.values {
            switch v.source {
            case .argument(let i):
                bound[v.id] = try Tensor.uninitialized(v.meta.shape, dtype: v.meta.dtype)
                arguments.append((i, v.id))
                bytes += v.meta.byteCount
            case .captured(let t), .constant(let t):
                bound[v.id] = t
            case .node:
                break
            }
        }
        func tensor(_ id: Int) throws -> Tensor {
            guard let t = bound[id] else { throw TensorError.value("graph \(graph.name): value %\(id) is used before it is computed") }
            return t
        }
        let lifetimes = Lifetimes(graph)
        let memory = MemoryPlan(graph, lifetimes, shared: planMemory)
        graph.bufferOffsets = memory.offsets
        graph.reports.append(PassReport(pass: "plan", summary: planMemory
            ? "buffers \(Allocator.describe(memory.unsharedBytes)) → arena \(Allocator.describe(memory.arenaBytes)) (\(memory.inPlaceReuses) written over a dying input)"
            : "off: every buffer has its own bytes, \(Allocator.describe(memory.arenaBytes))"))
        let arena = try Tensor.uninitialized([(memory.arenaBytes + 3) / 4], dtype: .float32)
        var steps: [Step] = []
        var written: [ObjectIdentifier: Tensor] = [:]
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
                    if case .captured(let t) = graph.values[lifetimes.owner[node.inputs[0]]].source { written[ObjectIdentifier(t)] = t }
                } else {
                    var outs: [Tensor] = []
                    for id in node.outputs {
                        let meta = graph.values[id].meta
                        outs.append(try arena.reinterpreted(meta.shape, dtype: meta.dtype, byteOffset: memory.offsets[id] ?? 0))
                        bound[id] = outs.last
                    }
                    steps.append(Step(node: node, kernel: kernel, args: KernelArgs(inputs: ins, outputs: outs, attrs: node.attrs), castInto: nil))
                }
            }
        }
        buffers = bound
        outputBuffers = try graph.outputs.map(tensor)
        gradientBuffers = try graph.gradients.map { try tensor($0.value) }
        self.steps = steps
        argumentValues = arguments.sorted { $0.0 < $1.0 }.map(\.1)
        writtenCaptures = Array(written.values)
        allocatedBytes = bytes + memory.arenaBytes
        arenaBytes = memory.arenaBytes
        inPlaceReuses = memory.inPlaceReuses
    }

    /// Kernels one run launches (views launch none).
    var kernelCount: Int { steps.count }

    /// Bytes the kernels read and write, from the registry's cost model.
    var bytesMoved: Int {
        steps.reduce(0) { total, step in
            let cost = step.node.op.costFor(step.args.inputs.map(\.meta), step.node.outputs.map { graph.values[$0].meta }, step.node.attrs)
            return total + cost.bytesRead + cost.bytesWritten
        }
    }

    /// Copies the arguments in, runs every kernel in trace order, and writes gradients back to
    /// their leaves. Returns the buffers of the graph's outputs (the caller copies them out).
    func run(_ arguments: [Tensor]) throws -> [Tensor] {
        guard arguments.count == argumentValues.count else {
            throw TensorError.value("graph \(graph.name): expected \(argumentValues.count) tensor arguments, got \(arguments.count)")
        }
        for (i, id) in argumentValues.enumerated() { try buffers[id]?.assignValues(from: arguments[i]) }
        let ctx = EngineContext.current
        try withHandler(GraphRunHandler.shared) {
            if let observer = ctx.observer {
                for step in steps { try runObserved(step, observer, ctx) }
            } else {
                for step in steps {
                    try step.kernel(step.args)
                    if let target = step.castInto, let temp = step.args.outputs.first { try target.assignValues(from: temp) }
                }
            }
        }
        for t in writtenCaptures { t.markWritten() }
        for (write, buffer) in zip(graph.gradients, gradientBuffers) {
            switch write.leaf {
            case .argument(let i): arguments[i].grad = buffer
            case .captured(let t): t.grad = buffer
            }
        }
        for t in graph.consumedGradients { t.grad = nil }
        return outputBuffers
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
