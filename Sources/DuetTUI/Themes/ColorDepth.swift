import Foundation

/// How many colours the terminal shows: the theme is reduced to fit before anything is drawn.
public enum ColorDepth: Sendable, Equatable {
    case none, eight, full256

    /// From the terminal's colour count, with NO_COLOR (any non-empty value) meaning none.
    public static func detect(colors: Int, environment: [String: String] = ProcessInfo.processInfo.environment) -> ColorDepth {
        if let v = environment["NO_COLOR"], !v.isEmpty { return .none }
        if colors >= 256 { return .full256 }
        return colors >= 8 ? .eight : .none
    }
}

/// xterm-256 palette arithmetic: hex colours to the nearest index, and any index to the
/// nearest of the basic eight.
enum Palette {
    private static let basic: [(Int, Int, Int)] = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0),
                                                   (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229)]
    private static let cubeLevels = [0, 95, 135, 175, 215, 255]

    static func rgb(_ index: UInt8) -> (Int, Int, Int) {
        let i = Int(index)
        switch i {
        case 0..<8: return basic[i]
        case 8..<16:
            let (r, g, b) = basic[i - 8]
            return (min(255, r + 50), min(255, g + 50), min(255, b + 50))
        case 16..<232:
            let c = i - 16
            return (cubeLevels[c / 36], cubeLevels[(c / 6) % 6], cubeLevels[c % 6])
        default:
            let v = 8 + 10 * (i - 232)
            return (v, v, v)
        }
    }

    static func nearest256(_ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        nearest((16...255).map { UInt8($0) }, r, g, b)
    }

    static func nearest8(_ index: UInt8) -> UInt8 {
        if index < 8 { return index }
        if index < 16 { return index - 8 }
        let (r, g, b) = rgb(index)
        return nearest((0..<8).map { UInt8($0) }, r, g, b)
    }

    private static func nearest(_ candidates: [UInt8], _ r: Int, _ g: Int, _ b: Int) -> UInt8 {
        candidates.min { a, c in distance(rgb(a), r, g, b) < distance(rgb(c), r, g, b) } ?? 7
    }

    private static func distance(_ p: (Int, Int, Int), _ r: Int, _ g: Int, _ b: Int) -> Int {
        let (dr, dg, db) = (p.0 - r, p.1 - g, p.2 - b)
        return dr * dr + dg * dg + db * db
    }
}
