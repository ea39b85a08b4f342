/// Checks keys over a whole table as rows stream past: `unique` fields,
/// `uniqueKeys` (v2: groups of fields; a key with an empty part is not
/// compared), the primary key, and foreign keys into earlier datasets or
/// into the dataset itself.
///
/// Holds the set of keys seen (memory grows with the number of distinct
/// keys, not with the width of rows). A row that breaks a key is reported
/// and not passed on; a self-referencing key is checked when every row has
/// been seen (its target may come later), so its rows have been passed on
/// and its errors block the release through the report.
struct KeyCheck: Transform {
    struct ForeignKeyCheck: Sendable {
        var fields: [Int]
        var names: [String]
        var dataset: String
        var referencedFields: [String]
        /// For a key into this dataset itself: the referenced fields' positions in its rows.
        var ownFields: [Int]? = nil
    }

    let schema: TableSchema
    let uniqueFields: [Int]
    let primaryKey: [Int]
    let foreignKeys: [ForeignKeyCheck]
    var uniqueKeys: [[Int]] = []

    var name: String { "key check" }
    var outputSchema: TableSchema { schema }
    var isEmpty: Bool { uniqueFields.isEmpty && primaryKey.isEmpty && foreignKeys.isEmpty && uniqueKeys.isEmpty }

    func makeProcessor(context: StepContext) -> any BatchProcessor { Processor(step: self, context: context) }

    final class Processor: BatchProcessor {
        let step: KeyCheck
        let context: StepContext
        var seenUnique: [Set<Value>]
        var seenPrimary: [[Value]: Int?] = [:]
        var seenKeys: [Set<[Value]>]
        var referenced: [Set<[Value]>?]
        /// Self-referencing keys: every row's own key, and the references waiting for the end.
        var ownKeys: [Set<[Value]>]
        var pending: [[(values: [Value], line: Int?)]]

        init(step: KeyCheck, context: StepContext) {
            self.step = step
            self.context = context
            seenUnique = step.uniqueFields.map { _ in [] }
            seenKeys = step.uniqueKeys.map { _ in [] }
            ownKeys = step.foreignKeys.map { _ in [] }
            pending = step.foreignKeys.map { _ in [] }
            referenced = step.foreignKeys.map { key in
                guard key.ownFields == nil, let table = context.tables?.table(key.dataset) else { return nil }
                let indexes = key.referencedFields.compactMap { table.schema.index(of: $0) }
                return Set(table.rows.map { row in indexes.map { row[$0].keyForm } })
            }
        }

        func process(_ batch: Batch) throws(PipelineFailure) -> Batch? {
            var output = Batch(width: batch.width, capacity: batch.rowCount)
            for row in 0..<batch.rowCount {
                let cells = batch.row(row)
                let line = batch.lines[row]
                var valid = true
                for (position, index) in step.uniqueFields.enumerated() {
                    let value = cells[cells.startIndex + index]
                    guard !value.isNull else { continue }
                    if !seenUnique[position].insert(value.keyForm).inserted {
                        let name = step.schema.fields[index].name
                        let location = context.location(line: line, field: name)
                        try context.report(
                            ValidationIssue(
                                .uniqueError, location: location, fieldNumber: index + 1, cell: value.text,
                                message: "'\(value.text ?? "")' appears more than once; '\(name)' is unique", rule: "unique"),
                            otherwise: .badValue(location, value: value.text ?? "", expected: "a value not seen before ('\(name)' is unique)"))
                        valid = false
                    }
                }
                for (position, indexes) in step.uniqueKeys.enumerated() {
                    let key = indexes.map { cells[cells.startIndex + $0].keyForm }
                    guard !key.contains(where: \.isNull), !seenKeys[position].insert(key).inserted else { continue }
                    let names = indexes.map { step.schema.fields[$0].name }.joined(separator: ", ")
                    let shown = key.map { $0.text ?? "" }.joined(separator: ", ")
                    let location = context.location(line: line, field: names)
                    try context.report(
                        ValidationIssue(
                            .uniqueError, location: location, cell: shown,
                            message: "(\(shown)) appears more than once; (\(names)) is a unique key", rule: "uniqueKeys"),
                        otherwise: .badValue(location, value: shown, expected: "a key not seen before ((\(names)) is unique)"))
                    valid = false
                }
                if !step.primaryKey.isEmpty {
                    let key = step.primaryKey.map { cells[cells.startIndex + $0].keyForm }
                    let names = step.primaryKey.map { step.schema.fields[$0].name }.joined(separator: ", ")
                    let shown = key.map { $0.text ?? "null" }.joined(separator: ", ")
                    if key.contains(where: \.isNull) {
                        let location = context.location(line: line, field: names)
                        try context.report(
                            ValidationIssue(
                                .primaryKeyError, location: location, cell: shown,
                                message: "the primary key (\(names)) has an empty part: (\(shown))", rule: "primaryKey"),
                            otherwise: .badValue(location, value: shown, expected: "a primary key without empty parts"))
                        valid = false
                    } else if let first = seenPrimary[key] {
                        let location = context.location(line: line, field: names)
                        let earlier = first.map { " (first on line \($0))" } ?? ""
                        try context.report(
                            ValidationIssue(
                                .primaryKeyError, location: location, cell: shown,
                                message: "the primary key (\(names)) = (\(shown)) is repeated\(earlier)", rule: "primaryKey"),
                            otherwise: .badValue(location, value: shown, expected: "a primary key not seen before"))
                        valid = false
                    } else {
                        seenPrimary[key] = line
                    }
                }
                for (position, key) in step.foreignKeys.enumerated() {
                    let values = key.fields.map { cells[cells.startIndex + $0].keyForm }
                    if let own = key.ownFields {
                        ownKeys[position].insert(own.map { cells[cells.startIndex + $0].keyForm })
                        if !values.contains(where: \.isNull) { pending[position].append((values, line)) }
                        continue
                    }
                    guard !values.contains(where: \.isNull) else { continue }
                    if referenced[position]?.contains(values) != true {
                        let shown = values.map { $0.text ?? "" }.joined(separator: ", ")
                        let names = key.names.joined(separator: ", ")
                        let location = context.location(line: line, field: names)
                        let message =
                            "(\(shown)) is not a (\(key.referencedFields.joined(separator: ", "))) of the dataset '\(key.dataset)'"
                        try context.report(
                            ValidationIssue(
                                .foreignKeyError, location: location, cell: shown, message: message, rule: "foreignKeys"),
                            otherwise: .badValue(location, value: shown, expected: "a key of the dataset '\(key.dataset)'"))
                        valid = false
                    }
                }
                if valid { output.append(row: cells, line: line) }
            }
            return output
        }

        func finish() throws(PipelineFailure) -> Batch? {
            for (position, key) in step.foreignKeys.enumerated() where key.ownFields != nil {
                for (values, line) in pending[position] where !ownKeys[position].contains(values) {
                    let shown = values.map { $0.text ?? "" }.joined(separator: ", ")
                    let names = key.names.joined(separator: ", ")
                    let location = context.location(line: line, field: names)
                    try context.report(
                        ValidationIssue(
                            .foreignKeyError, location: location, cell: shown,
                            message: "(\(shown)) is not a (\(key.referencedFields.joined(separator: ", "))) of any row of this dataset",
                            rule: "foreignKeys"),
                        otherwise: .badValue(location, value: shown, expected: "a key of another row of this dataset"))
                }
            }
            return nil
        }
    }
}
