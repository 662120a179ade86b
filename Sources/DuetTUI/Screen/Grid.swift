/// The off-screen screen: every pane draws into it and the backend copies it to the terminal,
/// so rendering is testable without one. Writes outside the grid or the given clip are dropped.
public struct Grid: Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" ", fill), count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { bounds.contains(x: x, y: y) ? cells[y * width + x] : Cell() }
        set { if bounds.contains(x: x, y: y) { cells[y * width + x] = newValue } }
    }

    /// Writes `text` from (x, y) on one line, clipped to `clip` (default: the whole grid);
    /// control characters show as spaces. Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, clip: Rect? = nil) -> Int {
        let area = clip ?? bounds
        guard y >= area.y, y < area.maxY else { return x }
        var col = x
        for ch in text {
            let w = CharWidth.of(ch)
            if w == 0 { continue }
            if col + w > area.maxX { break }
            if col >= area.x {
                self[col, y] = Cell(ch.isASCII && (ch.asciiValue ?? 32) < 32 ? " " : ch, style)
                if w == 2 {
                    var cont = Cell(" ", style)
                    cont.isContinuation = true
                    self[col + 1, y] = cont
                }
            }
            col += w
        }
        return col
    }

    public mutating func fill(_ rect: Rect, _ style: Style, char: Character = " ") {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { self[x, y] = Cell(char, style) }
        }
    }

    /// Changes the style of the cells in `rect`, keeping their characters.
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        for y in max(0, rect.y)..<min(height, rect.maxY) {
            for x in max(0, rect.x)..<min(width, rect.maxX) { change(&cells[y * width + x].style) }
        }
    }

    /// Row `y` as text (trailing blanks kept), for tests and the e2e screen checks.
    public func row(_ y: Int) -> String {
        guard y >= 0, y < height else { return "" }
        return String(cells[(y * width)..<((y + 1) * width)].filter { !$0.isContinuation }.map(\.char))
    }

    /// The whole grid as lines with trailing blanks removed.
    public var text: String {
        (0..<height).map { y in
            var r = row(y)
            while r.last == " " { r.removeLast() }
            return r
        }.joined(separator: "\n")
    }
}
