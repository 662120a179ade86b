/// A plotting surface over a block of cells. With braille each cell holds 2×4 dots (U+2800
/// block); without (ASCII locales) each cell is one dot drawn with the series' marker. A cell
/// takes the colour of the last series that touched it.
struct PlotCanvas {
    let columns: Int
    let rows: Int
    let braille: Bool
    private var dots: [UInt8]
    private var owner: [Int]
    private var marks: [Character]

    init(columns: Int, rows: Int, braille: Bool) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        self.braille = braille
        dots = Array(repeating: 0, count: self.columns * self.rows)
        owner = Array(repeating: -1, count: self.columns * self.rows)
        marks = Array(repeating: " ", count: self.columns * self.rows)
    }

    /// Dots across and down.
    var pixelWidth: Int { columns * (braille ? 2 : 1) }
    var pixelHeight: Int { rows * (braille ? 4 : 1) }

    static let asciiMarkers: [Character] = ["*", "+", "o", "x", "#", "%", "@", "="]
    private static let brailleBits: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (px, py), py = 0 at the top.
    mutating func set(_ px: Int, _ py: Int, series: Int) {
        guard px >= 0, py >= 0, px < pixelWidth, py < pixelHeight else { return }
        let (cx, cy) = braille ? (px / 2, py / 4) : (px, py)
        let i = cy * columns + cx
        if braille { dots[i] |= Self.brailleBits[px % 2][py % 4] } else { marks[i] = Self.asciiMarkers[series % Self.asciiMarkers.count] }
        owner[i] = series
    }

    /// A straight line of dots (Bresenham).
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, series: Int) {
        var (x, y) = (x0, y0)
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var err = dx + dy
        for _ in 0...(dx - dy) {
            set(x, y, series: series)
            if x == x1 && y == y1 { break }
            let e2 = 2 * err
            if e2 >= dy { err += dy; x += sx }
            if e2 <= dx { err += dx; y += sy }
        }
    }

    /// Copies the canvas into `grid` at (x, y) with each cell in its series' style.
    func draw(into grid: inout Grid, x: Int, y: Int, style: (Int) -> Style) {
        for r in 0..<rows {
            for c in 0..<columns {
                let i = r * columns + c
                guard owner[i] >= 0 else { continue }
                let ch: Character = braille ? Character(Unicode.Scalar(0x2800 + UInt32(dots[i])) ?? " ") : marks[i]
                grid[x + c, y + r] = Cell(ch, style(owner[i]))
            }
        }
    }
}
