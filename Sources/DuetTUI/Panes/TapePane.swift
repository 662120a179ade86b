import DuetTensor
/// The tape / graph pane: in eager mode the last step's tape (op, input shapes with `*` where a
/// gradient is needed, outputs, saved bytes); for a compiled function its graph with fused
/// groups marked, buffer offsets and the passes' reports. Scrolls with Up/Down/PgUp/PgDn.
public struct TapePane: Sendable {
    public enum Content: Sendable, Equatable {
        case empty
        case tape(TapeView)
        case graph(GraphView)
    }

    public var content: Content = .empty
    public var scroll = 0
    public init() {}

    var title: String {
        switch content {
        case .graph(let g): return "Graph \(g.name)"
        default: return "Tape"
        }
    }

    /// The pane's text, one entry per line, with the style role of each.
    func lines(_ ctx: RenderContext) -> [(String, Role)] {
        switch content {
        case .empty:
            return []
        case .tape(let view):
            let header = ["#", "op", "inputs (* grad)", "outputs", "saved"]
            let rows = view.lines.map { r in
                ["\(r.index)", r.op,
                 r.inputShapes.enumerated().map { i, s in shapeString(s) + ((i < r.inputNeedsGrad.count && r.inputNeedsGrad[i]) ? "*" : "") }.joined(separator: " "),
                 r.outputShapes.map { shapeString($0) }.joined(separator: " "), Allocator.describe(r.savedBytes)]
            }
            let total = view.lines.reduce(0) { $0 + $1.savedBytes }
            return [("step \(view.step): \(view.lines.count) ops, \(Allocator.describe(total)) saved for backward", .dim)]
                + Table.format([header] + rows, rightAligned: [0, 4]).enumerated().map { ($1, $0 == 0 ? .title : .text) }
        case .graph(let g):
            let groups = Set(g.nodes.compactMap(\.group)).count
            var out: [(String, Role)] = [("\(g.nodes.count) nodes, \(groups) fused groups, arena \(Allocator.describe(g.arenaBytes))", .dim)]
            let bar = ctx.unicode ? "┃" : "|"
            let rows = g.nodes.map { n in
                [(n.group.map { "\(bar)g\($0)" } ?? ""), "%\(n.id)", n.op, shapeString(n.shape),
                 n.inputs.map { "%\($0)" }.joined(separator: " "), n.offset.map { "@\($0)" } ?? "", Allocator.describe(n.bytes)]
            }
            out += Table.format([["group", "id", "op", "shape", "inputs", "offset", "bytes"]] + rows, rightAligned: [5, 6])
                .enumerated().map { ($1, $0 == 0 ? .title : (rows[$0 - 1][0].isEmpty ? .text : .accent)) }
            if !g.passReports.isEmpty {
                out.append(("passes:", .title))
                out += g.passReports.map { ("  " + $0, .text) }
            }
            return out
        }
    }

    public func draw(into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        guard content != .empty else {
            Placeholder.draw("No tape yet: run a training step (backward) or fit(...); :graph NAME shows a compiled function.", into: &grid, rect, ctx)
            return
        }
        let all = lines(ctx)
        let first = min(max(0, scroll), max(0, all.count - rect.height))
        for (i, (text, role)) in all.dropFirst(first).prefix(rect.height).enumerated() {
            grid.put(text, x: rect.x, y: rect.y + i, style: ctx.theme[role], clip: rect)
        }
    }

    mutating func handle(_ key: Key, pageRows: Int) -> Bool {
        switch key {
        case .up: scroll = max(0, scroll - 1)
        case .down: scroll += 1
        case .pageUp: scroll = max(0, scroll - max(1, pageRows))
        case .pageDown: scroll += max(1, pageRows)
        case .home: scroll = 0
        default: return false
        }
        return true
    }
}

/// Columns padded to their widest cell, two spaces apart.
enum Table {
    static func format(_ rows: [[String]], rightAligned: Set<Int> = []) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in rows.map { c < $0.count ? CharWidth.of($0[c]) : 0 }.max() ?? 0 }
        return rows.map { row in
            var line = row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - CharWidth.of(cell))
                return rightAligned.contains(c) ? pad + cell : cell + pad
            }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
    }
}
