import Foundation
import Testing
@testable import DuetScript
@testable import DuetTUI

/// The workbench over ranks without MPI: which of a rank's lines are shown beside rank 0's, the
/// ranks pane's arithmetic and layout, its key, `:restart`, and the messages on the wire. The
/// real thing (mpirun, two ranks, tmux) is `EndToEndTests.workbenchOverTwoRanks`.
@Suite struct RanksViewTests {
    @Test func identicalOutputShowsNothingAndDifferencesShowInOrder() {
        let zero = ["hello", "loss 0.5", "done"]
        #expect(RankOutputDiff.extraLines(zero, comparedWith: zero).isEmpty)
        #expect(RankOutputDiff.extraLines(["hello", "rank 1 only", "loss 0.5", "done"], comparedWith: zero) == ["rank 1 only"])
        #expect(RankOutputDiff.extraLines(["hello", "loss 0.7", "done"], comparedWith: zero) == ["loss 0.7"])
        #expect(RankOutputDiff.extraLines(["a", "b"], comparedWith: []) == ["a", "b"])
        #expect(RankOutputDiff.extraLines(["b", "a"], comparedWith: ["a", "b"]).count == 1)
        // Past the table's limit, lines compare by position.
        #expect(RankOutputDiff.extraLines(["x", "b", "c"], comparedWith: ["a", "b"], limit: 1) == ["x", "c"])
    }

    @Test func progressLinesCountAsTheirLastState() {
        #expect(RankOutputDiff.lines("\rEpoch 1 [=  ]\rEpoch 1 [===]\nnext\n") == ["Epoch 1 [===]", "next"])
        #expect(RankOutputDiff.lines("") == [])
    }

    @Test func activitySplitsKernelTimeIntoComputeCommunicationAndWaiting() {
        var a = RankActivity()
        a.wallNs = 10_000_000
        a.kernelNs = 8_000_000
        a.collectiveNs = 3_000_000
        a.waitNs = 1_000_000
        a.bytes = 4_000_000
        a.steps = 2
        a.calls = 4
        #expect(a.computeNs == 5_000_000)
        #expect(a.communicationNs == 2_000_000)
        // Waiting outside ops (parameter-server messages) can exceed the collectives' time.
        var p = a
        p.waitNs = 6_000_000
        #expect(p.communicationNs == 0)
        var sum = a
        sum.add(a)
        #expect(sum.wallNs == 20_000_000 && sum.steps == 4 && sum.bytes == 8_000_000 && sum.calls == 8)
        #expect(RanksPane.row(1, a) == ["1", "5.00", "50%", "20%", "10%", "1.9 MB", "4"])
        #expect(RanksPane.row(0, RankActivity()) == ["0", "-", "-", "-", "-", "-", "0"])
    }

    @Test func theRanksPaneListsEveryRankWithABar() throws {
        var pane = RanksPane(ranks: 2)
        pane.activity[0].wallNs = 10_000_000
        pane.activity[0].kernelNs = 10_000_000
        pane.activity[0].steps = 1
        pane.label = "last command"
        var grid = Grid(width: 80, height: 4)
        pane.draw(into: &grid, grid.bounds, try Fixture.context())
        #expect(grid.row(0).hasPrefix("2 ranks · last command"))
        #expect(grid.row(1).contains("rank  ms/step  compute"))
        #expect(grid.row(2).hasPrefix("0") && grid.row(2).contains("100%") && grid.row(2).contains("█"))
        #expect(grid.row(3).hasPrefix("1") && !grid.row(3).contains("█"))
    }

    @Test func wideLayoutsGiveTheRanksPaneOneRowPerRank() {
        let plain = Layout.compute(width: 160, height: 48, focus: .repl, zoomed: false)
        #expect(plain.panes[.ranks] == nil)
        let over = Layout.compute(width: 160, height: 48, focus: .repl, zoomed: false, ranks: 3)
        #expect(over.panes[.ranks]?.height == 6)
        #expect(over.panes[.profile] != nil && over.panes[.tape] != nil && over.panes[.curves] != nil)
        let narrow = Layout.compute(width: 80, height: 24, focus: .ranks, zoomed: false, ranks: 2)
        #expect(narrow.panes[.ranks] != nil && narrow.note?.contains("F6") == true)
    }

    @Test func f6AndRestartExistOnlyOverRanks() throws {
        let bench = Workbench(context: try Fixture.context(), editor: LineEditor(history: MemoryHistory()) { _ in Completion(prefix: "", candidates: []) })
        #expect(!bench.handleNavigation(.function(6)))
        #expect(!bench.focus(named: "ranks"))
        bench.ranks = RanksPane(ranks: 2)
        #expect(bench.handleNavigation(.function(6)) && bench.focus == .ranks)
        let frame = bench.render(width: 160, height: 48)
        #expect((0..<48).contains { frame.grid.row($0).contains("Ranks  F6") })
        #expect(frame.grid.row(47).contains("EAGER × 2 RANKS") && frame.grid.row(47).contains("F6 ranks"))
        #expect(WorkbenchCommand.parse(":restart") == .success(.restart))
    }

    @Test func curvePointsArriveAsTails() {
        let start = [CurveSeries(name: "loss", steps: [0, 1], values: [1, 0.5])]
        let more = CurveTail(reset: false, series: [CurveSeries(name: "loss", steps: [2], values: [0.25]),
                                                   CurveSeries(name: "acc", steps: [0], values: [0.9])])
        #expect(more.appended(to: start) == [CurveSeries(name: "loss", steps: [0, 1, 2], values: [1, 0.5, 0.25]),
                                             CurveSeries(name: "acc", steps: [0], values: [0.9])])
        let over = CurveTail(reset: true, series: [CurveSeries(name: "acc", steps: [0], values: [0.1])])
        #expect(over.appended(to: start) == over.series)
    }

    @Test func messagesSurviveTheWire() throws {
        var sample = EngineProbe.Sample()
        sample.tape = TapeView(lines: [TapeLine(index: 1, op: "matmul", inputShapes: [[2, 3], [3, 4]], inputNeedsGrad: [false, true],
                                                outputShapes: [[2, 4]], savedBytes: 24)], step: 7)
        sample.curves = [CurveSeries(name: "loss", steps: [0, 1], values: [0.5, 0.25])]
        sample.activity.steps = 3
        let update = RankUpdate(output: "line\n", sample: sample,
                                finished: RankResult(id: 4, error: "boom", completion: Completion(prefix: "mo", candidates: ["model"])))
        let decoded = try JSONDecoder().decode(RankUpdate.self, from: JSONEncoder().encode(update))
        #expect(decoded.output == "line\n")
        #expect(decoded.sample?.tape == sample.tape && decoded.sample?.curves == sample.curves && decoded.sample?.activity.steps == 3)
        #expect(decoded.finished?.id == 4 && decoded.finished?.error == "boom" && decoded.finished?.completion?.candidates == ["model"])
        let cell = NotebookCursor(file: "nb.duet", text: "# %% one\nx = 1\n").cells[0]
        let envelope = try JSONDecoder().decode(RankEnvelope.self, from: JSONEncoder().encode(RankEnvelope(id: 2, request: .cell(cell))))
        guard case .cell(let back) = envelope.request else { Issue.record("not a cell: \(envelope.request)"); return }
        #expect(back == cell && back.file == "nb.duet" && envelope.id == 2)
    }
}
