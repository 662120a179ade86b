import Foundation

/// A `.duet` notebook in Jupytext's percent format: `# %% Title` starts a cell, and expected
/// output follows a statement as `#> ` lines (compared with a numeric tolerance) or `#~ ` lines
/// (machine-dependent, e.g. timings: compared for shape only). A file without cell markers is
/// one untitled cell, so every script is a notebook.
struct Notebook {
    struct Cell {
        let title: String?
        let headerLine: Int?
        var units: [Unit] = []
    }

    /// One top-level line of code (possibly a compound statement) and what it should print.
    struct Unit {
        let statements: [Stmt]
        let firstLine: Int
        let lastLine: Int
        /// 1-based lines of `#>`/`#~` expectations attached to this unit.
        var expectationLines: [Int] = []
        var expected: [Expectation] = []
    }

    struct Expectation: Equatable {
        enum Kind { case exact, shape }
        let kind: Kind
        let text: String
    }

    let source: SourceText
    let cells: [Cell]
    let hasCellMarkers: Bool

    static func expectation(_ line: String) -> Expectation? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        for (prefix, kind) in [("#>", Expectation.Kind.exact), ("#~", .shape)] where trimmed.hasPrefix(prefix) {
            var rest = trimmed.dropFirst(2)
            if rest.first == " " { rest = rest.dropFirst() }
            return Expectation(kind: kind, text: String(rest))
        }
        return nil
    }

    static func cellTitle(_ line: String) -> String?? {
        guard line.hasPrefix("# %%") else { return nil }
        var title = line.dropFirst(4).trimmingCharacters(in: .whitespaces)
        if title.hasPrefix("[markdown]") { title = String(title.dropFirst(10)).trimmingCharacters(in: .whitespaces) }
        return .some(title.isEmpty ? nil : title)
    }

    /// Parses the whole file (so a syntax error anywhere is reported before anything runs) and
    /// attaches each expectation line to the code unit before it.
    init(text: String, file: String) throws {
        source = SourceText(name: file, text: text)
        let topLevel = try Parser.parseTopLevel(source, text)
        var cells: [Cell] = []
        var current = Cell(title: nil, headerLine: nil)
        var unitIndex = 0
        var markers = false
        for (i, line) in source.lines.enumerated() {
            let n = i + 1
            if let title = Self.cellTitle(line) {
                markers = true
                if current.headerLine != nil || !current.units.isEmpty { cells.append(current) }
                current = Cell(title: title, headerLine: n)
                continue
            }
            while unitIndex < topLevel.count && topLevel[unitIndex].firstLine == n {
                let t = topLevel[unitIndex]
                current.units.append(Unit(statements: t.statements, firstLine: t.firstLine, lastLine: t.lastLine))
                unitIndex += 1
            }
            if let e = Self.expectation(line), !current.units.isEmpty {
                current.units[current.units.count - 1].expectationLines.append(n)
                current.units[current.units.count - 1].expected.append(e)
            }
        }
        cells.append(current)
        self.cells = cells
        hasCellMarkers = markers
    }
}
