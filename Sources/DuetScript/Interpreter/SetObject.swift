/// A Python set: unique hashable items. CPython's order is its hash table's: for sets of small
/// non-negative ints that is ascending, which is what Duet shows for any set of ints; other sets
/// keep insertion order (CPython's order for strings changes from run to run anyway).
final class SetObject: ScriptObject {
    private var stored: [Value] = []

    /// The items in the order Python would iterate them (see above).
    var items: [Value] {
        guard stored.allSatisfy({ if case .int = $0 { true } else if case .bool = $0 { true } else { false } }) else { return stored }
        return stored.sorted { ($0.asDouble ?? 0) < ($1.asDouble ?? 0) }
    }
    private var index: [HashKey: Int] = [:]

    init(_ values: [Value]) throws {
        super.init()
        for v in values { try insert(v) }
    }

    deinit { Teardown.release(&stored) }

    override func surrenderItems(into values: inout [Value]) {
        values += stored
        removeAll()
    }

    func contains(_ v: Value) throws -> Bool { index[try HashKey(v)] != nil }

    func insert(_ v: Value) throws {
        let k = try HashKey(v)
        guard index[k] == nil else { return }
        index[k] = stored.count
        stored.append(v)
    }

    /// Removes `v`; false when it was not there.
    @discardableResult
    func remove(_ v: Value) throws -> Bool {
        guard let i = index.removeValue(forKey: try HashKey(v)) else { return false }
        stored.remove(at: i)
        for (k, j) in index where j > i { index[k] = j - 1 }
        return true
    }

    func removeAll() {
        stored = []
        index = [:]
    }

    override var typeName: String { "set" }
    override var repr: String { items.isEmpty ? "set()" : "{" + items.map(Repr.repr).joined(separator: ", ") + "}" }
    override var length: Int? { stored.count }
    override var isTruthy: Bool { !stored.isEmpty }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { ArrayIterator(items) }
    override var attributeNames: [String] { SetMethods.names }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? { SetMethods.method(self, name, interp) }

    func isSubset(of other: SetObject) throws -> Bool { try items.allSatisfy { try other.contains($0) } }

    /// `|`, `&`, `-` and `^` between sets.
    static func combine(_ op: BinaryOperator, _ a: SetObject, _ b: SetObject) throws -> SetObject? {
        switch op {
        case .bitOr: return try SetObject(a.items + b.items)
        case .bitAnd: return try SetObject(a.items.filter { try b.contains($0) })
        case .subtract: return try SetObject(a.items.filter { !(try b.contains($0)) })
        case .bitXor: return try SetObject(a.items.filter { !(try b.contains($0)) } + b.items.filter { !(try a.contains($0)) })
        default: return nil
        }
    }

    /// `<`, `<=`, `>`, `>=`: proper and non-strict subset and superset.
    static func order(_ op: CompareOperator, _ a: SetObject, _ b: SetObject) throws -> Bool? {
        switch op {
        case .lessEqual: return try a.isSubset(of: b)
        case .less: return try a.items.count < b.items.count && a.isSubset(of: b)
        case .greaterEqual: return try b.isSubset(of: a)
        case .greater: return try b.items.count < a.items.count && b.isSubset(of: a)
        default: return nil
        }
    }
}

/// The methods of sets, by name.
enum SetMethods {
    static let names = ["add", "clear", "copy", "difference", "discard", "intersection", "isdisjoint", "issubset", "issuperset",
                        "pop", "remove", "symmetric_difference", "union", "update"]

    static func method(_ s: SetObject, _ name: String, _ interp: Interpreter) -> Value? {
        func f(_ signature: Signature, _ doc: String, _ body: @escaping (BoundArguments) throws -> Value) -> Value {
            .object(BuiltinFunction(signature, doc) { b, _ in try body(b) })
        }
        func others(_ args: ArraySlice<Value>) throws -> [SetObject] { try args.map { try SetObject(try Iteration.collect($0, interp)) } }
        func other(_ b: BoundArguments) throws -> SetObject { try SetObject(try Iteration.collect(try b.value("other"), interp)) }
        switch name {
        case "add": return f("add(elem, /)", "Adds an item.") { b in try s.insert(try b.value("elem")); return .none }
        case "remove": return f("remove(elem, /)", "Removes an item; KeyError when absent.") { b in
            let v = try b.value("elem")
            guard try s.remove(v) else { throw ScriptError(.key, Repr.repr(v)) }
            return .none
        }
        case "discard": return f("discard(elem, /)", "Removes an item if present.") { b in try s.remove(try b.value("elem")); return .none }
        case "pop": return f("pop()", "Removes and returns an item.") { _ in
            guard let v = s.items.first else { throw ScriptError(.key, "'pop from an empty set'") }
            try s.remove(v)
            return v
        }
        case "clear": return f("clear()", "Removes every item.") { _ in s.removeAll(); return .none }
        case "copy": return f("copy()", "A shallow copy.") { _ in .object(try SetObject(s.items)) }
        case "update": return f("update(*others)", "Adds the items of the iterables.") { b in
            for o in try others(b.rest) { for v in o.items { try s.insert(v) } }
            return .none
        }
        case "union", "intersection", "difference", "symmetric_difference":
            let op: BinaryOperator = ["union": .bitOr, "intersection": .bitAnd, "difference": .subtract][name] ?? .bitXor
            return f("\(name)(*others)", "A new set: the \(name) with the iterables.") { b in
                var r = s
                for o in try others(b.rest) { r = try SetObject.combine(op, r, o) ?? r }
                return .object(r === s ? try SetObject(s.items) : r)
            }
        case "issubset": return f("issubset(other, /)", "Whether every item is in other.") { b in .bool(try s.isSubset(of: try other(b))) }
        case "issuperset": return f("issuperset(other, /)", "Whether every item of other is here.") { b in .bool(try other(b).isSubset(of: s)) }
        case "isdisjoint": return f("isdisjoint(other, /)", "Whether no item is shared.") { b in
            let o = try other(b)
            return .bool(try !s.items.contains { try o.contains($0) })
        }
        default: return nil
        }
    }
}
