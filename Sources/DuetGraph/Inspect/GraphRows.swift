import DuetTensor

/// One line of a graph's tabular form (like FX's `print_tabular` or a jaxpr line): what the
/// text printer and the workbench's graph pane both render.
public struct GraphRow: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case argument, captured, constant, compute, view, inPlace = "in-place"
    }
    /// "%7" for values bound before the first node, "#3" for nodes.
    public let id: String
    public let kind: Kind
    /// The op with its attributes: `sum(dim=(1), keepdim=True)`; for inputs, where they come from.
    public let op: String
    public let inputs: [String]
    public let result: String
    public let shape: [Int]
    public let dtype: DType
    /// Byte offset of the value's buffer in the plan's arena (computed values only).
    public let offset: Int?
    /// Written straight into the function's result tensor, outside the arena.
    public var returned = false
}

extension Graph {
    /// Inputs (arguments, captured tensors, constants) first, then nodes in execution order.
    public var rows: [GraphRow] {
        var rows: [GraphRow] = []
        for v in values {
            let (kind, what): (GraphRow.Kind, String)
            switch v.source {
            case .argument(let i): (kind, what) = (.argument, "argument \(i + 1)")
            case .captured(let t): (kind, what) = (.captured, t.requiresGrad ? "captured, requires grad" : "captured")
            case .constant: (kind, what) = (.constant, "constant")
            case .node: continue
            }
            rows.append(GraphRow(id: "%\(v.id)", kind: kind, op: what, inputs: [], result: "%\(v.id)",
                                 shape: v.meta.shape, dtype: v.meta.dtype, offset: nil))
        }
        for node in nodes {
            let kind: GraphRow.Kind = node.inPlace ? .inPlace : (node.op.isView ? .view : .compute)
            let attrs = zip(node.op.attrs, node.attrs.values).map { "\($0.name)=\($1)" }
            let name = node.op.name + (node.inPlace ? "_" : "")
            let op = attrs.isEmpty ? name : "\(name)(\(attrs.joined(separator: ", ")))"
            let first = values[node.outputs[0]].meta
            rows.append(GraphRow(id: "#\(node.index)", kind: kind, op: op, inputs: node.inputs.map { "%\($0)" },
                                 result: node.outputs.map { "%\($0)" }.joined(separator: ", "),
                                 shape: first.shape, dtype: first.dtype, offset: bufferOffsets[node.outputs[0]],
                                 returned: !node.inPlace && returnedValues.contains(node.outputs[0])))
        }
        return rows
    }

    /// The readable text form: one line per input and per node, then outputs and gradients.
    public var text: String {
        let rows = self.rows
        let header = "graph \(name): \(nodes.count) nodes, \(argumentCount) arguments, \(capturedCount) captured"
        let lefts = rows.map { r in
            r.inputs.isEmpty && r.kind != .compute && r.kind != .view && r.kind != .inPlace
                ? "\(r.result) = \(r.op)"
                : "\(r.result) = \(r.op.split(separator: "(", maxSplits: 1).first.map(String.init) ?? r.op)(\(r.inputs.joined(separator: ", "))\(attrSuffix(r.op)))"
        }
        let width = min(64, lefts.map(\.count).max() ?? 0)
        var lines = [header]
        for (r, left) in zip(rows, lefts) {
            let pad = String(repeating: " ", count: max(1, width - left.count + 2))
            let note = r.kind == .view || r.kind == .inPlace ? "  \(r.kind.rawValue)" : (r.returned ? "  returned" : "")
            let id = r.id.hasPrefix("#") ? r.id : ""
            let offset = r.offset.map { "  @\($0)" } ?? ""
            lines.append("  \(id.padding(toLength: 5, withPad: " ", startingAt: 0)) \(left)\(pad)\(r.dtype)\(shapeString(r.shape))\(offset)\(note)")
        }
        for report in reports { lines.append("  " + report.line) }
        lines.append("  outputs: " + (outputs.isEmpty ? "none" : outputs.map { "%\($0)" }.joined(separator: ", ")))
        if !gradients.isEmpty {
            let grads = gradients.map { g -> String in
                switch g.leaf {
                case .argument(let i): "argument \(i + 1).grad = %\(g.value)"
                case .captured(let t): "%\(capturedID(t) ?? -1).grad = %\(g.value)"
                }
            }
            lines.append("  gradients: " + grads.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    private func attrSuffix(_ op: String) -> String {
        guard let open = op.firstIndex(of: "("), op.hasSuffix(")") else { return "" }
        return "; " + op[op.index(after: open)..<op.index(before: op.endIndex)]
    }

    private func capturedID(_ t: Tensor) -> Int? {
        values.first { v in if case .captured(let c) = v.source { c === t } else { false } }?.id
    }

    /// Graphviz DOT: inputs as ellipses, nodes as boxes labelled with op and result shape.
    public var dot: String {
        var lines = ["digraph \"\(name)\" {", "  rankdir=TB;", "  node [fontname=\"monospace\", fontsize=10];"]
        for r in rows {
            let label = "\(r.op)\\n\(r.dtype)\(shapeString(r.shape))".replacingOccurrences(of: "\"", with: "'")
            let shape = r.id.hasPrefix("#") ? "box" : "ellipse"
            lines.append("  \"\(r.result)\" [label=\"\(r.id) \(label)\", shape=\(shape)];")
            for input in r.inputs { lines.append("  \"\(resultOf(input))\" -> \"\(r.result)\";") }
        }
        lines.append("}")
        return lines.joined(separator: "\n")
    }

    /// The DOT node a value belongs to: multi-output nodes are drawn once under all their results.
    private func resultOf(_ value: String) -> String {
        guard let id = Int(value.dropFirst()), case .node(let n, _) = values[id].source, nodes[n].outputs.count > 1 else { return value }
        return nodes[n].outputs.map { "%\($0)" }.joined(separator: ", ")
    }
}
