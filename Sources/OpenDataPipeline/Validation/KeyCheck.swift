/// Checks keys over a whole table as rows stream past: `unique` fields,
/// `uniqueKeys` (v2: groups of fields; a key with an empty part is not
/// compared), the primary key, and foreign keys into earlier datasets or
/// into the dataset itself.
///
/// Holds the set of keys seen, as bytes in a ``CompactKeySet`` (memory grows
/// with the number of distinct keys and their size, not with the width of rows). A row that breaks a key is reported
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
        var seenUnique: [CompactKeySet]
        /// Each primary key with the line it was first seen on as its note.
        var seenPrimary = CompactKeySet()
        var seenKeys: [CompactKeySet]
        var referenced: [CompactKeySet?]
        /// Self-referencing keys: every row's own key, and the references not yet found among them.
        var ownKeys: [CompactKeySet]
        var pending: [CompactKeyList]
        /// The bytes of the key being checked, reused from row to row.
        private var key: [UInt8] = []

        init(step: KeyCheck, context: StepContext) {
            self.step = step
            self.context = context
            seenUnique = step.uniqueFields.map { _ in CompactKeySet() }
            seenKeys = step.uniqueKeys.map { _ in CompactKeySet() }
            ownKeys = step.foreignKeys.map { _ in CompactKeySet() }
            pending = step.foreignKeys.map { _ in CompactKeyList() }
            referenced = step.foreignKeys.map { key in
                guard key.ownFields == nil, let table = context.tables?.table(key.dataset) else { return nil }
                let indexes = key.referencedFields.compactMap { table.schema.index(of: $0) }
                var keys = CompactKeySet()
                var bytes: [UInt8] = []
                for row in table.rows {
                    bytes.removeAll(keepingCapacity: true)
                    for index in indexes { KeyBytes.append(row[index], to: &bytes) }
                    keys.insert(bytes)
                }
                return keys
            }
        }

        /// Writes the key of the fields at `indexes` into `key`; false when a part is null.
        private func encodeKey(_ indexes: [Int], of cells: ArraySlice<Value>) -> Bool {
            key.removeAll(keepingCapacity: true)
            var complete = true
            for index in indexes {
                let value = cells[cells.startIndex + index]
                if value.isNull { complete = false }
                KeyBytes.append(value, to: &key)
            }
            return complete
        }

        /// The key's parts as a message shows them (in key form), joined by commas.
        private func shown(_ indexes: [Int], of cells: ArraySlice<Value>, null: String = "") -> String {
            indexes.map { cells[cells.startIndex + $0].keyForm.text ?? null }.joined(separator: ", ")
        }

        /// A line as a key's note (0 for none; lines are positive).
        private static func note(_ line: Int?) -> UInt64 {
            line.map { UInt64(bitPattern: Int64($0)) &+ 1 } ?? 0
        }

        private static func line(_ note: UInt64) -> Int? {
            note == 0 ? nil : Int(Int64(bitPattern: note &- 1))
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
                    key.removeAll(keepingCapacity: true)
                    KeyBytes.append(value, to: &key)
                    if !seenUnique[position].insert(key) {
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
                    guard encodeKey(indexes, of: cells), !seenKeys[position].insert(key) else { continue }
                    let names = indexes.map { step.schema.fields[$0].name }.joined(separator: ", ")
                    let shown = shown(indexes, of: cells)
                    let location = context.location(line: line, field: names)
                    try context.report(
                        ValidationIssue(
                            .uniqueError, location: location, cell: shown,
                            message: "(\(shown)) appears more than once; (\(names)) is a unique key", rule: "uniqueKeys"),
                        otherwise: .badValue(location, value: shown, expected: "a key not seen before ((\(names)) is unique)"))
                    valid = false
                }
                if !step.primaryKey.isEmpty {
                    if !encodeKey(step.primaryKey, of: cells) {
                        let names = step.primaryKey.map { step.schema.fields[$0].name }.joined(separator: ", ")
                        let shown = shown(step.primaryKey, of: cells, null: "null")
                        let location = context.location(line: line, field: names)
                        try context.report(
                            ValidationIssue(
                                .primaryKeyError, location: location, cell: shown,
                                message: "the primary key (\(names)) has an empty part: (\(shown))", rule: "primaryKey"),
                            otherwise: .badValue(location, value: shown, expected: "a primary key without empty parts"))
                        valid = false
                    } else if let first = seenPrimary.insert(key, note: Self.note(line)) {
                        let names = step.primaryKey.map { step.schema.fields[$0].name }.joined(separator: ", ")
                        let shown = shown(step.primaryKey, of: cells, null: "null")
                        let location = context.location(line: line, field: names)
                        let earlier = Self.line(first).map { " (first on line \($0))" } ?? ""
                        try context.report(
                            ValidationIssue(
                                .primaryKeyError, location: location, cell: shown,
                                message: "the primary key (\(names)) = (\(shown)) is repeated\(earlier)", rule: "primaryKey"),
                            otherwise: .badValue(location, value: shown, expected: "a primary key not seen before"))
                        valid = false
                    }
                }
                for (position, foreignKey) in step.foreignKeys.enumerated() {
                    if let own = foreignKey.ownFields {
                        // A reference has no empty part, so an own key with one is never looked for.
                        if encodeKey(own, of: cells) { ownKeys[position].insert(key) }
                        if encodeKey(foreignKey.fields, of: cells), !ownKeys[position].contains(key) {
                            pending[position].append(key, note: Self.note(line))
                        }
                        continue
                    }
                    guard encodeKey(foreignKey.fields, of: cells) else { continue }
                    if referenced[position]?.contains(key) != true {
                        let shown = shown(foreignKey.fields, of: cells)
                        let names = foreignKey.names.joined(separator: ", ")
                        let location = context.location(line: line, field: names)
                        let message =
                            "(\(shown)) is not a (\(foreignKey.referencedFields.joined(separator: ", "))) of the dataset '\(foreignKey.dataset)'"
                        try context.report(
                            ValidationIssue(
                                .foreignKeyError, location: location, cell: shown, message: message, rule: "foreignKeys"),
                            otherwise: .badValue(location, value: shown, expected: "a key of the dataset '\(foreignKey.dataset)'"))
                        valid = false
                    }
                }
                if valid { output.append(row: cells, line: line) }
            }
            return output
        }

        func finish() throws(PipelineFailure) -> Batch? {
            for (position, key) in step.foreignKeys.enumerated() where key.ownFields != nil {
                let own = ownKeys[position]
                for (bytes, note) in pending[position] where !own.contains(bytes) {
                    let shown = KeyBytes.values(of: bytes[...]).map { $0.text ?? "" }.joined(separator: ", ")
                    let names = key.names.joined(separator: ", ")
                    let location = context.location(line: Self.line(note), field: names)
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
