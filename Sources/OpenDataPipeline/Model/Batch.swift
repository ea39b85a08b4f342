/// A block of rows flowing between stages.
///
/// Cells are stored row after row in one flat array (`width` cells a row), so
/// a batch of thousands of rows is a handful of allocations. Each row keeps
/// where it came from, so a later stage can still name the source line.
public struct Batch: Sendable {
    /// How many rows a stage gathers before passing a batch on.
    public static let preferredRowCount = 4096

    public let width: Int
    public private(set) var cells: [Value]
    /// The source line of each row; nil for rows a step made (an aggregate).
    public private(set) var lines: [Int?]

    public init(width: Int, capacity: Int = 0) {
        self.width = width
        cells = []
        lines = []
        cells.reserveCapacity(capacity * width)
        lines.reserveCapacity(capacity)
    }

    public var rowCount: Int { lines.count }
    public var isEmpty: Bool { lines.isEmpty }

    public subscript(row: Int, column: Int) -> Value {
        cells[row * width + column]
    }

    /// The cells of `row`.
    public func row(_ row: Int) -> ArraySlice<Value> {
        cells[row * width..<(row + 1) * width]
    }

    public mutating func append<C: Collection>(row: C, line: Int?) where C.Element == Value {
        precondition(row.count == width, "row width \(row.count) is not the batch width \(width)")
        cells.append(contentsOf: row)
        lines.append(line)
    }
}
