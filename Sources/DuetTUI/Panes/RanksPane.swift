import DuetTensor
import Foundation

/// The ranks of `duet -n N` side by side (issue #18): each rank's time per step and where it
/// went — compute (kernels), communication (moving data), waiting for other ranks — as shares
/// of the wall time, the bytes it moved per step, and a bar of the three. While a command runs
/// the rows show the last 100 ms; afterwards, the whole command.
public struct RanksPane: Sendable {
    public var activity: [RankActivity]
    public var label = "no command yet"

    public init(ranks: Int) { activity = Array(repeating: RankActivity(), count: ranks) }

    public func draw(into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        guard !rect.isEmpty else { return }
        grid.put("\(activity.count) ranks · \(label) · share of wall time", x: rect.x, y: rect.y, style: ctx.theme[.dim], clip: rect)
        let rows = activity.enumerated().map { rank, a in Self.row(rank, a) }
        let text = Table.format([["rank", "ms/step", "compute", "comm", "wait", "bytes/step", "calls"]] + rows, rightAligned: [1, 2, 3, 4, 5, 6])
        for (i, line) in text.prefix(rect.height - 1).enumerated() {
            let y = rect.y + 1 + i
            let end = grid.put(line, x: rect.x, y: y, style: i == 0 ? ctx.theme[.title] : ctx.theme[.text], clip: rect)
            guard i > 0 else { continue }
            Self.bar(activity[i - 1], into: &grid, Rect(x: end + 2, y: y, width: rect.maxX - end - 2, height: 1), ctx)
        }
    }

    static func row(_ rank: Int, _ a: RankActivity) -> [String] {
        func share(_ ns: UInt64) -> String { a.wallNs > 0 ? String(format: "%.0f%%", 100 * Double(ns) / Double(a.wallNs)) : "-" }
        let perStep = a.steps > 0 ? String(format: "%.2f", Double(a.wallNs) / 1e6 / Double(a.steps)) : "-"
        let bytes = a.steps > 0 ? Allocator.describe(a.bytes / a.steps) : "-"
        return ["\(rank)", perStep, share(a.computeNs), share(a.communicationNs), share(a.waitNs), bytes, "\(a.calls)"]
    }

    /// `███▒▒░` — compute, communication, waiting, in proportion to the wall time.
    static func bar(_ a: RankActivity, into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        guard rect.width >= 4, a.wallNs > 0 else { return }
        let marks: [Character] = ctx.unicode ? ["█", "▒", "░"] : ["#", "=", "."]
        let styles = [ctx.theme[.accent], ctx.theme[.prompt], ctx.theme[.dim]]
        var x = rect.x
        for (k, ns) in [a.computeNs, a.communicationNs, a.waitNs].enumerated() {
            let cells = min(rect.maxX - x, Int((Double(ns) / Double(a.wallNs) * Double(rect.width)).rounded()))
            guard cells > 0 else { continue }
            x = grid.put(String(repeating: marks[k], count: cells), x: x, y: rect.y, style: styles[k], clip: rect)
        }
    }
}
