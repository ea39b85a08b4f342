/// A chart laid out at one width: its shapes and its texts, in the SVG's
/// coordinates (CSS pixels when the SVG is drawn at its own width). Each text
/// knows the box it takes (`ChartText`'s safe estimate), so the layout can be
/// checked without a browser: every box inside the drawing, no two meeting.
struct ChartDrawing {
    enum Anchor: String { case start, middle, end }

    struct Label: Equatable {
        var text: String
        var x: Double
        /// The baseline.
        var y: Double
        var size: Double
        var anchor: Anchor = .start
        var bold = false
        var fill = "#222222"

        var width: Double { ChartText.width(text, size: size) }
        var minX: Double {
            switch anchor {
            case .start: x
            case .middle: x - width / 2
            case .end: x - width
            }
        }
        var maxX: Double { minX + width }
        var minY: Double { y - ChartText.ascent * size }
        var maxY: Double { y + ChartText.descent * size }

        func meets(_ other: Label) -> Bool {
            minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
        }
    }

    enum Shape: Equatable {
        case rect(x: Double, y: Double, width: Double, height: Double, fill: String)
        case line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String)
        case polyline(points: [Point], stroke: String)
        case circle(x: Double, y: Double, radius: Double, fill: String)
    }

    struct Point: Equatable {
        var x: Double
        var y: Double
    }

    var width: Double
    var height: Double
    var shapes: [Shape] = []
    var labels: [Label] = []

    /// Texts that stick out of the drawing, and pairs of texts whose boxes meet: empty for a good layout.
    var problems: [String] {
        var found: [String] = []
        for label in labels where label.minX < 0 || label.minY < 0 || label.maxX > width || label.maxY > height {
            found.append("'\(label.text)' is outside the drawing")
        }
        for (index, label) in labels.enumerated() {
            for other in labels[(index + 1)...] where label.meets(other) {
                found.append("'\(label.text)' meets '\(other.text)'")
            }
        }
        return found
    }
}
