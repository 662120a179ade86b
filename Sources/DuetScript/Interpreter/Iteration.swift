import DuetTensor
import DuetNN

/// Produces the items of a `for` loop, a comprehension or an unpacking, one at a time.
class ValueIterator {
    func next() throws -> Value? { nil }
}

final class RangeIterator: ValueIterator {
    private var current: Int
    private let stop: Int, step: Int
    init(_ r: RangeObject) {
        current = r.start
        stop = r.stop
        step = r.step
    }
    override func next() throws -> Value? {
        guard step > 0 ? current < stop : current > stop else { return nil }
        defer { current = current.addingReportingOverflow(step).overflow ? stop : current + step }
        return .int(current)
    }
}

/// Walks a list by index, so appending while iterating behaves as in Python.
final class ListIterator: ValueIterator {
    private let list: ListObject
    private var index = 0
    init(_ list: ListObject) { self.list = list }
    override func next() throws -> Value? {
        guard index < list.items.count else { return nil }
        defer { index += 1 }
        return list.items[index]
    }
}

final class ArrayIterator: ValueIterator {
    private let items: [Value]
    private var index = 0
    init(_ items: [Value]) { self.items = items }
    override func next() throws -> Value? {
        guard index < items.count else { return nil }
        defer { index += 1 }
        return items[index]
    }
}

/// Rows of a tensor along dim 0 (views, as PyTorch gives).
final class TensorIterator: ValueIterator {
    private let tensor: Tensor
    private var index = 0
    init(_ t: Tensor) throws {
        guard t.rank > 0 else { throw ScriptError(.type, "iteration over a 0-d tensor") }
        tensor = t
    }
    override func next() throws -> Value? {
        guard index < tensor.shape[0] else { return nil }
        defer { index += 1 }
        return .tensor(try tensor.select(dim: 0, index: index))
    }
}

enum Iteration {
    static func iterator(_ v: Value, _ interp: Interpreter) throws -> ValueIterator {
        switch v {
        case .list(let l): return ListIterator(l)
        case .tuple(let items): return ArrayIterator(items)
        case .dict(let d): return ArrayIterator(d.keys)
        case .str(let s): return ArrayIterator(s.map { .str(String($0)) })
        case .tensor(let t): return try TensorIterator(t)
        case .object(let o):
            if let it = try o.makeIterator(interp) { return it }
        default: break
        }
        throw ScriptError(.type, "'\(v.typeName)' object is not iterable")
    }

    /// All items of an iterable (lists and tuples without copying their storage).
    static func collect(_ v: Value, _ interp: Interpreter) throws -> [Value] {
        switch v {
        case .list(let l): return l.items
        case .tuple(let items): return items
        default:
            let it = try iterator(v, interp)
            var out: [Value] = []
            while let x = try it.next() {
                try interp.checkpoint()
                out.append(x)
            }
            return out
        }
    }
}
