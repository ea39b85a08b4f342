import Foundation

/// Writes a dataset as a JSON-stat 2.0 dataset: the primary-key fields are
/// the dimensions (categories in order of first appearance), and the numeric
/// fields outside the key are the categories of a `metric` dimension, which
/// comes last. Values are dense, row-major with the last dimension fastest,
/// null where no row has that combination.
///
/// Holds the rows' keys and values until the end (JSON-stat lists categories
/// before values), so memory grows with the dataset.
final class JSONStatWriter: DatasetWriter {
    private let schema: TableSchema
    private let keyIndexes: [Int]
    private let metricIndexes: [Int]
    private let path: String
    private var categories: [[String]]
    private var categoryPositions: [[String: Int]]
    private var values: [[Int]: [Value]] = [:]

    init(schema: TableSchema, primaryKey: [String], path: String) {
        self.schema = schema
        keyIndexes = primaryKey.compactMap { schema.index(of: $0) }
        metricIndexes = schema.fields.indices.filter { index in
            !primaryKey.contains(schema.fields[index].name) && schema.fields[index].type.isNumeric
        }
        self.path = path
        categories = Array(repeating: [], count: keyIndexes.count)
        categoryPositions = Array(repeating: [:], count: keyIndexes.count)
    }

    func write(_ batch: Batch) throws(PipelineFailure) {
        for row in 0..<batch.rowCount {
            var position: [Int] = []
            for (dimension, index) in keyIndexes.enumerated() {
                let label = batch[row, index].text ?? ""
                if let known = categoryPositions[dimension][label] {
                    position.append(known)
                } else {
                    categoryPositions[dimension][label] = categories[dimension].count
                    position.append(categories[dimension].count)
                    categories[dimension].append(label)
                }
            }
            values[position] = metricIndexes.map { batch[row, $0] }
        }
    }

    func finish(_ metadata: DatasetMetadata) throws(PipelineFailure) -> Int {
        let dataset = metadata.dataset
        return try finish(describedBy: [
            "label": dataset.title.en, "source": dataset.sources.map(\.title).joined(separator: "; "),
            "updated": metadata.dates.data,
            "href": "\(metadata.pipeline.folderURL)/\(JSONStatFormat.dataFile.path(for: dataset.id))",
        ])
    }

    /// Writes the dataset with `metadata` (label, source, updated, href) beside its dimensions and values.
    func finish(describedBy metadata: [String: Any]) throws(PipelineFailure) -> Int {
        var ids = keyIndexes.map { schema.fields[$0].name }
        var sizes = categories.map(\.count)
        var dimensions: [String: Any] = [:]
        for (dimension, index) in keyIndexes.enumerated() {
            let field = schema.fields[index]
            var indexObject: [String: Int] = [:]
            for (position, label) in categories[dimension].enumerated() { indexObject[label] = position }
            dimensions[field.name] = [
                "label": field.title?.en ?? field.name,
                "category": ["index": indexObject],
            ]
        }
        var metricIndex: [String: Int] = [:]
        var metricLabels: [String: String] = [:]
        var units: [String: Any] = [:]
        for (position, index) in metricIndexes.enumerated() {
            let field = schema.fields[index]
            metricIndex[field.name] = position
            metricLabels[field.name] = field.title?.en ?? field.name
            var unit: [String: Any] = ["decimals": field.type == .integer ? 0 : 1]
            if let label = field.unit { unit["label"] = label }
            units[field.name] = unit
        }
        ids.append("metric")
        sizes.append(metricIndexes.count)
        dimensions["metric"] = [
            "label": "Metric",
            "category": ["index": metricIndex, "label": metricLabels, "unit": units],
        ]
        // Dense values, last dimension (the metric) fastest.
        let cells = sizes.reduce(1, *)
        var dense: [Any] = Array(repeating: NSNull(), count: cells)
        for (position, row) in values {
            var offset = 0
            for (dimension, coordinate) in position.enumerated() { offset = offset * sizes[dimension] + coordinate }
            for (metric, value) in row.enumerated() {
                dense[offset * metricIndexes.count + metric] = MetadataDocument.jsonValue(value)
            }
        }
        var object = metadata
        object["version"] = "2.0"
        object["class"] = "dataset"
        object["id"] = ids
        object["size"] = sizes
        object["dimension"] = dimensions
        object["value"] = dense
        object["role"] = ["metric": ["metric"], "time": ids.filter { $0 == "year" || $0 == "date" }]
        var bytes = try JSONWriter.serialize(object, path: path)
        bytes.append(0x0A)
        return try BufferedFileWriter.write(bytes, to: path)
    }
}
