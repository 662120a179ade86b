import Foundation
import Testing
@testable import DuetTUI

@Suite struct PaneRenderingTests {
    @Test func curveWithKnownPointsInBraille() throws {
        var pane = CurvesPane()
        pane.settings.smoothing = 0
        pane.series = [CurveSeries(name: "loss", steps: [0, 1, 2, 3], values: [4, 3, 2, 1])]
        var grid = Grid(width: 40, height: 8)
        pane.draw(into: &grid, grid.bounds, try Fixture.context())
        let lines = grid.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "EMA 0.00 · log-y off · robust off")
        #expect(lines[1] == "━ loss 1.0000")
        // y labels: the top is the largest value, the bottom the smallest.
        #expect(lines[2].hasPrefix("4.0000"))
        #expect(lines[6].hasPrefix("1.0000"))
        #expect(lines[7].contains("step 0") && lines[7].hasSuffix("3"))
        // A falling line: the first dot is top left, the last bottom right.
        let chart = (2...6).map { Array(lines[$0].dropFirst(7)) }
        #expect(chart[0].first.map { $0 != " " } == true)
        #expect(chart[4].last.map { $0 != " " } == true)
        #expect(chart.flatMap { $0 }.allSatisfy { $0 == " " || ("\u{2800}"..."\u{28FF}").contains(String($0)) })
        // Series colour comes from the theme.
        #expect(grid[7, 2].style.fg == (try Fixture.theme()).series[0])
    }

    @Test func curveInASCIIWithTwoSeriesAndLogY() throws {
        var pane = CurvesPane()
        pane.settings = CurvesSettings()
        pane.settings.logY = true
        pane.series = [CurveSeries(name: "a", steps: [0, 10], values: [100, 1]), CurveSeries(name: "b", steps: [0, 10], values: [1, 100])]
        var grid = Grid(width: 40, height: 10)
        pane.draw(into: &grid, grid.bounds, try Fixture.context(unicode: false))
        let text = grid.text
        #expect(text.contains("log-y on"))
        #expect(text.contains("* a 1.0000") && text.contains("+ b 100.0"))
        #expect(text.contains("*") && text.contains("+"))
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
    }

    @Test func emaAndRobustRange() {
        #expect(SeriesMath.ema([1, 1, 1], factor: 0.9) == [1, 1, 1])
        let s = SeriesMath.ema([0, 10], factor: 0.5)
        #expect(abs(s[1] - 20.0 / 3.0) < 1e-9)
        let values = Array(repeating: 1.0, count: 99) + [1000]
        #expect(SeriesMath.range(values, robust: true).upperBound < 2)
        #expect(SeriesMath.range(values, robust: false).upperBound == 1000)
    }

    @Test func tapeListsOpsShapesGradFlagsAndSavedBytes() throws {
        var pane = TapePane()
        pane.content = .tape(TapeView(lines: [
            TapeLine(index: 1, op: "matmul", inputShapes: [[32, 2], [2, 64]], inputNeedsGrad: [false, true], outputShapes: [[32, 64]], savedBytes: 512),
            TapeLine(index: 2, op: "relu", inputShapes: [[32, 64]], inputNeedsGrad: [true], outputShapes: [[32, 64]], savedBytes: 8192),
        ], step: 7))
        var grid = Grid(width: 70, height: 6)
        pane.draw(into: &grid, grid.bounds, try Fixture.context())
        let lines = grid.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "step 7: 2 ops, 8.5 KB saved for backward")
        #expect(lines[1].hasPrefix("#  op      inputs (* grad)"))
        #expect(lines[2] == "1  matmul  [32,2] [2,64]*   [32,64]   512 B")
        #expect(lines[3] == "2  relu    [32,64]*         [32,64]  8.0 KB")
        pane.scroll = 2
        var scrolled = Grid(width: 70, height: 2)
        pane.draw(into: &scrolled, scrolled.bounds, try Fixture.context())
        #expect(scrolled.row(0).hasPrefix("1  matmul"))
    }

    @Test func graphMarksFusedGroupsOffsetsAndPassReports() throws {
        var pane = TapePane()
        pane.content = .graph(GraphView(name: "step", nodes: [
            .init(id: 0, op: "matmul", inputs: [], shape: [32, 64], offset: 0, bytes: 8192),
            .init(id: 1, op: "add", inputs: [0], shape: [32, 64], group: 1, offset: 8192, bytes: 8192),
            .init(id: 2, op: "relu", inputs: [1], shape: [32, 64], group: 1, offset: 8192, bytes: 8192),
        ], arenaBytes: 16384, passReports: ["fuse: 2 ops into 1 group", "plan: arena 16.0 KB"]))
        #expect(pane.title == "Graph step")
        var grid = Grid(width: 70, height: 10)
        pane.draw(into: &grid, grid.bounds, try Fixture.context())
        let lines = grid.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "3 nodes, 1 fused groups, arena 16.0 KB")
        #expect(lines[2].contains("%0") && lines[2].contains("matmul") && lines[2].contains("@0"))
        #expect(lines[3].hasPrefix("┃g1") && lines[3].contains("@8192") && lines[3].contains("%0"))
        #expect(lines[5] == "passes:")
        #expect(lines[6] == "  fuse: 2 ops into 1 group")
    }

    @Test func profileTableAndComparison() throws {
        let view = ProfileView(label: "last command", lines: [
            ProfileLine(name: "matmul", calls: 10, selfMs: 1.5, percent: 75, gflops: 12.25),
            ProfileLine(name: "relu", calls: 10, selfMs: 0.5, percent: 25, gflops: nil),
        ], peakBytes: 2048, peakOwner: "backward of relu mul")
        var pane = ProfilePane()
        pane.content = .single(view)
        var grid = Grid(width: 60, height: 5)
        pane.draw(into: &grid, grid.bounds, try Fixture.context())
        let lines = grid.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "last command · peak 2.0 KB in backward of relu mul")
        #expect(lines[1] == "kernel  calls     ms     %  GFLOP/s")
        #expect(lines[2] == "matmul     10  1.500  75.0     12.2")
        #expect(lines[3] == "relu       10  0.500  25.0        -")

        var graph = view
        graph.label = "graph"
        graph.lines = [ProfileLine(name: "fused(add,relu)", calls: 10, selfMs: 0.2, percent: 100, gflops: nil)]
        pane.content = .comparison(ProfileComparison(name: "step", eager: view, graph: graph, eagerMsPerStep: 2, graphMsPerStep: 1))
        var wide = Grid(width: 100, height: 6)
        pane.draw(into: &wide, wide.bounds, try Fixture.context())
        let rows = wide.text.split(separator: "\n").map(String.init)
        #expect(rows[0] == "step: eager 2.000 ms/step, graph 1.000 ms/step (2.00×)")
        #expect(rows[3].hasPrefix("matmul") && rows[3].contains("fused(add,relu)"))
    }

    @Test func workbenchRendersAtEverySizeWithoutDrawingOutside() throws {
        let bench = Workbench(context: try Fixture.context(), editor: LineEditor(history: MemoryHistory()) { _ in .init(prefix: "", candidates: []) })
        bench.scrollback.append(String(repeating: "long output ", count: 30), role: .output)
        bench.curves.series = [CurveSeries(name: "loss", steps: Array(0..<100), values: (0..<100).map { 1 / Double($0 + 1) })]
        for (w, h) in [(0, 0), (1, 1), (5, 2), (19, 30), (20, 4), (30, 6), (40, 14), (60, 20), (80, 24), (89, 40), (90, 15), (200, 60)] {
            for zoomed in [false, true] {
                bench.focus = .curves
                bench.zoomed = zoomed
                let frame = bench.render(width: w, height: h)
                #expect(frame.grid.width == w && frame.grid.height == h)
                if w < Layout.minimumWidth || h < Layout.minimumHeight, w > 0, h > 0 {
                    #expect(frame.grid.row(0) == String("terminal too small".padding(toLength: 40, withPad: " ", startingAt: 0).prefix(w)))
                }
                if let c = frame.cursor { #expect(c.x < w && c.y < h) }
            }
        }
        bench.focus = .repl
        bench.zoomed = false
        let small = bench.render(width: 30, height: 8).grid.text
        #expect(small.contains("small: panes hidden"))
        let tiny = bench.render(width: 25, height: 3).grid.text
        #expect(tiny.hasPrefix("terminal too small (25×3)"))
    }

    @Test func noColorLeavesOnlyAttributes() throws {
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": "1"]) == .none)
        #expect(ColorDepth.detect(colors: 256, environment: ["NO_COLOR": ""]) == .full256)
        #expect(ColorDepth.detect(colors: 8, environment: [:]) == .eight)
        let bench = Workbench(context: try Fixture.context(depth: .none), editor: LineEditor(history: MemoryHistory()) { _ in .init(prefix: "", candidates: []) })
        bench.curves.series = [CurveSeries(name: "loss", steps: [0, 1], values: [1, 0])]
        let grid = bench.render(width: 120, height: 30).grid
        #expect(grid.cells.allSatisfy { $0.style.fg == .default && $0.style.bg == .default })
        // The status line stays visible, reversed.
        #expect(grid[0, 29].style.reverse)
    }

    @Test func eightColourTerminalsGetBasicColours() throws {
        let theme = try Fixture.theme().adapted(to: .eight)
        for role in Role.allCases {
            for c in [theme[role].fg, theme[role].bg] {
                if case .indexed(let i) = c { #expect(i < 8) }
            }
        }
    }

    @Test func statusLineShowsModeTimingPeakAndKeys() throws {
        var info = StatusInfo()
        info.msPerStep = 3.25
        info.peakBytes = 1536
        var grid = Grid(width: 140, height: 1)
        StatusLine.draw(info, into: &grid, grid.bounds, try Fixture.context())
        let text = grid.row(0)
        #expect(text.hasPrefix(" EAGER │ 3.25 ms/step │ peak 1.5 KB"))
        #expect(text.contains("F1 help F2 curves F3 tape F4 profile Esc REPL F5 cell ^C stop ^D quit"))
    }

    @Test func scrollbackHandlesCarriageReturnsAndEscapes() {
        var s = Scrollback()
        s.write("\rEpoch 1/2 [==  ] 1/4")
        s.write("\rEpoch 1/2 [====] 4/4")
        s.write("\r\u{1B}[KEpoch 1/2: loss 0.5000\n")
        s.write("done")
        s.write(" twice\n")
        #expect(s.lines.map(\.text) == ["Epoch 1/2: loss 0.5000", "done twice"])
    }
}
