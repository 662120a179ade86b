/// The left side of an assignment, a `for` target or a `del`.
class TargetNode {
    let span: Span
    init(_ span: Span) { self.span = span }
    func store(_ v: Value, _ f: Frame) throws {}
    func delete(_ f: Frame) throws {}
    /// The current value, for augmented assignment.
    func load(_ f: Frame) throws -> Value { .none }
}

final class LocalTarget: TargetNode {
    let slot: Int
    let name: String
    init(_ slot: Int, _ name: String, _ span: Span) {
        self.slot = slot
        self.name = name
        super.init(span)
    }
    override func store(_ v: Value, _ f: Frame) throws { Teardown.store(v, in: f.locals + slot) }
    override func load(_ f: Frame) throws -> Value {
        if let v = f.locals[slot] { return v }
        throw f.locate(ScriptError(.unboundLocal, "cannot access local variable '\(name)' where it is not associated with a value"), span)
    }
    override func delete(_ f: Frame) throws {
        guard f.locals[slot] != nil else { throw f.locate(ScriptError(.unboundLocal, "cannot access local variable '\(name)' where it is not associated with a value"), span) }
        f.locals[slot] = nil
    }
}

final class CellTarget: TargetNode {
    let index: Int
    let name: String
    init(_ index: Int, _ name: String, _ span: Span) {
        self.index = index
        self.name = name
        super.init(span)
    }
    override func store(_ v: Value, _ f: Frame) throws { f.cells[index].value = v }
    override func load(_ f: Frame) throws -> Value {
        if let v = f.cells[index].value { return v }
        throw f.locate(ScriptError(.name, "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope"), span)
    }
    override func delete(_ f: Frame) throws { f.cells[index].value = nil }
}

final class GlobalTarget: TargetNode {
    let slot: Int
    let name: String
    let builtin: Value?
    init(_ slot: Int, _ name: String, builtin: Value?, _ span: Span) {
        self.slot = slot
        self.name = name
        self.builtin = builtin
        super.init(span)
    }
    override func store(_ v: Value, _ f: Frame) throws { Teardown.store(v, in: f.globals.values + slot) }
    override func load(_ f: Frame) throws -> Value {
        if let v = f.globals.values[slot] ?? builtin { return v }
        throw f.locate(f.interp.undefinedName(name, in: f), span)
    }
    override func delete(_ f: Frame) throws {
        guard f.globals.values[slot] != nil else { throw f.locate(ScriptError(.name, "name '\(name)' is not defined"), span) }
        f.globals.values[slot] = nil
    }
}

final class AttributeTarget: TargetNode {
    let object: ExprNode
    let name: String
    init(_ object: ExprNode, _ name: String, _ span: Span) {
        self.object = object
        self.name = name
        super.init(span)
    }
    override func store(_ v: Value, _ f: Frame) throws {
        let o = try object.eval(f)
        do { try Attributes.set(o, name, v, f.interp) } catch { throw f.locate(error, span) }
    }
    override func load(_ f: Frame) throws -> Value {
        let o = try object.eval(f)
        do { return try Attributes.get(o, name, f.interp) } catch { throw f.locate(error, span) }
    }
    override func delete(_ f: Frame) throws {
        let o = try object.eval(f)
        guard case .object(let target) = o else { throw f.locate(ScriptError(.attribute, "cannot delete attribute '\(name)'"), span) }
        do { try target.deleteAttribute(name, f.interp) } catch { throw f.locate(error, span) }
    }
}

final class SubscriptTarget: TargetNode {
    let object: ExprNode
    let index: ExprNode
    init(_ object: ExprNode, _ index: ExprNode, _ span: Span) {
        self.object = object
        self.index = index
        super.init(span)
    }
    override func store(_ v: Value, _ f: Frame) throws {
        let o = try object.eval(f)
        let i = try index.eval(f)
        do { try Subscript.set(o, i, v, f.interp) } catch { throw f.locate(error, span) }
    }
    override func load(_ f: Frame) throws -> Value {
        let o = try object.eval(f)
        let i = try index.eval(f)
        do { return try Subscript.get(o, i, f.interp) } catch { throw f.locate(error, span) }
    }
    override func delete(_ f: Frame) throws {
        let o = try object.eval(f)
        let i = try index.eval(f)
        do { try Subscript.delete(o, i) } catch { throw f.locate(error, span) }
    }
}

/// `a, b = …`, `first, *rest = …` and `for i, (x, y) in …`.
final class UnpackTarget: TargetNode {
    let targets: [TargetNode]
    /// The position of the `*name` target, which takes a list of whatever the others leave.
    let starred: Int?
    init(_ targets: [TargetNode], starred: Int? = nil, _ span: Span) {
        self.targets = targets
        self.starred = starred
        super.init(span)
    }
    override func store(_ v: Value, _ f: Frame) throws {
        var items: [Value]
        do {
            if case .tensor(let t) = v {
                guard t.rank > 0 else { throw ScriptError(.type, "cannot unpack a 0-d tensor") }
                items = try (0..<t.shape[0]).map { .tensor(try t.select(dim: 0, index: $0)) }
            } else {
                items = try Iteration.collect(v, f.interp)
            }
            if let star = starred {
                let fixed = targets.count - 1
                guard items.count >= fixed else {
                    throw ScriptError(.value, "not enough values to unpack (expected at least \(fixed), got \(items.count))")
                }
                let tail = fixed - star
                let middle = Array(items[star..<(items.count - tail)])
                items = Array(items[..<star]) + [.list(ListObject(middle))] + Array(items[(items.count - tail)...])
            }
            guard items.count == targets.count else {
                throw ScriptError(.value, items.count > targets.count
                    ? "too many values to unpack (expected \(targets.count), got \(items.count))"
                    : "not enough values to unpack (expected \(targets.count), got \(items.count))")
            }
        } catch {
            throw f.locate(error, span)
        }
        for (t, item) in zip(targets, items) { try t.store(item, f) }
    }
    override func delete(_ f: Frame) throws {
        for t in targets { try t.delete(f) }
    }
}
