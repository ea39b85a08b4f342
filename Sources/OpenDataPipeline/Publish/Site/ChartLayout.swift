import Foundation

/// Lays a chart out at a given width, top to bottom: the title, the subtitle
/// (measure and unit), the legend, the plot, the notes and the source. Every
/// text is placed by its estimated box (`ChartText`), wrapped to the room it
/// has, and the drawing grows as tall as it needs, so no text leaves the
/// drawing or meets another. Bars are horizontal (labels on the left, values at
/// the bars' ends), which fits a phone as well as a wide screen; lines have a
/// legend above the plot and only as many period labels as fit.
struct ChartLayout {
    let chart: SVGChart
    let width: Double

    static let margin = 8.0
    static let titleSize = 17.0
    static let subtitleSize = 14.0
    static let textSize = 13.0
    static let muted = "#4a4a4a"

    private var inner: Double { width - 2 * Self.margin }
    private var line: Double { ChartText.lineHeight * Self.textSize }

    func draw() -> ChartDrawing {
        var drawing = ChartDrawing(width: width, height: 0)
        var y = 10.0
        stack(
            ChartText.wrap(chart.title, width: inner, size: Self.titleSize, maximumLines: 4), size: Self.titleSize, bold: true, at: &y, in: &drawing)
        if let subtitle = chart.subtitle, !subtitle.isEmpty {
            stack(
                ChartText.wrap(subtitle, width: inner, size: Self.subtitleSize, maximumLines: 3), size: Self.subtitleSize, fill: Self.muted, at: &y,
                in: &drawing)
        }
        y += 6
        if chart.isBarChart {
            bars(at: &y, in: &drawing)
        } else {
            lines(at: &y, in: &drawing)
        }
        y += 4
        for note in chart.notes {
            stack(
                ChartText.wrap(note, width: inner, size: Self.textSize, maximumLines: 8), size: Self.textSize, fill: Self.muted, at: &y, in: &drawing)
        }
        if let source = chart.source, !source.isEmpty {
            stack(
                ChartText.wrap(source, width: inner, size: Self.textSize, maximumLines: 8), size: Self.textSize, fill: Self.muted, at: &y,
                in: &drawing)
        }
        drawing.height = (y + 8).rounded(.up)
        return drawing
    }

    /// Lines of text one below the other from `y`, which moves below them.
    private func stack(
        _ lines: [String], size: Double, bold: Bool = false, fill: String = "#222222", x: Double = Self.margin, anchor: ChartDrawing.Anchor = .start,
        at y: inout Double, in drawing: inout ChartDrawing
    ) {
        for text in lines {
            drawing.labels.append(.init(text: text, x: x, y: y + ChartText.ascent * size, size: size, anchor: anchor, bold: bold, fill: fill))
            y += ChartText.lineHeight * size
        }
    }

    private func bars(at y: inout Double, in drawing: inout ChartDrawing) {
        let size = Self.textSize
        let bars = chart.series.filter { !$0.points.isEmpty }
        let labelColumn = min(bars.map { ChartText.width($0.label, size: size) }.max() ?? 0, inner * 0.42)
        let valueWidth = bars.map { ChartText.width($0.points[0].shown, size: size) }.max() ?? 0
        let values = bars.map { $0.points[0].value }
        let low = min(values.min() ?? 0, 0)
        var high = max(values.max() ?? 0, 0)
        if high <= low { high = low + 1 }
        let left = Self.margin + labelColumn + 8 + (low < 0 ? valueWidth + 4 : 0)
        let right = width - Self.margin - (high > 0 ? valueWidth + 4 : 0)
        func x(_ value: Double) -> Double { left + (value - low) / (high - low) * max(right - left, 1) }
        let top = y
        for bar in bars {
            let point = bar.points[0]
            let labels = ChartText.wrap(bar.label, width: labelColumn, size: size, maximumLines: 3)
            let block = Double(labels.count - 1) * line + (ChartText.ascent + ChartText.descent) * size
            let row = max(24, block + 4)
            let centre = y + row / 2
            let start = min(x(point.value), x(0))
            drawing.shapes.append(.rect(x: start, y: centre - 8, width: abs(x(point.value) - x(0)), height: 16, fill: SVGChart.palette[0]))
            var lineTop = centre - block / 2
            stack(labels, size: size, x: Self.margin + labelColumn, anchor: .end, at: &lineTop, in: &drawing)
            let baseline = centre + 0.35 * size
            if point.value < 0 {
                drawing.labels.append(.init(text: point.shown, x: x(point.value) - 4, y: baseline, size: size, anchor: .end))
            } else {
                drawing.labels.append(.init(text: point.shown, x: x(point.value) + 4, y: baseline, size: size))
            }
            y += row + 4
        }
        drawing.shapes.append(.line(x1: x(0), y1: top, x2: x(0), y2: y - 4, stroke: "#6b6b6b"))
    }

    private func lines(at y: inout Double, in drawing: inout ChartDrawing) {
        let size = Self.textSize
        if chart.series.count > 1 { legend(at: &y, in: &drawing) }
        let values = chart.series.flatMap { $0.points.map(\.value) }
        let (low, high, step) = SVGChart.niceScale(min(values.min() ?? 0, 0), max(values.max() ?? 1, 0))
        var ticks: [Double] = []
        var tick = low
        while tick <= high + step / 2, ticks.count < 12 {
            ticks.append(tick)
            tick += step
        }
        let tickLabels = ticks.map { SVGChart.tickLabel($0, language: chart.language) }
        let tickWidth = tickLabels.map { ChartText.width($0, size: size) }.max() ?? 0
        let periods = SVGChart.orderedPeriods(chart.series)
        let periodWidth = periods.map { ChartText.width($0, size: size) }.max() ?? 0
        let plotTop = y + 0.72 * size + 2
        let plotHeight = width >= 500 ? 240.0 : 190.0
        let plotBottom = plotTop + plotHeight
        let plotLeft = max(Self.margin + tickWidth + 6, Self.margin + periodWidth / 2 + 1)
        let plotRight = width - Self.margin - periodWidth / 2 - 1
        func yOf(_ value: Double) -> Double { plotTop + plotHeight * (1 - (value - low) / max(high - low, 1e-9)) }
        let stepX = (plotRight - plotLeft) / Double(max(periods.count - 1, 1))
        func xOf(_ index: Int) -> Double { periods.count == 1 ? (plotLeft + plotRight) / 2 : plotLeft + stepX * Double(index) }
        for (index, tick) in ticks.enumerated() {
            drawing.shapes.append(.line(x1: plotLeft, y1: yOf(tick), x2: plotRight, y2: yOf(tick), stroke: "#d0d0d0"))
            drawing.labels.append(.init(text: tickLabels[index], x: plotLeft - 6, y: yOf(tick) + 0.35 * size, size: size, anchor: .end))
        }
        // Every k-th period, counted back from the latest, so that their labels never meet.
        let every = max(1, Int(((periodWidth + 10) / max(stepX, 1e-9)).rounded(.up)))
        for (index, period) in periods.enumerated() where (periods.count - 1 - index) % every == 0 {
            drawing.labels.append(.init(text: period, x: xOf(index), y: plotBottom + 10 + ChartText.ascent * size, size: size, anchor: .middle))
        }
        for (index, series) in chart.series.enumerated() {
            let colour = SVGChart.palette[index % SVGChart.palette.count]
            let points = series.points.compactMap { point -> ChartDrawing.Point? in
                periods.firstIndex(of: point.period).map { ChartDrawing.Point(x: xOf($0), y: yOf(point.value)) }
            }
            drawing.shapes.append(.polyline(points: points, stroke: colour))
            if periods.count <= 30 {
                for point in points { drawing.shapes.append(.circle(x: point.x, y: point.y, radius: 3.5, fill: colour)) }
            }
        }
        y = plotBottom + 10 + (ChartText.ascent + ChartText.descent) * size + 10
    }

    /// A swatch and a name per series, flowing into rows.
    private func legend(at y: inout Double, in drawing: inout ChartDrawing) {
        let size = Self.textSize
        var x = Self.margin
        var rowHeight = 0.0
        for (index, series) in chart.series.enumerated() {
            let texts = ChartText.wrap(series.label, width: inner - 16, size: size, maximumLines: 2)
            let itemWidth = 16 + (texts.map { ChartText.width($0, size: size) }.max() ?? 0)
            if x > Self.margin, x + itemWidth > width - Self.margin {
                x = Self.margin
                y += rowHeight + 6
                rowHeight = 0
            }
            let colour = SVGChart.palette[index % SVGChart.palette.count]
            drawing.shapes.append(.rect(x: x, y: y + ChartText.ascent * size - 10, width: 10, height: 10, fill: colour))
            var lineTop = y
            stack(texts, size: size, x: x + 16, at: &lineTop, in: &drawing)
            rowHeight = max(rowHeight, Double(texts.count) * line)
            x += itemWidth + 14
        }
        y += rowHeight + 6
    }
}
