import DuetTensor

/// Executable statement. `exec` reports whether control leaves the enclosing loop or function.
class StmtNode {
    let span: Span
    init(_ span: Span) { self.span = span }
    func exec(_ f: Frame) throws -> Flow { .normal }
    /// Continues this statement in a generator after a `yield` inside it (`Generators.swift`).
    func resume(_ f: Frame) throws -> Flow { .normal }
}

/// Runs statements in order, checking for interruption and the step budget before each, and
/// locating any error not located yet at the statement that raised it.
enum Block {
    /// While a caller wants each op's line (ONNX export), `Interpreter.currentLine` follows the
    /// statement running and returns to the enclosing one after the block.
    @inline(__always)
    static func run(_ body: [StmtNode], _ f: Frame, from start: Int = 0) throws -> Flow {
        let tracking = f.interp.tracksLines
        let outer = tracking ? f.interp.currentLine : nil
        defer { if tracking { f.interp.currentLine = outer } }
        var i = start
        while i < body.count {
            let s = body[i]
            try f.interp.checkpoint()
            if tracking { f.interp.currentLine = SourceLocation(file: f.code.source.name, line: Int(s.span.line), column: Int(s.span.column)) }
            let flow: Flow
            do { flow = try s.exec(f) } catch { throw f.locate(error, s.span) }
            if case .normal = flow {
                i += 1
                continue
            }
            return f.mark(flow, i)
        }
        return .normal
    }
}

final class ExprStmt: StmtNode {
    let expr: ExprNode
    /// Top-level expression statements in the REPL and notebooks show their value, as IPython does.
    let echo: Bool
    init(_ expr: ExprNode, echo: Bool, _ span: Span) {
        self.expr = expr
        self.echo = echo
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let v = try expr.eval(f)
        if echo && !v.isNone { f.interp.write(Repr.repr(v) + "\n") }
        return .normal
    }
}

final class AssignStmt: StmtNode {
    let targets: [TargetNode]
    let value: ExprNode
    init(_ targets: [TargetNode], _ value: ExprNode, _ span: Span) {
        self.targets = targets
        self.value = value
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let v: Value
        do { v = try value.eval(f) } catch {
            if value.isCall, let partial = f.interp.takeInterruptedResult(error) { for t in targets { try t.store(partial, f) } }
            throw error
        }
        for t in targets { try t.store(v, f) }
        return .normal
    }
}

/// A single `name = value`, the most common statement, without the targets loop.
final class SimpleAssignStmt: StmtNode {
    let target: TargetNode
    let value: ExprNode
    init(_ target: TargetNode, _ value: ExprNode, _ span: Span) {
        self.target = target
        self.value = value
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let v: Value
        do { v = try value.eval(f) } catch {
            if value.isCall, let partial = f.interp.takeInterruptedResult(error) { try target.store(partial, f) }
            throw error
        }
        try target.store(v, f)
        return .normal
    }
}

/// `x op= value`. Tensors update in place (`add_`…) as PyTorch's `__iadd__` does, so a parameter
/// stays the same object; lists extend in place; everything else rebinds.
final class AugmentedAssignStmt: StmtNode {
    let target: TargetNode
    let op: BinaryOperator
    let value: ExprNode
    init(_ target: TargetNode, _ op: BinaryOperator, _ value: ExprNode, _ span: Span) {
        self.target = target
        self.op = op
        self.value = value
        super.init(span)
    }

    override func exec(_ f: Frame) throws -> Flow {
        switch target {
        case let t as SubscriptTarget:
            let o = try t.object.eval(f)
            let i = try t.index.eval(f)
            let current: Value
            do { current = try Subscript.get(o, i, f.interp) } catch { throw f.locate(error, t.span) }
            let updated = try combine(current, try value.eval(f), f)
            do { try Subscript.set(o, i, updated, f.interp) } catch { throw f.locate(error, t.span) }
        case let t as AttributeTarget:
            let o = try t.object.eval(f)
            let current: Value
            do { current = try Attributes.get(o, t.name, f.interp) } catch { throw f.locate(error, t.span) }
            let updated = try combine(current, try value.eval(f), f)
            do { try Attributes.set(o, t.name, updated, f.interp) } catch { throw f.locate(error, t.span) }
        default:
            let current = try target.load(f)
            try target.store(try combine(current, try value.eval(f), f), f)
        }
        return .normal
    }

    private func combine(_ current: Value, _ rhs: Value, _ f: Frame) throws -> Value {
        do {
            switch (current, op) {
            case (.tensor(let t), .add), (.tensor(let t), .subtract), (.tensor(let t), .multiply), (.tensor(let t), .divide):
                guard let def = Operators.op(for: op), let other = rhs.asTensorOperand else { break }
                return .tensor(try Dispatch.inPlace(def, [t, other]))
            case (.list(let l), .add):
                l.items += try Iteration.collect(rhs, f.interp)
                return current
            case (.object(let s as SetObject), .bitOr):
                for v in try Iteration.collect(rhs, f.interp) { try s.insert(v) }
                return current
            case (.object, _):
                if let v = try Dunder.inPlace(op, current, rhs) { return v }
            default:
                break
            }
            return try Operators.binary(op, current, rhs)
        } catch {
            throw f.locate(error, span)
        }
    }
}

final class IfStmt: StmtNode {
    let conditions: [ExprNode]
    let bodies: [[StmtNode]]
    let otherwise: [StmtNode]?
    init(_ conditions: [ExprNode], _ bodies: [[StmtNode]], _ otherwise: [StmtNode]?, _ span: Span) {
        self.conditions = conditions
        self.bodies = bodies
        self.otherwise = otherwise
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        for (i, c) in conditions.enumerated() {
            let v = try c.eval(f)
            let taken: Bool
            do { taken = try Operators.truthy(v) } catch { throw f.locate(error, c.span) }
            if taken { return f.mark(try Block.run(bodies[i], f), i) }
        }
        if let otherwise { return f.mark(try Block.run(otherwise, f), bodies.count) }
        return .normal
    }
    override func resume(_ f: Frame) throws -> Flow {
        let branch = f.resumeMarker()
        let body = branch < bodies.count ? bodies[branch] : otherwise ?? []
        return f.mark(try Block.resume(body, f), branch)
    }
}

final class WhileStmt: StmtNode {
    let condition: ExprNode
    let body: [StmtNode]
    let orElse: [StmtNode]?
    init(_ condition: ExprNode, _ body: [StmtNode], orElse: [StmtNode]?, _ span: Span) {
        self.condition = condition
        self.body = body
        self.orElse = orElse
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow { try loop(f, resuming: false) }

    override func resume(_ f: Frame) throws -> Flow {
        if f.resumeMarker() == 1 { return f.mark(try Block.resume(orElse ?? [], f), 1) }
        return try loop(f, resuming: true)
    }

    private func loop(_ f: Frame, resuming: Bool) throws -> Flow {
        var resumingBody = resuming
        while true {
            if !resumingBody {
                try f.interp.checkpoint()
                let v = try condition.eval(f)
                let going: Bool
                do { going = try Operators.truthy(v) } catch { throw f.locate(error, condition.span) }
                guard going else { return try orElse.map { f.mark(try Block.run($0, f), 1) } ?? .normal }
            }
            let flow = resumingBody ? try Block.resume(body, f) : try Block.run(body, f)
            resumingBody = false
            switch flow {
            case .breakLoop: return .normal
            case .returned: return .returned
            case .yielded: return f.mark(.yielded, 0)
            case .normal, .continueLoop: continue
            }
        }
    }
}

final class ForStmt: StmtNode {
    let target: TargetNode
    let iterable: ExprNode
    let body: [StmtNode]
    let orElse: [StmtNode]?
    init(_ target: TargetNode, _ iterable: ExprNode, _ body: [StmtNode], orElse: [StmtNode]?, _ span: Span) {
        self.target = target
        self.iterable = iterable
        self.body = body
        self.orElse = orElse
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let source = try iterable.eval(f)
        if case .object(let o) = source, let r = o as? RangeObject { return try loop(r, f) }
        let it: ValueIterator
        do { it = try Iteration.iterator(source, f.interp) } catch { throw f.locate(error, iterable.span) }
        return try loop(it, f, resuming: false)
    }

    override func resume(_ f: Frame) throws -> Flow {
        if f.resumeMarker() == 1 { return f.mark(try Block.resume(orElse ?? [], f), 1) }
        guard let it = f.generator?.saved[ObjectIdentifier(self)] as? ValueIterator else { return .normal }
        return try loop(it, f, resuming: true)
    }

    private func loop(_ it: ValueIterator, _ f: Frame, resuming: Bool) throws -> Flow {
        var resumingBody = resuming
        while true {
            if !resumingBody {
                try f.interp.checkpoint()
                let next: Value?
                do { next = try it.next() } catch { throw f.locate(error, iterable.span) }
                guard let item = next else { return try orElse.map { f.mark(try Block.run($0, f), 1) } ?? .normal }
                try target.store(item, f)
            }
            let flow = resumingBody ? try Block.resume(body, f) : try Block.run(body, f)
            resumingBody = false
            switch flow {
            case .breakLoop: return .normal
            case .returned: return .returned
            case .yielded:
                f.generator?.saved[ObjectIdentifier(self)] = it
                return f.mark(.yielded, 0)
            case .normal, .continueLoop: continue
            }
        }
    }
}

extension ForStmt {
    /// `for i in range(…)` counts without an iterator object or optional values.
    private func loop(_ r: RangeObject, _ f: Frame) throws -> Flow {
        var i = r.start
        let (stop, step) = (r.stop, r.step)
        while step > 0 ? i < stop : i > stop {
            try f.interp.checkpoint()
            try target.store(.int(i), f)
            let flow = try Block.run(body, f)
            let (next, overflow) = i.addingReportingOverflow(step)
            switch flow {
            case .breakLoop: return .normal
            case .returned: return .returned
            case .yielded:
                // A generator goes on from here with an iterator over the rest of the range.
                f.generator?.saved[ObjectIdentifier(self)] = RangeIterator(RangeObject(overflow ? stop : next, stop, step))
                return f.mark(.yielded, 0)
            case .normal, .continueLoop: break
            }
            if overflow { break }
            i = next
        }
        return try orElse.map { f.mark(try Block.run($0, f), 1) } ?? .normal
    }
}

final class FlowStmt: StmtNode {
    let flow: Flow
    init(_ flow: Flow, _ span: Span) {
        self.flow = flow
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow { flow }
}

final class ReturnStmt: StmtNode {
    let value: ExprNode?
    init(_ value: ExprNode?, _ span: Span) {
        self.value = value
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        f.returnValue = try value?.eval(f) ?? .none
        return .returned
    }
}

/// `with a, b as x:` — each context wraps the rest, so they exit in reverse order even on errors.
/// In a generator, a `yield` inside leaves the contexts' scopes (grad mode, profiler labels go
/// back to the caller's) and the next step re-enters them, without calling `__enter__` again.
final class WithStmt: StmtNode {
    let contexts: [ExprNode]
    let targets: [TargetNode?]
    let body: [StmtNode]
    init(_ contexts: [ExprNode], _ targets: [TargetNode?], _ body: [StmtNode], _ span: Span) {
        self.contexts = contexts
        self.targets = targets
        self.body = body
        super.init(span)
    }

    private final class Entered { var contexts: [ContextObject] = [] }

    override func exec(_ f: Frame) throws -> Flow {
        let entered = Entered()
        let flow = try enter(0, f, entered)
        if case .yielded = flow { f.generator?.saved[ObjectIdentifier(self)] = entered }
        return flow
    }

    override func resume(_ f: Frame) throws -> Flow {
        guard let entered = f.generator?.saved[ObjectIdentifier(self)] as? Entered else { return .normal }
        return try reenter(0, f, entered)
    }

    private func enter(_ k: Int, _ f: Frame, _ entered: Entered) throws -> Flow {
        guard k < contexts.count else { return try Block.run(body, f) }
        let v = try contexts[k].eval(f)
        let context: ContextObject
        do { context = try ContextObject.of(v, f.interp) } catch { throw f.locate(error, contexts[k].span) }
        let value: Value
        do { value = try context.enter() } catch { throw f.locate(error, contexts[k].span) }
        entered.contexts.append(context)
        if let t = targets[k] { try t.store(value, f) }
        return try context.run { try enter(k + 1, f, entered) }
    }

    private func reenter(_ k: Int, _ f: Frame, _ entered: Entered) throws -> Flow {
        guard k < entered.contexts.count else { return try Block.resume(body, f) }
        return try entered.contexts[k].run { try reenter(k + 1, f, entered) }
    }
}

/// Binds an imported namespace (resolved at compile time) or raises the ImportError found then.
final class ImportStmt: StmtNode {
    let bindings: [(TargetNode, Value)]
    let failure: ScriptError?
    init(_ bindings: [(TargetNode, Value)], failure: ScriptError?, _ span: Span) {
        self.bindings = bindings
        self.failure = failure
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        if let failure { throw failure }
        for (t, v) in bindings { try t.store(v, f) }
        return .normal
    }
}

final class AssertStmt: StmtNode {
    let condition: ExprNode
    let message: ExprNode?
    init(_ condition: ExprNode, _ message: ExprNode?, _ span: Span) {
        self.condition = condition
        self.message = message
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let v = try condition.eval(f)
        let ok: Bool
        do { ok = try Operators.truthy(v) } catch { throw f.locate(error, condition.span) }
        if !ok {
            let text = try message.map { Repr.str(try $0.eval(f)) } ?? ""
            throw f.locate(ScriptError(.assertion, text), condition.span)
        }
        return .normal
    }
}

final class DeleteStmt: StmtNode {
    let targets: [TargetNode]
    init(_ targets: [TargetNode], _ span: Span) {
        self.targets = targets
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        for t in targets { try t.delete(f) }
        return .normal
    }
}

/// `?x`: prints what `help(x)` would.
final class HelpStmt: StmtNode {
    let subject: ExprNode
    init(_ subject: ExprNode, _ span: Span) {
        self.subject = subject
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let v = try subject.eval(f)
        f.interp.write(Help.text(for: v) + "\n")
        return .normal
    }
}
