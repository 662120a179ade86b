import DuetTensor

/// Which column of a CSV file holds the labels: by position (negative counts from the end, so
/// -1 is the last) or by header name. Literals work: `label: "species"`, `label: 0`.
public enum CSVColumn: Sendable, Equatable, ExpressibleByIntegerLiteral, ExpressibleByStringLiteral {
    case index(Int)
    case name(String)

    public init(integerLiteral value: Int) { self = .index(value) }
    public init(stringLiteral value: String) { self = .name(value) }
}

/// Numeric CSV files as features and labels. Cells may be quoted and padded with spaces;
/// blank lines are skipped; quoted cells cannot span lines. Any cell that is not a number, a
/// label that is not an integer, or a row whose length differs from the first, is an error
/// naming the file, line and column.
public enum CSV {
    /// Features `X` (float32, one row per line, every column but the label's) and labels `y`
    /// (int64). `header`: whether the first line names the columns; nil decides by looking
    /// (a first line with any non-numeric cell is a header).
    public static func load(_ path: String, label: CSVColumn = -1, header: Bool? = nil, delimiter: Character = ",") throws -> (X: Tensor, y: Tensor) {
        guard let separator = delimiter.asciiValue, delimiter != "\"" else {
            throw TensorError.value("CSV.load: the delimiter must be an ASCII character other than a quote, got \"\(delimiter)\"")
        }
        var bytes = try FileIO.read(path)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let text = String(decoding: bytes, as: UTF8.self)
        var rows: [(line: Int, cells: [Substring])] = []
        var lineNumber = 0
        for line in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = Substring(line).trimmingSpaces
            if content.isEmpty { continue }
            rows.append((lineNumber, try cells(content, separator: separator, path: path, line: lineNumber)))
        }
        guard let first = rows.first else {
            return (try Tensor.zeros([0, 0]), try Tensor.zeros([0], dtype: .int64))
        }
        let hasHeader = header ?? first.cells.contains { Double($0) == nil }
        let names = hasHeader ? first.cells.map(String.init) : nil
        let width = first.cells.count
        let labelIndex = try column(label, width: width, names: names, path: path)
        let data = hasHeader ? rows.dropFirst() : rows[...]
        var features: [Float] = []
        features.reserveCapacity(data.count * (width - 1))
        var labels: [Int64] = []
        labels.reserveCapacity(data.count)
        for (line, cells) in data {
            guard cells.count == width else {
                throw IOError(.malformed, path, "line \(line) has \(cells.count) columns, but line \(first.line) has \(width)")
            }
            for (k, cell) in cells.enumerated() {
                func bad(_ what: String) -> IOError {
                    let name = names.map { " (\"\($0[k])\")" } ?? ""
                    return IOError(.malformed, path, "line \(line), column \(k + 1)\(name): \(what), found \"\(cell)\"")
                }
                guard let value = Double(cell) else { throw bad(cell.isEmpty ? "empty cell" : "expected a number") }
                if k == labelIndex {
                    guard let integer = Int64(exactly: value) else { throw bad("the label must be an integer") }
                    labels.append(integer)
                } else {
                    features.append(Float(value))
                }
            }
        }
        let X = try features.withUnsafeBytes { try Tensor(bytes: $0, shape: [labels.count, width - 1], dtype: .float32) }
        let y = try labels.withUnsafeBytes { try Tensor(bytes: $0, shape: [labels.count], dtype: .int64) }
        return (X, y)
    }

    /// The label column's position among `width` columns.
    private static func column(_ label: CSVColumn, width: Int, names: [String]?, path: String) throws -> Int {
        switch label {
        case .index(let i):
            guard i >= -width && i < width else {
                throw IOError(.malformed, path, "label column \(i) is out of range: the file has \(width) columns")
            }
            return i < 0 ? i + width : i
        case .name(let name):
            guard let names else {
                throw IOError(.malformed, path, "label column '\(name)' asked for by name, but the file has no header line")
            }
            guard let i = names.firstIndex(of: name) else {
                throw IOError(.malformed, path, "no column is named '\(name)' (columns: \(names.joined(separator: ", ")))")
            }
            return i
        }
    }

    /// The cells of one line, unquoted and trimmed.
    private static func cells(_ line: Substring, separator: UInt8, path: String, line number: Int) throws -> [Substring] {
        let quote = UInt8(ascii: "\"")
        let bytes = line.utf8
        var cells: [Substring] = []
        var i = bytes.startIndex
        while true {
            while i < bytes.endIndex, bytes[i] == 0x20 || bytes[i] == 0x09, bytes[i] != separator { i = bytes.index(after: i) }
            var cell: Substring
            var next: Substring.UTF8View.Index
            if i < bytes.endIndex && bytes[i] == quote {
                // A quoted cell ends at a quote not doubled; "" inside stands for one quote.
                var j = bytes.index(after: i)
                var doubled = false
                while true {
                    guard j < bytes.endIndex else {
                        throw IOError(.malformed, path, "line \(number), column \(cells.count + 1): the quoted cell is not closed")
                    }
                    if bytes[j] == quote {
                        let after = bytes.index(after: j)
                        if after < bytes.endIndex && bytes[after] == quote { doubled = true; j = bytes.index(after: after); continue }
                        break
                    }
                    j = bytes.index(after: j)
                }
                let inner = Substring(bytes[bytes.index(after: i)..<j])
                cell = doubled ? Substring(inner.replacing("\"\"", with: "\"")) : inner
                next = bytes.index(after: j)
                while next < bytes.endIndex, bytes[next] == 0x20 || bytes[next] == 0x09, bytes[next] != separator { next = bytes.index(after: next) }
                guard next == bytes.endIndex || bytes[next] == separator else {
                    throw IOError(.malformed, path, "line \(number), column \(cells.count + 1): text follows the closing quote")
                }
            } else {
                next = bytes[i...].firstIndex(of: separator) ?? bytes.endIndex
                cell = Substring(bytes[i..<next]).trimmingSpaces
            }
            cells.append(cell)
            guard next < bytes.endIndex else { return cells }
            i = bytes.index(after: next)
        }
    }
}

extension Substring {
    /// Without leading and trailing spaces, tabs and carriage returns (CRLF files).
    fileprivate var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return self[start...last]
    }
}
