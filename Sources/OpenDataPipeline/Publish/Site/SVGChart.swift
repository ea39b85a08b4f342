/// A chart drawn as SVG at publish time: a line chart for series over several
/// periods, horizontal bars where each series has one period. Drawn twice, at
/// a desktop width and at a phone width (the stylesheet shows one of them), so
/// that its text is drawn at its own size in CSS pixels on either; laid out by
/// `ChartLayout`. It carries its title, its measure and unit, the notes that say
/// what it leaves out, and its source; screen readers get its name and every
/// value it shows (`role="img"`, `<title>`, `<desc>`), and the page's table
/// below it is the fallback. Every text is escaped for XML.
struct SVGChart {
    struct Series {
        var label: String
        /// (period label, value) in period order.
        var points: [(period: String, value: Double, shown: String)]
    }

    /// A stable id for the chart's title and description (output must not vary between runs).
    var id: String
    var title: String
    /// What is measured, in what unit, in the page's language.
    var subtitle: String?
    var series: [Series]
    var language: Language
    /// What the chart leaves out and how it chose (`the 8 largest of 24; all in the table`).
    var notes: [String] = []
    /// `Source: …`, in the page's language.
    var source: String?

    static let palette = ["#1f4e9c", "#b3412b", "#2c7a3f", "#7a4a9c", "#a36a00", "#00707a", "#6b6b6b", "#9c1f6a"]

    /// The two widths it is drawn at: a desktop's (the stylesheet's `40rem`) and a phone's
    /// (fits a 360 px screen's content; drawn at least at its own size on a 390 px one).
    static let wideWidth = 640.0
    static let narrowWidth = 340.0

    var isBarChart: Bool { series.allSatisfy { $0.points.count <= 1 } }

    func drawing(width: Double) -> ChartDrawing { ChartLayout(chart: self, width: width).draw() }

    /// Both drawings: `class="chart chart-wide"`, then `class="chart chart-narrow"`.
    func render() -> String {
        svg(drawing(width: Self.wideWidth), idSuffix: "", kind: "wide") + "\n"
            + svg(drawing(width: Self.narrowWidth), idSuffix: "-narrow", kind: "narrow")
    }

    func svg(_ drawing: ChartDrawing, idSuffix: String, kind: String) -> String {
        let titleID = "chart-\(id)\(idSuffix)"
        let width = Self.format(drawing.width)
        let height = Self.format(drawing.height)
        var svg: [String] = []
        svg.append(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" "
                + "role=\"img\" aria-labelledby=\"\(titleID) \(titleID)-desc\" class=\"chart chart-\(kind)\">")
        svg.append("<title id=\"\(titleID)\">\(MarkupText.escaped(title))</title>")
        svg.append("<desc id=\"\(titleID)-desc\">\(MarkupText.escaped(description))</desc>")
        svg.append("<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>")
        for shape in drawing.shapes {
            switch shape {
            case let .rect(x, y, width, height, fill):
                svg.append(
                    "<rect x=\"\(Self.format(x))\" y=\"\(Self.format(y))\" width=\"\(Self.format(width))\" height=\"\(Self.format(height))\" "
                        + "fill=\"\(fill)\"/>")
            case let .line(x1, y1, x2, y2, stroke):
                svg.append(
                    "<line x1=\"\(Self.format(x1))\" y1=\"\(Self.format(y1))\" x2=\"\(Self.format(x2))\" y2=\"\(Self.format(y2))\" "
                        + "stroke=\"\(stroke)\"/>")
            case let .polyline(points, stroke):
                let list = points.map { "\(Self.format($0.x)),\(Self.format($0.y))" }.joined(separator: " ")
                svg.append("<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"3\" points=\"\(list)\"/>")
            case let .circle(x, y, radius, fill):
                svg.append("<circle cx=\"\(Self.format(x))\" cy=\"\(Self.format(y))\" r=\"\(Self.format(radius))\" fill=\"\(fill)\"/>")
            }
        }
        for label in drawing.labels {
            let anchor = label.anchor == .start ? "" : " text-anchor=\"\(label.anchor.rawValue)\""
            let weight = label.bold ? " font-weight=\"700\"" : ""
            svg.append(
                "<text x=\"\(Self.format(label.x))\" y=\"\(Self.format(label.y))\"\(anchor) font-size=\"\(Self.format(label.size))\"\(weight) "
                    + "fill=\"\(label.fill)\">\(MarkupText.escaped(label.text))</text>")
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n")
    }

    /// The chart in words, for screen readers: every value of every series it shows, then its notes.
    var description: String {
        let values = series.map { line in
            PreviewText.bounded(line.label) + ": "
                + line.points.map { point in
                    let shown = PreviewText.bounded(point.shown)
                    return point.period.isEmpty ? shown : "\(PreviewText.bounded(point.period)) \(shown)"
                }.joined(separator: ", ")
        }.joined(separator: "; ")
        return ([values] + notes).joined(separator: ". ")
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

    static func format(_ value: Double) -> String {
        String((value * 10).rounded() / 10)
    }
}
