/// `titles:` in a dataset: the title (and optionally the description) of any
/// published field, set after every step, whatever step made the field (a
/// `lookup` copies the looked-up field's title, an `aggregate` names a count):
///
///     titles:
///       population: {vi: Dân số cả nước (nghìn người), en: National population (thousands)}
///       area_vi: {vi: Địa bàn, en: Area (Vietnamese), description: {vi: …, en: …}}
enum FieldTitles {
    static func apply(_ node: DefinitionNode, to schema: inout TableSchema) throws(PipelineFailure) {
        let keys = try node.mapping(allowed: schema.fields.map(\.name))
        for (name, entry) in keys.entries {
            guard let index = schema.index(of: name) else { continue }
            let parts = try entry.mapping(allowed: ["vi", "en", "description"])
            schema.fields[index].title = LocalizedText(
                vi: try parts.required("vi").nonEmptyString(), en: try parts.required("en").nonEmptyString())
            if let description = parts["description"] { schema.fields[index].description = try PipelineLoader.localized(description) }
        }
    }
}
