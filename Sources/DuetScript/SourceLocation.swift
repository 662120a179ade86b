/// Where in a script something is: file (or "<repl>"), 1-based line and column. Every error the
/// language reports carries one.
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// A range of source text, 1-based, end column exclusive: what an error's carets underline.
/// The file is kept once per compiled unit rather than in every node.
public struct Span: Sendable, Equatable {
    public var line: Int32
    public var column: Int32
    public var endLine: Int32
    public var endColumn: Int32

    public init(line: Int, column: Int, endLine: Int, endColumn: Int) {
        self.line = Int32(clamping: line)
        self.column = Int32(clamping: column)
        self.endLine = Int32(clamping: endLine)
        self.endColumn = Int32(clamping: endColumn)
    }

    /// From the start of `self` to the end of `other`.
    public func through(_ other: Span) -> Span {
        Span(line: Int(line), column: Int(column), endLine: Int(other.endLine), endColumn: Int(other.endColumn))
    }

    public func location(in file: String) -> SourceLocation {
        SourceLocation(file: file, line: Int(line), column: Int(column))
    }
}
