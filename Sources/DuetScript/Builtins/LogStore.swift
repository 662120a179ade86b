import Foundation

/// The series `log(name, value)` records: the workbench's curves pane reads them while a script
/// runs, and they export to CSV. Steps count per series unless given.
public final class LogStore {
    public struct Point: Equatable, Sendable {
        public let step: Int
        public let value: Double
    }

    public private(set) var names: [String] = []
    private var series: [String: [Point]] = [:]
    /// Bumped on every append, so a pane can redraw only when something changed.
    public private(set) var version = 0

    public func append(_ name: String, _ value: Double, step: Int? = nil) {
        if series[name] == nil {
            names.append(name)
            series[name] = []
        }
        let s = step ?? (series[name]?.last.map { $0.step + 1 } ?? 0)
        series[name, default: []].append(Point(step: s, value: value))
        version &+= 1
    }

    public func points(_ name: String) -> [Point] { series[name] ?? [] }

    public func clear() {
        names = []
        series = [:]
        version &+= 1
    }

    /// `series,step,value` rows, series in the order they were first logged.
    public func csv() -> String {
        var lines = ["series,step,value"]
        for name in names {
            let quoted = name.contains(",") || name.contains("\"") ? "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : name
            for p in points(name) { lines.append("\(quoted),\(p.step),\(PyFloat.repr(p.value))") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
