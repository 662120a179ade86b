/// Aligned text columns for the bench command's tables: text columns padded on the right,
/// number columns on the left, two spaces between, no trailing blanks.
enum TextTable {
    static func render(_ header: [String], _ rows: [[String]], leftAligned: Set<Int> = [0]) -> [String] {
        let table = [header] + rows
        let widths = header.indices.map { c in table.map { $0.indices.contains(c) ? $0[c].count : 0 }.max() ?? 0 }
        return table.map { cells in
            var line = ""
            for (c, cell) in cells.enumerated() where c < widths.count {
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                line += (c == 0 ? "" : "  ") + (leftAligned.contains(c) ? cell + pad : pad + cell)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
