/// f-strings: literal text with `{{`/`}}` escapes and `{expression!conversion:spec}` fields,
/// whose expressions are lexed and parsed at their real line and column.
extension Parser {
    mutating func fstringParts(_ f: FStringText) throws -> [FStringPart] {
        var scanner = FStringScanner(text: f.text, line: f.line, column: f.column)
        return try fstringParts(&scanner, raw: f.raw, inSpec: false)
    }

    private mutating func fstringParts(_ sc: inout FStringScanner, raw: Bool, inSpec: Bool) throws -> [FStringPart] {
        var parts: [FStringPart] = []
        var literal: [Unicode.Scalar] = []
        var literalStart = (sc.line, sc.column)
        func flush(_ p: inout Parser) throws {
            guard !literal.isEmpty else { return }
            let text = raw ? String(String.UnicodeScalarView(literal))
                : try Lexer.unescape(literal, source: p.source, line: literalStart.0, column: literalStart.1)
            parts.append(.literal(text))
            literal = []
        }
        while let c = sc.peek {
            if inSpec && c == "}" { break }
            if c == "{" {
                if sc.peek(1) == "{" && !inSpec {
                    sc.advance()
                    sc.advance()
                    literal.append("{")
                    continue
                }
                try flush(&self)
                parts += try replacementField(&sc, raw: raw)
                literalStart = (sc.line, sc.column)
                continue
            }
            if c == "}" {
                guard sc.peek(1) == "}" else {
                    throw error("f-string: single '}' is not allowed", at: sc.span(width: 1))
                }
                sc.advance()
                sc.advance()
                literal.append("}")
                continue
            }
            if c == "\\", !raw, let next = sc.peek(1) {
                literal.append(c)
                sc.advance()
                literal.append(next)
                sc.advance()
                continue
            }
            literal.append(c)
            sc.advance()
        }
        try flush(&self)
        return parts
    }

    /// One `{…}` field, starting at its `{`. A trailing `=` (`{x=}`) also shows the expression text.
    private mutating func replacementField(_ sc: inout FStringScanner, raw: Bool) throws -> [FStringPart] {
        let open = sc.span(width: 1)
        sc.advance()
        let (line, column) = (sc.line, sc.column)
        var expressionText: [Unicode.Scalar] = []
        var depth = 0
        var quote: Unicode.Scalar?
        while let c = sc.peek {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "'" || c == "\"" {
                quote = c
            } else if "([{".unicodeScalars.contains(c) {
                depth += 1
            } else if ")]}".unicodeScalars.contains(c) {
                if depth == 0 { break }
                depth -= 1
            } else if depth == 0 && (c == ":" || (c == "!" && sc.peek(1) != "=")) {
                break
            }
            expressionText.append(c)
            sc.advance()
        }
        guard sc.peek != nil else { throw error("f-string: expecting '}'", at: open) }
        var selfDocumenting: String?
        if let last = expressionText.last(where: { !$0.properties.isWhitespace }), last == "=",
           let lastIndex = expressionText.lastIndex(of: "="),
           lastIndex == 0 || !"=!<>".unicodeScalars.contains(expressionText[lastIndex - 1]) {
            selfDocumenting = String(String.UnicodeScalarView(expressionText))
            expressionText.removeSubrange(lastIndex...)
        }
        guard expressionText.contains(where: { !$0.properties.isWhitespace }) else {
            throw error("f-string: empty expression not allowed", at: open)
        }
        let lexer = Lexer(source, scalars: expressionText, line: line, column: column)
        var inner = Parser(tokens: try lexer.tokens(), source: source)
        inner.nesting = nesting
        let value = try inner.expressionList()
        guard inner.kind == .newline || inner.kind == .eof else { throw inner.unexpected("in f-string expression") }
        var conversion: Unicode.Scalar?
        if sc.peek == "!" {
            sc.advance()
            guard let c = sc.peek, "rsa".unicodeScalars.contains(c) else {
                throw error("f-string: invalid conversion character: expected 's', 'r', or 'a'", at: sc.span(width: 1))
            }
            conversion = c
            sc.advance()
        }
        var spec: [FStringPart]?
        if sc.peek == ":" {
            sc.advance()
            spec = try fstringParts(&sc, raw: raw, inSpec: true)
        }
        guard sc.peek == "}" else { throw error("f-string: expecting '}'", at: open) }
        sc.advance()
        var parts: [FStringPart] = []
        if let text = selfDocumenting {
            parts.append(.literal(text))
            if conversion == nil && spec == nil { conversion = "r" }
        }
        parts.append(.value(value, conversion: conversion, spec: spec))
        return parts
    }
}

/// Walks an f-string's text keeping line and column, for locating fields and errors.
struct FStringScanner {
    let text: [Unicode.Scalar]
    var index = 0
    var line: Int
    var column: Int

    init(text: [Unicode.Scalar], line: Int, column: Int) {
        self.text = text
        self.line = line
        self.column = column
    }

    var peek: Unicode.Scalar? { index < text.count ? text[index] : nil }
    func peek(_ k: Int) -> Unicode.Scalar? { index + k < text.count ? text[index + k] : nil }

    mutating func advance() {
        guard index < text.count else { return }
        if text[index] == "\n" {
            line += 1
            column = 1
        } else {
            column += 1
        }
        index += 1
    }

    func span(width: Int) -> Span { Span(line: line, column: column, endLine: line, endColumn: column + width) }
}
