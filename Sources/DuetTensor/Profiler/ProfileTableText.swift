import Foundation

extension ProfileTable {
    /// The table for a terminal: the legend, aligned columns with units, and a footer saying how
    /// much of the wall time the kernels explain and what the top-N cut left out.
    public func text(maxNameWidth: Int = 48) -> String {
        let header = [grouping == .scope ? "scope" : "op", "calls", "self", "total", "avg", "%", "GFLOP/s", "GB/s", "alloc"]
        let body: [[String]] = rows.map { r in
            let name = r.detail.isEmpty ? r.name : "\(r.name)(\(r.detail))"
            return [Self.clip(name, maxNameWidth), String(r.calls), ProfileUnits.time(Double(r.selfNs)),
                    ProfileUnits.time(Double(r.totalNs)), ProfileUnits.time(r.averageNs), String(format: "%.1f%%", r.percent),
                    r.gflopsPerSecond.map { String(format: "%.1f", $0) } ?? "-",
                    r.gigabytesPerSecond.map { String(format: "%.1f", $0) } ?? "-", ProfileUnits.bytes(r.allocatedBytes)]
        }
        let table = [header] + body
        let widths = header.indices.map { c in table.map { $0[c].count }.max() ?? 0 }
        var lines = [legend]
        for (i, cells) in table.enumerated() {
            var line = cells[0].padding(toLength: widths[0], withPad: " ", startingAt: 0)
            for c in 1..<cells.count { line += "  " + String(repeating: " ", count: widths[c] - cells[c].count) + cells[c] }
            lines.append(line)
            if i == 0 { lines.append(String(repeating: "-", count: line.count)) }
        }
        lines.append(contentsOf: footer)
        return lines.joined(separator: "\n")
    }

    private var footer: [String] {
        var lines: [String] = []
        if hiddenRows > 0 {
            lines.append("… \(hiddenRows) more row\(hiddenRows == 1 ? "" : "s") (\(String(format: "%.1f%%", hiddenPercent)) of self time)")
        }
        var summary = "\(events) op call\(events == 1 ? "" : "s")"
        if droppedEvents > 0 { summary += " (+\(droppedEvents) not recorded: event cap reached)" }
        summary += "; kernels \(ProfileUnits.time(Double(kernelNs))) of \(ProfileUnits.time(Double(wallNs))) wall"
        if wallNs > 0 { summary += String(format: " (%.1f%%)", 100 * coverage) }
        if communicationCalls > 0 {
            summary += "; communication and waiting \(ProfileUnits.time(Double(communicationNs))) in \(communicationCalls) call\(communicationCalls == 1 ? "" : "s")"
            if wallNs > 0 { summary += String(format: " (%.1f%% of wall)", 100 * Double(communicationNs) / Double(wallNs)) }
        }
        summary += "; sorted by \(sortedBy.rawValue)"
        lines.append(summary)
        return lines
    }

    private static func clip(_ s: String, _ width: Int) -> String {
        s.count <= width ? s : String(s.prefix(max(1, width - 1))) + "…"
    }
}

/// Human units for the table, the memory summary and the CLI.
public enum ProfileUnits {
    /// 850 ns, 12.3 µs, 1.23 ms, 2.45 s.
    public static func time(_ ns: Double) -> String {
        if ns < 1_000 { return String(format: "%.0f ns", ns) }
        if ns < 1_000_000 { return String(format: "%.1f µs", ns / 1e3) }
        if ns < 1_000_000_000 { return String(format: "%.2f ms", ns / 1e6) }
        return String(format: "%.2f s", ns / 1e9)
    }

    /// Binary units, like the allocator's messages: 512 B, 12.0 KB, 41.2 MB.
    public static func bytes(_ n: Int) -> String { Allocator.describe(n) }
}
