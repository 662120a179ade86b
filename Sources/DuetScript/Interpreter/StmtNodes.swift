import DuetTensor

/// Executable statement. `exec` reports whether control leaves the enclosing loop or function.
class StmtNode {
    let span: Span
    init(_ span: Span) { self.span = span }
    func exec(_ f: Frame) throws -> Flow { .normal }
}

/// Runs statements in order, checking for interruption and the step budget before each, and
/// locating any error not located yet at the statement that raised it.
enum Block {
    @inline(__always)
    static func run(_ body: [StmtNode], _ f: Frame) throws -> Flow {
        for s in body {
            try f.interp.checkpoint()
            let flow: Flow
            do { flow = try s.exec(f) } catch { throw f.locate(error, s.span) }
            if case .normal = flow { continue }
            return flow
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
        let v = try value.eval(f)
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
        try target.store(try value.eval(f), f)
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
            if taken { return try Block.run(bodies[i], f) }
        }
        if let otherwise { return try Block.run(otherwise, f) }
        return .normal
    }
}

final class WhileStmt: StmtNode {
    let condition: ExprNode
    let body: [StmtNode]
    init(_ condition: ExprNode, _ body: [StmtNode], _ span: Span) {
        self.condition = condition
        self.body = body
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        while true {
            try f.interp.checkpoint()
            let v = try condition.eval(f)
            let going: Bool
            do { going = try Operators.truthy(v) } catch { throw f.locate(error, condition.span) }
            guard going else { return .normal }
            switch try Block.run(body, f) {
            case .breakLoop: return .normal
            case .returned: return .returned
            case .normal, .continueLoop: continue
            }
        }
    }
}

final class ForStmt: StmtNode {
    let target: TargetNode
    let iterable: ExprNode
    let body: [StmtNode]
    init(_ target: TargetNode, _ iterable: ExprNode, _ body: [StmtNode], _ span: Span) {
        self.target = target
        self.iterable = iterable
        self.body = body
        super.init(span)
    }
    override func exec(_ f: Frame) throws -> Flow {
        let source = try iterable.eval(f)
        if case .object(let o) = source, let r = o as? RangeObject { return try loop(r, f) }
        let it: ValueIterator
        do { it = try Iteration.iterator(source, f.interp) } catch { throw f.locate(error, iterable.span) }
        while true {
            try f.interp.checkpoint()
            let next: Value?
            do { next = try it.next() } catch { throw f.locate(error, iterable.span) }
            guard let item = next else { return .normal }
            try target.store(item, f)
            switch try Block.run(body, f) {
            case .breakLoop: return .normal
            case .returned: return .returned
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
            switch try Block.run(body, f) {
            case .breakLoop: return .normal
            case .returned: return .returned
            case .normal, .continueLoop: break
            }
            let (next, overflow) = i.addingReportingOverflow(step)
            if overflow { return .normal }
            i = next
        }
        return .normal
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
    override func exec(_ f: Frame) throws -> Flow { try enter(0, f) }

    private func enter(_ k: Int, _ f: Frame) throws -> Flow {
        guard k < contexts.count else { return try Block.run(body, f) }
        let v = try contexts[k].eval(f)
        guard case .object(let o) = v, let context = o as? ContextObject else {
            throw f.locate(ScriptError(.type, "'\(v.typeName)' object does not support the context manager protocol"), contexts[k].span)
        }
        let entered: Value
        do { entered = try context.enter() } catch { throw f.locate(error, contexts[k].span) }
        if let t = targets[k] { try t.store(entered, f) }
        return try context.run { try enter(k + 1, f) }
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
