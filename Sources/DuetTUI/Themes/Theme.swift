/// What each part of the screen is drawn with. Every role must be given by a theme file.
public enum Role: String, CaseIterable, Sendable {
    case text, dim, accent, border, focus, title, prompt, input, output, error, status, key, selection, axis, warning
}

/// A colour theme: a style per role and the colours of the curve series, in order.
public struct Theme: Sendable {
    public let name: String
    public let styles: [Role: Style]
    public let series: [TermColor]

    public init(name: String, styles: [Role: Style], series: [TermColor]) {
        self.name = name
        self.styles = styles
        self.series = series.isEmpty ? [.default] : series
    }

    public subscript(_ role: Role) -> Style { styles[role] ?? .plain }

    public func seriesStyle(_ i: Int) -> Style { Style(fg: series[i % series.count]) }

    /// The theme reduced to what the terminal shows. Without colour, roles that relied on a
    /// background (status line, selection) are drawn reversed so they stay visible.
    public func adapted(to depth: ColorDepth) -> Theme {
        func reduce(_ c: TermColor) -> TermColor {
            switch (depth, c) {
            case (.none, _): return .default
            case (.eight, .indexed(let i)): return .indexed(Palette.nearest8(i))
            default: return c
            }
        }
        var styles: [Role: Style] = [:]
        for (role, s) in self.styles {
            var t = s
            if depth == .none && s.bg != .default { t.reverse = true }
            t.fg = reduce(s.fg)
            t.bg = reduce(s.bg)
            styles[role] = t
        }
        return Theme(name: name, styles: styles, series: series.map(reduce))
    }

    /// Used when no theme file can be found (e.g. the binary was copied elsewhere): plain
    /// terminal colours with a few attributes.
    public static let fallback = Theme(
        name: "fallback",
        styles: Dictionary(uniqueKeysWithValues: Role.allCases.map { role -> (Role, Style) in
            switch role {
            case .title, .focus, .prompt, .key: return (role, Style(bold: true))
            case .dim, .axis, .border: return (role, Style(dim: true))
            case .status, .selection: return (role, Style(reverse: true))
            case .error, .warning: return (role, Style(bold: true, underline: true))
            default: return (role, .plain)
            }
        }),
        series: [.default])
}
