import DuetScript
import Foundation
import Testing
@testable import DuetTUI

@Suite struct EditorTests {
    private func editor(_ history: [String] = [], interp: Interpreter? = nil) -> LineEditor {
        LineEditor(history: MemoryHistory(history)) { line in interp?.completions(for: line) ?? Completion(prefix: "", candidates: []) }
    }

    private func type(_ e: inout LineEditor, _ keys: [Key]) -> [EditorAction] { keys.map { e.handle($0) } }

    @Test func emacsKeys() {
        var e = editor()
        _ = type(&e, .typing("hello world"))
        _ = type(&e, [.ctrl("a"), .ctrl("f"), .ctrl("d"), .ctrl("e"), .ctrl("w")])
        #expect(e.text == "hllo ")
        _ = type(&e, [.ctrl("y"), .ctrl("a"), .ctrl("k")])
        #expect(e.text == "")
        _ = type(&e, [.ctrl("y"), .left, .left, .ctrl("u")])
        #expect(e.text == "ld" && e.cursor == 0)
        _ = type(&e, [.end, .backspace, .char("x"), .ctrl("t")])
        #expect(e.text == "xl")
    }

    @Test func blocksContinueUntilABlankLine() {
        var e = editor()
        #expect(type(&e, .typing("for i in range(2):\n")).allSatisfy { $0 == .none })
        #expect(e.display().lines == [">>> for i in range(2):", "...     "])
        _ = type(&e, .typing("print(i)\n"))
        #expect(e.lines.count == 3)
        #expect(e.handle(.enter) == .submit("for i in range(2):\n    print(i)\n"))
        #expect(e.isEmpty)
        // Open brackets continue too; a single complete line submits at once.
        _ = type(&e, .typing("x = [1,\n"))
        #expect(e.handle(.char("2")) == .none)
        #expect(type(&e, .typing("]\n")).last == .submit("x = [1,\n2]"))
    }

    @Test func pastedBlocksKeepTheirIndentation() {
        var e = editor()
        let code = "def f(x):\n    if x:\n        return 1\n    return 2\n"
        #expect(type(&e, [.pasteStart] + .typing(code) + [.pasteEnd]).allSatisfy { $0 == .none })
        #expect(e.text == code && !e.pasting)
        #expect(e.handle(.enter) == .submit(code))
        // Typed instead, with the indentation Python's REPL wants, the same keys give the same text.
        _ = type(&e, .typing("def f(x):\n    if x:\n"))
        #expect(e.lines.last == Array(String(repeating: " ", count: 8)))
        #expect(type(&e, .typing("        return 1\n    return 2\n")).allSatisfy { $0 == .none })
        #expect(e.handle(.enter) == .submit(code))
    }

    /// A class typed as in Python's REPL (each line with its own indentation) or relying on the
    /// auto-indent (Backspace to go out one level) gives the same block.
    @Test func typedIndentationIsKeptAndBackspaceRemovesOneLevel() {
        let code = "class A:\n    def f(self):\n        return 1\n    def g(self):\n        return 2\n"
        var typed = editor()
        _ = type(&typed, .typing(code))
        #expect(typed.handle(.enter) == .submit(code))
        var auto = editor()
        _ = type(&auto, .typing("class A:\ndef f(self):\nreturn 1\n") + [.backspace] + .typing("def g(self):\nreturn 2\n"))
        #expect(auto.handle(.enter) == .submit(code))
        // Outside the indentation Backspace deletes one character; a partly typed indent is kept.
        var e = editor()
        _ = type(&e, .typing("if x:\n  y") + [.backspace])
        #expect(e.lines.last == Array("  "))
        _ = type(&e, [.backspace])
        #expect(e.lines.last == [])
    }

    @Test func historyUpDownAndReverseSearch() {
        var e = editor(["a = 1", "b = 2", "print(a)"])
        _ = type(&e, .typing("dra"))
        _ = type(&e, [.up])
        #expect(e.text == "print(a)")
        _ = type(&e, [.up, .up, .up])
        #expect(e.text == "a = 1")
        _ = type(&e, [.down, .down, .down])
        #expect(e.text == "dra")
        _ = type(&e, [.ctrl("u"), .ctrl("r")] + .typing("= "))
        #expect(e.display().lines == ["(reverse-i-search)`= ': b = 2"])
        _ = type(&e, [.ctrl("r")])
        #expect(e.display().lines == ["(reverse-i-search)`= ': a = 1"])
        _ = type(&e, [.enter])
        #expect(e.text == "a = 1" && e.search == nil)
    }

    @Test func ctrlDQuitsOnlyOnAnEmptyLineAndCtrlCCancels() {
        var e = editor()
        _ = type(&e, .typing("ab"))
        #expect(e.handle(.ctrl("c")) == .cancelled)
        #expect(e.isEmpty)
        #expect(e.handle(.ctrl("d")) == .quit)
    }

    @Test func tabCompletesNamesMethodsAndKeywords() throws {
        let interp = Interpreter(output: { _ in })
        try interp.run("import torch\nweights = torch.zeros(3)\nwidth = 4")
        var e = editor(interp: interp)
        _ = type(&e, .typing("weig"))
        _ = e.handle(.tab)
        #expect(e.text == "weights")
        _ = type(&e, .typing(".resh"))
        _ = e.handle(.tab)
        #expect(e.text == "weights.reshape")
        e.reset()
        _ = type(&e, .typing("Linear(2, 3, bi"))
        _ = e.handle(.tab)
        #expect(e.text == "Linear(2, 3, bias=")
        e.reset()
        _ = type(&e, .typing("wi"))
        #expect(e.handle(.tab) == .none)
        #expect(e.text == "width")
        e.reset()
        _ = type(&e, .typing("w"))
        guard case .candidates(let list) = e.handle(.tab) else { Issue.record("expected candidates"); return }
        #expect(list.contains("weights") && list.contains("width"))
    }

    @Test func completionAPI() throws {
        let interp = Interpreter(output: { _ in })
        try interp.run("import torch\ndef f(alpha, beta=2):\n    return alpha")
        #expect(interp.completions(for: "f(1, be").candidates.first == "beta=")
        #expect(interp.completions(for: "torch.ze").candidates.contains("zeros"))
        #expect(interp.completions(for: "nosuch.x").candidates.isEmpty)
        #expect(interp.completions(for: "print(\"(\", al").prefix == "al")
    }

    @Test func historyFileIsWrittenAndReadBackAcrossRuns() throws {
        let path = Fixture.temporaryDirectory().appendingPathComponent("state/duet/history").path
        do {
            let first = HistoryFile(path: path)
            #expect(first.entries.isEmpty)
            first.add("x = 1")
            first.add("for i in range(2):\n    print(i)")
        }
        let second = HistoryFile(path: path)
        #expect(second.entries == ["x = 1", "for i in range(2):\n    print(i)"])
        second.add("y = 2")
        #expect(HistoryFile(path: path).entries.last == "y = 2")
        #expect(HistoryFile.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]) == "/s/duet/history")
        #expect(HistoryFile.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/state/duet/history")
    }
}
