/// A chart drawn as SVG at publish time: a line chart for series over several
/// periods, a bar chart where each series has one period. Readable on a phone
/// (it scales to its container), labelled (title, axis values, unit), and
/// described in words for screen readers (`role="img"`, `<title>`, `<desc>`).
/// Every text is escaped for XML.
struct SVGChart {
    struct Series {
        var label: String
        /// (period label, value) in period order.
        var points: [(period: String, value: Double, shown: String)]
    }

    /// A stable id for the chart's title and description (output must not vary between runs).
    var id: String
    var title: String
    var unit: String?
    var series: [Series]
    var language: Language

    static let palette = ["#1f4e9c", "#b3412b", "#2c7a3f", "#7a4a9c", "#a36a00", "#00707a", "#6b6b6b", "#9c1f6a"]

    var isBarChart: Bool { series.allSatisfy { $0.points.count <= 1 } }

    func render() -> String {
        let width = 640.0
        let height = 360.0
        let left = 96.0
        let right = 16.0
        let top = 40.0
        let bottom = 72.0
        let plotWidth = width - left - right
        let plotHeight = height - top - bottom
        let values = series.flatMap { $0.points.map(\.value) }
        let maximum = max(values.max() ?? 1, 0)
        let minimum = min(values.min() ?? 0, 0)
        let (low, high, step) = Self.niceScale(minimum, maximum)
        func y(_ value: Double) -> Double { top + plotHeight * (1 - (value - low) / max(high - low, 1e-9)) }
        var svg: [String] = []
        let titleID = "chart-\(id)"
        svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
                + "aria-labelledby=\"\(titleID) \(titleID)-desc\" class=\"chart\">")
        svg.append("<title id=\"\(titleID)\">\(MarkupText.escaped(title))</title>")
        svg.append("<desc id=\"\(titleID)-desc\">\(MarkupText.escaped(description))</desc>")
        svg.append("<rect x=\"0\" y=\"0\" width=\"\(Int(width))\" height=\"\(Int(height))\" fill=\"#ffffff\"/>")
        // Horizontal grid and value labels.
        var tick = low
        var ticks = 0
        while tick <= high + step / 2, ticks < 12 {
            ticks += 1
            let position = Self.format(y(tick))
            svg.append("<line x1=\"\(Int(left))\" x2=\"\(Int(width - right))\" y1=\"\(position)\" y2=\"\(position)\" stroke=\"#d0d0d0\"/>")
            svg.append(
                "<text x=\"\(Int(left - 8))\" y=\"\(Self.format(y(tick) + 4))\" text-anchor=\"end\" font-size=\"13\" fill=\"#222\">"
                    + "\(MarkupText.escaped(Self.tickLabel(tick, language: language)))</text>")
            tick += step
        }
        if let unit, !unit.isEmpty {
            svg.append("<text x=\"8\" y=\"24\" font-size=\"13\" fill=\"#222\">\(MarkupText.escaped(unit))</text>")
        }
        if isBarChart {
            let bars = series.filter { !$0.points.isEmpty }
            let slot = plotWidth / Double(max(bars.count, 1))
            for (index, bar) in bars.enumerated() {
                let value = bar.points[0].value
                let x = left + slot * Double(index) + slot * 0.15
                let top = min(y(value), y(0))
                let barHeight = abs(y(0) - y(value))
                svg.append(
                    "<rect x=\"\(Self.format(x))\" y=\"\(Self.format(top))\" width=\"\(Self.format(slot * 0.7))\" "
                        + "height=\"\(Self.format(barHeight))\" fill=\"\(Self.palette[index % Self.palette.count])\"/>")
                svg.append(
                    "<text x=\"\(Self.format(x + slot * 0.35))\" y=\"\(Self.format(top - 6))\" text-anchor=\"middle\" "
                        + "font-size=\"13\" fill=\"#222\">\(MarkupText.escaped(bar.points[0].shown))</text>")
                svg.append(
                    "<text x=\"\(Self.format(x + slot * 0.35))\" y=\"\(Self.format(height - bottom + 20))\" "
                        + "text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">\(MarkupText.escaped(Self.shorten(bar.label)))</text>")
            }
        } else {
            let periods = Self.orderedPeriods(series)
            let stepX = plotWidth / Double(max(periods.count - 1, 1))
            for (index, period) in periods.enumerated() where periods.count <= 12 || index % (periods.count / 12 + 1) == 0 {
                svg.append(
                    "<text x=\"\(Self.format(left + stepX * Double(index)))\" y=\"\(Self.format(height - bottom + 20))\" "
                        + "text-anchor=\"middle\" font-size=\"12\" fill=\"#222\">\(MarkupText.escaped(period))</text>")
            }
            for (index, line) in series.enumerated() {
                let colour = Self.palette[index % Self.palette.count]
                let points = line.points.compactMap { point -> String? in
                    guard let position = periods.firstIndex(of: point.period) else { return nil }
                    return "\(Self.format(left + stepX * Double(position))),\(Self.format(y(point.value)))"
                }
                svg.append("<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"3\" points=\"\(points.joined(separator: " "))\"/>")
                svg.append(
                    "<text x=\"\(Int(left) + 8 + index * 150)\" y=\"\(Int(height) - 16)\" font-size=\"12\" fill=\"\(colour)\">"
                        + "■ \(MarkupText.escaped(Self.shorten(line.label)))</text>")
            }
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// The chart in words, for screen readers: every value of every series.
    var description: String {
        series.map { line in
            PreviewText.bounded(line.label) + ": "
                + line.points.map { point in
                    let shown = PreviewText.bounded(point.shown)
                    return point.period.isEmpty ? shown : "\(PreviewText.bounded(point.period)) \(shown)"
                }.joined(separator: ", ")
        }.joined(separator: "; ")
    }

    static func orderedPeriods(_ series: [Series]) -> [String] {
        var periods: [String] = []
        for line in series {
            for point in line.points where !periods.contains(point.period) { periods.append(point.period) }
        }
        return periods.sorted()
    }

    static func niceScale(_ minimum: Double, _ maximum: Double) -> (Double, Double, Double) {
        let range = max(maximum - minimum, 1e-9)
        let rough = range / 5
        var magnitude = 1.0
        while magnitude * 10 <= rough { magnitude *= 10 }
        while magnitude > rough { magnitude /= 10 }
        let step = [1.0, 2.0, 2.5, 5.0, 10.0].map { $0 * magnitude }.first { $0 >= rough } ?? rough
        return ((minimum / step).rounded(.down) * step, (maximum / step).rounded(.up) * step, step)
    }

    /// A whole tick as an integer, another with one decimal; ticks beyond 64 bits
    /// (values near ±9.2×10¹⁸ round up to them) as the whole number the `Double` holds.
    static func tickLabel(_ value: Double, language: Language) -> String {
        let tenths = (value * 10).rounded()
        guard let units = Int64(exactly: tenths) else {
            guard let whole = UInt64(exactly: value.magnitude.rounded()) else { return String(value) }
            return NumberStyle.group(String(whole), negative: value < 0, language: language)
        }
        if units % 10 == 0 { return NumberStyle.format(.integer(units / 10), for: language) }
        return NumberStyle.format(.number(DecimalNumber(units: units, scale: 1)), for: language)
    }

    static func shorten(_ text: String) -> String {
        text.count <= 24 ? text : String(text.prefix(23)) + "…"
    }

    static func format(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
