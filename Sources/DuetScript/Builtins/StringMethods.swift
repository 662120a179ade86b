import Foundation

/// The string methods scripts commonly use.
enum StringMethods {
    private static func method(_ signature: Signature, _ doc: String, _ body: @escaping @Sendable (String, BoundArguments, Interpreter) throws -> Value) -> (String, Method) {
        (signature.name, Method(signature, doc) { v, b, interp in
            guard case .str(let s) = v else { return .none }
            return try body(s, b, interp)
        })
    }

    /// Python's strip family: the characters in `chars`, or whitespace when None.
    private static func trimmed(_ s: String, _ b: BoundArguments, leading: Bool, trailing: Bool) throws -> Value {
        let chars = try b.optionalString("chars")
        func strip(_ c: Character) -> Bool { chars.map { $0.contains(c) } ?? c.isWhitespace }
        var t = Substring(s)
        if leading { t = t.drop(while: strip) }
        if trailing { while let last = t.last, strip(last) { t.removeLast() } }
        return .str(String(t))
    }

    /// A padding width, capped so that a typo cannot allocate gigabytes.
    private static func width(_ b: BoundArguments) throws -> Int { min(try b.int("width"), 10_000) }

    /// `ljust`/`rjust`/`center`: a format spec with the fill character and alignment.
    private static func pad(_ s: String, _ b: BoundArguments, _ align: String) throws -> Value {
        let fill = try b.string("fillchar")
        guard fill.count == 1 else { throw ScriptError(.type, "\(b.function)(): the fill character must be exactly one character long") }
        return .str(try FormatSpec.format(.str(s), fill + align + String(try width(b))))
    }

    static let table: [String: Method] = Dictionary(uniqueKeysWithValues: [
        method("format(*args, **kwargs)", "Replaces {} fields with the arguments (format specs allowed).") { s, b, _ in
            .str(try StringFormat.format(s, b.args))
        },
        method("join(iterable, /)", "The items (strings) joined with this string between them.") { s, b, interp in
            let parts = try Iteration.collect(try b.value("iterable"), interp).map { v -> String in
                guard case .str(let p) = v else { throw ScriptError(.type, "sequence item: expected str instance, \(v.typeName) found") }
                return p
            }
            return .str(parts.joined(separator: s))
        },
        method("split(sep=None, maxsplit=-1)", "Splits at sep, or at runs of whitespace; at most maxsplit times when it is not -1.") { s, b, _ in
            let limit = try b.int("maxsplit")
            let maxSplits = limit < 0 ? Int.max : limit
            if let sep = try b.optionalString("sep") {
                guard !sep.isEmpty else { throw ScriptError(.value, "empty separator") }
                var parts: [Value] = [], rest = Substring(s)
                while parts.count < maxSplits, let r = rest.range(of: sep) {
                    parts.append(.str(String(rest[..<r.lowerBound])))
                    rest = rest[r.upperBound...]
                }
                return .list(ListObject(parts + [.str(String(rest))]))
            }
            var parts: [Value] = [], rest = Substring(s).drop(while: \.isWhitespace)
            while !rest.isEmpty {
                if parts.count == maxSplits {
                    parts.append(.str(String(rest)))
                    break
                }
                let end = rest.firstIndex(where: \.isWhitespace) ?? rest.endIndex
                parts.append(.str(String(rest[..<end])))
                rest = rest[end...].drop(while: \.isWhitespace)
            }
            return .list(ListObject(parts))
        },
        method("splitlines()", "The lines, without their line breaks.") { s, _, _ in
            .list(ListObject(s.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { .str(String($0)) }.dropLast(s.last?.isNewline == true ? 1 : 0)))
        },
        method("strip(chars=None, /)", "Without leading and trailing whitespace (or chars).") { s, b, _ in try trimmed(s, b, leading: true, trailing: true) },
        method("lstrip(chars=None, /)", "Without leading whitespace (or chars).") { s, b, _ in try trimmed(s, b, leading: true, trailing: false) },
        method("rstrip(chars=None, /)", "Without trailing whitespace (or chars).") { s, b, _ in try trimmed(s, b, leading: false, trailing: true) },
        method("upper()", "Upper-cased.") { s, _, _ in .str(s.uppercased()) },
        method("lower()", "Lower-cased.") { s, _, _ in .str(s.lowercased()) },
        method("title()", "Each word capitalized.") { s, _, _ in .str(s.capitalized) },
        method("capitalize()", "The first character upper-cased, the rest lower-cased.") { s, _, _ in
            .str(s.prefix(1).uppercased() + s.dropFirst().lowercased())
        },
        method("replace(old, new, count=-1, /)", "Occurrences of old replaced by new (the first count of them unless count is -1).") { s, b, _ in
            let old = try b.string("old"), new = try b.string("new"), count = try b.int("count")
            guard !old.isEmpty, count != 0 else { return .str(s) }
            guard count > 0 else { return .str(s.replacingOccurrences(of: old, with: new)) }
            var out = "", rest = Substring(s), done = 0
            while done < count, let r = rest.range(of: old) {
                out += rest[..<r.lowerBound] + new
                rest = rest[r.upperBound...]
                done += 1
            }
            return .str(out + rest)
        },
        method("startswith(prefix, /)", "Whether the string starts with prefix (or one of a tuple of them).") { s, b, _ in
            if case .tuple(let options) = try b.value("prefix") { return .bool(try options.contains { s.hasPrefix(try Convert.string($0, b.label("prefix"))) }) }
            return .bool(s.hasPrefix(try b.string("prefix")))
        },
        method("endswith(suffix, /)", "Whether the string ends with suffix (or one of a tuple of them).") { s, b, _ in
            if case .tuple(let options) = try b.value("suffix") { return .bool(try options.contains { s.hasSuffix(try Convert.string($0, b.label("suffix"))) }) }
            return .bool(s.hasSuffix(try b.string("suffix")))
        },
        method("find(sub, /)", "The index of the first occurrence of sub, or -1.") { s, b, _ in
            guard let r = s.range(of: try b.string("sub")) else { return .int(-1) }
            return .int(s.distance(from: s.startIndex, to: r.lowerBound))
        },
        method("count(sub, /)", "How many non-overlapping times sub occurs.") { s, b, _ in
            let sub = try b.string("sub")
            guard !sub.isEmpty else { return .int(s.count + 1) }
            return .int(s.components(separatedBy: sub).count - 1)
        },
        method("isdigit()", "Whether every character is a digit (and there is one).") { s, _, _ in .bool(!s.isEmpty && s.allSatisfy(\.isNumber)) },
        method("isalpha()", "Whether every character is a letter (and there is one).") { s, _, _ in .bool(!s.isEmpty && s.allSatisfy(\.isLetter)) },
        method("isupper()", "Whether there is a cased character and every cased one is upper case.") { s, _, _ in
            .bool(s.contains(where: \.isCased) && !s.contains(where: \.isLowercase))
        },
        method("islower()", "Whether there is a cased character and every cased one is lower case.") { s, _, _ in
            .bool(s.contains(where: \.isCased) && !s.contains(where: \.isUppercase))
        },
        method("rsplit(sep=None, maxsplit=-1)", "Splits at sep (or whitespace runs) from the right; at most maxsplit times when it is not -1.") { s, b, _ in
            let limit = try b.int("maxsplit")
            let maxSplits = limit < 0 ? Int.max : limit
            let sep = try b.optionalString("sep")
            if sep == "" { throw ScriptError(.value, "empty separator") }
            var parts: [Value] = [], rest = Substring(s)
            if let sep {
                while parts.count < maxSplits, let r = rest.range(of: sep, options: .backwards) {
                    parts.append(.str(String(rest[r.upperBound...])))
                    rest = rest[..<r.lowerBound]
                }
                parts.append(.str(String(rest)))
            } else {
                while let last = rest.last, last.isWhitespace { rest.removeLast() }
                while !rest.isEmpty {
                    if parts.count == maxSplits {
                        parts.append(.str(String(rest)))
                        break
                    }
                    let start = rest.lastIndex(where: \.isWhitespace).map { rest.index(after: $0) } ?? rest.startIndex
                    parts.append(.str(String(rest[start...])))
                    rest = rest[..<start]
                    while let last = rest.last, last.isWhitespace { rest.removeLast() }
                }
            }
            return .list(ListObject(parts.reversed()))
        },
        method("isspace()", "Whether every character is whitespace (and there is one).") { s, _, _ in .bool(!s.isEmpty && s.allSatisfy(\.isWhitespace)) },
        method("ljust(width, fillchar=' ', /)", "Padded on the right to width.") { s, b, _ in
            try pad(s, b, "<")
        },
        method("rjust(width, fillchar=' ', /)", "Padded on the left to width.") { s, b, _ in
            try pad(s, b, ">")
        },
        method("center(width, fillchar=' ', /)", "Centered in width.") { s, b, _ in
            try pad(s, b, "^")
        },
        method("zfill(width, /)", "Padded with zeros on the left to width (after a sign).") { s, b, _ in
            let w = try width(b)
            guard s.count < w else { return .str(s) }
            let sign = s.first.map { "+-".contains($0) } == true ? String(s.prefix(1)) : ""
            return .str(sign + String(repeating: "0", count: w - s.count) + s.dropFirst(sign.count))
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
