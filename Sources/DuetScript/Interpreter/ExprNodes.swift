import DuetTensor

/// Executable expression: the compiler resolves names to slots and builds a tree of these.
/// Nodes whose own operation can fail attach their span to the error.
class ExprNode {
    let span: Span
    init(_ span: Span) { self.span = span }
    func eval(_ f: Frame) throws -> Value { .none }
    /// A call (`f(x)`, `o.m(x)`): an assignment of one binds what an interrupted builtin had done.
    var isCall: Bool { self is CallNode || self is MethodCallNode }
}

final class ConstNode: ExprNode {
    let value: Value
    init(_ value: Value, _ span: Span) {
        self.value = value
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value { value }
}

final class LocalLoad: ExprNode {
    let slot: Int
    let name: String
    init(_ slot: Int, _ name: String, _ span: Span) {
        self.slot = slot
        self.name = name
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        if let v = f.locals[slot] { return v }
        throw f.locate(ScriptError(.unboundLocal, "cannot access local variable '\(name)' where it is not associated with a value"), span)
    }
}

final class CellLoad: ExprNode {
    let index: Int
    let name: String
    init(_ index: Int, _ name: String, _ span: Span) {
        self.index = index
        self.name = name
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        if let v = f.cells[index].value { return v }
        throw f.locate(ScriptError(.name, "cannot access free variable '\(name)' where it is not associated with a value in enclosing scope"), span)
    }
}

/// A global by slot; when unbound, the builtin of that name (found at compile time), else NameError.
final class GlobalLoad: ExprNode {
    let slot: Int
    let name: String
    let builtin: Value?
    init(_ slot: Int, _ name: String, builtin: Value?, _ span: Span) {
        self.slot = slot
        self.name = name
        self.builtin = builtin
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        if let v = f.globals.values[slot] { return v }
        if let b = builtin { return b }
        throw f.locate(f.interp.undefinedName(name, in: f), span)
    }
}

/// List and tuple displays; `*x` items are spliced in.
final class SequenceNode: ExprNode {
    let items: [ExprNode]
    let starred: [Bool]
    let isList: Bool
    init(_ items: [ExprNode], starred: [Bool], isList: Bool, _ span: Span) {
        self.items = items
        self.starred = starred
        self.isList = isList
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        var out: [Value] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let v = try item.eval(f)
            if starred[i] {
                do { out += try Iteration.collect(v, f.interp) } catch { throw f.locate(error, item.span) }
            } else {
                out.append(v)
            }
        }
        return isList ? .list(ListObject(out)) : .tuple(out)
    }
}

final class DictNode: ExprNode {
    let keys: [ExprNode]
    let values: [ExprNode]
    init(_ keys: [ExprNode], _ values: [ExprNode], _ span: Span) {
        self.keys = keys
        self.values = values
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let d = DictObject()
        for (k, v) in zip(keys, values) {
            let key = try k.eval(f)
            let value = try v.eval(f)
            do { try d.set(key, value) } catch { throw f.locate(error, k.span) }
        }
        return .dict(d)
    }
}

/// An f-string: literal pieces and formatted values.
final class FStringNode: ExprNode {
    enum Piece {
        case literal(String)
        case value(ExprNode, conversion: Unicode.Scalar?, spec: FStringNode?)
    }
    let pieces: [Piece]
    init(_ pieces: [Piece], _ span: Span) {
        self.pieces = pieces
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        var out = ""
        for piece in pieces {
            switch piece {
            case .literal(let s): out += s
            case .value(let e, let conversion, let specNode):
                var v = try e.eval(f)
                if let c = conversion { v = .str(c == "s" ? Repr.str(v) : Repr.repr(v)) }
                var spec = ""
                if let specNode, case .str(let s) = try specNode.eval(f) { spec = s }
                do { out += try FormatSpec.format(v, spec) } catch { throw f.locate(error, e.span) }
            }
        }
        return .str(out)
    }
}

final class UnaryNode: ExprNode {
    let op: UnaryOperator
    let operand: ExprNode
    init(_ op: UnaryOperator, _ operand: ExprNode, _ span: Span) {
        self.op = op
        self.operand = operand
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let v = try operand.eval(f)
        do { return try Operators.unary(op, v) } catch { throw f.locate(error, span) }
    }
}

final class BinaryNode: ExprNode {
    let op: BinaryOperator
    let left: ExprNode
    let right: ExprNode
    init(_ op: BinaryOperator, _ left: ExprNode, _ right: ExprNode, _ span: Span) {
        self.op = op
        self.left = left
        self.right = right
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let l = try left.eval(f)
        let r = try right.eval(f)
        do { return try Operators.binary(op, l, r) } catch { throw f.locate(error, span) }
    }
}

/// `a + b` where both are tensors most of the time (the interpreter's hottest path): one
/// registry dispatch with no detour through the general operator switch. A number literal
/// operand (`x * 2.0`) becomes its wrapped scalar tensor once, not at every evaluation; the
/// engine never writes into an op's scalar operand, so sharing it is safe.
final class TensorArithmeticNode: ExprNode {
    let op: BinaryOperator
    let def: OpDef
    let left: ExprNode
    let right: ExprNode
    private let leftScalar: Tensor?
    private let rightScalar: Tensor?
    init(_ op: BinaryOperator, _ def: OpDef, _ left: ExprNode, _ right: ExprNode, _ span: Span) {
        self.op = op
        self.def = def
        self.left = left
        self.right = right
        leftScalar = (left as? ConstNode).flatMap { Operators.scalar($0.value) }
        rightScalar = (right as? ConstNode).flatMap { Operators.scalar($0.value) }
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let l = try left.eval(f)
        let r = try right.eval(f)
        do {
            if case .tensor(let a) = l {
                if case .tensor(let b) = r { return .tensor(try Dispatch.call1(def, [a, b])) }
                if let s = rightScalar { return .tensor(try Dispatch.call1(def, [a, s])) }
            } else if case .tensor(let b) = r, let s = leftScalar {
                return .tensor(try Dispatch.call1(def, [s, b]))
            }
            return try Operators.binary(op, l, r)
        } catch {
            throw f.locate(error, span)
        }
    }
}

/// `and` / `or`: the right side runs only when the left does not decide, and the deciding
/// value itself is the result (Python's short circuit).
final class ShortCircuitNode: ExprNode {
    let left: ExprNode, right: ExprNode
    /// `and` goes on to the right side when the left is true, `or` when it is false.
    let isAnd: Bool
    init(_ left: ExprNode, _ right: ExprNode, isAnd: Bool, _ span: Span) {
        self.left = left
        self.right = right
        self.isAnd = isAnd
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let l = try left.eval(f)
        let t: Bool
        do { t = try Operators.truthy(l) } catch { throw f.locate(error, left.span) }
        return t == isAnd ? try right.eval(f) : l
    }
}

/// `a < b <= c`: each operand evaluated once, stopping at the first false link.
final class CompareNode: ExprNode {
    let first: ExprNode
    let ops: [CompareOperator]
    let rest: [ExprNode]
    init(_ first: ExprNode, _ ops: [CompareOperator], _ rest: [ExprNode], _ span: Span) {
        self.first = first
        self.ops = ops
        self.rest = rest
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        var left = try first.eval(f)
        var result: Value = .bool(true)
        for (i, op) in ops.enumerated() {
            let right = try rest[i].eval(f)
            do {
                result = try Operators.compare(op, left, right)
                if i < ops.count - 1, !(try Operators.truthy(result)) { return result }
            } catch {
                throw f.locate(error, span)
            }
            left = right
        }
        return result
    }
}

final class TernaryNode: ExprNode {
    let condition: ExprNode, then: ExprNode, otherwise: ExprNode
    init(_ condition: ExprNode, _ then: ExprNode, _ otherwise: ExprNode, _ span: Span) {
        self.condition = condition
        self.then = then
        self.otherwise = otherwise
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let c = try condition.eval(f)
        let t: Bool
        do { t = try Operators.truthy(c) } catch { throw f.locate(error, condition.span) }
        return try (t ? then : otherwise).eval(f)
    }
}

/// Creates a function value: evaluates defaults now and captures the cells of its free variables.
final class FunctionNode: ExprNode {
    let code: CodeObject
    let defaults: [ExprNode]
    let keywordDefaults: [ExprNode?]
    /// For each free variable of the new function, the index of the cell in the defining frame.
    let captures: [Int]
    let decorators: [ExprNode]
    let docString: String?
    init(code: CodeObject, defaults: [ExprNode], keywordDefaults: [ExprNode?], captures: [Int], decorators: [ExprNode], docString: String?, _ span: Span) {
        self.code = code
        self.defaults = defaults
        self.keywordDefaults = keywordDefaults
        self.captures = captures
        self.decorators = decorators
        self.docString = docString
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let decoratorValues = try decorators.map { try $0.eval(f) }
        let fn = Function(code: code, defaults: try defaults.map { try $0.eval(f) },
                          keywordDefaults: try keywordDefaults.map { try $0?.eval(f) },
                          closure: captures.map { f.cells[$0] }, docString: docString)
        return try Self.decorate(.object(fn), decoratorValues, decorators, f)
    }

    /// Applies decorators, innermost (the last written) first, as `def` and `class` do.
    static func decorate(_ value: Value, _ decorators: [Value], _ nodes: [ExprNode], _ f: Frame) throws -> Value {
        var value = value
        for (d, node) in zip(decorators, nodes).reversed() {
            do { value = try f.interp.callValue(d, Arguments([value])) } catch { throw f.locate(error, node.span) }
        }
        return value
    }
}

final class SliceNode: ExprNode {
    let lower: ExprNode?, upper: ExprNode?, step: ExprNode?
    init(_ lower: ExprNode?, _ upper: ExprNode?, _ step: ExprNode?, _ span: Span) {
        self.lower = lower
        self.upper = upper
        self.step = step
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        .object(SliceObject(try lower?.eval(f) ?? .none, try upper?.eval(f) ?? .none, try step?.eval(f) ?? .none))
    }
}

final class SubscriptNode: ExprNode {
    let value: ExprNode
    let index: ExprNode
    init(_ value: ExprNode, _ index: ExprNode, _ span: Span) {
        self.value = value
        self.index = index
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let v = try value.eval(f)
        let i = try index.eval(f)
        do { return try Subscript.get(v, i, f.interp) } catch { throw f.locate(error, span) }
    }
}

/// `x.name`. Tensor attributes and the methods of built-in types are resolved by name at
/// compile time; other objects look the name up when the node runs.
final class AttributeNode: ExprNode {
    let value: ExprNode
    let name: String
    let tensorAttribute: (@Sendable (Tensor) throws -> Value)?
    let methods: BuiltinMethods
    private var cache = NamespaceCache()
    init(_ value: ExprNode, _ name: String, _ span: Span) {
        self.value = value
        self.name = name
        tensorAttribute = TensorAttributes.table[name]
        methods = BuiltinMethods(name)
        super.init(span)
    }
    override func eval(_ f: Frame) throws -> Value {
        let v = try value.eval(f)
        do {
            if case .tensor(let t) = v, let get = tensorAttribute { return try get(t) }
            if let m = methods.method(for: v) { return .object(BoundMethod(v, m)) }
            return try cache.get(v, name, f.interp)
        } catch {
            throw f.locate(error, span)
        }
    }
}

/// The member a site found in a namespace (`torch.relu`, `F.cross_entropy`) the last time it
/// ran: namespaces do not change once built, so the next access from the same site is an
/// identity check instead of a dictionary lookup by name.
struct NamespaceCache {
    private var namespace: Namespace?
    private var member: Value = .none

    mutating func get(_ v: Value, _ name: String, _ interp: Interpreter) throws -> Value {
        if case .object(let o) = v, o === namespace { return member }
        let found = try Attributes.get(v, name, interp)
        if case .object(let o) = v, let ns = o as? Namespace {
            namespace = ns
            member = found
        }
        return found
    }
}
