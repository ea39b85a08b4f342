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
            throw PipelineFailure.invalidDefinition(location, problem: "cannot read the pipeline file (does it exist?)", code: .definitionUnreadable)
        }
        guard size <= limits.maximumFileBytes else {
            throw PipelineFailure.invalidDefinition(
                location,
                problem: "the file is \(size) bytes; pipeline files are limited to \(limits.maximumFileBytes) bytes",
                code: .definitionTooLarge)
        }
        guard let data = LocalFile.contents(atPath: path) else {
            throw PipelineFailure.invalidDefinition(location, problem: "cannot read the pipeline file", code: .definitionUnreadable)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PipelineFailure.invalidDefinition(location, problem: "the file is not valid UTF-8", code: .encodingError)
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let YamlError.duplicatedKeysInMapping(duplicates, context) {
            throw duplicateKey(duplicates.first ?? "", first: context.mark, in: text, file: displayPath)
        } catch let error as YamlError {
            throw PipelineFailure.invalidDefinition(
                SourceLocation(file: displayPath, line: mark(of: error)?.line, column: mark(of: error)?.column),
                problem: "not valid YAML: \(describe(error))", code: .yamlSyntax)
        } catch {
            throw PipelineFailure.invalidDefinition(location, problem: "not valid YAML: \(error)", code: .yamlSyntax)
        }
        guard let root else {
            throw PipelineFailure.invalidDefinition(location, problem: "the file is empty", code: .emptySource)
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
                    + "(YAML aliases multiply nodes like this; pipeline files need no anchors or aliases)",
                code: .definitionTooLarge)
        }
        guard depth <= limits.maximumDepth else {
            throw PipelineFailure.invalidDefinition(
                location, problem: "nested deeper than \(limits.maximumDepth) levels; the file is refused",
                code: .definitionTooLarge)
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
                location, problem: "YAML anchors and aliases (&name, *name) are not allowed in pipeline files", code: .yamlAlias)
        }
    }

    /// A key given twice in one mapping, placed at its second occurrence. Yams gives
    /// the first one's position; the second is the next line at the same indentation
    /// that starts with the key (block style), or the next `key:` after it on the
    /// same line (flow style). The file itself is not printed.
    static func duplicateKey(_ key: String, first: Mark, in text: String, file: String) -> PipelineFailure {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        let indent = first.column - 1
        let token = Array(key.utf8)
        func isKey(_ line: [UInt8], at start: Int) -> Bool {
            for quote in [nil, UInt8(ascii: "\""), UInt8(ascii: "'")] {
                let word = quote.map { [$0] + token + [$0] } ?? token
                guard start + word.count <= line.count, Array(line[start..<start + word.count]) == word else { continue }
                var next = start + word.count
                while next < line.count, line[next] == 0x20 { next += 1 }
                if next < line.count, line[next] == UInt8(ascii: ":") { return true }
            }
            return false
        }
        // Marks count characters (code points); the lines here are bytes.
        func column(_ line: [UInt8], _ offset: Int) -> Int {
            String(decoding: line[..<offset], as: UTF8.self).unicodeScalars.count + 1
        }
        var second: (line: Int, column: Int)?
        if first.line >= 1, first.line <= lines.count {
            // Flow style: another `key:` after a `,` or `{` later on the first line.
            let line = lines[first.line - 1]
            var index = 0
            while index < line.count, column(line, index) < first.column { index += 1 }
            index += token.count
            while second == nil, index < line.count {
                if line[index] == UInt8(ascii: ",") || line[index] == UInt8(ascii: "{") {
                    var start = index + 1
                    while start < line.count, line[start] == 0x20 { start += 1 }
                    if isKey(line, at: start) { second = (first.line, column(line, start)) }
                }
                index += 1
            }
            // Block style: the mapping goes on while lines are indented at least as deep.
            var number = first.line
            while second == nil, number < lines.count {
                let line = lines[number]
                number += 1
                let spaces = line.prefix { $0 == 0x20 }.count
                guard spaces < line.count, line[spaces] != UInt8(ascii: "#") else { continue }
                if spaces < indent { break }
                if spaces == indent, isKey(line, at: spaces) { second = (number, spaces + 1) }
            }
        }
        let shown = key.count > 60 ? String(key.prefix(59)) + "…" : key
        let place = second ?? (first.line, first.column)
        return PipelineFailure.invalidDefinition(
            SourceLocation(file: file, line: place.line, column: place.column, field: shown),
            problem: "the key '\(shown)' is given twice in the same mapping (first on line \(first.line), column \(first.column)); "
                + "keep one of them", code: .yamlDuplicateKey)
    }

    /// Where libyaml stopped, when it says.
    private static func mark(of error: YamlError) -> Mark? {
        switch error {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark
        default: nil
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case let .scanner(_, problem, _, _), let .parser(_, problem, _, _), let .composer(_, problem, _, _):
            // libyaml stops at 1,000 levels with advice for its C API; say what the file must do.
            problem.hasPrefix("Maximum nesting level reached")
                ? "nested more than 1000 levels deep; pipeline files are limited to 32"
                : problem
        default:
            "\(error)"
        }
    }
}
