/// A cell address: 1-based column and row (`C14` is column 3, row 14).
public struct CellReference: Sendable, Hashable, CustomStringConvertible {
    public var column: Int
    public var row: Int

    public init(column: Int, row: Int) {
        self.column = column
        self.row = row
    }

    /// The last row and column of a sheet (Excel's limits).
    public static let maximumRow = 1_048_576
    public static let maximumColumn = 16_384

    /// Parses `A1`-style references (`$` signs allowed); nil when invalid.
    public init?(_ text: String) {
        var column = 0
        var digits = ""
        for character in text.uppercased() where character != "$" {
            if let ascii = character.asciiValue, (65...90).contains(ascii), digits.isEmpty {
                column = column * 26 + Int(ascii - 64)
                guard column <= Self.maximumColumn else { return nil }
            } else if character.isASCII, character.isNumber {
                digits.append(character)
            } else {
                return nil
            }
        }
        guard column > 0, let row = Int(digits), row > 0, row <= Self.maximumRow else { return nil }
        self.column = column
        self.row = row
    }

    public var columnName: String {
        var name = ""
        var value = column
        while value > 0 {
            let remainder = (value - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            value = (value - 1) / 26
        }
        return name
    }

    public var description: String { "\(columnName)\(row)" }
}

/// A rectangle of cells, `A3:F200` (a single cell `B2` is a range too).
public struct CellRange: Sendable, Hashable, CustomStringConvertible {
    public var start: CellReference
    public var end: CellReference

    public init?(_ text: String) {
        let parts = text.split(separator: ":").map(String.init)
        guard (1...2).contains(parts.count), let start = CellReference(parts[0]),
            let end = CellReference(parts.count == 2 ? parts[1] : parts[0]), start.column <= end.column, start.row <= end.row
        else { return nil }
        self.start = start
        self.end = end
    }

    public func contains(_ reference: CellReference) -> Bool {
        (start.column...end.column).contains(reference.column) && (start.row...end.row).contains(reference.row)
    }

    public var description: String { "\(start):\(end)" }
}
