import CEdit
import DuetScript
import Foundation

/// libedit's readline for `duet repl` on a terminal: line editing, history from the shared
/// history file, Tab completion from the interpreter.
final class ReadlineInput {
    private let history: HistoryFile

    init(history: HistoryFile, complete: @escaping (String) -> Completion) {
        self.history = history
        ReadlineCompletion.shared.complete = complete
        for entry in history.entries { _ = add_history(entry) }
        duet_rl_set_attempted_completion_function { text, _, end in
            ReadlineCompletion.matches(text.map { String(cString: $0) } ?? "", end: Int(end))
        }
    }

    /// The next line, or nil at end of input (Ctrl-D).
    func read(prompt: String) -> String? {
        guard let raw = readline(prompt) else { return nil }
        defer { free(raw) }
        return String(cString: raw)
    }

    func remember(_ entry: String) {
        guard !entry.trimmingBlanks().isEmpty else { return }
        history.add(entry)
        _ = add_history(entry)
    }
}

/// readline calls its completion hook with no context pointer, on the thread that called
/// `readline()`; this box hands the hook the interpreter's completer. Only that thread (the
/// REPL's) reads or writes it, which is why the unchecked Sendable is sound.
final class ReadlineCompletion: @unchecked Sendable {
    static let shared = ReadlineCompletion()
    var complete: ((String) -> Completion)?

    /// readline's convention: a malloc'd, NULL-terminated array whose first entry replaces
    /// `text` and the rest are the candidates; NULL when there are none.
    static func matches(_ text: String, end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        duet_rl_completion_done()
        let line = duet_rl_line_buffer().map { String(cString: $0) } ?? text
        let before = String(line.utf8.prefix(end)) ?? line
        guard let c = shared.complete?(before), !c.candidates.isEmpty else { return nil }
        let stem = String(text.dropLast(min(c.prefix.count, text.count)))
        let full = c.candidates.map { stem + $0 }
        let common = full.dropFirst().reduce(full[0]) { String(zip($0, $1).prefix { $0 == $1 }.map(\.0)) }
        let entries = [common] + (full.count > 1 ? full : [])
        guard let array = malloc(MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1))?
            .bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1) else { return nil }
        for (i, e) in entries.enumerated() { array[i] = strdup(e) }
        array[entries.count] = nil
        return array
    }
}
