import Foundation
import Yams

/// A node of a pipeline file with the path that leads to it, so that every
/// error can name the file, the line, the column and the key.
struct DefinitionNode {
    let node: Node
    let file: String
    /// The dotted path of keys and indexes, e.g. `datasets[1].source.path`.
    let path: String

    var location: SourceLocation {
        SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column, field: path)
    }

    func fail(_ problem: String, code: PipelineFailure.Code = .invalidValue) -> PipelineFailure {
        .invalidDefinition(location, problem: problem, code: code)
    }

    /// The node as a mapping whose keys must all be in `allowed`.
    func mapping(allowed: [String]) throws(PipelineFailure) -> DefinitionMapping {
        guard case let .mapping(mapping) = node else {
            throw fail("expected a mapping of keys (\(allowed.joined(separator: ", "))), found \(kind)", code: .typeMismatch)
        }
        var entries: [(key: String, value: DefinitionNode)] = []
        for (key, value) in mapping {
            guard case let .scalar(scalar) = key else {
                throw DefinitionNode(node: key, file: file, path: path).fail("a key must be plain text", code: .typeMismatch)
            }
            let child = DefinitionNode(node: value, file: file, path: path.isEmpty ? scalar.string : "\(path).\(scalar.string)")
            guard allowed.contains(scalar.string) else {
                let keyNode = DefinitionNode(node: key, file: file, path: child.path)
                throw keyNode.fail("unknown key '\(scalar.string)'; expected one of: \(allowed.joined(separator: ", "))", code: .unknownKey)
            }
            entries.append((scalar.string, child))
        }
        return DefinitionMapping(owner: self, entries: entries)
    }

    func sequence() throws(PipelineFailure) -> [DefinitionNode] {
        guard case let .sequence(sequence) = node else { throw fail("expected a list, found \(kind)", code: .typeMismatch) }
        return sequence.enumerated().map { DefinitionNode(node: $0.element, file: file, path: "\(path)[\($0.offset)]") }
    }

    func string() throws(PipelineFailure) -> String {
        guard case let .scalar(scalar) = node else { throw fail("expected text, found \(kind)", code: .typeMismatch) }
        return scalar.string
    }

    func nonEmptyString() throws(PipelineFailure) -> String {
        let text = try string()
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw fail("expected text, found an empty value") }
        return text
    }

    func integer() throws(PipelineFailure) -> Int {
        guard case .scalar = node, let value = node.int else { throw fail("expected a whole number, found \(shown)", code: .typeMismatch) }
        return value
    }

    func boolean() throws(PipelineFailure) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw fail("expected true or false, found \(shown)", code: .typeMismatch) }
        return value
    }

    /// A number in plain notation, kept exactly.
    func decimal() throws(PipelineFailure) -> DecimalNumber {
        guard case let .scalar(scalar) = node, let value = NumberParser.parse(scalar.string, format: .plain) else {
            throw fail("expected a number such as 0 or 99.5, found \(shown)", code: .typeMismatch)
        }
        return value
    }

    /// The column where the scalar's text starts (after an opening quote).
    var textColumn: Int? {
        guard case let .scalar(scalar) = node, let column = node.mark?.column else { return nil }
        switch scalar.style {
        case .singleQuoted, .doubleQuoted: return column + 1
        default: return column
        }
    }

    private var kind: String {
        switch node {
        case .scalar: "text \(shown)"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private var shown: String {
        if case let .scalar(scalar) = node { return "'\(scalar.string)'" }
        return "a \(node.mapping != nil ? "mapping" : "list")"
    }
}

/// The entries of a mapping, read by key.
struct DefinitionMapping {
    let owner: DefinitionNode
    let entries: [(key: String, value: DefinitionNode)]

    subscript(key: String) -> DefinitionNode? {
        entries.first { $0.key == key }?.value
    }

    func required(_ key: String) throws(PipelineFailure) -> DefinitionNode {
        guard let value = self[key] else {
            throw owner.fail("missing required key '\(key)'", code: .missingKey)
        }
        return value
    }

    var keys: [String] { entries.map(\.key) }
}
