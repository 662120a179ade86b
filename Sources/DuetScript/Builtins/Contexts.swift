import DuetTensor

/// A value usable in `with`: `run` wraps the block, so the engine's scoped APIs (`withNoGrad`,
/// `record`) restore their state however the block ends.
class ContextObject: ScriptObject {
    func enter() throws -> Value { .none }
    func run(_ body: () throws -> Flow) throws -> Flow { try body() }

    /// The context a `with` item gives: a built-in one, or an object with `__enter__`/`__exit__`.
    static func of(_ v: Value, _ interp: Interpreter) throws -> ContextObject {
        if case .object(let c as ContextObject) = v { return c }
        if let cls = v.objectValue?.scriptClass, cls.lookup("__enter__") != nil, cls.lookup("__exit__") != nil {
            return UserContext(v, interp)
        }
        throw ScriptError(.type, "'\(v.typeName)' object does not support the context manager protocol")
    }
}

/// A script object used in `with`: `__enter__` on entry, `__exit__(type, value, traceback)` on
/// the way out; a true result from `__exit__` swallows the error. A generator's `yield` inside
/// the block is not an exit.
final class UserContext: ContextObject {
    let value: Value
    let interp: Interpreter
    init(_ value: Value, _ interp: Interpreter) {
        self.value = value
        self.interp = interp
    }
    override var typeName: String { value.typeName }
    override func enter() throws -> Value { try Dunder.call(value, "__enter__", Arguments([])) ?? .none }
    override func run(_ body: () throws -> Flow) throws -> Flow {
        let flow: Flow
        do {
            flow = try body()
        } catch {
            let e = ScriptError.wrap(error)
            guard e.kind != .stepLimit else { throw error }
            let instance = Exceptions.instance(of: e, interp).map { Value.object($0) } ?? .none
            let type = Exceptions.cls(of: e, interp).map { Value.object($0) } ?? .none
            let suppress = try Dunder.call(value, "__exit__", Arguments([type, instance, .none])) ?? .none
            if try Operators.truthy(suppress) { return .normal }
            throw error
        }
        if case .yielded = flow { return flow }
        _ = try Dunder.call(value, "__exit__", Arguments([.none, .none, .none]))
        return flow
    }
}

/// `no_grad()` / `enable_grad()` / `inference_mode()`: a context, and a decorator
/// (`@torch.no_grad()`). `set_grad_enabled(mode)` also sets the mode as it is made, as
/// PyTorch's does, and a `with` block over it restores the mode from before.
final class GradModeContext: ContextObject {
    let enabled: Bool
    let name: String
    let previous: Bool?
    init(enabled: Bool, name: String, previous: Bool? = nil) {
        self.enabled = enabled
        self.name = name
        self.previous = previous
    }
    override var typeName: String { name }
    override func run(_ body: () throws -> Flow) throws -> Flow {
        defer { if let previous { EngineContext.current.gradEnabled = previous } }
        return try withGradMode(enabled, body)
    }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        let wrapped = try Self.decorated.bind(args).value("function")
        let enabled = self.enabled
        return .object(BuiltinFunction("wrapper(*args, **kwargs)", "Runs \(Repr.repr(wrapped)) with gradients \(enabled ? "on" : "off").") { b, interp in
            try withGradMode(enabled) { try interp.callValue(wrapped, b.args) }
        })
    }
    private static let decorated = Signature("decorator(function, /)")
}

/// `record("name")`: labels the ops of a block for the profiler.
final class RecordContext: ContextObject {
    let name: String
    init(_ name: String) { self.name = name }
    override var typeName: String { "record" }
    override func run(_ body: () throws -> Flow) throws -> Flow { try record(name, body) }
}

enum Contexts {
    static func register(_ r: Builtins.Registrar) {
        r.function("no_grad()", "A context (or decorator) in which operations record no gradients.", [.flat, .torch]) { _, _ in
            .object(GradModeContext(enabled: false, name: "no_grad"))
        }
        r.function("enable_grad()", "A context (or decorator) that turns gradient recording back on.", [.flat, .torch]) { _, _ in
            .object(GradModeContext(enabled: true, name: "enable_grad"))
        }
        r.function("inference_mode(mode=True)", "no_grad for inference (a context or decorator); with mode=False it changes nothing.", [.flat, .torch]) { b, _ in
            .object(GradModeContext(enabled: try b.bool("mode") ? false : EngineContext.current.gradEnabled, name: "inference_mode"))
        }
        r.function("set_grad_enabled(mode)", "Turns gradient recording on or off now; as a context, only for its block.", [.flat, .torch]) { b, _ in
            let ctx = EngineContext.current
            let previous = ctx.gradEnabled
            ctx.gradEnabled = try b.bool("mode")
            return .object(GradModeContext(enabled: ctx.gradEnabled, name: "set_grad_enabled", previous: previous))
        }
        r.function("is_grad_enabled()", "Whether operations currently record gradients.", [.flat, .torch]) { _, _ in
            .bool(EngineContext.current.gradEnabled)
        }
        r.function("is_inference_mode_enabled()", "Whether an inference_mode block is running (Duet: whether gradients are off).", [.flat, .torch]) { _, _ in
            .bool(!EngineContext.current.gradEnabled)
        }
        r.function("record(name)", "A context that labels the ops it runs as `name` in the profiler.", [.flat, .torch]) { b, _ in
            .object(RecordContext(try b.string("name")))
        }
        r.function("profile(print=True, sort_by='self', group_by='op', top=20)",
                   "A context that records every kernel of its block and prints the profile table at its end (top=None: every row).", [.flat, .torch]) { b, interp in
            .object(ProfileContext(interp, printsTable: try b.bool("print"), sortBy: try ProfileContext.column(try b.string("sort_by")),
                                   groupBy: try ProfileContext.grouping(try b.string("group_by")), top: try b.optionalInt("top")))
        }
    }
}

/// `with profile() as prof:` records every kernel the block runs and prints the table when it
/// ends; `prof.table(...)` re-renders it and `prof.export_chrome_trace(path)` writes a trace.
final class ProfileContext: ContextObject {
    let profiler = Profiler()
    let interp: Interpreter
    let printsTable: Bool
    let sortBy: ProfileColumn
    let groupBy: ProfileGrouping
    let top: Int?

    init(_ interp: Interpreter, printsTable: Bool, sortBy: ProfileColumn, groupBy: ProfileGrouping, top: Int?) {
        self.interp = interp
        self.printsTable = printsTable
        self.sortBy = sortBy
        self.groupBy = groupBy
        self.top = top
    }

    override var typeName: String { "profile" }
    override func enter() throws -> Value { .object(self) }

    override func run(_ body: () throws -> Flow) throws -> Flow {
        profiler.start()
        let flow: Flow
        do {
            flow = try body()
        } catch {
            profiler.stop()
            throw error
        }
        profiler.stop()
        if printsTable { interp.write(table(sortBy, groupBy, top) + "\n") }
        return flow
    }

    func table(_ sort: ProfileColumn, _ group: ProfileGrouping, _ limit: Int?) -> String {
        ProfileTable(profiler.recording, groupBy: group, sortBy: sort, limit: limit).text()
    }

    override var repr: String { table(sortBy, groupBy, top) }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "table":
            return .object(BuiltinFunction("table(sort_by=None, group_by=None, top=None)", "The kernel table, sorted and grouped (by default as the profile was).") { [self] b, _ in
                .str(table(try b.optionalString("sort_by").map(Self.column) ?? sortBy, try b.optionalString("group_by").map(Self.grouping) ?? groupBy,
                           b.isGiven("top") ? try b.optionalInt("top") : top))
            })
        case "key_averages":
            return .object(BuiltinFunction("key_averages()", "This profile (PyTorch spelling; call .table() on it).") { [self] _, _ in .object(self) })
        case "export_chrome_trace":
            return .object(BuiltinFunction("export_chrome_trace(path)", "Writes a Chrome trace (open it in Perfetto or chrome://tracing); with several ranks every rank calls it and rank 0 writes one trace with a process row per rank.") { [self] b, _ in
                let path = try b.string("path")
                guard let group = ProcessGroup.current, group.worldSize > 1 else { return .int(try ChromeTrace.write(profiler.recording, to: path).opEvents) }
                return .int(try Self.exportRanks(profiler.recording, group, to: path))
            })
        case "events": return .int(profiler.events.count)
        default: return nil
        }
    }

    /// Every rank's events on the earliest rank's clock, one process row each, written by
    /// rank 0; returns the op events this rank exported.
    private static func exportRanks(_ recording: ProfileRecording, _ group: ProcessGroup, to path: String) throws -> Int {
        if group.rank == 0 { try ChromeTrace.checkWritable(path) }
        let start = try Tensor([Double(recording.startNs)], shape: [1], dtype: .int64)
        _ = try Dispatch.inPlace(Ops.allReduce, [start], Attrs([.int(ReduceOp.min.rawValue)]))
        let origin = UInt64(try start.item())
        let (json, summary) = ChromeTrace.encode(recording, process: ChromeProcess(pid: group.rank + 1, name: "rank \(group.rank)", originNs: origin))
        if let all = try group.gatherBytes(Array(json.utf8)) {
            try ChromeTrace.write(try ChromeTrace.merge(all.map { String(decoding: $0, as: UTF8.self) }), to: path)
        }
        return summary.opEvents
    }

    static func column(_ name: String) throws -> ProfileColumn {
        guard let c = ProfileColumn(rawValue: name) else {
            throw ScriptError(.value, "unknown sort_by '\(name)'; expected one of \(ProfileColumn.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return c
    }

    static func grouping(_ name: String) throws -> ProfileGrouping {
        guard let g = ProfileGrouping(rawValue: name) else {
            throw ScriptError(.value, "unknown group_by '\(name)'; expected one of \(ProfileGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return g
    }
}
