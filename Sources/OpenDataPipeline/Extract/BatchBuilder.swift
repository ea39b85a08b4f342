/// Gathers an extractor's rows into batches of ``Batch/preferredRowCount``,
/// passing each full batch on as soon as it is full; ``finish(emit:)`` passes
/// on the last, partial one. Holds at most one batch.
struct BatchBuilder {
    private let width: Int
    private var batch: Batch
    /// Rows appended so far.
    private(set) var rows = 0

    init(width: Int) {
        self.width = width
        batch = Batch(width: width, capacity: Batch.preferredRowCount)
    }

    mutating func append(
        _ row: some Collection<Value>, line: Int?, emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        batch.append(row: row, line: line)
        rows += 1
        if batch.rowCount == Batch.preferredRowCount {
            try emit(batch)
            batch = Batch(width: width, capacity: Batch.preferredRowCount)
        }
    }

    /// Appends a cell of the row being built (``Batch/appendCell(_:)``).
    @inline(__always)
    mutating func appendCell(_ value: consuming Value) {
        batch.appendCell(value)
    }

    /// Appends a copy of a cell with its laid-out bytes (``Batch/appendCell(copying:text:kind:)``).
    @inline(__always)
    mutating func appendCell(copying value: UnsafePointer<Value>, text: UnsafeBufferPointer<UInt8>, kind: Batch.TextSpan.Kind) {
        batch.appendCell(copying: value, text: text, kind: kind)
    }

    /// Takes back the row being built, whose cells did not all decode.
    mutating func dropRow() {
        batch.dropRow()
    }

    /// Closes the row being built; passes the batch on when it is full (and then returns true).
    @discardableResult
    mutating func endRow(line: Int?, emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) -> Bool {
        batch.endRow(line: line)
        rows += 1
        guard batch.rowCount == Batch.preferredRowCount else { return false }
        try emit(batch)
        batch = Batch(width: width, capacity: Batch.preferredRowCount)
        return true
    }

    mutating func finish(emit: (Batch) throws(PipelineFailure) -> Void) throws(PipelineFailure) {
        guard !batch.isEmpty else { return }
        try emit(batch)
        batch = Batch(width: width, capacity: Batch.preferredRowCount)
    }
}
