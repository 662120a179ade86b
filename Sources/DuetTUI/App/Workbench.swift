/// The workbench's screen state — panes, focus, zoom, scrollback, editor, status — and how it
/// renders into a grid. No terminal and no interpreter here: the app feeds it snapshots and
/// keys, and tests render it at any size.
public final class Workbench {
    public var context: RenderContext
    public var focus: PaneID = .repl
    public var zoomed = false
    public var scrollback = Scrollback()
    public var editor: LineEditor
    /// Hidden while a command runs (the prompt returns when it finishes).
    public var editorVisible = true
    /// Lines scrolled back in the REPL pane (PgUp/PgDn).
    public var replScroll = 0
    public var curves = CurvesPane()
    public var tape = TapePane()
    public var profile = ProfilePane()
    /// Set in a workbench over ranks (`duet -n N`).
    public var ranks: RanksPane?
    public var status = StatusInfo()
    private var lastLayout = Layout()

    public init(context: RenderContext, editor: LineEditor) {
        self.context = context
        self.editor = editor
    }

    /// Draws everything for a `width`×`height` terminal; returns the grid and the cursor.
    public func render(width: Int, height: Int) -> (grid: Grid, cursor: (x: Int, y: Int)?) {
        let theme = context.theme
        var grid = Grid(width: width, height: height, fill: theme[.text])
        let layout = Layout.compute(width: width, height: height, focus: focus, zoomed: zoomed, ranks: ranks?.activity.count ?? 0)
        lastLayout = layout
        guard !layout.status.isEmpty else {
            for (i, line) in Wrap.lines(layout.note ?? "", width: width).prefix(height).enumerated() {
                grid.put(line, x: 0, y: i, style: theme[.warning])
            }
            return (grid, nil)
        }
        var cursor: (x: Int, y: Int)?
        for (id, rect) in layout.panes {
            let focused = id == focus
            switch id {
            case .repl:
                let body = TitleBar.draw("REPL  Esc", into: &grid, rect, focused: focused, context)
                cursor = ReplPane.draw(scrollback, editor: editorVisible ? editor.display() : nil, scroll: replScroll,
                                       into: &grid, body, context)
            case .curves:
                curves.draw(into: &grid, TitleBar.draw("Curves  F2", into: &grid, rect, focused: focused, context), context)
            case .tape:
                tape.draw(into: &grid, TitleBar.draw(tape.title + "  F3", into: &grid, rect, focused: focused, context), context)
            case .profile:
                profile.draw(into: &grid, TitleBar.draw(ranks == nil ? "Profile  F4" : "Profile · rank 0  F4", into: &grid, rect, focused: focused, context), context)
            case .ranks:
                ranks?.draw(into: &grid, TitleBar.draw("Ranks  F6", into: &grid, rect, focused: focused, context), context)
            }
        }
        if let sep = layout.separator {
            for y in sep.y..<sep.maxY { grid.put(String(context.verticalRule), x: sep.x, y: y, style: theme[.border]) }
        }
        var info = status
        if let note = layout.note { info.note = [info.note, note].compactMap { $0 }.joined(separator: "; ") }
        StatusLine.draw(info, ranks: ranks?.activity.count ?? 0, into: &grid, layout.status, context)
        return (grid, focus == .repl || layout.panes[.repl] != nil ? cursor : nil)
    }

    /// F2–F4 (and F6 over ranks) focus a pane (the same key again zooms it), Esc returns to the
    /// REPL, and a focused pane takes its own keys. Returns false for keys the editor should get.
    public func handleNavigation(_ key: Key) -> Bool {
        switch key {
        case .function(let n) where Self.paneKeys[n] != nil && (n != 6 || ranks != nil):
            guard let pane = Self.paneKeys[n] else { return false }
            if focus == pane { zoomed.toggle() } else { focus = pane; zoomed = false }
            return true
        case .escape:
            focus = .repl
            zoomed = false
            return true
        case .pageUp where focus == .repl:
            replScroll += max(1, (lastLayout.panes[.repl]?.height ?? 10) - 2)
            return true
        case .pageDown where focus == .repl:
            replScroll = max(0, replScroll - max(1, (lastLayout.panes[.repl]?.height ?? 10) - 2))
            return true
        default:
            break
        }
        switch focus {
        case .curves: return curves.settings.handle(key)
        case .tape: return tape.handle(key, pageRows: (lastLayout.panes[.tape]?.height ?? 10) - 2)
        default: return false
        }
    }

    /// The function keys that focus panes.
    static let paneKeys: [Int: PaneID] = [2: .curves, 3: .tape, 4: .profile, 6: .ranks]

    /// Focuses a pane by name (`:pane NAME`); `graph` is the tape pane.
    public func focus(named name: String) -> Bool {
        let id = name == "graph" ? PaneID.tape : PaneID(rawValue: name)
        guard let id, id != .ranks || ranks != nil else { return false }
        focus = id
        zoomed = false
        return true
    }
}
