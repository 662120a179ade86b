import Foundation

/// One logged series as the curves pane draws it (x = step).
public struct CurveSeries: Sendable, Equatable, Codable {
    public var name: String
    public var steps: [Int]
    public var values: [Double]

    public init(name: String, steps: [Int], values: [Double]) {
        self.name = name
        self.steps = steps
        self.values = values
    }
}

/// The curves pane's toggles: EMA factor (0 = raw), log-scaled y, outlier-robust y range.
public struct CurvesSettings: Sendable, Equatable {
    public var smoothing = 0.6
    public var logY = false
    public var robust = false
    public init() {}

    /// The pane's keys: `s`/`S` more/less smoothing, `l` log-y, `r` robust scaling.
    mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char("s"): smoothing = min(0.95, (smoothing * 20).rounded() / 20 + 0.05)
        case .char("S"): smoothing = max(0, (smoothing * 20).rounded() / 20 - 0.05)
        case .char("l"): logY.toggle()
        case .char("r"): robust.toggle()
        default: return false
        }
        return true
    }
}

/// Every series sent with `log(...)` and by `fit`, overlaid with a legend and the latest value
/// of each; braille dots where the locale allows, one marker per cell otherwise.
public struct CurvesPane: Sendable {
    public var series: [CurveSeries] = []
    public var settings = CurvesSettings()
    public init() {}

    public func draw(into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        guard !rect.isEmpty else { return }
        guard !series.isEmpty else {
            Placeholder.draw("No curves yet: log(name, value) or fit(...) adds one. Keys: s/S smoothing, l log-y, r robust.", into: &grid, rect, ctx)
            return
        }
        let dot = ctx.unicode ? " · " : " | "
        let settingsLine = String(format: "EMA %.2f", settings.smoothing) + dot + "log-y " + (settings.logY ? "on" : "off")
            + dot + "robust " + (settings.robust ? "on" : "off")
        grid.put(settingsLine, x: rect.x, y: rect.y, style: ctx.theme[.dim], clip: rect)
        var rest = rect.splitTop(1).1
        let legendRows = drawLegend(into: &grid, rest, ctx)
        rest = rest.splitTop(legendRows).1
        guard rest.height >= 3, rest.width >= 16 else {
            if rest.height > 0 { grid.put("(enlarge the pane for the chart)", x: rest.x, y: rest.y, style: ctx.theme[.dim], clip: rest) }
            return
        }
        drawChart(into: &grid, rest, ctx)
    }

    /// `━ name 0.1234` per series, packed into rows; returns the rows used.
    private func drawLegend(into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) -> Int {
        var row = 0, col = rect.x
        let mark = ctx.unicode ? "━" : "-"
        for (i, s) in series.enumerated() {
            let latest = s.values.last.map(SeriesMath.label) ?? "-"
            let entry = (ctx.unicode ? mark : String(PlotCanvas.asciiMarkers[i % PlotCanvas.asciiMarkers.count])) + " " + s.name + " " + latest
            let width = CharWidth.of(entry)
            if col > rect.x && col + width > rect.maxX {
                row += 1
                col = rect.x
            }
            guard row < rect.height - 1 else { break }
            grid.put(String(entry.prefix(1)), x: col, y: rect.y + row, style: ctx.theme.seriesStyle(i), clip: rect)
            grid.put(String(entry.dropFirst()), x: col + 1, y: rect.y + row, style: ctx.theme[.text], clip: rect)
            col += width + 2
        }
        return min(row + 1, rect.height)
    }

    private func transformed(_ s: CurveSeries) -> [Double] {
        let smooth = SeriesMath.ema(s.values, factor: settings.smoothing)
        return settings.logY ? smooth.map { $0 > 0 ? log10($0) : .nan } : smooth
    }

    private func drawChart(into grid: inout Grid, _ rect: Rect, _ ctx: RenderContext) {
        let ys = series.map(transformed)
        let yr = SeriesMath.range(ys.flatMap { $0 }, robust: settings.robust)
        func shown(_ y: Double) -> String { SeriesMath.label(settings.logY ? pow(10, y) : y) }
        let top = shown(yr.upperBound), bottom = shown(yr.lowerBound)
        let labelWidth = max(CharWidth.of(top), CharWidth.of(bottom)) + 1
        let (labels, plotArea) = rect.splitLeft(labelWidth)
        let (chart, axis) = plotArea.splitTop(plotArea.height - 1)
        grid.put(top, x: labels.x, y: labels.y, style: ctx.theme[.axis], clip: labels)
        grid.put(bottom, x: labels.x, y: chart.maxY - 1, style: ctx.theme[.axis], clip: labels)
        let steps = series.flatMap(\.steps)
        let x0 = steps.min() ?? 0, x1 = max(steps.max() ?? 1, x0 + 1)
        var canvas = PlotCanvas(columns: chart.width, rows: chart.height, braille: ctx.unicode)
        let pw = canvas.pixelWidth, ph = canvas.pixelHeight
        for (i, s) in series.enumerated() {
            var previous: (Int, Int)?
            for (step, y) in zip(s.steps, ys[i]) {
                guard y.isFinite else { previous = nil; continue }
                let px = Int((Double(step - x0) / Double(x1 - x0) * Double(pw - 1)).rounded())
                let fy = (y - yr.lowerBound) / (yr.upperBound - yr.lowerBound)
                let py = Int(((1 - min(max(fy, 0), 1)) * Double(ph - 1)).rounded())
                if let (qx, qy) = previous { canvas.line(qx, qy, px, py, series: i) } else { canvas.set(px, py, series: i) }
                previous = (px, py)
            }
        }
        canvas.draw(into: &grid, x: chart.x, y: chart.y) { ctx.theme.seriesStyle($0) }
        grid.put(String(repeating: ctx.rule, count: axis.width), x: axis.x, y: axis.y, style: ctx.theme[.axis], clip: axis)
        grid.put("step \(x0)", x: axis.x, y: axis.y, style: ctx.theme[.axis], clip: axis)
        let last = "\(steps.max() ?? x0)"
        grid.put(last, x: axis.maxX - CharWidth.of(last), y: axis.y, style: ctx.theme[.axis], clip: axis)
    }
}
