/// Whether a REPL has a whole statement yet: open brackets, a trailing backslash, or a block
/// header without its body mean "keep reading"; a block ends at a blank line, as in Python.
public enum InputStatus: Sendable {
    case complete, incomplete

    public static func of(_ text: String) -> InputStatus {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if text.hasSuffix("\\") { return .incomplete }
        do {
            _ = try Parser.parse(SourceText(name: "<repl>", text: text), text)
        } catch let e as ScriptError {
            let waiting = ["was never closed", "unexpected end of input", "unterminated triple-quoted", "expected an indented block"]
            return waiting.contains { e.message.contains($0) } ? .incomplete : .complete
        } catch {
            return .complete
        }
        let opensBlock = lines.first.map { line in
            let code = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            return code.trimmingTrailingBlanks().hasSuffix(":")
        } ?? false
        let endsWithBlank = lines.last.map { $0.allSatisfy { $0 == " " || $0 == "\t" } } ?? true
        return opensBlock && lines.count > 1 && !endsWithBlank ? .incomplete : (opensBlock && lines.count == 1 ? .incomplete : .complete)
    }
}

extension Substring {
    func trimmingTrailingBlanks() -> Substring {
        var s = self
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s
    }
}
