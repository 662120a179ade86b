/// Runs a notebook: prints each cell's title and output (`run`), compares output with the
/// expectations and reports a diff (`check`), or rewrites the expectations (`update`).
/// Notebooks show the value of each top-level expression statement, like a REPL transcript; a
/// plain script (no `# %%` cells, no `#>` lines) runs like `python script.py`, without echo.
public struct NotebookRunner {
    public enum Mode: Sendable { case run, check, update }

    public struct Outcome {
        /// False when an error stopped the run or (in check mode) an output differed.
        public let passed: Bool
        /// Units whose output differed from their expectations (check mode).
        public let differences: Int
        /// The notebook with fresh expectations (update mode).
        public let updatedText: String?
    }

    let mode: Mode
    let interp: Interpreter
    /// Where the notebook's output goes (run mode), and where errors and diffs go.
    let report: (String) -> Void
    let fail: (String) -> Void

    public init(mode: Mode, interpreter: Interpreter, output: @escaping (String) -> Void, errors: @escaping (String) -> Void) {
        self.mode = mode
        interp = interpreter
        report = output
        fail = errors
    }

    public func run(text: String, file: String) -> Outcome {
        let notebook: Notebook
        do { notebook = try Notebook(text: text, file: file) } catch {
            fail(ScriptError.wrap(error).description + "\n")
            return Outcome(passed: false, differences: 0, updatedText: nil)
        }
        let echo = mode != .run || notebook.hasCellMarkers || notebook.cells.contains { $0.units.contains { !$0.expected.isEmpty } }
        var differences = 0
        var replacements: [(unit: Notebook.Unit, output: [String])] = []
        let saved = interp.output
        defer { interp.output = saved }
        for cell in notebook.cells {
            if let title = cell.title, mode == .run { report("# %% \(title)\n") }
            for unit in cell.units {
                var captured = ""
                interp.output = { text in
                    captured += text
                    if mode == .run { report(text) }
                }
                var failure: ScriptError?
                do {
                    try interp.run(unit.statements, source: notebook.source, echo: echo)
                } catch {
                    failure = ScriptError.wrap(error)
                    captured += (failure?.description ?? "") + "\n"
                }
                let lines = Self.lines(captured)
                let matches = OutputMatch.matches(lines, unit.expected)
                switch mode {
                case .run:
                    if let failure, !matches {
                        fail(failure.description + "\n")
                        return Outcome(passed: false, differences: differences, updatedText: nil)
                    }
                case .check:
                    if !matches {
                        differences += 1
                        fail(diff(unit, lines, notebook.source))
                        if failure != nil { return Outcome(passed: false, differences: differences, updatedText: nil) }
                    }
                case .update:
                    replacements.append((unit, lines))
                }
            }
        }
        let updated = mode == .update ? Self.rewrite(notebook.source.lines, replacements) : nil
        return Outcome(passed: differences == 0, differences: differences, updatedText: updated)
    }

    /// Output text as lines: a trailing newline ends the last line rather than adding one.
    static func lines(_ text: String) -> [String] {
        guard !text.isEmpty else { return [] }
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts.map { $0.replacingTrailingSpaces() }
    }

    private func diff(_ unit: Notebook.Unit, _ actual: [String], _ source: SourceText) -> String {
        var out = ["\(source.name):\(unit.firstLine): output differs from the expectation", "    " + source.line(unit.firstLine).trimmingLeadingBlanks()]
        out.append("--- expected")
        out.append("+++ actual")
        for e in unit.expected { out.append("-" + (e.kind == .exact ? "#> " : "#~ ") + e.text) }
        for a in actual { out.append("+#> " + a) }
        return out.joined(separator: "\n") + "\n"
    }

    /// The notebook with each unit's expectation lines replaced by its actual output, placed right
    /// after the unit's code. A unit that had `#~` expectations keeps the `#~` marker.
    static func rewrite(_ lines: [String], _ replacements: [(unit: Notebook.Unit, output: [String])]) -> String {
        var drop = Set<Int>()
        var insertAfter: [Int: [String]] = [:]
        for (unit, output) in replacements {
            drop.formUnion(unit.expectationLines)
            guard !output.isEmpty else { continue }
            let marker = unit.expected.contains { $0.kind == .shape } ? "#~" : "#>"
            let indent = unit.expectationLines.first.map { String(lines[$0 - 1].prefix { $0 == " " || $0 == "\t" }) } ?? ""
            insertAfter[unit.lastLine, default: []] += output.map { $0.isEmpty ? indent + marker : indent + marker + " " + $0 }
        }
        var out: [String] = []
        for (i, line) in lines.enumerated() {
            let n = i + 1
            if !drop.contains(n) { out.append(line) }
            if let extra = insertAfter[n] { out += extra }
        }
        return out.joined(separator: "\n")
    }
}

extension String {
    func trimmingLeadingBlanks() -> String { String(drop { $0 == " " || $0 == "\t" }) }
}
