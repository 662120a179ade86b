/// A series as one line of block characters (`▁▂▃▅▇`), or ASCII (` .:-=+*#`) without UTF-8:
/// how `duet repl` shows the curves.
public enum Sparkline {
    public static func of(_ values: [Double], width: Int = 24, unicode: Bool) -> String {
        let levels: [Character] = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : [" ", ".", ":", "-", "=", "+", "*", "#"]
        let finite = values.filter(\.isFinite)
        guard !finite.isEmpty, width > 0 else { return "" }
        // One bucket (its mean) per character when there are more values than characters.
        let buckets = min(width, finite.count)
        let means = (0..<buckets).map { b -> Double in
            let slice = finite[(b * finite.count / buckets)..<((b + 1) * finite.count / buckets)]
            return slice.reduce(0, +) / Double(slice.count)
        }
        let lo = means.min() ?? 0, hi = means.max() ?? 0
        return String(means.map { v in
            hi - lo < 1e-12 ? levels[levels.count / 2] : levels[min(levels.count - 1, Int((v - lo) / (hi - lo) * Double(levels.count - 1) + 0.5))]
        })
    }

    /// `loss ▇▅▃▂▁ 0.1234   accuracy ▁▃▅▇ 0.9500`: every series, latest value last.
    public static func line(_ series: [CurveSeries], unicode: Bool) -> String {
        series.map { s in "\(s.name) \(of(s.values, unicode: unicode)) \(s.values.last.map(SeriesMath.label) ?? "")" }
            .joined(separator: "   ")
    }
}
