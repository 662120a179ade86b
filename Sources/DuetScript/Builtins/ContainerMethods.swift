/// Methods of lists, tuples and dicts, as in Python.
enum ContainerMethods {
    private static func method(_ signature: Signature, _ doc: String, _ body: @escaping @Sendable (Value, BoundArguments, Interpreter) throws -> Value) -> (String, Method) {
        (signature.name, Method(signature, doc, body))
    }

    private static func list(_ v: Value) -> ListObject {
        if case .list(let l) = v { return l }
        return ListObject([])
    }

    private static func dict(_ v: Value) -> DictObject {
        if case .dict(let d) = v { return d }
        return DictObject()
    }

    static let list: [String: Method] = Dictionary(uniqueKeysWithValues: [
        method("append(object, /)", "Appends an item.") { v, b, _ in
            list(v).items.append(try b.value("object"))
            return .none
        },
        method("extend(iterable, /)", "Appends every item of an iterable.") { v, b, interp in
            list(v).items += try Iteration.collect(try b.value("iterable"), interp)
            return .none
        },
        method("insert(index, object, /)", "Inserts an item before index.") { v, b, _ in
            let l = list(v)
            var i = try b.int("index")
            if i < 0 { i = max(0, i &+ l.items.count) }
            l.items.insert(try b.value("object"), at: min(i, l.items.count))
            return .none
        },
        method("pop(index=-1, /)", "Removes and returns an item (the last by default).") { v, b, _ in
            let l = list(v)
            guard !l.items.isEmpty else { throw ScriptError(.index, "pop from empty list") }
            return l.items.remove(at: try Subscript.position(try b.int("index"), l.items.count, "pop"))
        },
        method("remove(value, /)", "Removes the first item equal to value.") { v, b, _ in
            let l = list(v), x = try b.value("value")
            guard let i = l.items.firstIndex(where: { Operators.equal($0, x) }) else {
                throw ScriptError(.value, "list.remove(x): x not in list")
            }
            l.items.remove(at: i)
            return .none
        },
        method("index(value, /)", "Position of the first item equal to value.") { v, b, _ in
            let x = try b.value("value")
            guard let i = list(v).items.firstIndex(where: { Operators.equal($0, x) }) else {
                throw ScriptError(.value, "\(Repr.repr(x)) is not in list")
            }
            return .int(i)
        },
        method("count(value, /)", "Number of items equal to value.") { v, b, _ in
            let x = try b.value("value")
            return .int(list(v).items.filter { Operators.equal($0, x) }.count)
        },
        method("clear()", "Removes every item.") { v, _, _ in
            list(v).items = []
            return .none
        },
        method("copy()", "A shallow copy.") { v, _, _ in .list(ListObject(list(v).items)) },
        method("reverse()", "Reverses the list in place.") { v, _, _ in
            list(v).items.reverse()
            return .none
        },
        method("sort(*, key=None, reverse=False)", "Sorts the list in place (stable).") { v, b, interp in
            let l = list(v)
            l.items = try Sorting.sorted(l.items, key: b["key"], reverse: try b.bool("reverse"), interp)
            return .none
        },
    ])

    static let tuple: [String: Method] = Dictionary(uniqueKeysWithValues: [
        method("index(value, /)", "Position of the first item equal to value.") { v, b, _ in
            let x = try b.value("value")
            guard case .tuple(let items) = v, let i = items.firstIndex(where: { Operators.equal($0, x) }) else {
                throw ScriptError(.value, "tuple.index(x): x not in tuple")
            }
            return .int(i)
        },
        method("count(value, /)", "Number of items equal to value.") { v, b, _ in
            let x = try b.value("value")
            guard case .tuple(let items) = v else { return .int(0) }
            return .int(items.filter { Operators.equal($0, x) }.count)
        },
    ])

    static let dict: [String: Method] = Dictionary(uniqueKeysWithValues: [
        method("keys()", "The keys, in insertion order.") { v, _, _ in .list(ListObject(dict(v).keys)) },
        method("values()", "The values, in insertion order.") { v, _, _ in .list(ListObject(dict(v).values)) },
        method("items()", "(key, value) pairs, in insertion order.") { v, _, _ in
            let d = dict(v)
            return .list(ListObject(zip(d.keys, d.values).map { .tuple([$0, $1]) }))
        },
        method("get(key, default=None, /)", "The value for key, or default.") { v, b, _ in
            try dict(v).get(try b.value("key")) ?? (try b.value("default"))
        },
        method(Signature("pop(key, /)", "pop(key, default, /)"), "Removes key and returns its value (or default).") { v, b, _ in
            let key = try b.value("key")
            if let value = try dict(v).remove(key) { return value }
            guard let fallback = b.given("default") else { throw ScriptError(.key, Repr.repr(key)) }
            return fallback
        },
        method("setdefault(key, default=None, /)", "The value for key, inserting default first if absent.") { v, b, _ in
            let d = dict(v), key = try b.value("key")
            if let value = try d.get(key) { return value }
            let value = try b.value("default")
            try d.set(key, value)
            return value
        },
        method("update(other=None, /, **kwargs)", "Copies every key and value of another dict, then the keywords.") { v, b, _ in
            let d = dict(v)
            if let other = b["other"] {
                guard case .dict(let o) = other else { throw ScriptError(.type, "update() needs a dict, not \(other.typeName)") }
                for (k, value) in zip(o.keys, o.values) { try d.set(k, value) }
            }
            for (k, value) in b.extraKeywords { try d.set(.str(k), value) }
            return .none
        },
        method("copy()", "A shallow copy.") { v, _, _ in
            let d = dict(v)
            return .dict(try DictObject(pairs: Array(zip(d.keys, d.values))))
        },
        method("clear()", "Removes every key.") { v, _, _ in
            dict(v).removeAll()
            return .none
        },
    ])
}

/// Sorting with Python's rules: a stable sort by `key`, failing on values that do not compare.
enum Sorting {
    static func sorted(_ items: [Value], key: Value?, reverse: Bool, _ interp: Interpreter) throws -> [Value] {
        let keys = try items.map { item in try key.map { try interp.callValue($0, Arguments([item])) } ?? item }
        var failure: (any Error)?
        let order = keys.indices.sorted { a, b in
            guard failure == nil else { return false }
            do {
                let c = try Operators.ordering(keys[a], keys[b]) ?? 0
                return c == 0 ? a < b : (reverse ? c > 0 : c < 0)
            } catch {
                failure = error
                return false
            }
        }
        if let failure { throw failure }
        return order.map { items[$0] }
    }
}
