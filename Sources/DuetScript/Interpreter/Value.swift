import DuetTensor

/// A Duet value. Numbers, strings and tuples are values; lists, dicts, tensors and every other
/// object are references, shared like Python's. Tensors are the engine's own objects, not copies.
public enum Value {
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case str(String)
    case list(ListObject)
    case tuple([Value])
    case dict(DictObject)
    case tensor(Tensor)
    case object(ScriptObject)

    /// The Python type name (`type(x).__name__`), used in error messages.
    public var typeName: String {
        switch self {
        case .none: "NoneType"
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .str: "str"
        case .list: "list"
        case .tuple: "tuple"
        case .dict: "dict"
        case .tensor: "Tensor"
        case .object(let o): o.typeName
        }
    }

    var isNone: Bool {
        if case .none = self { return true }
        return false
    }
}

/// A mutable Python list.
public final class ListObject {
    public var items: [Value]
    public init(_ items: [Value]) { self.items = items }
    deinit { Teardown.release(&items) }

    func surrenderItems(into values: inout [Value]) {
        values += items
        items = []
    }
}

/// The hashable form of a dict key: Python's rule that `1`, `1.0` and `True` are the same key,
/// and that mutable containers are not keys at all.
enum HashKey: Hashable {
    case none
    case int(Int)
    case float(Double)
    case str(String)
    case tuple([HashKey])
    case identity(ObjectIdentifier)
    /// An instance of a script class with `__hash__`: equal keys are found by its `__eq__`.
    case hashed(Int, HashedValue)

    init(_ v: Value, depth: Int = 0) throws {
        guard depth < Teardown.maxDepth else { throw ScriptError(.recursion, "maximum recursion depth exceeded while hashing a nested tuple") }
        switch v {
        case .none: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .float(let d):
            if d == d.rounded(), abs(d) < 9.2e18 { self = .int(Int(d)) } else { self = .float(d) }
        case .str(let s): self = .str(s)
        case .tuple(let items): self = .tuple(try items.map { try HashKey($0, depth: depth + 1) })
        case .tensor(let t): self = .identity(ObjectIdentifier(t))
        case .object(let o):
            if o is SetObject { throw ScriptError(.type, "unhashable type: 'set'") }
            if let size = o as? SizeObject {
                self = .tuple(size.dims.map(HashKey.int))
                return
            }
            if o.scriptClass != nil, let h = try Dunder.hash(v) { self = .hashed(h, HashedValue(v)) } else { self = .identity(o.identity) }
        case .list, .dict: throw ScriptError(.type, "unhashable type: '\(v.typeName)'")
        }
    }
}

/// A value whose hash its class computed; keys compare with `==` (its `__eq__`).
final class HashedValue: Hashable {
    let value: Value
    init(_ value: Value) { self.value = value }
    static func == (a: HashedValue, b: HashedValue) -> Bool { Operators.equal(a.value, b.value) }
    func hash(into hasher: inout Hasher) {}
}

/// A Python dict: insertion-ordered keys with a hash index.
public final class DictObject {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var index: [HashKey: Int] = [:]

    public init() {}

    init(pairs: [(Value, Value)]) throws {
        for (k, v) in pairs { try set(k, v) }
    }

    public var count: Int { keys.count }

    func get(_ key: Value) throws -> Value? {
        guard let i = index[try HashKey(key)] else { return nil }
        return values[i]
    }

    func set(_ key: Value, _ value: Value) throws {
        let h = try HashKey(key)
        if let i = index[h] {
            values[i] = value
        } else {
            index[h] = keys.count
            keys.append(key)
            values.append(value)
        }
    }

    /// Removes a key; returns its value, or nil when absent.
    @discardableResult
    func remove(_ key: Value) throws -> Value? {
        let h = try HashKey(key)
        guard let i = index[h] else { return nil }
        let v = values[i]
        keys.remove(at: i)
        values.remove(at: i)
        index[h] = nil
        for (k, j) in index where j > i { index[k] = j - 1 }
        return v
    }

    func removeAll() {
        keys = []
        values = []
        index = [:]
    }

    deinit {
        var items: [Value] = []
        surrenderItems(into: &items)
        Teardown.release(&items)
    }

    func surrenderItems(into items: inout [Value]) {
        items += keys
        items += values
        removeAll()
    }
}
