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

/// `no_grad()` / `enable_grad()`: a context, and a decorator (`@torch.no_grad()`).
final class GradModeContext: ContextObject {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }
    override var typeName: String { enabled ? "enable_grad" : "no_grad" }
    override func run(_ body: () throws -> Flow) throws -> Flow { try withGradMode(enabled, body) }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        try args.expectPositional(typeName, min: 1, max: 1)
        let wrapped = args.positional[0]
        let enabled = self.enabled
        return .object(BuiltinFunction("\(typeName)(\(Repr.repr(wrapped)))", "(*args, **kwargs)", "Runs the function with gradients \(enabled ? "on" : "off").") { a, interp in
            try withGradMode(enabled) { try interp.callValue(wrapped, a) }
        })
    }
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
        r.function("no_grad", "no_grad()", "A context (or decorator) in which operations record no gradients.", [.flat, .torch]) { a, _ in
            try a.expectPositional("no_grad", min: 0, max: 0)
            return .object(GradModeContext(enabled: false))
        }
        r.function("enable_grad", "enable_grad()", "A context (or decorator) that turns gradient recording back on.", [.flat, .torch]) { a, _ in
            try a.expectPositional("enable_grad", min: 0, max: 0)
            return .object(GradModeContext(enabled: true))
        }
        r.function("is_grad_enabled", "is_grad_enabled()", "Whether operations currently record gradients.", [.flat, .torch]) { _, _ in
            .bool(EngineContext.current.gradEnabled)
        }
        r.function("record", "record(name)", "A context that labels the ops it runs as `name` in the profiler.", [.flat, .torch]) { a, _ in
            let b = try BoundArguments(a, "record", ["name"], required: 1)
            return .object(RecordContext(try b.string(0, "")))
        }
        r.function("profile", "profile(print=True, sort_by='self', group_by='op', top=20)",
                   "A context that records every kernel of its block and prints the profile table at its end (top=None: every row).", [.flat, .torch]) { a, interp in
            let b = try BoundArguments(a, "profile", ["print", "sort_by", "group_by", "top"])
            return .object(ProfileContext(interp, printsTable: try b.bool(0, true), sortBy: try ProfileContext.column(b[1]) ?? .selfTime,
                                          groupBy: try ProfileContext.grouping(b[2]) ?? .op, top: b.isGiven(3) ? try b.optionalInt(3) : 20))
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
            return .object(BuiltinFunction("table", "table(sort_by='self', group_by='op', top=None)", "The kernel table, sorted and grouped.") { [self] a, _ in
                let b = try BoundArguments(a, "table", ["sort_by", "group_by", "top"])
                return .str(table(try Self.column(b[0]) ?? sortBy, try Self.grouping(b[1]) ?? groupBy, b.isGiven(2) ? try b.optionalInt(2) : top))
            })
        case "key_averages":
            return .object(BuiltinFunction("key_averages", "key_averages()", "This profile (PyTorch spelling; call .table() on it).") { [self] _, _ in .object(self) })
        case "export_chrome_trace":
            return .object(BuiltinFunction("export_chrome_trace", "export_chrome_trace(path)", "Writes a Chrome trace (open it in Perfetto or chrome://tracing).") { [self] a, _ in
                let path = try BoundArguments(a, "export_chrome_trace", ["path"], required: 1).string(0, "")
                let summary = try ChromeTrace.write(profiler.recording, to: path)
                return .int(summary.opEvents)
            })
        case "events": return .int(profiler.events.count)
        default: return nil
        }
    }

    static func column(_ v: Value?) throws -> ProfileColumn? {
        guard let v else { return nil }
        let name = try Convert.string(v, "sort_by")
        guard let c = ProfileColumn(rawValue: name) else {
            throw ScriptError(.value, "unknown sort_by '\(name)'; expected one of \(ProfileColumn.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return c
    }

    static func grouping(_ v: Value?) throws -> ProfileGrouping? {
        guard let v else { return nil }
        let name = try Convert.string(v, "group_by")
        guard let g = ProfileGrouping(rawValue: name) else {
            throw ScriptError(.value, "unknown group_by '\(name)'; expected one of \(ProfileGrouping.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return g
    }
}
