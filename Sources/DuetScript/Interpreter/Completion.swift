import Foundation

/// What Tab offers at the end of a line, for the workbench's editor and `duet repl`: names in
/// scope, attributes after a dot (methods of tensors, modules, namespaces), and keyword arguments
/// inside a call's parentheses, taken from the callee's signature (the registry's for builtins).
/// `prefix` is the end of the line the candidates replace.
public struct Completion: Sendable, Equatable, Codable {
    public let prefix: String
    public let candidates: [String]

    public init(prefix: String, candidates: [String]) {
        self.prefix = prefix
        self.candidates = candidates
    }
}

extension Interpreter {
    public func completions(for line: String) -> Completion {
        let token = Self.trailingToken(line)
        let head = String(line.dropLast(token.count))
        if let dot = token.lastIndex(of: ".") {
            let partial = String(token[token.index(after: dot)...])
            guard let base = resolve(String(token[..<dot])) else { return Completion(prefix: partial, candidates: []) }
            return Completion(prefix: partial, candidates: Self.matching(Help.names(of: base), partial))
        }
        // Inside a call, the callee's keyword arguments come first: when one matches, only they are offered.
        if !token.isEmpty, let callee = Self.openCallee(head), let value = resolve(callee) {
            let keywords = Self.matching(Self.parameterNames(of: value).map { $0 + "=" }, token)
            if !keywords.isEmpty { return Completion(prefix: token, candidates: keywords) }
        }
        return Completion(prefix: token, candidates: Self.matching(visibleNames, token))
    }

    /// The value of a dotted name, when every part exists (evaluating nothing but lookups).
    private func resolve(_ dotted: String) -> Value? {
        let parts = dotted.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, !first.isEmpty, var value = globals.lookup(first) ?? builtins[first] ?? module(first) else { return nil }
        for part in parts.dropFirst() {
            guard !part.isEmpty, let next = try? Attributes.get(value, part, self) else { return nil }
            value = next
        }
        return value
    }

    private static func matching(_ names: [String], _ prefix: String) -> [String] {
        let hidden = !prefix.hasPrefix("_")
        return Array(Set(names.filter { $0.hasPrefix(prefix) && !(hidden && $0.hasPrefix("_")) })).sorted()
    }

    private static func isNameCharacter(_ c: Character) -> Bool { c == "_" || c == "." || c.isLetter || c.isNumber }

    private static func trailingToken(_ line: String) -> String {
        String(line.reversed().prefix { isNameCharacter($0) }.reversed())
    }

    /// The dotted callee of the innermost parenthesis still open at the end of `text`, if any.
    private static func openCallee(_ text: String) -> String? {
        var depth = 0
        var quote: Character?
        var opens: [String.Index] = []
        for i in text.indices {
            let c = text[i]
            if let q = quote {
                if c == q { quote = nil }
                continue
            }
            switch c {
            case "\"", "'": quote = c
            case "(", "[", "{": opens.append(i); depth += 1
            case ")", "]", "}": if !opens.isEmpty { opens.removeLast() }; depth -= 1
            default: break
            }
        }
        guard let open = opens.last, text[open] == "(" else { return nil }
        let callee = trailingToken(String(text[..<open]))
        return callee.isEmpty ? nil : callee
    }

    /// The keyword names a callee accepts, from its declaration (`Signature`).
    static func parameterNames(of value: Value) -> [String] {
        guard case .object(let o) = value else { return [] }
        switch o {
        case let f as Function: return f.code.parameterNames
        case let b as BuiltinFunction: return b.signature.keywordNames
        case let m as BoundMethod: return m.method.signature.keywordNames
        case let t as TypeObject: return t.signature?.keywordNames ?? []
        default:
            // Script classes and other callables: the signature line their help starts with.
            let line = o.help?.split(separator: "\n").first.map(String.init) ?? ""
            return Signature(line).keywordNames.filter { $0 != "self" }
        }
    }
}
