/// A step that turns each row into at most one row, in order, on its own
/// (select, rename, filter, fill, scale, lookup). Its processor streams:
/// memory does not depend on the number of rows.
public protocol RowStep: Transform {
    /// State carried from row to row (the last values seen, for fill-down); `Void` when none.
    associatedtype State = Void
    var initialState: State { get }
    /// The output row for `row`, or nil to drop it (after reporting, if it is an error).
    func map(_ row: ArraySlice<Value>, line: Int?, state: inout State, context: StepContext) throws(PipelineFailure)
        -> [Value]?
}

extension RowStep where State == Void {
    public var initialState: Void { () }
}

extension RowStep {
    public func makeProcessor(context: StepContext) -> any BatchProcessor {
        RowStepProcessor(step: self, context: context)
    }
}

final class RowStepProcessor<Step: RowStep>: BatchProcessor {
    let step: Step
    let context: StepContext
    var state: Step.State

    init(step: Step, context: StepContext) {
        self.step = step
        self.context = context
        state = step.initialState
    }

    func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
        var output = Batch(width: step.outputSchema.count, capacity: batch.rowCount)
        for row in 0..<batch.rowCount {
            if let cells = try step.map(batch.row(row), line: batch.lines[row], state: &state, context: context) {
                output.append(row: cells, line: batch.lines[row])
            }
        }
        return output
    }

    func finish() throws(PipelineFailure) -> Batch? { nil }
}

extension TableSchema {
    /// The index of `name`, or a load-time error naming the fields there are.
    func require(_ name: String, for step: String) throws(TransformError) -> Int {
        guard let index = index(of: name) else {
            throw TransformError(
                message: "\(step): no field named '\(name)'; the fields here are \(fields.map(\.name).joined(separator: ", "))",
                code: .unknownField)
        }
        return index
    }
}
