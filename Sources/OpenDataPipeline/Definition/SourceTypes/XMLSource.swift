import LibXML
import Yams

extension SourceType {
    /// `type: xml` (rows selected by XPath, or streamed by a simple path).
    static let xml = SourceType(
        name: "xml",
        options: [
            SourceOption("rows", .text), SourceOption("namespaces", .structured), SourceOption("maximumBytes", .wholeNumber),
            SourceOption("stream", .boolean), SourceOption("maximumRowBytes", .wholeNumber),
        ]
    ) { source throws(PipelineFailure) in
        var namespaces: [String: String] = [:]
        if let namespacesNode = source["namespaces"] {
            guard case let .mapping(mapping) = namespacesNode.node else {
                throw namespacesNode.fail("expected a mapping of prefix: namespace URI")
            }
            for (prefix, uri) in mapping {
                namespaces[prefix.string ?? ""] = uri.string ?? ""
            }
        }
        var maximumBytes = XMLExtractor.defaultMaximumBytes
        if let node = source["maximumBytes"] {
            maximumBytes = try node.integer()
            guard maximumBytes > 0 else { throw node.fail("expected a positive number of bytes") }
        }
        let rowsNode = try source.required("rows")
        if try source["stream"]?.boolean() == true {
            let extractor = StreamingXMLExtractor(
                path: source.path, displayPath: source.shownPath, rows: try rowsNode.nonEmptyString(), namespaces: namespaces,
                fields: source.fields,
                maximumRowBytes: try source.positive("maximumRowBytes", default: StreamingXMLExtractor.defaultMaximumRowBytes))
            do throws(PipelineFailure) {
                _ = try extractor.compiledPaths()
            } catch {
                if case let .invalidDefinition(_, problem, _) = error { throw rowsNode.fail(problem) }
                throw error
            }
            return extractor
        }
        for (item, field) in try source.fieldNodes() {
            do {
                _ = try XPathQuery(field.from ?? field.field.name)
            } catch {
                throw item.fail("\(error)")
            }
        }
        let extractor = XMLExtractor(
            path: source.path, displayPath: source.shownPath, rows: try rowsNode.nonEmptyString(), namespaces: namespaces,
            fields: source.fields, maximumBytes: maximumBytes)
        do {
            _ = try extractor.compileQueries()
        } catch {
            throw rowsNode.fail("\(error)")
        }
        return extractor
    }
}
