/// The header of a `.npy` file: a Python dict literal such as
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`, parsed without Python.
struct NPYHeader {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Python literal values that can appear in the header.
    private enum Literal {
        case string(String), bool(Bool), ints([Int]), other
    }

    /// The header's fields, or a message saying what is wrong with the text.
    static func parse(_ text: String) throws(NPYHeaderError) -> NPYHeader {
        var scanner = Scanner(chars: Array(text.unicodeScalars))
        var fields: [String: Literal] = [:]
        try scanner.expect("{")
        while true {
            if scanner.take("}") { break }
            guard case .string(let key) = try scanner.literal() else { throw NPYHeaderError("keys must be strings") }
            try scanner.expect(":")
            guard fields[key] == nil else { throw NPYHeaderError("key '\(key)' appears twice") }
            fields[key] = try scanner.literal()
            if scanner.take(",") { continue }
            try scanner.expect("}")
            break
        }
        guard case .string(let descr) = fields["descr"] ?? .other else {
            throw NPYHeaderError("'descr' is missing or not a string (structured dtypes are not supported)")
        }
        guard case .bool(let fortran) = fields["fortran_order"] ?? .other else {
            throw NPYHeaderError("'fortran_order' is missing or not True/False")
        }
        guard case .ints(let shape) = fields["shape"] ?? .other, shape.allSatisfy({ $0 >= 0 }) else {
            throw NPYHeaderError("'shape' is missing or not a tuple of non-negative integers")
        }
        return NPYHeader(descr: descr, fortranOrder: fortran, shape: shape)
    }

    /// The header text NumPy writes for these fields.
    var text: String {
        let dims = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(dims), }"
    }

    private struct Scanner {
        let chars: [Unicode.Scalar]
        var position = 0

        mutating func skipSpace() {
            while position < chars.count, chars[position].properties.isWhitespace { position += 1 }
        }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            skipSpace()
            guard position < chars.count, chars[position] == c else { return false }
            position += 1
            return true
        }

        mutating func expect(_ c: Unicode.Scalar) throws(NPYHeaderError) {
            guard take(c) else { throw NPYHeaderError("expected '\(c)' at character \(position)") }
        }

        mutating func literal() throws(NPYHeaderError) -> Literal {
            skipSpace()
            guard position < chars.count else { throw NPYHeaderError("the header ends early") }
            let c = chars[position]
            if c == "'" || c == "\"" {
                position += 1
                let start = position
                while position < chars.count, chars[position] != c { position += 1 }
                guard position < chars.count else { throw NPYHeaderError("unterminated string") }
                position += 1
                var s = String.UnicodeScalarView()
                s.append(contentsOf: chars[start..<position - 1])
                return .string(String(s))
            }
            if c == "(" || c == "[" {
                position += 1
                let close: Unicode.Scalar = c == "(" ? ")" : "]"
                var items: [Int] = []
                while !take(close) {
                    guard let n = integer() else { throw NPYHeaderError("shape entries must be integers") }
                    items.append(n)
                    if !take(",") {
                        try expect(close)
                        break
                    }
                }
                return .ints(items)
            }
            let word = identifier()
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            default: throw NPYHeaderError("unexpected value '\(word)' at character \(position)")
            }
        }

        mutating func integer() -> Int? {
            skipSpace()
            let start = position
            while position < chars.count, ("0"..."9").contains(chars[position]) { position += 1 }
            // Python 2 era files may write longs as `3L`.
            let digits = String(String.UnicodeScalarView(chars[start..<position]))
            if position < chars.count, chars[position] == "L" { position += 1 }
            return Int(digits)
        }

        mutating func identifier() -> String {
            let start = position
            while position < chars.count, chars[position].properties.isAlphabetic { position += 1 }
            return String(String.UnicodeScalarView(chars[start..<position]))
        }
    }
}

/// What is wrong with a `.npy` header's text; the caller adds the file.
struct NPYHeaderError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
