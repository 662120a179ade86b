/// Generators without threads: a generator's frame outlives each step, and a `yield` unwinds the
/// statements it is inside, each recording where it was (`path`, innermost first) and any state
/// it needs to go on (a loop's iterator, a `with`'s contexts). The next step walks back down the
/// path, outermost first, and continues after the `yield`. Every compound statement implements
/// `resume`; simple statements never yield (docs/language.md, "Generators").
final class GeneratorState {
    var path: [Int] = []
    /// State of the statements on the path, by node.
    var saved: [ObjectIdentifier: AnyObject] = [:]
    var yielded: Value = .none
    /// What `send(v)` passed in: the value of the `yield` being resumed.
    var sent: Value = .none
}

extension Frame {
    /// Records where a statement stopped when its body yielded, and passes the flow on.
    @inline(__always)
    func mark(_ flow: Flow, _ marker: Int) -> Flow {
        if case .yielded = flow { generator?.path.append(marker) }
        return flow
    }

    /// The marker the statement being resumed recorded.
    func resumeMarker() -> Int { generator?.path.popLast() ?? 0 }
}

extension Block {
    /// Continues a block at the statement that yielded.
    static func resume(_ body: [StmtNode], _ f: Frame) throws -> Flow {
        let start = f.resumeMarker()
        guard start < body.count else { return .normal }
        let s = body[start]
        let flow: Flow
        do { flow = try s.resume(f) } catch { throw f.locate(error, s.span) }
        if case .normal = flow { return try run(body, f, from: start + 1) }
        return f.mark(flow, start)
    }
}

/// `yield value` and `target = yield value`.
final class YieldStmt: StmtNode {
    let value: ExprNode?
    let target: TargetNode?
    init(_ value: ExprNode?, target: TargetNode?, _ span: Span) {
        self.value = value
        self.target = target
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        guard let g = f.generator else { throw ScriptError(.syntax, "'yield' outside a generator") }
        g.yielded = try value?.eval(f) ?? .none
        return .yielded
    }
    override func resume(_ f: Frame) throws -> Flow {
        if let target, let g = f.generator { try target.store(g.sent, f) }
        return .normal
    }
}

/// `yield from iterable`: yields each of its items in turn.
final class YieldFromStmt: StmtNode {
    let source: ExprNode
    init(_ source: ExprNode, _ span: Span) {
        self.source = source
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let v = try source.eval(f)
        let it: ValueIterator
        do { it = try Iteration.iterator(v, f.interp) } catch { throw f.locate(error, source.span) }
        return try step(it, f)
    }
    override func resume(_ f: Frame) throws -> Flow {
        guard let it = f.generator?.saved[ObjectIdentifier(self)] as? ValueIterator else { return .normal }
        return try step(it, f)
    }
    private func step(_ it: ValueIterator, _ f: Frame) throws -> Flow {
        guard let g = f.generator else { throw ScriptError(.syntax, "'yield' outside a generator") }
        let next: Value?
        do { next = try it.next() } catch { throw f.locate(error, source.span) }
        guard let v = next else {
            g.saved[ObjectIdentifier(self)] = nil
            return .normal
        }
        g.saved[ObjectIdentifier(self)] = it
        g.yielded = v
        return .yielded
    }
}

/// Runs a generator function's body one step per `next`.
final class GeneratorIterator: ValueIterator {
    let frame: Frame
    private var started = false
    private(set) var finished = false

    init(_ frame: Frame) { self.frame = frame }

    override func next() throws -> Value? { try send(.none) }

    func send(_ value: Value) throws -> Value? {
        guard !finished, let g = frame.generator else { return nil }
        if !started && !value.isNone { throw ScriptError(.type, "can't send non-None value to a just-started generator") }
        g.sent = value
        let flow: Flow
        do {
            flow = try frame.interp.inCall {
                started ? try Block.resume(frame.code.body, frame) : try Block.run(frame.code.body, frame)
            }
        } catch {
            finished = true
            throw error
        }
        started = true
        if case .yielded = flow { return g.yielded }
        finished = true
        return nil
    }

    /// `close()`: the generator ends where it is (its pending `finally` blocks do not run).
    func close() {
        finished = true
        frame.generator?.saved = [:]
    }
}
