import DuetTensor

/// `x[i]`, `x[i] = v` and `del x[i]` on lists, tuples, strings, dicts and tensors.
enum Subscript {
    static func get(_ v: Value, _ index: Value, _ interp: Interpreter) throws -> Value {
        switch v {
        case .list(let l): return try sequenceGet(l.items, index, "list", wrap: { .list(ListObject($0)) })
        case .tuple(let items): return try sequenceGet(items, index, "tuple", wrap: { .tuple($0) })
        case .str(let s):
            let chars = s.map { Value.str(String($0)) }
            return try sequenceGet(chars, index, "string", wrap: { .str($0.map(Repr.str).joined()) })
        case .dict(let d):
            guard let value = try d.get(index) else { throw Exceptions.keyError(index, interp) }
            return value
        case .tensor(let t): return .tensor(try TensorIndexing.get(t, index))
        case .object(let r as RangeObject):
            let n = r.length ?? 0
            let i = try position(Convert.int(index, "range index"), n, "range")
            return .int(r.element(i))
        case .object(let o):
            if let item = try (o as? Subscriptable)?.item(index, interp) { return item }
            throw ScriptError(.type, "'\(o.typeName)' object is not subscriptable")
        default:
            throw ScriptError(.type, "'\(v.typeName)' object is not subscriptable")
        }
    }

    static func set(_ v: Value, _ index: Value, _ newValue: Value, _ interp: Interpreter) throws {
        switch v {
        case .list(let l):
            if case .object(let s as SliceObject) = index {
                let (start, stop, step) = try s.indices(l.items.count)
                let replacement = try Iteration.collect(newValue, interp)
                if step == 1 {
                    l.items.replaceSubrange(start..<max(start, stop), with: replacement)
                } else {
                    let positions = Array(stride(from: start, to: stop, by: step))
                    guard positions.count == replacement.count else {
                        throw ScriptError(.value, "attempt to assign sequence of size \(replacement.count) to extended slice of size \(positions.count)")
                    }
                    for (p, r) in zip(positions, replacement) { l.items[p] = r }
                }
                return
            }
            l.items[try position(Convert.int(index, "list index"), l.items.count, "list assignment")] = newValue
        case .dict(let d): try d.set(index, newValue)
        case .tensor(let t): try TensorIndexing.set(t, index, newValue)
        case .object(let o as ItemAssignable): try o.setItem(index, newValue, interp)
        case .tuple: throw ScriptError(.type, "'tuple' object does not support item assignment")
        case .str: throw ScriptError(.type, "'str' object does not support item assignment")
        default: throw ScriptError(.type, "'\(v.typeName)' object does not support item assignment")
        }
    }

    static func delete(_ v: Value, _ index: Value) throws {
        switch v {
        case .list(let l):
            if case .object(let s as SliceObject) = index {
                let (start, stop, step) = try s.indices(l.items.count)
                let doomed = Set(stride(from: start, to: stop, by: step))
                l.items = l.items.enumerated().filter { !doomed.contains($0.offset) }.map(\.element)
                return
            }
            l.items.remove(at: try position(Convert.int(index, "list index"), l.items.count, "list assignment"))
        case .dict(let d):
            guard try d.remove(index) != nil else { throw ScriptError(.key, Repr.repr(index)) }
        case .object where try Dunder.call(v, "__delitem__", Arguments([index])) != nil:
            return
        default:
            throw ScriptError(.type, "'\(v.typeName)' object doesn't support item deletion")
        }
    }

    /// A Python index (negative counts from the end) checked against a length.
    static func position(_ i: Int, _ count: Int, _ what: String) throws -> Int {
        let p = i < 0 ? i &+ count : i
        guard p >= 0 && p < count else { throw ScriptError(.index, "\(what) index out of range") }
        return p
    }

    private static func sequenceGet(_ items: [Value], _ index: Value, _ what: String, wrap: ([Value]) -> Value) throws -> Value {
        if case .object(let s as SliceObject) = index {
            let (start, stop, step) = try s.indices(items.count)
            var out: [Value] = []
            var i = start
            while step > 0 ? i < stop : i > stop {
                out.append(items[i])
                let (next, overflow) = i.addingReportingOverflow(step)
                if overflow { break }
                i = next
            }
            return wrap(out)
        }
        guard case .int = index.normalizedIndex else {
            throw ScriptError(.type, "\(what) indices must be integers or slices, not \(index.typeName)")
        }
        return items[try position(Convert.int(index, "\(what) index"), items.count, what)]
    }
}

/// Objects that support `obj[i]` (data sets).
protocol Subscriptable {
    func item(_ index: Value, _ interp: Interpreter) throws -> Value
}

/// Objects that support `obj[i] = v` (an optimizer's parameter group).
protocol ItemAssignable {
    func setItem(_ index: Value, _ value: Value, _ interp: Interpreter) throws
}

extension Value {
    /// Bools index like ints; 1-element integer tensors too (PyTorch's `__index__`).
    var normalizedIndex: Value {
        switch self {
        case .bool(let b): .int(b ? 1 : 0)
        case .tensor(let t) where t.count == 1 && t.dtype == .int64: (try? Convert.int(self, "index")).map(Value.int) ?? self
        default: self
        }
    }
}
