import Foundation
import Yams

extension SourceType {
    /// `type: postgresql`: the rows of a read-only query on a PostgreSQL server, which the
    /// connection settings of the environment name (never the pipeline file).
    static let postgresql = SourceType(
        name: "postgresql",
        options: [
            SourceOption("connection", .text), SourceOption("query", .text), SourceOption("parameters", .structured),
            SourceOption("timeoutSeconds", .wholeNumber), SourceOption("changeQuery", .text),
        ], readsFile: false
    ) { source throws(PipelineFailure) in
        let queryNode = try source.required("query")
        let query = try queryNode.nonEmptyString()
        var parameters: [String: PostgresExtractor.Parameter] = [:]
        var names: [String] = []
        if let node = source["parameters"] {
            guard case let .mapping(mapping) = node.node else { throw node.fail("expected a mapping of parameter names to values") }
            for (name, value) in try node.mapping(allowed: mapping.keys.compactMap(\.string)).entries {
                names.append(name)
                guard case let .scalar(scalar) = value.node else { throw value.fail("expected a number, true/false or text") }
                switch scalar.style {
                case .plain:
                    if let integer = Int64(scalar.string) {
                        parameters[name] = .integer(integer)
                    } else if ["true", "false"].contains(scalar.string) {
                        parameters[name] = .boolean(scalar.string == "true")
                    } else {
                        parameters[name] = .text(scalar.string)
                    }
                default: parameters[name] = .text(scalar.string)
                }
            }
        }
        let text: PostgresQueryText
        do throws(PostgresConnectionSettings.Problem) {
            text = try PostgresQueryText(query, parameters: names)
        } catch {
            throw queryNode.fail(error.text)
        }
        let variableNode = source["connection"]
        let variable = try variableNode?.nonEmptyString()
        if let variable, !variable.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
            throw variableNode!.fail("expected the name of an environment variable holding the connection URL, such as DATABASE_URL")
        }
        let settings: PostgresConnectionSettings
        switch PostgresConnectionSettings.from(environment: ProcessInfo.processInfo.environment, variable: variable) {
        case let .success(value): settings = value
        case let .failure(problem): throw (variableNode ?? source.node).fail(problem.text)
        }
        var extractor = PostgresExtractor(
            settings: settings, query: query, text: text, parameters: parameters,
            timeoutSeconds: try source.positive("timeoutSeconds", default: 300), fields: source.fields,
            timeZone: source.timeZone, placement: placement(of: queryNode, text: query))
        extractor.changeQuery = try source["changeQuery"]?.nonEmptyString()
        return extractor
    }

    /// The file line and column of each line of the `query:` text: a block scalar's
    /// text starts on the line after its `|` at the block's indentation.
    private static func placement(of node: DefinitionNode, text: String) -> PostgresExtractor.Placement {
        guard case let .scalar(scalar) = node.node, let mark = node.node.mark else {
            return .init(file: node.file, lines: [])
        }
        let count = text.split(separator: "\n", omittingEmptySubsequences: false).count
        switch scalar.style {
        case .literal, .folded:
            let fileLines =
                (try? String(contentsOfFile: node.file, encoding: .utf8))?
                .split(separator: "\n", omittingEmptySubsequences: false) ?? []
            return .init(
                file: node.file,
                lines: (0..<count).map { index in
                    let line = mark.line + 1 + index
                    let indent = line - 1 < fileLines.count ? fileLines[line - 1].prefix { $0 == " " }.count : 0
                    return (line: line, column: indent + 1)
                })
        default:
            return .init(file: node.file, lines: [(line: mark.line, column: node.textColumn ?? mark.column)])
        }
    }
}
