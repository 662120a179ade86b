/// The part of TOML the theme files use: `[table]` headers, `key = "string"`, integers,
/// booleans, arrays of strings, and `#` comments. Hand-written rather than a TOML package:
/// the themes need only this subset, and a C++-backed parser would add minutes to a
/// two-core build for it. Errors name the line.
enum TOMLSubset {
    enum Value: Equatable {
        case string(String)
        case integer(Int)
        case bool(Bool)
        case array([String])
    }

    struct ParseError: Error, Equatable, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Keys as `table.key` (top-level keys have no table prefix).
    static func parse(_ text: String) throws -> [String: Value] {
        var table = ""
        var result: [String: Value] = [:]
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = stripComment(String(raw)).trimmingBlanks()
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else { throw ParseError(line: n + 1, message: "a table header must look like [name]") }
                table = String(line.dropFirst().dropLast()).trimmingBlanks()
                continue
            }
            guard let eq = line.firstIndex(of: "=") else { throw ParseError(line: n + 1, message: "expected key = value") }
            let key = String(line[..<eq]).trimmingBlanks()
            guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ParseError(line: n + 1, message: "invalid key '\(key)'")
            }
            let full = table.isEmpty ? key : table + "." + key
            guard result[full] == nil else { throw ParseError(line: n + 1, message: "duplicate key '\(full)'") }
            result[full] = try value(String(line[line.index(after: eq)...]).trimmingBlanks(), line: n + 1)
        }
        return result
    }

    private static func value(_ text: String, line: Int) throws -> Value {
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
        if let i = Int(text) { return .integer(i) }
        if text.hasPrefix("\"") { return .string(try string(text, line: line)) }
        if text.hasPrefix("["), text.hasSuffix("]") {
            let inner = String(text.dropFirst().dropLast()).trimmingBlanks()
            if inner.isEmpty { return .array([]) }
            return .array(try inner.split(separator: ",").map { String($0).trimmingBlanks() }.filter { !$0.isEmpty }.map { try string($0, line: line) })
        }
        throw ParseError(line: line, message: "unsupported value '\(text)' (use a \"string\", an integer, true/false or an array of strings)")
    }

    private static func string(_ text: String, line: Int) throws -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\""), !text.dropFirst().dropLast().contains("\"") else {
            throw ParseError(line: line, message: "unterminated or malformed string \(text)")
        }
        return String(text.dropFirst().dropLast())
    }

    /// The line up to a `#` that is outside a string.
    private static func stripComment(_ line: String) -> String {
        var inString = false
        for (i, c) in zip(line.indices, line) {
            if c == "\"" { inString.toggle() }
            if c == "#" && !inString { return String(line[..<i]) }
        }
        return line
    }
}

extension String {
    func trimmingBlanks() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" || f == "\r" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s.removeLast() }
        return String(s)
    }
}
