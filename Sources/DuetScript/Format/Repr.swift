import DuetTensor
import DuetNN

/// Python's `repr` and `str` for every value. Containers print their items with `repr`;
/// nesting is bounded so a list that contains itself prints `[...]` instead of recursing.
enum Repr {
    static func str(_ v: Value) -> String {
        if case .str(let s) = v { return s }
        if case .object(let o) = v { return o.str }
        return repr(v)
    }

    static func repr(_ v: Value) -> String {
        var seen: [ObjectIdentifier] = []
        return repr(v, &seen)
    }

    private static func repr(_ v: Value, _ seen: inout [ObjectIdentifier]) -> String {
        if seen.count >= Teardown.maxDepth {
            switch v {
            case .list, .tuple, .dict: return "..."
            default: break
            }
        }
        switch v {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let d): return PyFloat.repr(d)
        case .str(let s): return quoted(s)
        case .list(let l):
            let id = ObjectIdentifier(l)
            if seen.contains(id) { return "[...]" }
            seen.append(id)
            defer { seen.removeLast() }
            return "[" + l.items.map { repr($0, &seen) }.joined(separator: ", ") + "]"
        case .tuple(let items):
            // Tuples cannot contain themselves, but count toward the depth bound.
            seen.append(ObjectIdentifier(Repr.self))
            defer { seen.removeLast() }
            if items.count == 1 { return "(" + repr(items[0], &seen) + ",)" }
            return "(" + items.map { repr($0, &seen) }.joined(separator: ", ") + ")"
        case .dict(let d):
            let id = ObjectIdentifier(d)
            if seen.contains(id) { return "{...}" }
            seen.append(id)
            defer { seen.removeLast() }
            return "{" + zip(d.keys, d.values).map { repr($0, &seen) + ": " + repr($1, &seen) }.joined(separator: ", ") + "}"
        case .tensor(let t): return TensorFormatter.repr(t)
        case .object(let o): return o.repr
        }
    }

    /// A string literal as Python writes it: single quotes unless the text contains one and no double quote.
    static func quoted(_ s: String) -> String {
        let quote: Character = s.contains("'") && !s.contains("\"") ? "\"" : "'"
        var out = String(quote)
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if Character(c) == quote { out += "\\" + String(quote) }
                else if c.value < 0x20 || c.value == 0x7F { out += "\\x" + (c.value < 16 ? "0" : "") + String(c.value, radix: 16) }
                else { out.unicodeScalars.append(c) }
            }
        }
        out.append(quote)
        return out
    }
}
