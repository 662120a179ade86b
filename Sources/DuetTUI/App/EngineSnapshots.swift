import DuetGraph
import DuetTensor

/// The panes' values made from the engine's: a profile recording as a kernel table, a compiled
/// graph as the graph pane's rows, a `compare` as eager and graph side by side.
extension ProfileView {
    init(_ recording: ProfileRecording, label: String) {
        self.init(ProfileTable(recording, limit: 12), MemoryTimeline(recording), label: label)
    }

    init(_ table: ProfileTable, _ memory: MemoryTimeline, label: String) {
        self.init(
            label: label,
            lines: table.rows.map { ProfileLine(name: $0.name, calls: $0.calls, selfMs: Double($0.selfNs) / 1e6, percent: $0.percent, gflops: $0.gflopsPerSecond) },
            peakBytes: memory.peakBytes, peakOwner: memory.peakOwner.map { ($0.scopes.last.map { $0 + " " } ?? "") + $0.op })
    }
}

extension GraphView {
    /// Each node is named by its (first) result, so the inputs column reads in the same ids.
    init(_ graph: Graph) {
        let nodes = graph.nodes.map { node in
            let first = graph.values[node.outputs[0]].meta
            return Node(id: node.outputs[0], op: node.op.name + (node.inPlace ? "_" : ""), inputs: node.inputs, shape: first.shape,
                        group: node.fused == nil ? nil : node.index, offset: graph.bufferOffsets[node.outputs[0]], bytes: first.byteCount)
        }
        let arena = graph.bufferOffsets.map { $0.value + graph.values[$0.key].meta.byteCount }.max() ?? 0
        self.init(name: graph.name, nodes: nodes, arenaBytes: arena, passReports: graph.reports.map(\.line))
    }
}

extension ProfileComparison {
    init(_ c: Comparison) {
        self.init(name: c.name, eager: ProfileView(c.eagerProfile, label: "eager"), graph: ProfileView(c.graphProfile, label: "graph"),
                  eagerMsPerStep: c.eager.medianNs / 1e6, graphMsPerStep: c.graph.medianNs / 1e6)
    }
}

extension Comparison {
    /// Tells one `compare` from the next (a struct has no identity; two runs never time alike).
    var identity: Double { eager.medianNs + graph.medianNs }
}
