import DuetTensor
/// What the status line reports: mode, time per step and peak memory of the last run.
public struct StatusInfo: Sendable, Equatable {
    public var mode = "eager"
    public var msPerStep: Double?
    public var peakBytes: Int?
    public var busy = false
    /// A short message: a layout note, a theme change, an error in a command.
    public var note: String?
    public init() {}
}

/// The bottom line: `EAGER │ running, ^C stops │ 3.21 ms/step │ peak 1.2 MB  F1 help F2 curves …`
/// (`EAGER × 2 RANKS`, and F6 for the ranks pane, over ranks).
enum StatusLine {
    static let keys: [(String, String)] = [("F1", "help"), ("F2", "curves"), ("F3", "tape"), ("F4", "profile"), ("Esc", "REPL"),
                                           ("F5", "cell"), ("^C", "stop"), ("^D", "quit")]

    static func draw(_ info: StatusInfo, ranks: Int = 0, into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        guard !rect.isEmpty else { return }
        grid.fill(rect, ctx.theme[.status])
        let sep = ctx.unicode ? " │ " : " | "
        // Most important first: on a narrow terminal the end is cut off.
        var parts = [info.mode.uppercased() + (ranks > 0 ? " × \(ranks) RANKS" : "")]
        if info.busy { parts.append("running, ^C stops") }
        if let note = info.note { parts.append(note) }
        if let ms = info.msPerStep { parts.append(SeriesMath.label(ms).replacingTrailingZeros() + " ms/step") }
        if let peak = info.peakBytes { parts.append("peak " + Allocator.describe(peak)) }
        var x = grid.put(" " + parts.joined(separator: sep) + "  ", x: rect.x, y: rect.y, style: ctx.theme[.status], clip: rect)
        let keys = ranks > 0 ? Self.keys.prefix(4) + [("F6", "ranks")] + Self.keys.dropFirst(4) : Self.keys[...]
        let keysWidth = keys.reduce(0) { $0 + CharWidth.of($1.0) + CharWidth.of($1.1) + 2 }
        x = max(x, rect.maxX - keysWidth)
        for (key, what) in keys where x + CharWidth.of(key) + CharWidth.of(what) + 1 <= rect.maxX {
            x = grid.put(key, x: x, y: rect.y, style: ctx.theme[.key], clip: rect)
            x = grid.put(" " + what + " ", x: x, y: rect.y, style: ctx.theme[.status], clip: rect)
        }
    }
}

extension String {
    /// `12.5000` → `12.5`.
    func replacingTrailingZeros() -> String {
        guard contains("."), !contains("e") else { return self }
        var s = self
        while s.last == "0" { s.removeLast() }
        if s.last == "." { s.removeLast() }
        return s
    }
}
