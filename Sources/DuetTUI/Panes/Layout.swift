/// The panes of the workbench.
public enum PaneID: String, CaseIterable, Sendable {
    case repl, curves, tape, profile
    /// Only in a workbench over ranks (`duet -n N`).
    case ranks
}

/// Where each pane goes for a terminal size. Wide: the REPL on the left and the three live
/// panes stacked on the right; narrow: one live pane above the REPL; small: the REPL alone,
/// with a note; tiny: only a note. A zoomed pane takes the whole body. Over N ranks, the wide
/// layout puts a ranks pane of N rows above the profile.
public struct Layout: Equatable, Sendable {
    public var panes: [PaneID: Rect] = [:]
    public var status = Rect(x: 0, y: 0, width: 0, height: 0)
    /// A vertical separator between the REPL and the live panes, if any.
    public var separator: Rect?
    public var note: String?

    public static let minimumWidth = 20
    public static let minimumHeight = 4

    public static func compute(width: Int, height: Int, focus: PaneID, zoomed: Bool, ranks: Int = 0) -> Layout {
        var layout = Layout()
        guard width >= minimumWidth, height >= minimumHeight else {
            layout.note = "terminal too small (\(width)×\(height)); enlarge it"
            return layout
        }
        let (body, status) = Rect(x: 0, y: 0, width: width, height: height).splitTop(height - 1)
        layout.status = status
        if zoomed {
            layout.panes[focus] = body
            return layout
        }
        let live = focus == .repl ? PaneID.curves : focus
        if width >= 90 && body.height >= 15 {
            let (left, rest) = body.splitLeft(max(40, width / 2))
            let (sep, right) = rest.splitLeft(1)
            layout.panes[.repl] = left
            layout.separator = sep
            let (curves, lower) = right.splitTop(right.height * 2 / 5)
            let (tape, bottom) = lower.splitTop(lower.height / 2)
            layout.panes[.curves] = curves
            layout.panes[.tape] = tape
            if ranks > 0 {
                let (ranksPane, profile) = bottom.splitTop(min(ranks + 3, bottom.height / 2))
                layout.panes[.ranks] = ranksPane
                layout.panes[.profile] = profile
            } else {
                layout.panes[.profile] = bottom
            }
        } else if body.height >= 14 && width >= 40 {
            let (top, bottom) = body.splitTop(body.height / 2)
            layout.panes[live] = top
            layout.panes[.repl] = bottom
            layout.note = ranks > 0 ? "narrow: F2-F4, F6 choose the pane shown" : "narrow: F2-F4 choose the pane shown"
        } else {
            layout.panes[focus == .repl ? .repl : focus] = body
            layout.note = ranks > 0 ? "small: panes hidden, F2-F4, F6 show one" : "small: panes hidden, F2-F4 show one"
        }
        return layout
    }
}
