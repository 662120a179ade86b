/// A terminal colour: the terminal's own default, or an xterm-256 palette index (0–7 are the
/// basic eight every colour terminal has).
public enum TermColor: Hashable, Sendable {
    case `default`
    case indexed(UInt8)
}

/// How a cell is drawn. Panes draw with styles taken from the theme, so the grid holds exactly
/// what the terminal will show and tests can assert on it.
public struct Style: Hashable, Sendable {
    public var fg: TermColor = .default
    public var bg: TermColor = .default
    public var bold = false
    public var dim = false
    public var reverse = false
    public var underline = false

    public init(fg: TermColor = .default, bg: TermColor = .default, bold: Bool = false, dim: Bool = false,
                reverse: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.dim = dim
        self.reverse = reverse
        self.underline = underline
    }

    public static let plain = Style()
}

/// One screen position: a character and its style. The right half of a double-width character
/// is a continuation cell, which the backend skips.
public struct Cell: Equatable, Sendable {
    public var char: Character
    public var style: Style
    public var isContinuation = false

    public init(_ char: Character = " ", _ style: Style = .plain) {
        self.char = char
        self.style = style
    }
}
