import DuetTensor

/// What a traced function hands back: its output tensors, and how to build the caller's result
/// from them (a tuple, a dict, a single tensor).
public struct Traced<Output> {
    public let tensors: [Tensor]
    public let rebuild: ([Tensor]) throws -> Output
    public init(tensors: [Tensor], rebuild: @escaping ([Tensor]) throws -> Output) {
        self.tensors = tensors
        self.rebuild = rebuild
    }
}

/// A function run in graph mode (TensorFlow's `tf.function`, JAX's `jit`). The first call for a
/// signature traces the body on symbolic tensors into a graph and builds a plan; later calls with
/// that signature only run the plan. A call with a new signature, or after outside state the trace
/// read has changed (a module switched to eval mode), retraces and says why.
///
/// The outputs are fresh tensors each call (the plan writes them directly), so results from
/// earlier calls stay valid; they carry no autograd history — call `backward()` inside the function.
public final class CompiledFunction<Output> {
    public let name: String
    private let body: ([Tensor]) throws -> Traced<Output>
    private var cache: [Signature: Entry] = [:]
    private var lastSignature: Signature?
    /// Told the reason each time a call retraces (the language prints it).
    public var onRetrace: ((String) -> Void)?
    /// "retracing f: argument 1 shape [64,784] → [32,784]", one per retrace.
    public private(set) var retraceReasons: [String] = []
    public private(set) var traceCount = 0
    /// Leave every gradient on its parameter after a run, even those the function's own optimizer
    /// step consumed (by default those are dropped, which lets the memory plan reuse their bytes).
    public var keepGradients = false
    /// The passes run on each new trace.
    public var passes = PassOptions()

    struct Entry {
        let plan: Plan
        let rebuild: ([Tensor]) throws -> Output
        let guards: [TraceGuard]
    }

    public init(name: String, _ body: @escaping ([Tensor]) throws -> Traced<Output>) {
        self.name = name
        self.body = body
    }

    public func callAsFunction(_ tensors: [Tensor], statics: [String] = []) throws -> Output {
        let entry = try entry(tensors, statics)
        return try entry.rebuild(try entry.plan.run(tensors))
    }

    /// The graph for a signature, tracing it if needed (without running it).
    public func graph(_ tensors: [Tensor], statics: [String] = []) throws -> Graph {
        try entry(tensors, statics).plan.graph
    }

    /// The graph of the most recent call, if any.
    public var lastGraph: Graph? { lastSignature.flatMap { cache[$0]?.plan.graph } }

    /// Kernels and bytes of the most recent call's plan, for `compare`.
    public var lastPlanStats: (kernels: Int, bytesMoved: Int, bufferBytes: Int)? {
        lastSignature.flatMap { cache[$0] }.map { ($0.plan.kernelCount, $0.plan.bytesMoved, $0.plan.allocatedBytes) }
    }

    private func entry(_ tensors: [Tensor], _ statics: [String]) throws -> Entry {
        let signature = Signature(tensors, statics: statics)
        var reason: String?
        if let e = cache[signature] {
            guard let changed = e.guards.first(where: { $0.current() != $0.traced }) else {
                lastSignature = signature
                return e
            }
            reason = "\(changed.name) \(changed.traced) → \(changed.current())"
        } else if let old = lastSignature {
            reason = signature.difference(from: old)
        }
        if let reason {
            let line = "retracing \(name): \(reason)"
            retraceReasons.append(line)
            onRetrace?(line)
        }
        let e = try trace(tensors)
        cache[signature] = e
        lastSignature = signature
        return e
    }

    private func trace(_ tensors: [Tensor]) throws -> Entry {
        guard !EngineContext.current.isTracing else {
            throw TensorError.value("\(name): a compiled function cannot be called while another one is being traced")
        }
        let tracer = Tracer(name: name, keepGradients: keepGradients)
        let traced: Traced<Output>
        do {
            let standIns = try tensors.enumerated().map { try tracer.argument($0, like: $1) }
            traced = try withHandler(TracingHandler(recorder: tracer)) { try body(standIns) }
            try tracer.finish(outputs: traced.tensors)
        } catch {
            tracer.restoreGradients()
            throw error
        }
        tracer.restoreGradients()
        traceCount += 1
        tracer.graph.reports = try PassPipeline.run(tracer.graph, passes)
        return Entry(plan: try Plan(graph: tracer.graph, planMemory: passes.plan), rebuild: traced.rebuild, guards: tracer.guards)
    }
}

/// Compiles a function of tensors to tensors: the Swift API's `compile`.
public func compile(_ name: String = "f", passes: PassOptions = PassOptions(), _ f: @escaping ([Tensor]) throws -> [Tensor]) -> CompiledFunction<[Tensor]> {
    let compiled = CompiledFunction(name: name) { inputs in Traced(tensors: try f(inputs), rebuild: { $0 }) }
    compiled.passes = passes
    return compiled
}
