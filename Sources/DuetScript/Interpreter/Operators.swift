import Foundation
import DuetTensor

/// Python's operators on script values. Integers are 64-bit and overflow is an OverflowError;
/// division and modulo by zero are ZeroDivisionErrors; anything involving a tensor goes through
/// the op registry, with Python numbers as wrapped scalars so dtypes promote as in PyTorch.
enum Operators {
    static func truthy(_ v: Value) throws -> Bool {
        switch v {
        case .none: return false
        case .bool(let b): return b
        case .int(let i): return i != 0
        case .float(let d): return d != 0
        case .str(let s): return !s.isEmpty
        case .list(let l): return !l.items.isEmpty
        case .tuple(let t): return !t.isEmpty
        case .dict(let d): return d.count > 0
        case .tensor(let t):
            guard t.count == 1 else {
                throw ScriptError(.runtime, "Boolean value of Tensor with \(t.count == 0 ? "no values" : "more than one value") is ambiguous")
            }
            return try t.item() != 0
        case .object(let o): return try o.truthValue()
        }
    }

    /// The registry op for an arithmetic operator on tensors.
    static func op(for op: BinaryOperator) -> OpDef? {
        switch op {
        case .add: Ops.add
        case .subtract: Ops.sub
        case .multiply: Ops.mul
        case .divide: Ops.div
        case .floorDivide: Ops.floorDivide
        case .modulo: Ops.remainder
        case .power: Ops.pow
        case .bitAnd: Ops.logicalAnd
        case .bitOr: Ops.logicalOr
        case .matmul, .leftShift, .rightShift, .bitXor: nil
        }
    }

    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value {
        switch (l, r) {
        case (.int(let a), .int(let b)): return try integer(op, a, b)
        case (.float(let a), .float(let b)): return try real(op, a, b)
        case (.int(let a), .float(let b)): return try real(op, Double(a), b)
        case (.float(let a), .int(let b)): return try real(op, a, Double(b))
        case (.tensor(let a), .tensor(let b)): return .tensor(try tensor(op, a, b))
        case (.tensor(let a), _):
            if let s = scalar(r) { return .tensor(try tensor(op, a, s)) }
        case (_, .tensor(let b)):
            if let s = scalar(l) { return .tensor(try tensor(op, s, b)) }
        case (.bool(let a), _):
            return try binary(op, .int(a ? 1 : 0), r)
        case (_, .bool(let b)):
            return try binary(op, l, .int(b ? 1 : 0))
        case (.str(let a), .str(let b)) where op == .add: return .str(a + b)
        case (.str(let a), .tuple(let args)) where op == .modulo: return .str(try PercentFormat.format(a, args))
        case (.str(let a), _) where op == .modulo: return .str(try PercentFormat.format(a, [r]))
        case (.str(let a), .int(let n)) where op == .multiply: return .str(String(repeating: a, count: try repeatCount(n, a.count)))
        case (.int(let n), .str(let a)) where op == .multiply: return .str(String(repeating: a, count: try repeatCount(n, a.count)))
        case (.list(let a), .list(let b)) where op == .add: return .list(ListObject(a.items + b.items))
        case (.tuple(let a), .tuple(let b)) where op == .add: return .tuple(a + b)
        case (.list(let a), .int(let n)) where op == .multiply: return .list(ListObject(try repeated(a.items, n)))
        case (.int(let n), .list(let a)) where op == .multiply: return .list(ListObject(try repeated(a.items, n)))
        case (.tuple(let a), .int(let n)) where op == .multiply: return .tuple(try repeated(a, n))
        case (.int(let n), .tuple(let a)) where op == .multiply: return .tuple(try repeated(a, n))
        case (.object(let a as SetObject), .object(let b as SetObject)):
            if let r = try SetObject.combine(op, a, b) { return .object(r) }
        default: break
        }
        if let v = try SizeObject.binary(op, l, r) { return v }
        if let v = try Dunder.binary(op, l, r) { return v }
        throw ScriptError(.type, "unsupported operand type(s) for \(op.rawValue): '\(l.typeName)' and '\(r.typeName)'")
    }

    private static func repeatCount(_ n: Int, _ unit: Int) throws -> Int {
        let count = max(n, 0)
        let (total, overflow) = count.multipliedReportingOverflow(by: max(unit, 1))
        guard !overflow, total <= 100_000_000 else { throw ScriptError(.memory, "repeated sequence would have \(overflow ? "too many" : String(total)) items") }
        return count
    }

    private static func repeated(_ items: [Value], _ n: Int) throws -> [Value] {
        let count = try repeatCount(n, items.count)
        var out: [Value] = []
        out.reserveCapacity(count * items.count)
        for _ in 0..<count { out += items }
        return out
    }

    /// A Python number as a tensor operand, or nil for other values.
    static func scalar(_ v: Value) -> Tensor? {
        switch v {
        case .int(let i): Tensor.scalar(i)
        case .float(let d): Tensor.scalar(d)
        case .bool(let b): Tensor.scalar(b)
        default: nil
        }
    }

    static func tensor(_ op: BinaryOperator, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        if op == .matmul { return try a.matmul(b) }
        if op == .bitXor {
            guard a.dtype == .bool && b.dtype == .bool else { throw ScriptError(.type, "^ is only supported on bool tensors") }
            return try Dispatch.call1(Ops.ne, [a, b])
        }
        if op == .bitAnd || op == .bitOr {
            guard a.dtype == .bool && b.dtype == .bool else {
                throw ScriptError(.type, "\(op.rawValue) is only supported on bool tensors (use logical_and/logical_or)")
            }
        }
        guard let def = Self.op(for: op) else {
            throw ScriptError(.type, "unsupported operand type(s) for \(op.rawValue): 'Tensor' and 'Tensor'")
        }
        return try Dispatch.call1(def, [a, b])
    }

    static func integer(_ op: BinaryOperator, _ a: Int, _ b: Int) throws -> Value {
        func overflow() -> ScriptError {
            ScriptError(.overflow, "integer overflow: \(a) \(op.rawValue) \(b) does not fit in 64 bits")
        }
        switch op {
        case .add:
            let (r, o) = a.addingReportingOverflow(b)
            if o { throw overflow() }
            return .int(r)
        case .subtract:
            let (r, o) = a.subtractingReportingOverflow(b)
            if o { throw overflow() }
            return .int(r)
        case .multiply:
            let (r, o) = a.multipliedReportingOverflow(by: b)
            if o { throw overflow() }
            return .int(r)
        case .divide:
            guard b != 0 else { throw ScriptError(.zeroDivision, "division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDivide:
            guard b != 0 else { throw ScriptError(.zeroDivision, "integer division or modulo by zero") }
            if a == Int.min && b == -1 { throw overflow() }
            let q = a / b
            return .int((a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q)
        case .modulo:
            guard b != 0 else { throw ScriptError(.zeroDivision, "integer division or modulo by zero") }
            if b == -1 { return .int(0) }
            let m = a % b
            return .int(m != 0 && ((m < 0) != (b < 0)) ? m + b : m)
        case .power:
            if b < 0 {
                guard a != 0 else { throw ScriptError(.zeroDivision, "0.0 cannot be raised to a negative power") }
                return .float(Foundation.pow(Double(a), Double(b)))
            }
            var result = 1, base = a, e = b
            while e > 0 {
                if e & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    result = r
                }
                e >>= 1
                if e > 0 {
                    let (sq, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    base = sq
                }
            }
            return .int(result)
        case .bitAnd: return .int(a & b)
        case .bitOr: return .int(a | b)
        case .bitXor: return .int(a ^ b)
        case .leftShift:
            guard b >= 0 else { throw ScriptError(.value, "negative shift count") }
            guard b < 64, a == 0 || (a << b) >> b == a else {
                if a == 0 { return .int(0) }
                throw overflow()
            }
            return .int(a << b)
        case .rightShift:
            guard b >= 0 else { throw ScriptError(.value, "negative shift count") }
            return .int(b >= 64 ? (a < 0 ? -1 : 0) : a >> b)
        case .matmul:
            throw ScriptError(.type, "unsupported operand type(s) for @: 'int' and 'int'")
        }
    }

    static func real(_ op: BinaryOperator, _ a: Double, _ b: Double) throws -> Value {
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide:
            guard b != 0 else { throw ScriptError(.zeroDivision, "float division by zero") }
            return .float(a / b)
        case .floorDivide:
            guard b != 0 else { throw ScriptError(.zeroDivision, "float floor division by zero") }
            return .float((a / b).rounded(.down))
        case .modulo:
            guard b != 0 else { throw ScriptError(.zeroDivision, "float modulo by zero") }
            let m = a.truncatingRemainder(dividingBy: b)
            return .float(m != 0 && ((m < 0) != (b < 0)) ? m + b : m)
        case .power:
            if a == 0 && b < 0 { throw ScriptError(.zeroDivision, "0.0 cannot be raised to a negative power") }
            if a < 0 && b != b.rounded() { throw ScriptError(.value, "a negative number raised to a fractional power is complex (not supported)") }
            let r = Foundation.pow(a, b)
            if r.isInfinite && a.isFinite && b.isFinite { throw ScriptError(.overflow, "(\(PyFloat.repr(a)) ** \(PyFloat.repr(b))) is too large") }
            return .float(r)
        default:
            throw ScriptError(.type, "unsupported operand type(s) for \(op.rawValue): 'float' and 'float'")
        }
    }

    static func unary(_ op: UnaryOperator, _ v: Value) throws -> Value {
        switch (op, v) {
        case (.not, _): return .bool(!(try truthy(v)))
        case (.negate, .int(let i)):
            guard i != Int.min else { throw ScriptError(.overflow, "integer overflow: -(\(i)) does not fit in 64 bits") }
            return .int(-i)
        case (.negate, .float(let d)): return .float(-d)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .tensor(let t)): return .tensor(try t.neg())
        case (.plus, .int), (.plus, .float), (.plus, .tensor): return v
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        case (.invert, .int(let i)): return .int(~i)
        case (.invert, .bool(let b)): return .int(b ? -2 : -1)
        case (.invert, .tensor(let t)):
            guard t.dtype == .bool else { throw ScriptError(.type, "~ is only supported on bool tensors (use logical_not)") }
            return .tensor(try t.logicalNot())
        default:
            if let r = try Dunder.unary(op, v) { return r }
            throw ScriptError(.type, "bad operand type for unary \(op.rawValue): '\(v.typeName)'")
        }
    }

    /// `==` for values that are not tensors (tensors compare elementwise in `compare`). Past
    /// `Teardown.maxDepth` levels of nesting, containers compare by identity (a list that
    /// contains itself, compared with a copy, would recurse forever).
    static func equal(_ a: Value, _ b: Value, depth: Int = 0) -> Bool {
        if depth >= Teardown.maxDepth { return identical(a, b) }
        let equal = { (x: Value, y: Value) in Operators.equal(x, y, depth: depth + 1) }
        if a.objectValue is SizeObject || b.objectValue is SizeObject {
            guard let x = a.tupleItems, let y = b.tupleItems else { return false }
            return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        }
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.int(let x), .float(let y)), (.float(let y), .int(let x)): return Double(x) == y
        case (.bool(let x), .int(let y)), (.int(let y), .bool(let x)): return (x ? 1 : 0) == y
        case (.bool(let x), .float(let y)), (.float(let y), .bool(let x)): return (x ? 1.0 : 0.0) == y
        case (.str(let x), .str(let y)): return x == y
        case (.list(let x), .list(let y)): return x === y || (x.items.count == y.items.count && zip(x.items, y.items).allSatisfy { equal($0, $1) })
        case (.tuple(let x), .tuple(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.dict(let x), .dict(let y)):
            return x === y || (x.count == y.count && zip(x.keys, x.values).allSatisfy { k, v in
                (try? y.get(k)).flatMap { $0 }.map { equal(v, $0) } ?? false
            })
        case (.tensor(let x), .tensor(let y)): return x === y
        case (.object(let x), .object(let y)):
            if let dx = x as? DTypeObject, let dy = y as? DTypeObject { return dx.dtype == dy.dtype }
            if let tx = x as? TypeObject, let ty = y as? TypeObject { return tx.name == ty.name }
            if let sx = x as? SetObject, let sy = y as? SetObject {
                return sx.items.count == sy.items.count && ((try? sx.isSubset(of: sy)) ?? false)
            }
            if let r = scriptEqual(a, b) { return r }
            return x.identity == y.identity
        default:
            return scriptEqual(a, b) ?? false
        }
    }

    /// `==` through a script class's `__eq__`, when either side has one (a failing one is unequal).
    private static func scriptEqual(_ a: Value, _ b: Value) -> Bool? {
        guard a.objectValue?.scriptClass != nil || b.objectValue?.scriptClass != nil,
              let r = try? Dunder.compare(.equal, a, b) else { return nil }
        return (try? truthy(r)) ?? false
    }

    static func identical(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.tensor(let x), .tensor(let y)): return x === y
        case (.object(let x), .object(let y)):
            if x.identity == y.identity { return true }
            if x.scriptClass != nil || y.scriptClass != nil || x is SetObject { return false }
            return equal(a, b)
        case (.none, .none), (.bool, .bool), (.int, .int), (.str, .str): return equal(a, b)
        default: return false
        }
    }

    static func compare(_ op: CompareOperator, _ l: Value, _ r: Value) throws -> Value {
        switch op {
        case .is: return .bool(identical(l, r))
        case .isNot: return .bool(!identical(l, r))
        case .in: return .bool(try contains(r, l))
        case .notIn: return .bool(!(try contains(r, l)))
        default: break
        }
        if l.objectValue?.scriptClass != nil || r.objectValue?.scriptClass != nil, let v = try Dunder.compare(op, l, r) { return v }
        if case .tensor = l { return try tensorCompare(op, l, r) }
        if case .tensor = r { return try tensorCompare(op, l, r) }
        if case .object(let a as SetObject) = l, case .object(let b as SetObject) = r, let v = try SetObject.order(op, a, b) { return .bool(v) }
        switch op {
        case .equal: return .bool(equal(l, r))
        case .notEqual: return .bool(!equal(l, r))
        default: return .bool(try order(op, l, r))
        }
    }

    private static func tensorCompare(_ op: CompareOperator, _ l: Value, _ r: Value) throws -> Value {
        guard let a = l.asTensorOperand, let b = r.asTensorOperand else {
            if op == .equal { return .bool(false) }
            if op == .notEqual { return .bool(true) }
            throw ScriptError(.type, "'\(op.rawValue)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
        }
        let def: OpDef
        switch op {
        case .less: def = Ops.lt
        case .lessEqual: def = Ops.le
        case .greater: def = Ops.gt
        case .greaterEqual: def = Ops.ge
        case .equal: def = Ops.eq
        default: def = Ops.ne
        }
        return .tensor(try Dispatch.call1(def, [a, b]))
    }

    /// `<`, `<=`, `>`, `>=` on numbers, strings, and lists/tuples (lexicographic).
    private static func order(_ op: CompareOperator, _ l: Value, _ r: Value) throws -> Bool {
        func result(_ c: Int) -> Bool {
            switch op {
            case .less: c < 0
            case .lessEqual: c <= 0
            case .greater: c > 0
            default: c >= 0
            }
        }
        if let c = try ordering(l, r) { return result(c) }
        if case .float(let x) = l, x.isNaN { return false }
        if case .float(let y) = r, y.isNaN { return false }
        throw ScriptError(.type, "'\(op.rawValue)' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
    }

    /// -1, 0 or 1, or nil when the values are unordered (NaN) or of incomparable types.
    static func ordering(_ l: Value, _ r: Value) throws -> Int? {
        if l.objectValue?.scriptClass != nil || r.objectValue?.scriptClass != nil {
            if let lt = try Dunder.compare(.less, l, r), try truthy(lt) { return -1 }
            if let gt = try Dunder.compare(.less, r, l) {
                return try truthy(gt) ? 1 : 0
            }
        }
        switch (l, r) {
        case (.int(let x), .int(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.str(let x), .str(let y)): return x < y ? -1 : x > y ? 1 : 0
        case (.list(let x), .list(let y)): return try sequenceOrdering(x.items, y.items)
        case (.tuple(let x), .tuple(let y)): return try sequenceOrdering(x, y)
        case _ where l.objectValue is SizeObject || r.objectValue is SizeObject:
            guard let x = l.tupleItems, let y = r.tupleItems else {
                throw ScriptError(.type, "'<' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
            }
            return try sequenceOrdering(x, y)
        default:
            guard let x = l.asDouble, let y = r.asDouble else {
                throw ScriptError(.type, "'<' not supported between instances of '\(l.typeName)' and '\(r.typeName)'")
            }
            if x.isNaN || y.isNaN { return nil }
            return x < y ? -1 : x > y ? 1 : 0
        }
    }

    private static func sequenceOrdering(_ x: [Value], _ y: [Value]) throws -> Int? {
        for (a, b) in zip(x, y) where !equal(a, b) { return try ordering(a, b) }
        return x.count < y.count ? -1 : x.count > y.count ? 1 : 0
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool {
        switch container {
        case .list(let l): return l.items.contains { equal($0, item) }
        case .tuple(let t): return t.contains { equal($0, item) }
        case .dict(let d): return try d.get(item) != nil
        case .str(let s):
            guard case .str(let sub) = item else { throw ScriptError(.type, "'in <string>' requires string as left operand, not \(item.typeName)") }
            return sub.isEmpty || s.contains(sub)
        case .tensor(let t):
            guard let x = item.asTensorOperand else { throw ScriptError(.type, "'in' on a Tensor needs a number or tensor") }
            return try Dispatch.call1(Ops.eq, [t, x]).toDoubles().contains(1)
        case .object(let r as RangeObject):
            guard case .int(let i) = item else { return false }
            guard r.step > 0 ? (i >= r.start && i < r.stop) : (i <= r.start && i > r.stop) else { return false }
            let (distance, overflow) = i.subtractingReportingOverflow(r.start)
            return !overflow && distance % r.step == 0
        case .object(let set as SetObject): return try set.contains(item)
        case .object(let size as SizeObject): return size.items.contains { equal($0, item) }
        case .object(let history as HistoryObject): return try history.contains(item)
        default:
            if let found = try Dunder.contains(container, item) { return found }
            throw ScriptError(.type, "argument of type '\(container.typeName)' is not iterable")
        }
    }
}

extension Value {
    /// Numbers (and 1-element tensors) as Double.
    var asDouble: Double? {
        switch self {
        case .int(let i): Double(i)
        case .float(let d): d
        case .bool(let b): b ? 1 : 0
        default: nil
        }
    }

    var asTensorOperand: Tensor? {
        if case .tensor(let t) = self { return t }
        return Operators.scalar(self)
    }
}
