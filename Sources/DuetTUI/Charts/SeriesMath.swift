import Foundation

/// The curve transformations the curves pane offers, as pure functions.
enum SeriesMath {
    /// TensorBoard-style exponential moving average, debiased so the first points are not pulled
    /// towards zero. `factor` 0 returns the values unchanged.
    static func ema(_ values: [Double], factor: Double) -> [Double] {
        guard factor > 0 else { return values }
        var out: [Double] = []
        out.reserveCapacity(values.count)
        var acc = 0.0, weight = 0.0
        for v in values {
            guard v.isFinite else { out.append(v); continue }
            acc = factor * acc + (1 - factor) * v
            weight = factor * weight + (1 - factor)
            out.append(acc / weight)
        }
        return out
    }

    /// The y range to draw: all finite values, or (robust) the 2nd to 98th percentile so one
    /// spike does not flatten the rest. Never empty.
    static func range(_ values: [Double], robust: Bool) -> ClosedRange<Double> {
        let finite = values.filter(\.isFinite).sorted()
        guard let first = finite.first, let last = finite.last else { return 0...1 }
        var lo = first, hi = last
        if robust && finite.count >= 10 {
            lo = finite[Int(Double(finite.count - 1) * 0.02)]
            hi = finite[Int(Double(finite.count - 1) * 0.98)]
        }
        if hi - lo < 1e-12 {
            let pad = max(abs(lo) * 0.05, 1e-6)
            return (lo - pad)...(hi + pad)
        }
        return lo...hi
    }

    /// Short numbers for axis labels and legends: 0.1234, 12.35, 1.2e+04.
    static func label(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "-inf") }
        let a = abs(v)
        if a != 0 && (a >= 1e5 || a < 1e-3) { return String(format: "%.2g", v) }
        if a >= 100 { return String(format: "%.1f", v) }
        return String(format: "%.4f", v)
    }
}
