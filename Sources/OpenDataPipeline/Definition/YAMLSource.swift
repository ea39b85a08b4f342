import Foundation
import Yams

/// Reads a pipeline file into a YAML node tree safely.
///
/// The file's size is checked before it is read; the tree is composed (not
/// constructed: an alias shares its anchor's node and nothing is expanded) and
/// then walked with a bound on nodes and depth, so a YAML "billion laughs"
/// stops after ``DefinitionLimits/maximumNodes`` steps with a clear error.
/// (Yams holds anchors weakly, so composed nodes cannot say which were
/// aliased; the bound is what stops the walk.)
enum YAMLSource {
    static func load(file path: String, displayPath: String, limits: DefinitionLimits) throws(PipelineFailure) -> Node {
        let location = SourceLocation(file: displayPath)
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw PipelineFailure.invalidDefinition(location, problem: "cannot read the pipeline file (does it exist?)")
        }
        guard size <= limits.maximumFileBytes else {
            throw PipelineFailure.invalidDefinition(
                location,
                problem: "the file is \(size) bytes; pipeline files are limited to \(limits.maximumFileBytes) bytes")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PipelineFailure.invalidDefinition(location, problem: "cannot read the pipeline file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineFailure.invalidDefinition(location, problem: "the file is not valid UTF-8")
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw PipelineFailure.invalidDefinition(location, problem: "not valid YAML: \(describe(error))")
        } catch {
            throw PipelineFailure.invalidDefinition(location, problem: "not valid YAML: \(error)")
        }
        guard let root else {
            throw PipelineFailure.invalidDefinition(location, problem: "the file is empty")
        }
        var count = 0
        try check(root, depth: 0, count: &count, file: displayPath, limits: limits)
        return root
    }

    private static func check(
        _ node: Node, depth: Int, count: inout Int, file: String, limits: DefinitionLimits
    ) throws(PipelineFailure) {
        let location = SourceLocation(file: file, line: node.mark?.line, column: node.mark?.column)
        count += 1
        guard count <= limits.maximumNodes else {
            throw PipelineFailure.invalidDefinition(
                location,
                problem: "more than \(limits.maximumNodes) YAML nodes; the file is refused "
                    + "(YAML aliases multiply nodes like this; pipeline files need no anchors or aliases)")
        }
        guard depth <= limits.maximumDepth else {
            throw PipelineFailure.invalidDefinition(
                location, problem: "nested deeper than \(limits.maximumDepth) levels; the file is refused")
        }
        switch node {
        case .scalar: break
        case let .sequence(sequence):
            for child in sequence { try check(child, depth: depth + 1, count: &count, file: file, limits: limits) }
        case let .mapping(mapping):
            for (key, value) in mapping {
                try check(key, depth: depth + 1, count: &count, file: file, limits: limits)
                try check(value, depth: depth + 1, count: &count, file: file, limits: limits)
            }
        case .alias:
            throw PipelineFailure.invalidDefinition(
                location, problem: "YAML anchors and aliases (&name, *name) are not allowed in pipeline files")
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            // libyaml stops at 1,000 levels with advice for its C API; say what the file must do.
            problem.hasPrefix("Maximum nesting level reached")
                ? "line \(mark.line), column \(mark.column): nested more than 1000 levels deep; pipeline files are limited to 32"
                : "line \(mark.line), column \(mark.column): \(problem)"
        default:
            "\(error)"
        }
    }
}
