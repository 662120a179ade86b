import DuetScript
import Foundation

/// The workbench over ranks (`duet -n N`, issue #18; docs/language.md, "The workbench over
/// ranks"): every input runs on every rank. Rank 0's output streams into the REPL and its
/// engine fills the curves, tape and profile panes, as in one process; the other ranks' output
/// is shown only where it differs from rank 0's, and the ranks pane shows where each rank's
/// time went.
extension WorkbenchApp {
    /// Sends `request` to every rank and keeps the panes live until each has answered; returns
    /// the ranks' reports (`:time`), rank 0's first and the others' where they differ.
    @discardableResult
    func onRanks(_ request: RankRequest) -> [String] {
        guard let cluster = runningCluster() else { return [] }
        bench.editorVisible = false
        bench.status.busy = true
        let rowsBefore = bench.ranks
        let id = cluster.send(request)
        var results: [Int: RankResult] = [:]
        var outputs = Array(repeating: "", count: cluster.size)
        var interrupts = 0
        while results.count < cluster.size {
            for event in cluster.takeEvents() {
                switch event {
                case .update(let rank, let update):
                    if let text = update.output {
                        outputs[rank] += text
                        if rank == 0 { bench.scrollback.write(text) }
                    }
                    if let sample = update.sample {
                        if rank == 0 { apply(sample) }
                        if sample.activity.wallNs > 0 {
                            bench.ranks?.activity[rank] = sample.activity
                            bench.ranks?.label = "last 100 ms"
                        }
                    }
                    if let result = update.finished, result.id == id { results[rank] = result }
                case .closed(let rank):
                    if results[rank] == nil { results[rank] = RankResult(id: id, error: "rank \(rank) ended before it finished") }
                }
            }
            showLauncherOutput()
            guard cluster.isRunning || results.count == cluster.size else {
                bench.scrollback.append(cluster.endedNote, role: .error)
                break
            }
            // Ctrl-C stops every rank at its next collective; a second one also ends waits at
            // collectives; a third stops waiting here for ranks that still do not answer.
            guard interrupts < 3 else {
                let waiting = (0..<cluster.size).filter { results[$0] == nil }.map(String.init).joined(separator: ", ")
                bench.scrollback.append("stopped waiting for rank \(waiting): still in the command; :restart starts new ranks", role: .error)
                break
            }
            redraw()
            readKeysWhileBusy(timeoutMs: 20) {
                interrupts += 1
                cluster.send(.interrupt)
            }
        }
        return show(results, outputs: outputs, rowsBefore: rowsBefore)
    }

    /// Errors, the other ranks' differing output, the ranks pane, the graph: once every rank answered.
    private func show(_ results: [Int: RankResult], outputs: [String], rowsBefore: RanksPane?) -> [String] {
        let reference = RankOutputDiff.lines(outputs[0])
        let firstError = results[0]?.error
        if let firstError { bench.scrollback.append(firstError, role: .error) }
        for rank in 1..<max(1, outputs.count) {
            for line in RankOutputDiff.extraLines(RankOutputDiff.lines(outputs[rank]), comparedWith: reference) {
                bench.scrollback.append(Self.labelled(rank, line), role: .output)
            }
            if let error = results[rank]?.error, error != firstError { bench.scrollback.append(Self.labelled(rank, error), role: .error) }
        }
        // A command that neither trained nor communicated (printing a value) keeps the last one's rows.
        let all = results.sorted { $0.key < $1.key }.map(\.value)
        if all.count == outputs.count, all.contains(where: { $0.activity.steps > 0 || $0.activity.calls > 0 }) {
            bench.ranks?.activity = all.map(\.activity)
            bench.ranks?.label = "last command"
        } else {
            bench.ranks = rowsBefore
        }
        finishCommand(graph: results[0]?.graph, comparison: results[0]?.comparison)
        var texts = results[0]?.text.map { [$0] } ?? []
        for (rank, result) in results.sorted(by: { $0.key < $1.key }) where rank > 0 {
            if let text = result.text, text != results[0]?.text { texts.append(Self.labelled(rank, text)) }
        }
        return texts
    }

    /// Each line of `text` prefixed with its rank, as `duet run -n N` prints other ranks' lines.
    static func labelled(_ rank: Int, _ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { "[rank \(rank)] " + $0 }.joined(separator: "\n")
    }

    /// `:graph NAME` over ranks: rank 0's graph.
    func graphOnRankZero(_ name: String, _ cluster: RankCluster) throws -> GraphView {
        guard let result = cluster.ask(.graph(name: name)) else { throw CommandError(":graph: rank 0 did not answer") }
        if let error = result.error { throw CommandError(error) }
        guard let graph = result.graph else { throw CommandError(":graph: rank 0 sent no graph") }
        return graph
    }

    /// Between commands: what mpirun printed, and the news if the ranks ended.
    func watchRanksWhileIdle() {
        guard let cluster else { return }
        showLauncherOutput()
        _ = cluster.takeEvents()
        if !cluster.isRunning && !ranksEndReported {
            ranksEndReported = true
            bench.scrollback.append(cluster.endedNote, role: .error)
        }
    }

    /// The cluster, started again (with a note) if it has ended.
    private func runningCluster() -> RankCluster? {
        guard let cluster else { return nil }
        if cluster.isRunning { return cluster }
        bench.scrollback.append("starting \(cluster.size) new ranks; the old ones' variables are gone", role: .dim)
        redraw()
        do {
            try cluster.restart()
            ranksEndReported = false
            return cluster
        } catch {
            bench.scrollback.append("\(error)", role: .error)
            return nil
        }
    }

    private func showLauncherOutput() {
        guard let text = cluster?.takeLauncherOutput(), !text.isEmpty else { return }
        for line in RankOutputDiff.lines(text) { bench.scrollback.append("mpirun: " + line, role: .dim) }
    }
}
