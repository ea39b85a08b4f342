/// Reads a dataset's `publish` list: names of ``OutputFormats/all``, each at most once;
/// without the list, the formats that are on by default for the dataset.
enum PublishLoader {
    static func formats(
        _ node: DefinitionNode?, for dataset: Dataset, at datasetNode: DefinitionNode
    ) throws(PipelineFailure) -> [PublishFormat] {
        var formats: [PublishFormat] = []
        if let node {
            for item in try node.sequence() {
                let name = try item.string()
                guard let format = OutputFormats.named(name) else {
                    throw item.fail(
                        "unknown format '\(name)'; expected one of: \(OutputFormats.all.map(\.id).joined(separator: ", "))", code: .unknownName)
                }
                guard !formats.contains(format) else { throw item.fail("the format '\(name)' is listed twice", code: .duplicateName) }
                formats.append(format)
            }
        } else {
            formats = OutputFormats.all.filter { $0.output.isDefault(for: dataset) }
        }
        for format in formats {
            if let problem = format.output.refusal(for: dataset) { throw datasetNode.fail(problem) }
        }
        return formats
    }
}
