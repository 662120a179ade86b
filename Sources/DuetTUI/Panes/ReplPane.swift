/// The REPL pane: scrollback above, the editor's lines at the bottom. Returns where the
/// terminal cursor goes. `scroll` lines back from the bottom (PgUp/PgDn) when looking back.
struct ReplPane {
    static func draw(_ scrollback: Scrollback, editor: (lines: [String], cursorLine: Int, cursorColumn: Int)?, scroll: Int,
                     into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) -> (x: Int, y: Int)? {
        guard !rect.isEmpty else { return nil }
        var rows: [(String, Role)] = []
        for line in scrollback.lines.suffix(rect.height + max(0, scroll) + 50) {
            rows += Wrap.lines(line.text, width: rect.width).map { ($0, line.role) }
        }
        var editorRows: [String] = []
        var cursorRow = 0, cursorCol = 0
        if let editor {
            for (i, line) in editor.lines.enumerated() {
                let wrapped = Wrap.lines(line, width: rect.width)
                if i == editor.cursorLine {
                    cursorRow = editorRows.count + editor.cursorColumn / rect.width
                    cursorCol = editor.cursorColumn % rect.width
                }
                editorRows += wrapped
            }
        }
        let all = rows + editorRows.map { ($0, Role.input) }
        let end = max(0, all.count - max(0, scroll))
        let visible = all[max(0, end - rect.height)..<end]
        for (i, (text, role)) in visible.enumerated() {
            let y = rect.y + i
            if role == .input, text.hasPrefix(">>> ") || text.hasPrefix("... ") {
                grid.put(String(text.prefix(4)), x: rect.x, y: y, style: ctx.theme[.prompt], clip: rect)
                grid.put(String(text.dropFirst(4)), x: rect.x + 4, y: y, style: ctx.theme[.input], clip: rect)
            } else {
                grid.put(text, x: rect.x, y: y, style: ctx.theme[role], clip: rect)
            }
        }
        guard editor != nil, scroll <= 0 else { return nil }
        let top = all.count - visible.count
        let y = rect.y + rows.count + cursorRow - top
        return y >= rect.y && y < rect.maxY ? (rect.x + min(cursorCol, rect.width - 1), y) : nil
    }
}
