import DuetScript
import Foundation

/// What a key did to the editor.
public enum EditorAction: Equatable, Sendable {
    case none
    /// A complete input (one line, or a block ended by a blank line) to run.
    case submit(String)
    /// Ctrl-D on an empty input.
    case quit
    /// Ctrl-C: the input was discarded.
    case cancelled
    /// Tab found several candidates; the host lists them.
    case candidates([String])
}

/// The REPL pane's line editor: emacs keys, multi-line blocks (a line ending in `:` continues
/// until a blank line, as do open brackets), Up/Down history, Ctrl-R reverse search, Tab
/// completion. Pure state: the pane draws `displayLines` and the cursor.
public struct LineEditor {
    /// Finished lines of the block being typed, then the current line.
    public private(set) var lines: [[Character]] = [[]]
    public private(set) var cursor = 0
    private var killRing: [Character] = []
    /// Position in history while browsing with Up/Down (nil: editing a new input).
    private var historyIndex: Int?
    private var draft: [[Character]] = [[]]
    /// Reverse search state: the query and the index of the current match.
    public private(set) var search: (query: String, match: Int?)?
    /// Inside a bracketed paste: text arrives as typed by the source, already indented.
    public private(set) var pasting = false
    /// Spaces the editor put at the start of the current line that the user has not typed over:
    /// whoever types the indentation themselves (as Python's REPL wants) gets theirs, not both.
    private var softIndent = 0
    /// Leading spaces the user typed on this line while soft indentation was there.
    private var typedIndent = 0

    let history: EditHistory
    let complete: (String) -> Completion

    public init(history: EditHistory, complete: @escaping (String) -> Completion) {
        self.history = history
        self.complete = complete
    }

    public var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }
    var current: [Character] { lines[lines.count - 1] }
    public var text: String { lines.map { String($0) }.joined(separator: "\n") }

    /// The lines to draw, each with its prompt, and the cursor as (line, column in characters).
    public func display() -> (lines: [String], cursorLine: Int, cursorColumn: Int) {
        if let search {
            let match = search.match.map { history.entries[$0] } ?? ""
            let line = "(reverse-i-search)`\(search.query)': " + match.replacingOccurrences(of: "\n", with: " ⏎ ")
            return ([line], 0, CharWidth.of("(reverse-i-search)`\(search.query)"))
        }
        let shown = lines.enumerated().map { ($0 == 0 ? ">>> " : "... ") + String($1) }
        return (shown, lines.count - 1, 4 + CharWidth.of(String(current.prefix(cursor))))
    }

    public mutating func handle(_ key: Key) -> EditorAction {
        if search != nil { return handleSearch(key) }
        switch key {
        case .pasteStart: pasting = true; return .none
        case .pasteEnd: pasting = false; return .none
        case .enter where pasting:
            let rest = Array(current[cursor...])
            lines[lines.count - 1].removeSubrange(cursor...)
            lines.append(rest)
            cursor = 0
            return .none
        case .tab where pasting:
            insert(Array(repeating: " ", count: 4 - cursor % 4))
            return .none
        default: break
        }
        if case .char(let c) = key, softIndent > 0, current[..<cursor].allSatisfy({ $0 == " " }) {
            if c == " " {
                // A typed space takes the place of one the editor put there.
                softIndent -= 1
                typedIndent += 1
                return .none
            }
            if typedIndent > 0 {
                // The user indented this line themselves: drop what they did not type.
                lines[lines.count - 1].removeSubrange((cursor - softIndent)..<cursor)
                cursor -= softIndent
            }
        }
        if case .enter = key {} else { softIndent = 0; typedIndent = 0 }
        switch key {
        case .char(let c): insert([c])
        case .enter: return enter()
        case .tab: return tab()
        case .backspace, .ctrl("h"):
            if cursor > 0 && current[..<cursor].allSatisfy({ $0 == " " }) {
                // In the indentation, one level (four spaces) at a time, as Python editors do.
                let target = (cursor - 1) / 4 * 4
                lines[lines.count - 1].removeSubrange(target..<cursor)
                cursor = target
            } else if cursor > 0 {
                lines[lines.count - 1].remove(at: cursor - 1)
                cursor -= 1
            } else if lines.count > 1 {
                let last = lines.removeLast()
                cursor = current.count
                lines[lines.count - 1] += last
            }
        case .delete: if cursor < current.count { lines[lines.count - 1].remove(at: cursor) }
        case .ctrl("d"):
            if isEmpty { return .quit }
            if cursor < current.count { lines[lines.count - 1].remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(current.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = current.count
        case .ctrl("k"):
            killRing = Array(current[cursor...])
            lines[lines.count - 1].removeSubrange(cursor...)
        case .ctrl("u"):
            killRing = Array(current[..<cursor])
            lines[lines.count - 1].removeSubrange(..<cursor)
            cursor = 0
        case .ctrl("w"):
            var start = cursor
            while start > 0 && current[start - 1] == " " { start -= 1 }
            while start > 0 && current[start - 1] != " " { start -= 1 }
            killRing = Array(current[start..<cursor])
            lines[lines.count - 1].removeSubrange(start..<cursor)
            cursor = start
        case .ctrl("y"): insert(killRing)
        case .ctrl("t"):
            if cursor > 0 && current.count >= 2 {
                let i = cursor == current.count ? cursor - 1 : cursor
                lines[lines.count - 1].swapAt(i - 1, i)
                cursor = min(current.count, i + 1)
            }
        case .ctrl("c"):
            reset()
            return .cancelled
        case .up, .ctrl("p"): browse(-1)
        case .down, .ctrl("n"): browse(1)
        case .ctrl("r"): search = ("", nil)
        default: break
        }
        return .none
    }

    public mutating func reset() {
        lines = [[]]
        cursor = 0
        softIndent = 0
        typedIndent = 0
        pasting = false
        historyIndex = nil
        search = nil
    }

    /// Replaces the input (history recall, tests).
    public mutating func set(_ text: String) {
        lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
        if lines.isEmpty { lines = [[]] }
        cursor = current.count
    }

    private mutating func insert(_ chars: [Character]) {
        lines[lines.count - 1].insert(contentsOf: chars, at: cursor)
        cursor += chars.count
    }

    private mutating func enter() -> EditorAction {
        if lines.count > 1 && current.allSatisfy({ $0 == " " }) {
            lines[lines.count - 1] = []
            cursor = 0
        }
        let text = self.text
        let trimmed = text.trimmingBlanks()
        if lines.count == 1 && (trimmed.hasPrefix(":") || trimmed.isEmpty) { return submit(text) }
        if InputStatus.of(text) == .complete { return submit(text) }
        let previous = current
        let indent = previous.prefix { $0 == " " }.count + (String(previous).trimmingBlanks().hasSuffix(":") ? 4 : 0)
        lines.append(Array(repeating: " ", count: indent))
        cursor = indent
        softIndent = indent
        typedIndent = 0
        return .none
    }

    private mutating func submit(_ text: String) -> EditorAction {
        var entry = text
        while entry.hasSuffix("\n") || entry.hasSuffix(" ") { entry.removeLast() }
        if !entry.trimmingBlanks().isEmpty { history.add(entry) }
        reset()
        return .submit(text)
    }

    private mutating func tab() -> EditorAction {
        let before = String(current[..<cursor])
        if before.trimmingBlanks().isEmpty {
            insert(Array(repeating: " ", count: 4 - cursor % 4))
            return .none
        }
        let c = complete(lines.dropLast().map { String($0) + "\n" }.joined() + before)
        guard !c.candidates.isEmpty else { return .none }
        let common = c.candidates.dropFirst().reduce(c.candidates[0]) { String(zip($0, $1).prefix { $0 == $1 }.map(\.0)) }
        if common.count > c.prefix.count { insert(Array(common.dropFirst(c.prefix.count))) }
        return c.candidates.count > 1 && common.count <= c.prefix.count ? .candidates(c.candidates) : .none
    }

    private mutating func browse(_ direction: Int) {
        let entries = history.entries
        guard !entries.isEmpty else { return }
        if historyIndex == nil {
            guard direction < 0 else { return }
            draft = lines
        }
        let next = (historyIndex ?? entries.count) + direction
        if next >= entries.count {
            historyIndex = nil
            lines = draft
            cursor = current.count
            return
        }
        historyIndex = max(0, next)
        set(entries[historyIndex ?? 0])
    }

    private mutating func handleSearch(_ key: Key) -> EditorAction {
        guard var s = search else { return .none }
        switch key {
        case .char(let c):
            s.query.append(c)
            s.match = find(s.query, before: history.entries.count)
        case .backspace:
            if !s.query.isEmpty { s.query.removeLast() }
            s.match = find(s.query, before: history.entries.count)
        case .ctrl("r"):
            s.match = find(s.query, before: s.match ?? history.entries.count) ?? s.match
        case .escape, .ctrl("g"), .ctrl("c"):
            search = nil
            return .none
        default:
            search = nil
            if let m = s.match { set(history.entries[m]) }
            return key == .enter ? .none : handle(key)
        }
        search = s
        return .none
    }

    /// The newest history entry before index `before` containing `query`.
    private func find(_ query: String, before: Int) -> Int? {
        guard !query.isEmpty else { return nil }
        let entries = history.entries
        return (0..<min(before, entries.count)).reversed().first { entries[$0].contains(query) }
    }
}
