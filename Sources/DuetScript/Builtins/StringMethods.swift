import Foundation

/// The string methods scripts commonly use.
enum StringMethods {
    private static func method(_ name: String, _ sig: String, _ doc: String, _ body: @escaping @Sendable (String, Arguments, Interpreter) throws -> Value) -> (String, Method) {
        (name, Method(name: name, signature: sig, doc: doc) { v, a, interp in
            guard case .str(let s) = v else { return .none }
            return try body(s, a, interp)
        })
    }

    static let table: [String: Method] = Dictionary(uniqueKeysWithValues: [
        method("format", "format(*args, **kwargs)", "Replaces {} fields with the arguments (format specs allowed).") { s, a, _ in
            .str(try StringFormat.format(s, a))
        },
        method("join", "join(iterable)", "The items (strings) joined with this string between them.") { s, a, interp in
            try a.expectPositional("join", min: 1, max: 1)
            let parts = try Iteration.collect(a.positional[0], interp).map { v -> String in
                guard case .str(let p) = v else { throw ScriptError(.type, "sequence item: expected str instance, \(v.typeName) found") }
                return p
            }
            return .str(parts.joined(separator: s))
        },
        method("split", "split(sep=None)", "Splits at sep, or at runs of whitespace.") { s, a, _ in
            try a.expectPositional("split", min: 0, max: 1)
            if let sep = a.positional.first, !sep.isNone {
                let sepText = try Convert.string(sep, "split separator")
                guard !sepText.isEmpty else { throw ScriptError(.value, "empty separator") }
                return .list(ListObject(s.components(separatedBy: sepText).map(Value.str)))
            }
            return .list(ListObject(s.split(whereSeparator: { $0.isWhitespace }).map { .str(String($0)) }))
        },
        method("strip", "strip()", "Without leading and trailing whitespace.") { s, a, _ in
            try a.expectPositional("strip", min: 0, max: 0)
            return .str(s.trimmingCharacters(in: .whitespacesAndNewlines))
        },
        method("upper", "upper()", "Upper-cased.") { s, a, _ in
            try a.expectPositional("upper", min: 0, max: 0)
            return .str(s.uppercased())
        },
        method("lower", "lower()", "Lower-cased.") { s, a, _ in
            try a.expectPositional("lower", min: 0, max: 0)
            return .str(s.lowercased())
        },
        method("replace", "replace(old, new)", "Every occurrence of old replaced by new.") { s, a, _ in
            try a.expectPositional("replace", min: 2, max: 2)
            let old = try Convert.string(a.positional[0], "replace old"), new = try Convert.string(a.positional[1], "replace new")
            guard !old.isEmpty else { return .str(s) }
            return .str(s.replacingOccurrences(of: old, with: new))
        },
        method("startswith", "startswith(prefix)", "Whether the string starts with prefix.") { s, a, _ in
            try a.expectPositional("startswith", min: 1, max: 1)
            return .bool(s.hasPrefix(try Convert.string(a.positional[0], "prefix")))
        },
        method("endswith", "endswith(suffix)", "Whether the string ends with suffix.") { s, a, _ in
            try a.expectPositional("endswith", min: 1, max: 1)
            return .bool(s.hasSuffix(try Convert.string(a.positional[0], "suffix")))
        },
        method("ljust", "ljust(width)", "Padded with spaces on the right to width.") { s, a, _ in
            try a.expectPositional("ljust", min: 1, max: 1)
            return .str(try FormatSpec.format(.str(s), "<\(min(try Convert.int(a.positional[0], "width"), 10_000))"))
        },
        method("rjust", "rjust(width)", "Padded with spaces on the left to width.") { s, a, _ in
            try a.expectPositional("rjust", min: 1, max: 1)
            return .str(try FormatSpec.format(.str(s), ">\(min(try Convert.int(a.positional[0], "width"), 10_000))"))
        },
    ])
}

/// `"{} {name:.2f}".format(...)`: automatic and explicit field numbering, names, format specs.
enum StringFormat {
    static func format(_ template: String, _ args: Arguments) throws -> String {
        let chars = Array(template)
        var out = ""
        var auto = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if c == "{" {
                if i + 1 < chars.count && chars[i + 1] == "{" {
                    out.append("{")
                    i += 2
                    continue
                }
                guard let close = chars[i...].firstIndex(of: "}") else { throw ScriptError(.value, "Single '{' encountered in format string") }
                let field = String(chars[(i + 1)..<close])
                let (name, spec) = field.firstIndex(of: ":").map { (String(field[..<$0]), String(field[field.index(after: $0)...])) } ?? (field, "")
                let value: Value
                if name.isEmpty {
                    guard auto < args.positional.count else { throw ScriptError(.index, "Replacement index \(auto) out of range for positional args tuple") }
                    value = args.positional[auto]
                    auto += 1
                } else if let n = Int(name) {
                    guard n >= 0 && n < args.positional.count else { throw ScriptError(.index, "Replacement index \(n) out of range for positional args tuple") }
                    value = args.positional[n]
                } else {
                    guard let v = args.keyword(name) else { throw ScriptError(.key, Repr.repr(.str(name))) }
                    value = v
                }
                out += try FormatSpec.format(value, spec)
                i = close + 1
            } else if c == "}" {
                guard i + 1 < chars.count && chars[i + 1] == "}" else { throw ScriptError(.value, "Single '}' encountered in format string") }
                out.append("}")
                i += 2
            } else {
                out.append(c)
                i += 1
            }
        }
        return out
    }
}
