/// The raw text of an f-string literal and where it starts, so that the parser can lex the
/// embedded expressions with correct columns.
struct FStringText: Equatable {
    let text: [Unicode.Scalar]
    let raw: Bool
    let line: Int
    let column: Int
}

enum TokenKind: Equatable {
    case name(String)
    case keyword(Keyword)
    case int(Int)
    case float(Double)
    case string(String)
    case fstring(FStringText)
    /// Operators and punctuation, by their spelling (`+=`, `(`, `...`).
    case op(String)
    case newline
    case indent
    case dedent
    case eof
}

/// Python's reserved words; the ones Duet does not implement are reserved so that using them
/// gives a clear "not supported" error instead of a confusing name error.
enum Keyword: String, CaseIterable {
    case `false` = "False", none = "None", `true` = "True"
    case and, `as`, assert, `break`, `class`, `continue`, def, del, elif, `else`, except, finally
    case `for`, from, global, `if`, `import`, `in`, `is`, lambda, nonlocal, not, or, pass, raise
    case `return`, `try`, `while`, with, yield, async, await
}

struct Token: Equatable {
    let kind: TokenKind
    let span: Span
}

extension TokenKind {
    /// How a token is named in syntax errors.
    var display: String {
        switch self {
        case .name(let n): "name '\(n)'"
        case .keyword(let k): "'\(k.rawValue)'"
        case .int(let v): "number \(v)"
        case .float(let v): "number \(v)"
        case .string, .fstring: "string"
        case .op(let o): "'\(o)'"
        case .newline: "end of line"
        case .indent: "indent"
        case .dedent: "dedent"
        case .eof: "end of input"
        }
    }
}
