import DuetTensor
import DuetNN

/// The Python exception class a Duet error is reported as: PyTorch users read these names
/// without a manual. Engine errors map by their kind (a shape mismatch is a `ShapeError`).
public enum ErrorKind: String, Sendable, CaseIterable {
    case baseException = "BaseException"
    case exception = "Exception"
    case arithmetic = "ArithmeticError"
    case lookup = "LookupError"
    case stopIteration = "StopIteration"
    case notImplemented = "NotImplementedError"
    case fileNotFound = "FileNotFoundError"
    case syntax = "SyntaxError"
    case indentation = "IndentationError"
    case tab = "TabError"
    case name = "NameError"
    case unboundLocal = "UnboundLocalError"
    case type = "TypeError"
    case value = "ValueError"
    case index = "IndexError"
    case key = "KeyError"
    case attribute = "AttributeError"
    case zeroDivision = "ZeroDivisionError"
    case overflow = "OverflowError"
    case recursion = "RecursionError"
    case shape = "ShapeError"
    case dtype = "DtypeError"
    case runtime = "RuntimeError"
    case memory = "MemoryError"
    case importError = "ImportError"
    case assertion = "AssertionError"
    case keyboardInterrupt = "KeyboardInterrupt"
    case os = "OSError"
    case stepLimit = "StepLimitError"
}

/// One line of a traceback: where, in which function, and the text of that source line.
public struct TraceEntry: Sendable, Equatable {
    public let file: String
    public let span: Span
    public let function: String
    public let lineText: String
}

/// Every failure a script can cause: a kind, a message, and where it happened, innermost first.
/// Nodes that can fail attach their span the first time an error passes through them; calls of
/// `def`s add one entry per frame as the error unwinds, which is the traceback.
public struct ScriptError: Error, CustomStringConvertible, Sendable {
    public var kind: ErrorKind
    public var message: String
    public var trace: [TraceEntry] = []
    /// A raised exception object (a script class's instance, or one made for `except … as e`):
    /// its identity in the interpreter's table of raised exceptions, and its class's name.
    var exceptionID: ObjectIdentifier?
    public var exceptionType: String?
    /// A close name for a NameError or AttributeError. Like Python, the report shows it and
    /// `str(e)` does not.
    public var suggestion: String?

    /// The exception class name the report shows.
    public var typeName: String { exceptionType ?? kind.rawValue }

    public init(_ kind: ErrorKind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    init(_ kind: ErrorKind, _ message: String, at span: Span, in source: SourceText, function: String = "<module>") {
        self.kind = kind
        self.message = message
        trace = [TraceEntry(file: source.name, span: span, function: function, lineText: source.line(Int(span.line)))]
    }

    public var isLocated: Bool { !trace.isEmpty }

    /// The innermost location, as `file:line:column`.
    public var location: SourceLocation? { trace.first.map { $0.span.location(in: $0.file) } }

    /// The one-line form, `file:line:col: Kind: message`.
    public var headline: String {
        if let loc = location { return "\(loc): \(typeName)\(reported.isEmpty ? "" : ": " + reported)" }
        return typeName + (reported.isEmpty ? "" : ": " + reported)
    }

    /// The message with its suggestion, as the report shows it.
    private var reported: String { suggestion.map { "\(message). Did you mean: '\($0)'?" } ?? message }

    /// The full report: a Python-like traceback (outermost call first) when the error passed
    /// through a `def`, otherwise the headline; then the innermost source line with carets.
    public var description: String {
        guard let inner = trace.first else { return headline }
        if trace.count == 1 {
            return ([headline] + Self.sourceLines(inner)).joined(separator: "\n")
        }
        var lines = ["Traceback (most recent call last):"]
        var repeats = 0
        let entries = Array(trace.reversed())
        for (i, entry) in entries.enumerated() {
            // Deep recursion repeats one frame many times; like Python, show it three times.
            if i > 0 && entry == entries[i - 1] && i < entries.count - 1 {
                repeats += 1
                if repeats >= 3 { continue }
            } else if repeats >= 3 {
                lines.append("  [Previous line repeated \(repeats - 2) more times]")
                repeats = 0
            } else {
                repeats = 0
            }
            lines.append("  \(entry.span.location(in: entry.file)), in \(entry.function)")
            let shown = Self.sourceLines(entry)
            lines.append(contentsOf: i == entries.count - 1 ? shown : Array(shown.prefix(1)))
        }
        lines.append(typeName + (reported.isEmpty ? "" : ": " + reported))
        return lines.joined(separator: "\n")
    }

    /// The source line (leading blanks removed) and a caret run under the span.
    static func sourceLines(_ e: TraceEntry) -> [String] {
        // Columns count Unicode scalars, as the lexer does.
        let text = Array(e.lineText.unicodeScalars)
        guard text.contains(where: { !$0.properties.isWhitespace }) else { return [] }
        let lead = text.prefix { $0 == " " || $0 == "\t" }.count
        var body = text.dropFirst(lead)
        while let last = body.last, last.properties.isWhitespace { body.removeLast() }
        var trimmed = String.UnicodeScalarView()
        trimmed.append(contentsOf: body)
        let start = max(Int(e.span.column) - 1 - lead, 0)
        let end = e.span.endLine == e.span.line ? Int(e.span.endColumn) - 1 - lead : body.count
        let width = max(min(end, body.count) - start, 1)
        return ["    " + String(trimmed), "    " + String(repeating: " ", count: start) + String(repeating: "^", count: width)]
    }

    /// Adds the location of the node an unlocated error passed through.
    func located(_ span: Span, _ source: SourceText, _ function: String) -> ScriptError {
        guard trace.isEmpty else { return self }
        var e = self
        e.trace = [TraceEntry(file: source.name, span: span, function: function, lineText: source.line(Int(span.line)))]
        return e
    }

    /// Adds the caller's frame as the error leaves a `def`.
    func calledFrom(_ span: Span, _ source: SourceText, _ function: String) -> ScriptError {
        var e = self
        e.trace.append(TraceEntry(file: source.name, span: span, function: function, lineText: source.line(Int(span.line))))
        return e
    }

    /// Converts anything thrown below the interpreter (engine, NN library, I/O) to a script error.
    static func wrap(_ error: any Error) -> ScriptError {
        switch error {
        case let e as ScriptError: return e
        case let e as TensorError: return ScriptError(kind(of: e), e.description)
        case let e as StateDictError: return ScriptError(.runtime, e.description)
        case let e as IOError: return ScriptError(.os, e.description)
        default: return ScriptError(.runtime, String(describing: error))
        }
    }

    private static func kind(of e: TensorError) -> ErrorKind {
        switch e {
        case .shape: .shape
        case .dtype: .dtype
        case .index, .dim: .index
        case .value: .value
        case .autograd, .backend, .linalg: .runtime
        case .memory: .memory
        case .interrupted: .keyboardInterrupt
        }
    }
}

/// A script's text split into lines once, so errors can quote the line they point at.
public final class SourceText: Sendable {
    public let name: String
    public let lines: [String]

    public init(name: String, text: String) {
        self.name = name
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.last == "\r" ? String(line.dropLast()) : String(line)
        }
    }

    /// Line `n` (1-based), or "" past the end.
    public func line(_ n: Int) -> String { n >= 1 && n <= lines.count ? lines[n - 1] : "" }
}
