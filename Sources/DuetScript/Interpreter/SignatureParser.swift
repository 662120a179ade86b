import DuetTensor

/// Reads a declaration such as `full(size, fill_value, *, dtype=None, requires_grad=False)`
/// into parameters (`Signature`). It runs once per builtin when an interpreter starts; a
/// declaration it cannot read binds no call and names itself in `Signature.malformed`.
enum SignatureParser {
    struct Result {
        var name = ""
        var parameters: [DeclaredParameter] = []
        var error: String?
    }

    static func parse(_ text: String) -> Result {
        var result = Result()
        guard let open = text.firstIndex(of: "("), text.last == ")" else {
            result.error = "expected name(parameters)"
            return result
        }
        result.name = String(text[..<open]).trimmingCharacters(in: .whitespaces)
        let inner = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        var keywordOnly = false
        var seen: Set<String> = []
        for part in splitTopLevel(inner) {
            let item = part.trimmingCharacters(in: .whitespaces)
            if item.isEmpty { continue }
            if item == "/" {
                guard !keywordOnly else { result.error = "'/' after '*'"; return result }
                result.parameters = result.parameters.map { DeclaredParameter(name: $0.name, kind: .positionalOnly, defaultValue: $0.defaultValue) }
                continue
            }
            if item == "*" {
                keywordOnly = true
                continue
            }
            let kind: DeclaredParameter.Kind
            var body = Substring(item)
            if body.hasPrefix("**") {
                kind = .varKeyword
                body = body.dropFirst(2)
            } else if body.hasPrefix("*") {
                kind = .varPositional
                body = body.dropFirst()
                keywordOnly = true
            } else {
                kind = keywordOnly ? .keywordOnly : .positionalOrKeyword
            }
            let pieces = body.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            let name = pieces[0]
            guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }), !seen.contains(name) else {
                result.error = "bad or repeated parameter '\(name)'"
                return result
            }
            seen.insert(name)
            var defaultValue: SignatureLiteral?
            if pieces.count == 2 {
                guard kind != .varPositional && kind != .varKeyword, let literal = literal(pieces[1]) else {
                    result.error = "default of '\(name)' is not a literal: \(pieces[1])"
                    return result
                }
                defaultValue = literal
            }
            result.parameters.append(DeclaredParameter(name: name, kind: kind, defaultValue: defaultValue))
        }
        return result
    }

    /// Python's escapes in a quoted default (`end='\\n'`).
    private static func unescape(_ s: Substring) -> String {
        var out = "", escaped = false
        for c in s {
            if escaped {
                out.append(["n": "\n", "t": "\t", "r": "\r", "0": "\0"][c] ?? c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// Splits at commas outside brackets and quotes.
    private static func splitTopLevel(_ s: String) -> [String] {
        var parts: [String] = [], current = "", depth = 0
        var quote: Character?
        for c in s {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if "([{".contains(c) {
                depth += 1
            } else if ")]}".contains(c) {
                depth -= 1
            } else if c == "," && depth == 0 {
                parts.append(current)
                current = ""
                continue
            }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    private static func literal(_ text: String) -> SignatureLiteral? {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch t {
        case "None": return SignatureLiteral.none
        case "True": return .bool(true)
        case "False": return .bool(false)
        default: break
        }
        if let d = DType(rawValue: t.hasPrefix("torch.") ? String(t.dropFirst(6)) : t) { return .dtype(d) }
        if let i = Int(t) { return .int(i) }
        if let d = Double(t) { return .float(d) }
        if t.count >= 2, let q = t.first, q == "'" || q == "\"", t.last == q {
            return .str(unescape(t.dropFirst().dropLast()))
        }
        for (open, close, isList) in [("(", ")", false), ("[", "]", true)] where t.hasPrefix(open) && t.hasSuffix(close) {
            var items: [SignatureLiteral] = []
            for part in splitTopLevel(String(t.dropFirst().dropLast())) {
                let p = part.trimmingCharacters(in: .whitespaces)
                if p.isEmpty { continue }
                guard let item = literal(p) else { return nil }
                items.append(item)
            }
            return isList ? .list(items) : .tuple(items)
        }
        return nil
    }
}
