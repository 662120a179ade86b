/// Turns source text into tokens, Python's way: indentation becomes INDENT/DEDENT tokens,
/// newlines inside brackets and after a backslash are ignored, comments are dropped.
/// Mixed tabs and spaces that make the indentation ambiguous are a `TabError`.
struct Lexer {
    private let s: [Unicode.Scalar]
    private let source: SourceText
    private var i = 0
    private var line = 1
    private var column = 1
    private var output: [Token] = []
    /// The indentation text of each open block, outermost first ("" for the top level).
    private var indents: [[Unicode.Scalar]] = [[]]
    /// Open brackets with where they opened, for "never closed" errors.
    private var brackets: [(Unicode.Scalar, Span)] = []
    /// An f-string field is lexed as if parenthesized: no indentation, newlines ignored.
    private var insideFString = false

    init(_ source: SourceText, text: String) {
        self.source = source
        s = Array(text.unicodeScalars)
    }

    /// For the expressions inside an f-string: lexes `text` as if it started at line/column.
    init(_ source: SourceText, scalars: [Unicode.Scalar], line: Int, column: Int) {
        self.source = source
        s = scalars
        self.line = line
        self.column = column
        insideFString = true
    }

    static func tokenize(_ source: SourceText, _ text: String) throws -> [Token] {
        try Lexer(source, text: text).tokens()
    }

    /// All the tokens of the input.
    consuming func tokens() throws -> [Token] {
        try run()
    }

    private var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }
    private func peek(_ k: Int) -> Unicode.Scalar? { i + k < s.count ? s[i + k] : nil }

    private mutating func advance() {
        if s[i] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        i += 1
    }

    private func error(_ kind: ErrorKind, _ message: String, line l: Int, column c: Int, width: Int = 1) -> ScriptError {
        ScriptError(kind, message, at: Span(line: l, column: c, endLine: l, endColumn: c + width), in: source)
    }

    private mutating func emit(_ kind: TokenKind, line l: Int, column c: Int) {
        output.append(Token(kind: kind, span: Span(line: l, column: c, endLine: line, endColumn: column)))
    }

    /// The whole input, always ending in NEWLINE, the DEDENTs that close open blocks, and EOF.
    private mutating func run() throws -> [Token] {
        var atLineStart = true
        while i < s.count {
            if atLineStart && brackets.isEmpty && !insideFString {
                atLineStart = false
                if try indentation() { continue }
            }
            let c = s[i]
            switch c {
            case " ", "\t", "\u{0C}", "\r":
                advance()
            case "\\":
                let (l, col) = (line, column)
                advance()
                if peek == "\r" { advance() }
                guard peek == "\n" else { throw error(.syntax, "unexpected character after line continuation character", line: l, column: col) }
                advance()
            case "#":
                while let p = peek, p != "\n" { advance() }
            case "\n":
                if brackets.isEmpty && !insideFString, let last = output.last, last.kind != .newline {
                    emit(.newline, line: line, column: column)
                }
                advance()
                atLineStart = true
            default:
                try token(c)
            }
        }
        if let (open, span) = brackets.last {
            throw ScriptError(.syntax, "'\(open)' was never closed", at: span, in: source)
        }
        if let last = output.last, last.kind != .newline { emit(.newline, line: line, column: column) }
        for _ in 1..<indents.count { emit(.dedent, line: line, column: column) }
        emit(.eof, line: line, column: column)
        return output
    }

    /// Reads a line's leading blanks and emits INDENT or DEDENTs. Returns true when the line is
    /// blank or only a comment (such lines do not affect indentation).
    private mutating func indentation() throws -> Bool {
        let start = i
        while let p = peek, p == " " || p == "\t" || p == "\u{0C}" { advance() }
        let text = Array(s[start..<i])
        guard let p = peek, p != "\n", p != "#", !(p == "\r" && peek(1) == "\n") else { return true }
        let current = indents[indents.count - 1]
        if text == current { return false }
        if text.starts(with: current) {
            indents.append(text)
            emit(.indent, line: line, column: 1)
            return false
        }
        if let level = indents.lastIndex(of: text) {
            for _ in level..<(indents.count - 1) { emit(.dedent, line: line, column: column) }
            indents.removeLast(indents.count - 1 - level)
            return false
        }
        let mixes = text.contains("\t") || indents.contains { $0.contains("\t") }
        if mixes {
            throw error(.tab, "inconsistent use of tabs and spaces in indentation", line: line, column: 1, width: max(text.count, 1))
        }
        if text.count > current.count {
            throw error(.indentation, "unexpected indent", line: line, column: 1, width: text.count)
        }
        throw error(.indentation, "unindent does not match any outer indentation level", line: line, column: 1, width: max(text.count, 1))
    }

    private mutating func token(_ c: Unicode.Scalar) throws {
        if c == "_" || c.properties.isAlphabetic {
            try nameOrString()
        } else if ("0"..."9").contains(c) || (c == "." && (peek(1).map { ("0"..."9").contains($0) } ?? false)) {
            try number()
        } else if c == "\"" || c == "'" {
            try string(raw: false, format: false, line: line, column: column)
        } else {
            try punctuation(c)
        }
    }

    private mutating func nameOrString() throws {
        let (l, col) = (line, column)
        let start = i
        while let p = peek, p == "_" || p.properties.isAlphabetic || ("0"..."9").contains(p) || p.properties.numericType != nil { advance() }
        var word = String.UnicodeScalarView()
        word.append(contentsOf: s[start..<i])
        let name = String(word)
        if let q = peek, q == "\"" || q == "'" {
            let prefix = name.lowercased()
            if ["r", "f", "rf", "fr", "u"].contains(prefix) {
                try string(raw: prefix.contains("r"), format: prefix.contains("f"), line: l, column: col)
                return
            }
            if prefix.contains("b") {
                throw error(.syntax, "bytes literals are not supported", line: l, column: col, width: name.count)
            }
        }
        if let k = Keyword(rawValue: name) {
            emit(.keyword(k), line: l, column: col)
        } else {
            emit(.name(name), line: l, column: col)
        }
    }

    private mutating func digits(_ allowed: (Unicode.Scalar) -> Bool, into text: inout String) {
        while let p = peek, allowed(p) || p == "_" {
            if p != "_" { text.unicodeScalars.append(p) }
            advance()
        }
    }

    private mutating func number() throws {
        let (l, col) = (line, column)
        let isDigit: (Unicode.Scalar) -> Bool = { ("0"..."9").contains($0) }
        var text = ""
        if peek == "0", let b = peek(1), "xXoObB".unicodeScalars.contains(b) {
            advance()
            advance()
            let radix = "xX".unicodeScalars.contains(b) ? 16 : "oO".unicodeScalars.contains(b) ? 8 : 2
            digits({ $0.properties.isASCIIHexDigit }, into: &text)
            guard !text.isEmpty else { throw error(.syntax, "invalid number literal", line: l, column: col, width: column - col) }
            if let bad = text.first(where: { Int(String($0), radix: 16).map { $0 >= radix } ?? true }) {
                throw error(.syntax, "invalid digit '\(bad)' in number literal", line: l, column: col, width: column - col)
            }
            guard let v = Int(text, radix: radix) else {
                throw error(.overflow, "integer literal is too large for 64 bits", line: l, column: col, width: column - col)
            }
            try finishNumber(.int(v), line: l, column: col)
            return
        }
        var isFloat = false
        digits(isDigit, into: &text)
        if peek == ".", !(peek(1) == "." && peek(2) == ".") {
            isFloat = true
            text += "."
            advance()
            digits(isDigit, into: &text)
        }
        if let e = peek, e == "e" || e == "E" {
            let sign = peek(1)
            let hasSign = sign == "+" || sign == "-"
            if let d = peek(hasSign ? 2 : 1), isDigit(d) {
                isFloat = true
                text += "e"
                advance()
                if hasSign, let sign {
                    text.unicodeScalars.append(sign)
                    advance()
                }
                digits(isDigit, into: &text)
            }
        }
        if isFloat {
            guard let v = Double(text.hasPrefix(".") ? "0" + text : text) else {
                throw error(.syntax, "invalid number literal", line: l, column: col, width: column - col)
            }
            try finishNumber(.float(v), line: l, column: col)
        } else {
            guard let v = Int(text) else {
                throw error(.overflow, "integer literal is too large for 64 bits", line: l, column: col, width: column - col)
            }
            try finishNumber(.int(v), line: l, column: col)
        }
    }

    /// A number must not run into a name (`1abc`).
    private mutating func finishNumber(_ kind: TokenKind, line l: Int, column col: Int) throws {
        if let p = peek, p == "_" || p.properties.isAlphabetic {
            throw error(.syntax, "invalid number literal", line: l, column: col, width: column - col + 1)
        }
        emit(kind, line: l, column: col)
    }

    private mutating func string(raw: Bool, format: Bool, line l: Int, column col: Int) throws {
        guard let quote = peek else { return }
        let triple = peek(1) == quote && peek(2) == quote
        for _ in 0..<(triple ? 3 : 1) { advance() }
        let (contentLine, contentColumn) = (line, column)
        var body: [Unicode.Scalar] = []
        while true {
            guard let c = peek else {
                throw error(.syntax, triple ? "unterminated triple-quoted string literal" : "unterminated string literal", line: l, column: col)
            }
            if c == quote && (!triple || (peek(1) == quote && peek(2) == quote)) {
                for _ in 0..<(triple ? 3 : 1) { advance() }
                break
            }
            if c == "\n" && !triple {
                throw error(.syntax, "unterminated string literal", line: l, column: col)
            }
            if c == "\\", let next = peek(1) {
                body.append(c)
                advance()
                body.append(next)
                advance()
                continue
            }
            body.append(c)
            advance()
        }
        if format {
            emit(.fstring(FStringText(text: body, raw: raw, line: contentLine, column: contentColumn)), line: l, column: col)
        } else {
            let value = raw ? String(String.UnicodeScalarView(body)) : try Self.unescape(body, source: source, line: contentLine, column: contentColumn)
            emit(.string(value), line: l, column: col)
        }
    }

    /// Processes backslash escapes; unknown escapes keep their backslash, as Python does.
    static func unescape(_ body: [Unicode.Scalar], source: SourceText, line: Int, column: Int) throws -> String {
        var out = String.UnicodeScalarView()
        var k = 0
        while k < body.count {
            let c = body[k]
            guard c == "\\", k + 1 < body.count else {
                out.append(c)
                k += 1
                continue
            }
            let e = body[k + 1]
            k += 2
            switch e {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case "\\", "'", "\"": out.append(e)
            case "\n": break
            case "x", "u", "U":
                let n = e == "x" ? 2 : e == "u" ? 4 : 8
                let hex = body[k..<min(k + n, body.count)]
                guard hex.count == n, let v = UInt32(String(String.UnicodeScalarView(hex)), radix: 16), let scalar = Unicode.Scalar(v) else {
                    throw ScriptError(.syntax, "invalid \\\(e) escape in string", at: Span(line: line, column: column, endLine: line, endColumn: column + 1), in: source)
                }
                out.append(scalar)
                k += n
            default:
                out.append("\\")
                out.append(e)
            }
        }
        return String(out)
    }

    private static let operators3: Set<String> = ["**=", "//=", ">>=", "<<=", "..."]
    private static let operators2: Set<String> = ["->", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=", "@=", "&=", "|=", "^=", ":="]
    private static let operators1: Set<Unicode.Scalar> = ["+", "-", "*", "/", "%", "@", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ":", ".", ";", "&", "|", "^", "~", "?"]

    private mutating func punctuation(_ c: Unicode.Scalar) throws {
        let (l, col) = (line, column)
        for n in [3, 2] where i + n <= s.count {
            let text = String(String.UnicodeScalarView(s[i..<(i + n)]))
            if (n == 3 ? Self.operators3 : Self.operators2).contains(text) {
                for _ in 0..<n { advance() }
                emit(.op(text), line: l, column: col)
                return
            }
        }
        guard Self.operators1.contains(c) else {
            let code = String(c.value, radix: 16, uppercase: true)
            throw error(.syntax, "invalid character '\(c)' (U+\(String(repeating: "0", count: max(0, 4 - code.count)) + code))", line: l, column: col)
        }
        advance()
        let span = Span(line: l, column: col, endLine: l, endColumn: col + 1)
        switch c {
        case "(", "[", "{":
            brackets.append((c, span))
        case ")", "]", "}":
            let expected: Unicode.Scalar = c == ")" ? "(" : c == "]" ? "[" : "{"
            guard let (open, openSpan) = brackets.last else {
                throw ScriptError(.syntax, "unmatched '\(c)'", at: span, in: source)
            }
            guard open == expected else {
                throw ScriptError(.syntax, "closing parenthesis '\(c)' does not match opening parenthesis '\(open)' on line \(openSpan.line)", at: span, in: source)
            }
            brackets.removeLast()
        default:
            break
        }
        output.append(Token(kind: .op(String(c)), span: span))
    }
}
