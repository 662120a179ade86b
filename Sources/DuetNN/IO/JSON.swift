/// A parsed JSON value, as file headers (safetensors) hold them. Objects keep their members in
/// order, duplicates included, so readers can refuse ambiguous headers. Numbers keep their text
/// so that integers are read exactly. Public for the model server's requests (DuetServe).
public indirect enum JSON {
    case object([(key: String, value: JSON)])
    case array([JSON])
    case string(String)
    case number(String)
    case bool(Bool)
    case null

    /// A non-negative integer written without fraction or exponent, else nil.
    var count: Int? {
        guard case .number(let text) = self, text.allSatisfy(\.isNumber) else { return nil }
        return Int(text)
    }

    public var string: String? {
        if case .string(let s) = self { s } else { nil }
    }

    /// Text and byte offset of a syntax error.
    public struct SyntaxError: Error {
        public let message: String
        public let offset: Int
    }

    public var number: Double? {
        if case .number(let text) = self { Double(text) } else { nil }
    }

    public static func parse(_ bytes: ArraySlice<UInt8>) throws(SyntaxError) -> JSON {
        var parser = Parser(bytes: bytes, position: bytes.startIndex)
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == bytes.endIndex else { throw parser.error("unexpected text after the JSON value") }
        return value
    }

    private struct Parser {
        let bytes: ArraySlice<UInt8>
        var position: Int
        /// Deeper nesting is refused rather than risking the stack on a hostile file.
        static let maxDepth = 64

        func error(_ message: String) -> SyntaxError { SyntaxError(message: message, offset: position - bytes.startIndex) }

        var current: UInt8? { position < bytes.endIndex ? bytes[position] : nil }

        mutating func skipSpace() {
            while let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { position += 1 }
        }

        mutating func expect(_ literal: String) throws(SyntaxError) {
            for byte in literal.utf8 {
                guard current == byte else { throw error("expected \(literal)") }
                position += 1
            }
        }

        mutating func value(depth: Int) throws(SyntaxError) -> JSON {
            guard depth < Parser.maxDepth else { throw error("nested more than \(Parser.maxDepth) levels deep") }
            skipSpace()
            switch current {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            case .some(let c) where c == UInt8(ascii: "-") || (c >= 0x30 && c <= 0x39): return try number()
            case nil: throw error("unexpected end of text")
            default: throw error("unexpected character")
            }
        }

        mutating func object(depth: Int) throws(SyntaxError) -> JSON {
            position += 1
            var members: [(key: String, value: JSON)] = []
            skipSpace()
            if current == UInt8(ascii: "}") { position += 1; return .object(members) }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw error("expected a string key") }
                let key = try string()
                skipSpace()
                try expect(":")
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                try expect("}")
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws(SyntaxError) -> JSON {
            position += 1
            var items: [JSON] = []
            skipSpace()
            if current == UInt8(ascii: "]") { position += 1; return .array(items) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                if current == UInt8(ascii: ",") { position += 1; continue }
                try expect("]")
                return .array(items)
            }
        }

        mutating func number() throws(SyntaxError) -> JSON {
            let start = position
            func isNumberByte(_ c: UInt8) -> Bool {
                (c >= 0x30 && c <= 0x39) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
                    || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
            }
            while let c = current, isNumberByte(c) { position += 1 }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            guard Double(text) != nil else { throw error("invalid number \(text)") }
            return .number(text)
        }

        mutating func string() throws(SyntaxError) -> String {
            position += 1
            var utf8: [UInt8] = []
            while true {
                guard let c = current else { throw error("unterminated string") }
                position += 1
                switch c {
                case UInt8(ascii: "\""):
                    guard let s = String(validating: utf8, as: UTF8.self) else { throw error("string is not valid UTF-8") }
                    return s
                case UInt8(ascii: "\\"):
                    try escape(into: &utf8)
                case 0..<0x20:
                    throw error("control character in a string")
                default:
                    utf8.append(c)
                }
            }
        }

        mutating func escape(into utf8: inout [UInt8]) throws(SyntaxError) {
            guard let c = current else { throw error("unterminated string") }
            position += 1
            let simple: [UInt8: UInt8] = [0x22: 0x22, 0x5C: 0x5C, 0x2F: 0x2F, 0x62: 0x08, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09]
            if let byte = simple[c] { utf8.append(byte); return }
            guard c == UInt8(ascii: "u") else { throw error("invalid escape") }
            var code = try hex4()
            if (0xD800..<0xDC00).contains(code) {
                try expect("\\u")
                let low = try hex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("unpaired surrogate") }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { throw error("invalid \\u escape") }
            utf8 += Array(String(Character(scalar)).utf8)
        }

        mutating func hex4() throws(SyntaxError) -> UInt32 {
            guard position + 4 <= bytes.endIndex,
                  let v = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                throw error("invalid \\u escape")
            }
            position += 4
            return v
        }
    }
}
