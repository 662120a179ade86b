/// The REPL pane's history of inputs and outputs. Output arrives as a stream: `\r` rewrites
/// the current line (fit's progress bar) and terminal escape sequences are dropped.
public struct Scrollback: Sendable {
    public struct Line: Sendable, Equatable {
        public var text: String
        public var role: Role
    }

    public private(set) var lines: [Line] = []
    /// Whether the last output line is still open (no newline yet).
    private var open = false
    /// Lines kept; older ones are dropped.
    public static let capacity = 5000

    public init() {}

    public mutating func append(_ text: String, role: Role) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) { add(String(line), role: role) }
        open = false
    }

    /// Output as the interpreter writes it, possibly in pieces of a line.
    public mutating func write(_ text: String, role: Role = .output) {
        var pieces = Self.stripEscapes(text).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let last = pieces.removeLast()
        for piece in pieces {
            writePiece(piece, role: role)
            open = false
        }
        if !last.isEmpty { writePiece(last, role: role) }
    }

    public mutating func clear() {
        lines = []
        open = false
    }

    private mutating func writePiece(_ piece: String, role: Role) {
        let overwrite = piece.split(separator: "\r", omittingEmptySubsequences: false).last.map(String.init) ?? ""
        if open, !lines.isEmpty {
            if piece.contains("\r") { lines[lines.count - 1].text = overwrite } else { lines[lines.count - 1].text += overwrite }
        } else {
            add(overwrite, role: role)
            open = true
        }
    }

    private mutating func add(_ text: String, role: Role) {
        lines.append(Line(text: text, role: role))
        if lines.count > Self.capacity { lines.removeFirst(lines.count - Self.capacity) }
    }

    /// Removes CSI sequences (`ESC [ ... letter`) such as the erase-line fit prints.
    static func stripEscapes(_ s: String) -> String {
        guard s.contains("\u{1B}") else { return s }
        var out = "", i = s.startIndex
        while i < s.endIndex {
            if s[i] == "\u{1B}" {
                var j = s.index(after: i)
                if j < s.endIndex, s[j] == "[" {
                    j = s.index(after: j)
                    while j < s.endIndex, !(s[j].isLetter) { j = s.index(after: j) }
                    if j < s.endIndex { j = s.index(after: j) }
                }
                i = j
                continue
            }
            out.append(s[i])
            i = s.index(after: i)
        }
        return out
    }
}
