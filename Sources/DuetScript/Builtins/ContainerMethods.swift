/// Methods of lists, tuples and dicts, as in Python.
enum ContainerMethods {
    private static func method(_ name: String, _ sig: String, _ doc: String, _ body: @escaping @Sendable (Value, Arguments, Interpreter) throws -> Value) -> (String, Method) {
        (name, Method(name: name, signature: sig, doc: doc, body: body))
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
        method("append", "append(object)", "Appends an item.") { v, a, _ in
            try a.expectPositional("append", min: 1, max: 1)
            list(v).items.append(a.positional[0])
            return .none
        },
        method("extend", "extend(iterable)", "Appends every item of an iterable.") { v, a, interp in
            try a.expectPositional("extend", min: 1, max: 1)
            list(v).items += try Iteration.collect(a.positional[0], interp)
            return .none
        },
        method("insert", "insert(index, object)", "Inserts an item before index.") { v, a, _ in
            try a.expectPositional("insert", min: 2, max: 2)
            let l = list(v)
            var i = try Convert.int(a.positional[0], "insert index")
            if i < 0 { i = max(0, i &+ l.items.count) }
            l.items.insert(a.positional[1], at: min(i, l.items.count))
            return .none
        },
        method("pop", "pop(index=-1)", "Removes and returns an item (the last by default).") { v, a, _ in
            try a.expectPositional("pop", min: 0, max: 1)
            let l = list(v)
            guard !l.items.isEmpty else { throw ScriptError(.index, "pop from empty list") }
            let i = try Subscript.position(a.positional.first.map { try Convert.int($0, "pop index") } ?? -1, l.items.count, "pop")
            return l.items.remove(at: i)
        },
        method("remove", "remove(value)", "Removes the first item equal to value.") { v, a, _ in
            try a.expectPositional("remove", min: 1, max: 1)
            let l = list(v)
            guard let i = l.items.firstIndex(where: { Operators.equal($0, a.positional[0]) }) else {
                throw ScriptError(.value, "list.remove(x): x not in list")
            }
            l.items.remove(at: i)
            return .none
        },
        method("index", "index(value)", "Position of the first item equal to value.") { v, a, _ in
            try a.expectPositional("index", min: 1, max: 1)
            guard let i = list(v).items.firstIndex(where: { Operators.equal($0, a.positional[0]) }) else {
                throw ScriptError(.value, "\(Repr.repr(a.positional[0])) is not in list")
            }
            return .int(i)
        },
        method("count", "count(value)", "Number of items equal to value.") { v, a, _ in
            try a.expectPositional("count", min: 1, max: 1)
            return .int(list(v).items.filter { Operators.equal($0, a.positional[0]) }.count)
        },
        method("clear", "clear()", "Removes every item.") { v, a, _ in
            try a.expectPositional("clear", min: 0, max: 0)
            list(v).items = []
            return .none
        },
        method("copy", "copy()", "A shallow copy.") { v, a, _ in
            try a.expectPositional("copy", min: 0, max: 0)
            return .list(ListObject(list(v).items))
        },
        method("reverse", "reverse()", "Reverses the list in place.") { v, a, _ in
            try a.expectPositional("reverse", min: 0, max: 0)
            list(v).items.reverse()
            return .none
        },
        method("sort", "sort(key=None, reverse=False)", "Sorts the list in place (stable).") { v, a, interp in
            let b = try BoundArguments(a, "sort", ["key", "reverse"])
            guard a.positional.isEmpty else { throw ScriptError(.type, "sort() takes no positional arguments") }
            let l = list(v)
            l.items = try Sorting.sorted(l.items, key: b[0], reverse: try b.bool(1, false), interp)
            return .none
        },
    ])

    static let tuple: [String: Method] = Dictionary(uniqueKeysWithValues: [
        method("index", "index(value)", "Position of the first item equal to value.") { v, a, _ in
            try a.expectPositional("index", min: 1, max: 1)
            guard case .tuple(let items) = v, let i = items.firstIndex(where: { Operators.equal($0, a.positional[0]) }) else {
                throw ScriptError(.value, "tuple.index(x): x not in tuple")
            }
            return .int(i)
        },
        method("count", "count(value)", "Number of items equal to value.") { v, a, _ in
            try a.expectPositional("count", min: 1, max: 1)
            guard case .tuple(let items) = v else { return .int(0) }
            return .int(items.filter { Operators.equal($0, a.positional[0]) }.count)
        },
    ])

    static let dict: [String: Method] = Dictionary(uniqueKeysWithValues: [
        method("keys", "keys()", "The keys, in insertion order.") { v, a, _ in
            try a.expectPositional("keys", min: 0, max: 0)
            return .list(ListObject(dict(v).keys))
        },
        method("values", "values()", "The values, in insertion order.") { v, a, _ in
            try a.expectPositional("values", min: 0, max: 0)
            return .list(ListObject(dict(v).values))
        },
        method("items", "items()", "(key, value) pairs, in insertion order.") { v, a, _ in
            try a.expectPositional("items", min: 0, max: 0)
            let d = dict(v)
            return .list(ListObject(zip(d.keys, d.values).map { .tuple([$0, $1]) }))
        },
        method("get", "get(key, default=None)", "The value for key, or default.") { v, a, _ in
            try a.expectPositional("get", min: 1, max: 2)
            return try dict(v).get(a.positional[0]) ?? (a.positional.count > 1 ? a.positional[1] : .none)
        },
        method("pop", "pop(key, default)", "Removes key and returns its value (or default).") { v, a, _ in
            try a.expectPositional("pop", min: 1, max: 2)
            if let value = try dict(v).remove(a.positional[0]) { return value }
            guard a.positional.count > 1 else { throw ScriptError(.key, Repr.repr(a.positional[0])) }
            return a.positional[1]
        },
        method("setdefault", "setdefault(key, default=None)", "The value for key, inserting default first if absent.") { v, a, _ in
            try a.expectPositional("setdefault", min: 1, max: 2)
            let d = dict(v)
            if let value = try d.get(a.positional[0]) { return value }
            let value = a.positional.count > 1 ? a.positional[1] : .none
            try d.set(a.positional[0], value)
            return value
        },
        method("update", "update(other)", "Copies every key and value of another dict.") { v, a, _ in
            let d = dict(v)
            try Arguments.checkCount("update", a.positional.count, min: 0, max: 1)
            if let other = a.positional.first {
                guard case .dict(let o) = other else { throw ScriptError(.type, "update() needs a dict, not \(other.typeName)") }
                for (k, value) in zip(o.keys, o.values) { try d.set(k, value) }
            }
            for (k, value) in zip(a.names, a.keywords) { try d.set(.str(k), value) }
            return .none
        },
        method("copy", "copy()", "A shallow copy.") { v, a, _ in
            try a.expectPositional("copy", min: 0, max: 0)
            let d = dict(v)
            return .dict(try DictObject(pairs: Array(zip(d.keys, d.values))))
        },
        method("clear", "clear()", "Removes every key.") { v, a, _ in
            try a.expectPositional("clear", min: 0, max: 0)
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
