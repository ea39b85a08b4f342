/// A step that reads another dataset of the pipeline (a lookup).
protocol ReadsDatasets {
    var referencedDatasets: [String] { get }
}

extension Pipeline {
    /// The datasets whose published rows other datasets read (foreign keys,
    /// lookups, data tests); the engine keeps only these in memory.
    public var referencedDatasets: Set<String> {
        var names = Set<String>()
        for dataset in datasets {
            names.formUnion(dataset.foreignKeys.map(\.dataset).filter { $0 != dataset.id })
            for step in dataset.transforms {
                if let reader = step as? any ReadsDatasets { names.formUnion(reader.referencedDatasets) }
            }
            for test in dataset.tests { names.formUnion(test.referencedDatasets) }
        }
        return names
    }
}
