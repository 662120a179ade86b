import DuetTensor
import Foundation

/// One row of the kernel table (a copy of the profiler's row).
public struct ProfileLine: Sendable, Equatable, Codable {
    public var name: String
    public var calls: Int
    public var selfMs: Double
    public var percent: Double
    public var gflops: Double?

    public init(name: String, calls: Int, selfMs: Double, percent: Double, gflops: Double?) {
        self.name = name
        self.calls = calls
        self.selfMs = selfMs
        self.percent = percent
        self.gflops = gflops
    }
}

/// The profile of one window (the last tick's, or the last command's): top kernels by self
/// time and the memory peak with the op that reached it.
public struct ProfileView: Sendable, Equatable, Codable {
    public var label: String
    public var lines: [ProfileLine]
    public var peakBytes: Int
    public var peakOwner: String?

    public init(label: String, lines: [ProfileLine], peakBytes: Int, peakOwner: String?) {
        self.label = label
        self.lines = lines
        self.peakBytes = peakBytes
        self.peakOwner = peakOwner
    }
}

/// Eager and graph runs of the same function, for side by side display after `compare`.
public struct ProfileComparison: Sendable, Equatable, Codable {
    public var name: String
    public var eager: ProfileView
    public var graph: ProfileView
    public var eagerMsPerStep: Double
    public var graphMsPerStep: Double

    public init(name: String, eager: ProfileView, graph: ProfileView, eagerMsPerStep: Double, graphMsPerStep: Double) {
        self.name = name
        self.eager = eager
        self.graph = graph
        self.eagerMsPerStep = eagerMsPerStep
        self.graphMsPerStep = graphMsPerStep
    }
}

/// Top kernels by self time (calls, ms, %, GFLOP/s), the memory peak and its owner; after a
/// comparison, eager and graph side by side.
public struct ProfilePane: Sendable {
    public enum Content: Sendable, Equatable {
        case empty
        case single(ProfileView)
        case comparison(ProfileComparison)
    }

    public var content: Content = .empty
    public init() {}

    public func draw(into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        switch content {
        case .empty:
            Placeholder.draw("No profile yet: the workbench profiles every command it runs.", into: &grid, rect, ctx)
        case .single(let view):
            Self.draw(view, into: &grid, rect, ctx)
        case .comparison(let c):
            let speedup = c.graphMsPerStep > 0 ? c.eagerMsPerStep / c.graphMsPerStep : 0
            grid.put(String(format: "%@: eager %.3f ms/step, graph %.3f ms/step (%.2f×)", c.name, c.eagerMsPerStep, c.graphMsPerStep, speedup),
                     x: rect.x, y: rect.y, style: ctx.theme[.accent], clip: rect)
            let body = rect.splitTop(1).1
            let (left, right) = body.splitLeft(body.width / 2)
            Self.draw(c.eager, into: &grid, Rect(x: left.x, y: left.y, width: left.width - 1, height: left.height), ctx)
            Self.draw(c.graph, into: &grid, right, ctx)
        }
    }

    static func draw(_ view: ProfileView, into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        guard !rect.isEmpty else { return }
        let peak = "peak " + Allocator.describe(view.peakBytes) + (view.peakOwner.map { " in " + $0 } ?? "")
        grid.put(view.label + " · " + peak, x: rect.x, y: rect.y, style: ctx.theme[.dim], clip: rect)
        let rows = view.lines.map { l in
            [l.name, "\(l.calls)", String(format: "%.3f", l.selfMs), String(format: "%.1f", l.percent), l.gflops.map { String(format: "%.1f", $0) } ?? "-"]
        }
        let text = Table.format([["kernel", "calls", "ms", "%", "GFLOP/s"]] + rows, rightAligned: [1, 2, 3, 4])
        for (i, line) in text.prefix(rect.height - 1).enumerated() {
            grid.put(line, x: rect.x, y: rect.y + 1 + i, style: i == 0 ? ctx.theme[.title] : ctx.theme[.text], clip: rect)
        }
    }
}
