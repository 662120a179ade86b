/// `try` / `except` / `else` / `finally`. An error is caught when its class (the raised object's,
/// or the class of the engine error's kind) derives from a handler's; `StepLimitError`, the
/// budget that bounds a fuzzed program, is never caught. Resume markers for generators: 0 the
/// body, 1 `else`, 2 `finally`, 3 + k handler k.
final class TryStmt: StmtNode {
    struct Handler {
        let type: ExprNode?
        let target: TargetNode?
        let body: [StmtNode]
        let span: Span
    }
    let body: [StmtNode]
    let handlers: [Handler]
    let orElse: [StmtNode]?
    let final: [StmtNode]?

    init(_ body: [StmtNode], _ handlers: [Handler], orElse: [StmtNode]?, finally final: [StmtNode]?, _ span: Span) {
        self.body = body
        self.handlers = handlers
        self.orElse = orElse
        self.final = final
        super.init(span)
    }

    override func exec(_ f: Frame) throws -> Flow { try execute(f, resumeAt: nil) }
    override func resume(_ f: Frame) throws -> Flow { try execute(f, resumeAt: f.resumeMarker()) }

    private func execute(_ f: Frame, resumeAt: Int?) throws -> Flow {
        if resumeAt == 2 { return f.mark(try Block.resume(final ?? [], f), 2) }
        let outcome: Flow
        do {
            outcome = try guarded(f, resumeAt)
        } catch {
            guard let final else { throw error }
            let flow = try Block.run(final, f)
            // `return`/`break` in a finally block discards the error, as in Python.
            if case .normal = flow { throw error }
            return f.mark(flow, 2)
        }
        guard let final, !isYield(outcome) else { return outcome }
        let flow = try Block.run(final, f)
        if case .normal = flow { return outcome }
        return f.mark(flow, 2)
    }

    private func isYield(_ flow: Flow) -> Bool {
        if case .yielded = flow { return true }
        return false
    }

    /// The body and, if it fails, the handler that matches; else the `else` block.
    private func guarded(_ f: Frame, _ resumeAt: Int?) throws -> Flow {
        if resumeAt == 1 { return f.mark(try Block.resume(orElse ?? [], f), 1) }
        if let r = resumeAt, r >= 3 { return try handle(r - 3, nil, f, resuming: true) }
        let flow: Flow
        do {
            flow = resumeAt == 0 ? try Block.resume(body, f) : try Block.run(body, f)
        } catch {
            let e = ScriptError.wrap(error)
            guard let k = try match(e, f) else { throw error }
            return try handle(k, e, f, resuming: false)
        }
        if isYield(flow) { return f.mark(flow, 0) }
        if case .normal = flow, let orElse { return f.mark(try Block.run(orElse, f), 1) }
        return flow
    }

    private func match(_ e: ScriptError, _ f: Frame) throws -> Int? {
        guard e.kind != .stepLimit, let cls = Exceptions.cls(of: e, f.interp) else { return nil }
        for (k, h) in handlers.enumerated() {
            guard let typeNode = h.type else { return k }
            let t = try typeNode.eval(f)
            let options: [Value]
            if case .tuple(let items) = t { options = items } else { options = [t] }
            for option in options {
                guard case .object(let c as ClassObject) = option, Exceptions.isException(c) else {
                    throw f.locate(ScriptError(.type, "catching classes that do not inherit from BaseException is not allowed"), typeNode.span)
                }
                if cls.isSubclass(of: c) { return k }
            }
        }
        return nil
    }

    private func handle(_ k: Int, _ e: ScriptError?, _ f: Frame, resuming: Bool) throws -> Flow {
        let h = handlers[k]
        if let e {
            if let t = h.target, let instance = Exceptions.instance(of: e, f.interp) {
                var kept = e
                kept.exceptionID = f.interp.remember(instance)
                try t.store(.object(instance), f)
                return f.mark(try f.interp.handling(kept) { try Block.run(h.body, f) }, 3 + k)
            }
            return f.mark(try f.interp.handling(e) { try Block.run(h.body, f) }, 3 + k)
        }
        return f.mark(try Block.resume(h.body, f), 3 + k)
    }
}

/// `raise`, `raise exc` and `raise exc from cause`.
final class RaiseStmt: StmtNode {
    let exception: ExprNode?
    let cause: ExprNode?
    init(_ exception: ExprNode?, cause: ExprNode?, _ span: Span) {
        self.exception = exception
        self.cause = cause
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        guard let exception else {
            guard let current = f.interp.currentlyHandled else { throw ScriptError(.runtime, "No active exception to reraise") }
            throw current
        }
        let v = try exception.eval(f)
        var error = try Exceptions.error(raising: v, f.interp)
        if let cause, let id = error.exceptionID, let instance = f.interp.raisedException(id) {
            instance.table["__cause__"] = try cause.eval(f)
        }
        error = error.located(span, f.code.source, f.code.name)
        throw error
    }
}
