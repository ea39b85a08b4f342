/// The one place where a dataset's stages are composed, in order:
///
///     extractor → key checks of source fields → transform 1 → … → transform n
///         → key checks of the published rows (unique, primaryKey, foreignKeys)
///         → checks of the output formats (TSV) → sinks (writers, content hash, feed summary) and data tests
///
/// Batches are pushed through the chain as the extractor reads them; a step
/// that must hold rows (aggregation) passes nothing on until the source is
/// exhausted, then hands its result down the rest of the chain. Data tests
/// see each published batch and report once the table is complete; the rows
/// themselves are kept only when another dataset reads them (``keepsRows``).
///
/// With a collector, a row with an error is reported and dropped, and reading
/// goes on, so that one run lists every error; the caller publishes nothing
/// when the collector holds an error. Without one, the first error is thrown.
struct DatasetFlow {
    let dataset: Dataset
    var collector: ValidationCollector?
    var tables: PipelineTables?

    init(dataset: Dataset, collector: ValidationCollector? = nil, tables: PipelineTables? = nil) {
        self.dataset = dataset
        self.collector = collector
        self.tables = tables
    }

    /// The steps in order, with the key checks the schema asks for and the checks of the output formats.
    var stages: [any Transform] {
        let source = dataset.extractor.schema
        var stages: [any Transform] = []
        let numbersAsText = NumbersAsTextCheck(fields: dataset.sourceFields, schema: source)
        if !numbersAsText.watched.isEmpty { stages.append(numbersAsText) }
        let sourceUnique = source.fields.indices.filter { source.fields[$0].constraints.unique }
        if !sourceUnique.isEmpty {
            stages.append(KeyCheck(schema: source, uniqueFields: sourceUnique, primaryKey: [], foreignKeys: []))
        }
        stages += dataset.transforms
        let output = dataset.schema
        let sourceNames = Set(sourceUnique.map { source.fields[$0].name })
        let outputUnique = output.fields.indices.filter {
            output.fields[$0].constraints.unique && !(sourceNames.contains(output.fields[$0].name) && dataset.transforms.isEmpty)
        }
        var check = KeyCheck(
            schema: output, uniqueFields: outputUnique,
            primaryKey: dataset.primaryKey.compactMap(output.index(of:)),
            foreignKeys: dataset.foreignKeys.map { key in
                KeyCheck.ForeignKeyCheck(
                    fields: key.fields.compactMap(output.index(of:)), names: key.fields, dataset: key.dataset,
                    referencedFields: key.referencedFields,
                    ownFields: key.dataset == dataset.id ? key.referencedFields.compactMap(output.index(of:)) : nil)
            })
        check.uniqueKeys = dataset.uniqueKeys.map { $0.compactMap(output.index(of:)) }
        if !check.isEmpty { stages.append(check) }
        stages += dataset.formats.compactMap { $0.output.check(for: dataset) }
        return stages
    }

    /// Whether the published rows are kept in ``tables``: only for a dataset that another one reads.
    var keepsRows: Bool { tables?.wanted.contains(dataset.id) == true }

    /// Runs the flow and returns the number of rows that reached the sinks.
    @discardableResult
    func run(into sinks: [any RowSink], progress: ((Int) -> Void)? = nil) throws(PipelineFailure) -> Int {
        let context = StepContext(sourceFile: dataset.extractor.displayPath, collector: collector, tables: tables)
        let processors = stages.map { $0.makeProcessor(context: context) }
        let keep = keepsRows
        var tests = dataset.tests.map { DataTest.Run($0, schema: dataset.schema, context: context) }
        var kept = PipelineTables.Table(schema: dataset.schema, rows: [], lines: [], file: context.sourceFile)
        var rows = 0
        var feedChecked = 0
        // Published fields that have had a value: one empty in every row gets a warning naming it.
        var filled = [Bool](repeating: false, count: dataset.schema.fields.count)
        var unfilled = filled.count
        // The sinks write on threads of their own while the next batches are read.
        let parallel = sinks.isEmpty ? nil : ParallelSinks(sinks)
        defer { try? parallel?.finish() }

        func push(_ batch: Batch, from stage: Int) throws(PipelineFailure) {
            var batch = batch
            for index in stage..<processors.count {
                guard let output = try processors[index].process(batch) else { return }
                batch = output
            }
            if let template = dataset.feedTemplate {
                try checkFeed(template, batch: batch, checked: &feedChecked, context: context)
            }
            if unfilled > 0 {
                for column in filled.indices where !filled[column] && column < batch.width {
                    if (0..<batch.rowCount).contains(where: { !batch[$0, column].isNull }) {
                        filled[column] = true
                        unfilled -= 1
                    }
                }
            }
            rows += batch.rowCount
            for index in tests.indices { tests[index].add(batch) }
            if keep {
                for row in 0..<batch.rowCount {
                    kept.rows.append(Array(batch.row(row)))
                    kept.lines.append(batch.lines[row])
                }
            }
            try parallel?.send(batch)
        }

        var read = 0
        do {
            try dataset.extractor.extract(collecting: collector) { batch throws(PipelineFailure) in
                try Interruption.check()
                read += batch.rowCount
                progress?(read)
                try push(batch, from: 0)
            }
        } catch {
            // A sink that failed on an earlier batch is what a serial run would have met first.
            try parallel?.finish()
            // A source that cannot be read on is one issue; the run goes on with the next dataset.
            guard let collector, let issue = error.sourceIssue else { throw error }
            collector.add(issue)
            return rows
        }
        do {
            for index in processors.indices {
                if let remaining = try processors[index].finish() {
                    try push(remaining, from: index + 1)
                }
            }
        } catch {
            try parallel?.finish()
            throw error
        }
        try parallel?.finish()
        if rows > 0, let collector {
            for column in filled.indices where !filled[column] {
                let name = dataset.schema.fields[column].name
                collector.add(
                    ValidationIssue(
                        .missingCell, severity: .warning, location: SourceLocation(file: context.sourceFile, field: name),
                        message: "the field '\(name)' is empty in all \(rows) published rows: check where it is read from"))
            }
        }
        if rows == 0, !dataset.allowEmpty, (collector?.errorsInCurrentDataset ?? 0) == 0 {
            let problem =
                "no rows to publish: the source gave \(read) row\(read == 1 ? "" : "s") and "
                + (dataset.transforms.isEmpty ? "none reached the output" : "the steps kept none (check the filters' values)")
                + "; a dataset that may be empty declares 'allowEmpty: true'"
            let location = SourceLocation(file: context.sourceFile)
            guard let collector else { throw PipelineFailure.malformedSource(location, problem: problem, code: .noRows) }
            collector.add(ValidationIssue(.sourceError, location: location, message: problem, code: .noRows))
        }
        if keep { tables?.store(kept, for: dataset.id) }
        // Tests report on complete tables only: with rows dropped for errors, their sums would mislead.
        for test in tests {
            let inputs = [dataset.id] + test.test.referencedDatasets
            if let collector, inputs.contains(where: collector.hasErrors(dataset:)) { continue }
            try test.finish(context: context)
        }
        return rows
    }
}

extension DatasetFlow {
    /// A feed sentence with an empty placeholder is never published: any row the headline could state is checked.
    private func checkFeed(
        _ template: FeedTemplate, batch: Batch, checked: inout Int, context: StepContext
    ) throws(PipelineFailure) {
        for row in 0..<batch.rowCount {
            checked += 1
            guard let name = template.emptyPlaceholder(in: batch.row(row)) else { continue }
            let location = SourceLocation(file: context.sourceFile, line: batch.lines[row], field: name)
            let problem =
                "the feed sentence's placeholder {\(name)} would be empty in published row \(checked); give the field a value or state it otherwise"
            guard let collector else { throw PipelineFailure.malformedSource(location, problem: problem) }
            collector.add(ValidationIssue(.stepError, location: location, message: problem, rule: "feed"))
        }
    }
}

extension PipelineFailure {
    /// The failure as a report issue, when it is about the data rather than the run.
    var sourceIssue: ValidationIssue? {
        switch self {
        case let .badValue(location, value, expected, code):
            ValidationIssue(
                code == .constraintError ? .constraintError : .typeError, location: location, cell: value, message: expected,
                code: code)
        case let .malformedSource(location, problem, code):
            ValidationIssue(.sourceError, location: location, message: problem, code: code)
        default:
            nil
        }
    }
}
