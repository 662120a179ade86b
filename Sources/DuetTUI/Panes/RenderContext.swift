/// What every pane draws with: the theme (already reduced to the terminal's colours) and
/// whether the locale can show Unicode (braille charts, box lines) or only ASCII.
public struct RenderContext: Sendable {
    public var theme: Theme
    public var unicode: Bool

    public init(theme: Theme, unicode: Bool) {
        self.theme = theme
        self.unicode = unicode
    }

    /// A horizontal rule character.
    var rule: Character { unicode ? "─" : "-" }
    var verticalRule: Character { unicode ? "│" : "|" }
}

/// A pane's title bar: `── Curves F2 ──────`, highlighted when the pane has focus.
enum TitleBar {
    static func draw(_ title: String, into grid: inout Grid, _ rect: Rect, focused: Bool, _ ctx: RenderContext) -> Rect {
        guard rect.height > 0 else { return rect }
        let style = focused ? ctx.theme[.focus] : ctx.theme[.border]
        grid.put(String(repeating: ctx.rule, count: rect.width), x: rect.x, y: rect.y, style: style, clip: rect)
        grid.put(" " + title + " ", x: rect.x + 2, y: rect.y, style: focused ? ctx.theme[.focus] : ctx.theme[.title], clip: rect)
        return rect.splitTop(1).1
    }
}

/// A pane's message when it has nothing to show yet.
enum Placeholder {
    static func draw(_ text: String, into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        for (i, line) in Wrap.lines(text, width: rect.width).prefix(rect.height).enumerated() {
            grid.put(line, x: rect.x, y: rect.y + i, style: ctx.theme[.dim], clip: rect)
        }
    }
}

/// Word-free hard wrapping by display columns (the REPL's scrollback and long messages).
enum Wrap {
    static func lines(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var out: [String] = []
        for logical in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = "", col = 0
            for ch in logical {
                let w = CharWidth.of(ch)
                if col + w > width {
                    out.append(line)
                    line = ""
                    col = 0
                }
                line.append(ch)
                col += w
            }
            out.append(line)
        }
        return out
    }
}
