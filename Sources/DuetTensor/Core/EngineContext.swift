#if canImport(Glibc)
import Glibc
#endif

/// Per-thread engine state: which handler runs ops (eager or a tracer), whether gradients are
/// recorded, and the tape log. Thread-local so that no state is shared without a lock: the
/// interpreter thread owns its context, pool workers never touch one.
public final class EngineContext {
    public var handler: DispatchHandler = EagerHandler.shared
    public var gradEnabled = true
    /// The most elements any op's result may have (views included), and creation functions may
    /// make: above it an op throws instead of trying to allocate or walk the tensor. The
    /// interpreter's `maxTensorElements` sets it; a fuzz test lowers it.
    public var maxElements = 1 << 31
    public let tape = TapeLog()
    /// Tensor storages allocated by this thread: a count other threads cannot disturb (the
    /// allocator's own counters are process-wide), for checking what one piece of code allocates.
    public internal(set) var allocations = 0
    /// Overrides the shared random generator on this thread (see `withGenerator`).
    public var generator: Generator?
    /// The profiler, when one is recording on this thread.
    public var observer: DispatchObserver?
    /// Enclosing named regions, outermost first: `record("name")` blocks, module paths, backward nodes.
    public private(set) var scopes: [String] = []
    /// Where the running script is (`file:line`), set by the language while a caller wants each
    /// traced op to carry its line (ONNX export): nil costs tracing nothing.
    public var sourceLocator: (() -> String?)?

    /// Runs `body` inside a named region the profiler attributes ops to.
    public func withScope<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
        scopes.append(name)
        defer { scopes.removeLast() }
        return try body()
    }

    /// Runs `body` with the scope stack replaced by `names` (the graph executor restores the scopes
    /// a node was traced in, so its profile rows land where eager ones would).
    public func withScopes<R>(_ names: [String], _ body: () throws -> R) rethrows -> R {
        let saved = scopes
        scopes = names
        defer { scopes = saved }
        return try body()
    }

    public static var current: EngineContext {
        if let p = pthread_getspecific(engineContextKey) {
            return Unmanaged<EngineContext>.fromOpaque(p).takeUnretainedValue()
        }
        let ctx = EngineContext()
        pthread_setspecific(engineContextKey, Unmanaged.passRetained(ctx).toOpaque())
        return ctx
    }
}

private let engineContextKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { p in
        if let p { Unmanaged<EngineContext>.fromOpaque(p).release() }
    }
    return key
}()

/// Runs `body` with gradient recording off (PyTorch's `torch.no_grad()`), restoring the mode after.
public func withNoGrad<R>(_ body: () throws -> R) rethrows -> R {
    try withGradMode(false, body)
}

public func withGradMode<R>(_ enabled: Bool, _ body: () throws -> R) rethrows -> R {
    let ctx = EngineContext.current
    let saved = ctx.gradEnabled
    ctx.gradEnabled = enabled
    defer { ctx.gradEnabled = saved }
    return try body()
}

/// Labels the ops `body` runs for the profiler (the language's `with record("name"):`).
public func record<R>(_ name: String, _ body: () throws -> R) rethrows -> R {
    try EngineContext.current.withScope(name, body)
}

/// Runs `body` with another dispatch handler installed (the tracer uses this).
public func withHandler<R>(_ handler: DispatchHandler, _ body: () throws -> R) rethrows -> R {
    let ctx = EngineContext.current
    let saved = ctx.handler
    ctx.handler = handler
    defer { ctx.handler = saved }
    return try body()
}
