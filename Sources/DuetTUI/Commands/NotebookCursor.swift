import Foundation

/// A loaded notebook and the next cell to run (`:load FILE`, then F5 or `:next`). Markdown
/// and comment-only cells are skipped. Each cell's code keeps its line numbers (it is preceded
/// by blank lines), so errors point into the file.
public struct NotebookCursor: Sendable {
    public struct Cell: Sendable, Equatable, Codable {
        public let title: String
        public let text: String
        /// The notebook the cell came from, which its errors name.
        public let file: String
    }

    public let file: String
    public let cells: [Cell]
    public private(set) var next = 0

    public init(file: String, text: String) {
        self.file = file
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let markers = lines.indices.filter { lines[$0].hasPrefix("# %%") }
        let starts = (markers.first == 0 ? [] : [-1]) + markers
        var cells: [Cell] = []
        for (k, marker) in starts.enumerated() {
            let end = k + 1 < starts.count ? starts[k + 1] : lines.count
            let title = marker >= 0 ? String(lines[marker].dropFirst(4)).trimmingBlanks() : ""
            let body = lines[(marker + 1)..<end]
            let hasCode = body.contains { !$0.trimmingBlanks().isEmpty && !$0.trimmingBlanks().hasPrefix("#") }
            guard hasCode, !title.hasPrefix("[markdown]") else { continue }
            cells.append(Cell(title: title.isEmpty ? "cell \(cells.count + 1)" : title,
                              text: String(repeating: "\n", count: marker + 1) + body.joined(separator: "\n"), file: file))
        }
        self.cells = cells
    }

    public var isFinished: Bool { next >= cells.count }

    public mutating func advance() -> Cell? {
        guard next < cells.count else { return nil }
        defer { next += 1 }
        return cells[next]
    }
}
