import DuetTensor

/// State outside a compiled function's tensors that its trace depended on, such as a module's
/// training flag (Dropout draws a mask only while training). Each is checked before every run;
/// when one has changed the function retraces and says why, as torch.compile's guards do.
public struct TraceGuard {
    /// Which state it is (one guard per piece of state, however often it is read).
    let key: AnyHashable
    /// What was read: "Dropout.training".
    public let name: String
    /// Its value when the function was traced, printed.
    public let traced: String
    /// Its value now, printed.
    public let current: () -> String
}

/// Records that the code being traced read the state `key` (shown as `name`) and behaved
/// according to `value`; outside a trace it does nothing, so layers call it on every read.
public func noteTraceDependency(_ key: AnyHashable, _ name: String, value: String, current: @escaping () -> String) {
    guard let tracer = (EngineContext.current.handler as? TracingHandler)?.recorder as? Tracer,
          !tracer.guards.contains(where: { $0.key == key }) else { return }
    tracer.guards.append(TraceGuard(key: key, name: name, traced: value, current: current))
}
