import DuetScript

/// What the workbench asks of every rank of `duet -n N` (or of rank 0 alone, for a graph or a
/// completion): the same inputs the single-process workbench runs itself.
enum RankRequest: Codable, Sendable {
    /// A line (or block) typed at the prompt.
    case run(code: String)
    /// A notebook cell (`:next`, F5).
    case cell(NotebookCursor.Cell)
    /// `:time EXPR`.
    case time(expression: String)
    /// `:graph NAME` (rank 0).
    case graph(name: String)
    /// Tab at the prompt (rank 0): the names are the same on every rank.
    case complete(line: String)
    /// `:clear`: the logged series go.
    case clear
    /// Ctrl-C while a command runs; handled by the rank's reader thread.
    case interrupt
    case quit
}

/// A request as sent: numbered, so that a result is never taken for a later request's.
struct RankEnvelope: Codable, Sendable {
    var id: Int
    var request: RankRequest
}

/// What a rank sends back: `hello` once, then for each request progress updates (about every
/// 100 ms while it runs) and one `finished`.
struct RankUpdate: Codable, Sendable {
    /// The first message on a channel: which rank this is.
    var hello: Int?
    /// Output since the last update.
    var output: String?
    /// Rank 0 sends its panes' snapshots; every rank sends its activity.
    var sample: EngineProbe.Sample?
    var finished: RankResult?
}

/// How a request ended on one rank.
struct RankResult: Codable, Sendable {
    /// The envelope's number.
    var id = 0
    var error: String?
    /// `:time`'s report.
    var text: String?
    /// `:graph`'s graph, or the graph of a compiled function the command ran (rank 0).
    var graph: GraphView?
    var completion: Completion?
    /// A `compare` the command made (rank 0).
    var comparison: ProfileComparison?
    /// The whole command's activity.
    var activity = RankActivity()
}

/// Logged points a rank has not sent before, per series; `reset` when the series start over.
struct CurveTail: Codable, Sendable {
    var reset: Bool
    var series: [CurveSeries]

    /// `current` with these points appended.
    func appended(to current: [CurveSeries]) -> [CurveSeries] {
        var merged = reset ? [] : current
        for s in series {
            if let i = merged.firstIndex(where: { $0.name == s.name }) {
                merged[i].steps += s.steps
                merged[i].values += s.values
            } else {
                merged.append(s)
            }
        }
        return merged
    }
}
