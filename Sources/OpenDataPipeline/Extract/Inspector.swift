import Foundation
import GRDB
import LibXML
import Synchronization
import ZIPFoundation

/// Suggests how to read a new file: its type, and for delimited text its
/// encoding, dialect, header line and a field schema, as a `source:` and
/// `fields:` snippet to paste into a pipeline.
///
/// This is the only place in the project that guesses. A run never does: it
/// reads exactly what the pipeline declares. The suggestion is made from the
/// first `sampleBytes` of the file.
public struct Inspector: Sendable {
    public var sampleBytes: Int

    public init(sampleBytes: Int = 1 << 20) {
        self.sampleBytes = sampleBytes
    }

    /// What the inspector found, and the snippet it suggests.
    public struct Report: Sendable {
        public var type: String
        public var notes: [String]
        public var snippet: String
    }

    public func inspect(path: String, relativePath: String) throws(PipelineFailure) -> Report {
        guard let sample = LocalFile.prefix(atPath: path, count: sampleBytes) else {
            throw PipelineFailure.sourceUnreadable(SourceLocation(file: relativePath), reason: "cannot open the file")
        }
        let lower = relativePath.lowercased()
        if sample.starts(with: Array("SQLite format 3\0".utf8)), let report = Self.sqlite(path: path, relativePath: relativePath) {
            return report
        }
        if sample.starts(with: Array("SQLite format 3\0".utf8)) {
            return Report(
                type: "sqlite", notes: ["an SQLite database: write the query that gives one row per record"],
                snippet: "source:\n  type: sqlite\n  path: \(relativePath)\n  query: SELECT * FROM ...\n")
        }
        if sample.starts(with: [0x50, 0x4B, 0x03, 0x04]) || lower.hasSuffix(".xlsx") {
            let sheets = Self.sheetNames(path: path)
            let sheet = sheets.first.map(Self.yamlString) ?? "..."
            if let first = sheets.first, let (header, rows) = Self.sheetTable(path: path, sheet: first), !header.isEmpty {
                let (fields, missing) = Self.tableFields(header: header, rows: rows)
                return Report(
                    type: "xlsx",
                    notes: ["an .xlsx workbook with the sheets \(sheets.map { "'\($0)'" }.joined(separator: ", ")); the first, with one header row"],
                    snippet: "source:\n  type: xlsx\n  path: \(relativePath)\n  sheet: \(sheet)\n  headerRows: 1\n"
                        + (missing.isEmpty ? "" : "missingValues: [\"\", " + missing.map(Self.quoted).joined(separator: ", ") + "]\n") + fields)
            }
            return Report(
                type: "xlsx",
                notes: [
                    sheets.isEmpty
                        ? "a ZIP archive without a readable workbook: is it an .xlsx?"
                        : "an .xlsx workbook with the sheets \(sheets.map { "'\($0)'" }.joined(separator: ", ")): name the header rows and fields"
                ],
                snippet: "source:\n  type: xlsx\n  path: \(relativePath)\n  sheet: \(sheet)\n  headerRows: 1\n")
        }
        let text = String(decoding: sample.prefix(4096), as: UTF8.self)
        if text.contains("http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"),
            let components = Self.sdmxComponents(path: path, source: relativePath), !components.isEmpty
        {
            var fields = "fields:\n"
            var names: Set<String> = []
            for (index, component) in components.enumerated() {
                var name = Self.fieldName(component, column: index)
                while names.contains(name) { name += "_\(index + 1)" }
                names.insert(name)
                fields += "  - {name: \(name), type: \(component == "OBS_VALUE" ? "number" : "string"), from: \(Self.yamlString(component))}\n"
            }
            return Report(
                type: "sdmx", notes: ["an SDMX-ML 2.1 message; the first observation has: \(components.joined(separator: ", "))"],
                snippet: "source:\n  type: sdmx\n  path: \(relativePath)\n" + fields)
        }
        if text.contains("http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message") {
            return Report(
                type: "sdmx", notes: ["an SDMX-ML 2.1 message: name the dimensions and attributes to publish"],
                snippet:
                    "source:\n  type: sdmx\n  path: \(relativePath)\nfields:\n  - {name: time, type: string, from: TIME_PERIOD}\n  - {name: value, type: number, from: OBS_VALUE}\n"
            )
        }
        let trimmed = text.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        if trimmed.hasPrefix("<") {
            if lower.hasSuffix(".html") || lower.hasSuffix(".htm") || trimmed.lowercased().hasPrefix("<!doctype html")
                || trimmed.lowercased().hasPrefix("<html")
            {
                if let report = Self.htmlTable(path: path, relativePath: relativePath) { return report }
                return Report(
                    type: "html", notes: ["an HTML page: choose the table by id, caption or XPath"],
                    snippet: "source:\n  type: html\n  path: \(relativePath)\n  table: {id: ...}\n  headerRows: 1\n")
            }
            if let report = Self.xmlRows(path: path, relativePath: relativePath) { return report }
            return Report(
                type: "xml", notes: ["an XML document: write an XPath for the rows"],
                snippet: "source:\n  type: xml\n  path: \(relativePath)\n  rows: /...\n")
        }
        if trimmed.hasPrefix("{") || trimmed.hasPrefix("[") {
            if text.contains("\"dimension\""), let report = Self.jsonStat(path: path, relativePath: relativePath) {
                return report
            }
            let ndjson = lower.hasSuffix(".ndjson") || lower.hasSuffix(".jsonl")
            if let report = Self.jsonRecords(path: path, sample: sample, relativePath: relativePath, ndjson: ndjson) {
                return report
            }
            return Report(
                type: ndjson ? "ndjson" : "json", notes: ["JSON: records at a JSON Pointer"],
                snippet: "source:\n  type: \(ndjson ? "ndjson" : "json")\n  path: \(relativePath)\n" + (ndjson ? "" : "  records: /...\n"))
        }
        return delimited(sample, relativePath: relativePath, complete: sample.count < sampleBytes)
    }

    // MARK: Workbooks and JSON-stat

    /// The workbook's sheet names, in order (empty when it cannot be read).
    static func sheetNames(path: String) -> [String] {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            return []
        }
        guard let entry = archive["xl/workbook.xml"], entry.uncompressedSize < 16 << 20 else { return [] }
        var data = Data()
        guard (try? archive.extract(entry, consumer: { data.append($0) })) != nil,
            let document = try? Document(parsing: [UInt8](data), source: "xl/workbook.xml"),
            let names = try? document.xpath().nodes(XPathQuery("//*[local-name()='sheet']/@name"))
        else { return [] }
        return names.map(\.content)
    }

    /// An XML document without namespaces: the rows are the element that repeats most
    /// under one parent, the fields its child elements that hold text; nil otherwise.
    static func xmlRows(path: String, relativePath: String) -> Report? {
        guard let bytes = try? SourceFile.read(path: path, displayPath: relativePath, maximumBytes: XMLExtractor.defaultMaximumBytes, kind: "XML"),
            let document = try? Document(parsing: bytes, source: relativePath), let root = document.root
        else { return nil }
        var best: (path: String, rows: [Node])?
        func visit(_ node: Node, _ path: String) {
            guard node.namespaceURI == nil else { return }
            var groups: [String: [Node]] = [:]
            for child in node.children { groups[child.name, default: []].append(child) }
            for (name, nodes) in groups.sorted(by: { $0.key < $1.key }) where nodes.count >= 2 && nodes.count > best?.rows.count ?? 0 {
                best = (path + "/" + name, nodes)
            }
            for child in node.children { visit(child, path + "/" + child.name) }
        }
        visit(root, "/" + root.name)
        guard let best, let first = best.rows.first else { return nil }
        let columns = first.children.filter { $0.children.isEmpty && $0.namespaceURI == nil }.map(\.name)
        guard !columns.isEmpty, let evaluator = try? document.xpath() else { return nil }
        let queries = columns.compactMap { try? XPathQuery($0) }
        guard queries.count == columns.count else { return nil }
        let rows = best.rows.prefix(1000).map { node in queries.map { (try? evaluator.string($0, at: node)) ?? nil ?? "" } }
        let (fields, missing) = tableFields(header: columns, rows: rows)
        return Report(
            type: "xml", notes: ["an XML document: \(best.rows.count) <\(first.name)> rows at \(best.path)"],
            snippet: "source:\n  type: xml\n  path: \(relativePath)\n  rows: \(quoted(best.path))\n"
                + (missing.isEmpty ? "" : "missingValues: [\"\", " + missing.map(quoted).joined(separator: ", ") + "]\n") + fields)
    }

    /// The header (one row) and the rows of a sheet as text, read by ``XLSXExtractor`` itself
    /// (numbers as the General format shows them); nil when it cannot be read.
    static func sheetTable(path: String, sheet: String) -> (header: [String], rows: [[String]])? {
        final class Box: Sendable { let header = Mutex<[String]>([]) }
        let box = Box()
        func extractor(columns: Int) -> XLSXExtractor {
            var extractor = XLSXExtractor(
                path: path, displayPath: path, sheet: sheet, headerRows: 1,
                fields: (1...max(1, columns)).map { SourceField(field: Field(name: "c\($0)", type: .string), numberFormat: .plain, column: $0) })
            extractor.headerSink = { names in box.header.withLock { $0 = names } }
            return extractor
        }
        guard (try? extractor(columns: 1).extract { _ in }) != nil else { return nil }
        let header = box.header.withLock { $0 }
        guard !header.isEmpty else { return nil }
        var rows: [[String]] = []
        guard
            (try? extractor(columns: header.count).extract { batch in
                for row in 0..<batch.rowCount where rows.count < 1000 { rows.append(batch.row(row).map { $0.text ?? "" }) }
            }) != nil
        else { return nil }
        return (header, rows)
    }

    /// A JSON-stat dataset (2.0, the first of a collection, or the first of a 1.x bundle):
    /// a field per dimension and the value; nil when the file is not JSON-stat.
    static func jsonStat(path: String, relativePath: String) -> Report? {
        guard
            let bytes = try? SourceFile.read(
                path: path, displayPath: relativePath, maximumBytes: JSONExtractor.defaultMaximumBytes, kind: "JSON-stat"),
            let root = try? SourceFile.parseJSON(bytes, displayPath: relativePath, maximumDepth: JSONExtractor.defaultMaximumDepth)
        else { return nil }
        let dataset: JSONNode?
        let kind: String
        switch root["class"]?.string {
        case "dataset":
            (dataset, kind) = (root, "a JSON-stat 2.0 dataset")
        case "collection":
            (dataset, kind) = (root["link"]?["item"]?.array?.first { $0["value"] != nil }, "a JSON-stat 2.0 collection (its first embedded dataset)")
        case nil:
            (dataset, kind) = (root.members?.first { $0.value["dimension"] != nil }?.value, "a JSON-stat 1.x bundle (its first dataset)")
        default:
            return nil  // a class that is not a dataset's
        }
        guard let dataset, let ids = (dataset["id"] ?? dataset["dimension"]?["id"])?.array?.compactMap(\.string), !ids.isEmpty else {
            return nil
        }
        var fields = "fields:\n"
        var names: Set<String> = ["value"]
        for (index, id) in ids.enumerated() {
            var name = fieldName(id, column: index)
            while names.contains(name) { name += "_\(index + 1)" }
            names.insert(name)
            fields += "  - {name: \(name), type: string, from: \(yamlString(id)), required: true}\n"
        }
        fields += "  - {name: value, type: number, from: value}\n"
        return Report(
            type: "json-stat", notes: ["\(kind) with the dimensions \(ids.joined(separator: ", "))"],
            snippet: "source:\n  type: json-stat\n  path: \(relativePath)\n" + fields)
    }

    /// The components the first observation of an SDMX-ML message sees (its series' key and
    /// attributes, its own), in the order met; nil when the file cannot be read.
    static func sdmxComponents(path: String, source: String) -> [String]? {
        guard let reader = try? XMLStreamReader(path: path, source: source) else { return nil }
        let generic = SDMXExtractor.genericNamespace
        var components: [String] = []
        func add(_ name: String) { if !components.contains(name) { components.append(name) } }
        var dimensionAtObservation = "TIME_PERIOD"
        var inGroup = false
        while (try? reader.read()) == true {
            guard reader.kind == .element || reader.kind == .endElement else { continue }
            let name = reader.localName
            let namespace = reader.namespaceURI
            if reader.kind == .endElement {
                if name == "Obs" { return components }
                if name == "Group" { inGroup = false }
                continue
            }
            if name == "Structure", namespace == SDMXExtractor.messageNamespace, let dimension = reader.attribute("dimensionAtObservation") {
                dimensionAtObservation = dimension
            }
            if name == "Group" { inGroup = !reader.isEmptyElement }
            guard !inGroup else { continue }
            if namespace == generic {
                switch name {
                case "Value": if let id = reader.attribute("id") { add(id) }
                case "ObsDimension": add(reader.attribute("id") ?? dimensionAtObservation)
                case "ObsValue": add("OBS_VALUE")
                default: break
                }
            } else if ["Series", "Obs"].contains(name), namespace != SDMXExtractor.messageNamespace {
                for attribute in reader.attributes() where attribute.namespaceURI == nil { add(attribute.localName) }
                if name == "Obs", reader.isEmptyElement { return components }
            }
        }
        return components
    }

    /// The page's largest table (by cells), chosen by its id or its position, with a
    /// one-row header; nil when the page has no table with data.
    static func htmlTable(path: String, relativePath: String) -> Report? {
        guard
            let bytes = try? SourceFile.read(
                path: path, displayPath: relativePath, maximumBytes: HTMLTableExtractor.defaultMaximumBytes, kind: "HTML"),
            let page = try? HTMLPage(parsing: bytes, source: relativePath),
            let tables = try? page.document.xpath().nodes(XPathQuery("//table"))
        else { return nil }
        var grids: [HTMLTable] = []
        for table in tables {
            // A table whose spans expand beyond the limit: the run would refuse it too.
            guard let grid = try? HTMLTable(table) else { return nil }
            grids.append(grid)
        }
        guard
            let best = grids.indices.max(by: { grids[$0].rows.reduce(0) { $0 + $1.cells.count } < grids[$1].rows.reduce(0) { $0 + $1.cells.count } }),
            grids[best].rows.count > 1
        else { return nil }
        let grid = grids[best]
        let selector: String
        if let id = tables[best].attribute("id"), tables.filter({ $0.attribute("id") == id }).count == 1 {
            selector = "{id: \(yamlString(id))}"
        } else {
            selector = "{xpath: \(quoted("(//table)[\(best + 1)]"))}"
        }
        let header = grid.rows[0].cells.map(UnicodeText.nfc)
        let (fields, missing) = tableFields(header: header, rows: grid.rows.dropFirst().map(\.cells))
        var source = "source:\n  type: html\n  path: \(relativePath)\n  table: \(selector)\n"
        if !missing.isEmpty { source += "missingValues: [\"\", " + missing.map(quoted).joined(separator: ", ") + "]\n" }
        return Report(
            type: "html",
            notes: ["an HTML page with \(tables.count) table(s); the largest (\(grid.rows.count) rows) with its first row as the header"],
            snippet: source + fields)
    }

    // MARK: JSON records and SQLite tables

    /// JSON (the first array of objects, depth first) or NDJSON (every complete line of the
    /// sample): a field per member with a scalar value; nil when there are no such records.
    static func jsonRecords(path: String, sample: [UInt8], relativePath: String, ndjson: Bool) -> Report? {
        var records: [JSONNode] = []
        var pointer = ""
        if ndjson {
            var lines = sample.split(separator: 0x0A, omittingEmptySubsequences: true)
            if sample.last != 0x0A, !lines.isEmpty { lines.removeLast() }
            for line in lines {
                guard let node = try? Array(line).withUnsafeBufferPointer({ buffer throws(JSONSyntaxError) in try JSONParser.parse(buffer) }),
                    node.members != nil
                else { continue }
                records.append(node)
            }
        } else {
            guard
                let bytes = try? SourceFile.read(
                    path: path, displayPath: relativePath, maximumBytes: JSONExtractor.defaultMaximumBytes, kind: "JSON"),
                let root = try? SourceFile.parseJSON(bytes, displayPath: relativePath, maximumDepth: JSONExtractor.defaultMaximumDepth)
            else { return nil }
            func find(_ node: JSONNode, _ at: String) -> (String, [JSONNode])? {
                if let items = node.array, !items.isEmpty, items.allSatisfy({ $0.members != nil }) { return (at, items) }
                for (key, value) in node.members ?? [] {
                    let escaped = key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
                    if let found = find(value, at + "/" + escaped) { return found }
                }
                return nil
            }
            guard let (found, items) = find(root, "") else { return nil }
            (pointer, records) = (found, items)
        }
        guard let first = records.first else { return nil }
        var fields = "fields:\n"
        var names: Set<String> = []
        for (index, member) in (first.members ?? []).enumerated() {
            let cells = records.map { $0[member.key] }
            let type: FieldType
            switch member.value.kind {
            case .number:
                type = cells.allSatisfy { cell in cell.map { $0.integer != nil || $0.kindName == "null" } ?? true } ? .integer : .number
            case .bool: type = .boolean
            case .string, .null: type = .string
            case .array, .object: continue
            }
            var name = fieldName(member.key, column: index)
            while names.contains(name) { name += "_\(index + 1)" }
            names.insert(name)
            let from =
                member.key.hasPrefix("/")
                ? "/" + member.key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") : member.key
            let required = cells.allSatisfy { $0 != nil && $0?.kindName != "null" } ? ", required: true" : ""
            fields += "  - {name: \(name), type: \(type.rawValue)\(name == from ? "" : ", from: \(yamlString(from))")\(required)}\n"
        }
        let source = "source:\n  type: \(ndjson ? "ndjson" : "json")\n  path: \(relativePath)\n" + (ndjson ? "" : "  records: \(quoted(pointer))\n")
        return Report(
            type: ndjson ? "ndjson" : "json",
            notes: ["\(records.count) records\(ndjson ? " in the sample" : " at '\(pointer)'"); fields from the first one's members"],
            snippet: source + fields)
    }

    /// An SQLite database: a query of its first table and a field per column, typed from its values.
    static func sqlite(path: String, relativePath: String) -> Report? {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        defer { try? queue.close() }
        let found: (table: String, columns: [(String, [DatabaseValue])])? = try? queue.read { db in
            guard
                let table = try String.fetchOne(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
            else { return nil }
            let quotedTable = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM \(quotedTable) LIMIT 1000")
            let names = try db.columns(in: table).map(\.name)
            return (table, names.enumerated().map { index, name in (name, rows.map { $0[index] as DatabaseValue }) })
        }
        guard let found, let table = Optional(found.table) else { return nil }
        var fields = "fields:\n"
        var names: Set<String> = []
        for (index, (column, values)) in found.columns.enumerated() {
            var texts: [String] = []
            var kinds = Set<String>()
            for value in values {
                switch value.storage {
                case .null: break
                case let .int64(integer):
                    kinds.insert("integer")
                    texts.append(String(integer))
                case let .double(real):
                    kinds.insert("number")
                    texts.append(String(real))
                case let .string(text):
                    kinds.insert("text")
                    texts.append(text)
                case .blob: kinds.insert("blob")
                }
            }
            let type: FieldType =
                kinds == ["integer"]
                ? .integer
                : kinds.isSubset(of: ["integer", "number"]) && !kinds.isEmpty
                    ? .number
                    : kinds == ["text"] ? guessType(texts).0 : .string
            var name = fieldName(column, column: index)
            while names.contains(name) { name += "_\(index + 1)" }
            names.insert(name)
            let required = texts.count == values.count && !values.isEmpty ? ", required: true" : ""
            fields += "  - {name: \(name), type: \(type.rawValue)\(name == column ? "" : ", from: \(yamlString(column))")\(required)}\n"
        }
        let quotedTable = "\"" + table.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return Report(
            type: "sqlite", notes: ["an SQLite database: the first table, '\(table)'; narrow the query to the rows to publish"],
            snippet: "source:\n  type: sqlite\n  path: \(relativePath)\n  query: \(quoted("SELECT * FROM \(quotedTable)"))\n" + fields)
    }

    // MARK: Delimited text

    /// The encoding that decodes `bytes` without error and gives the most Vietnamese letters.
    static func guessEncoding(_ bytes: [UInt8]) -> (encoding: TextEncoding, text: String, note: String) {
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            return (.utf16, decode(bytes, .utf16) ?? "", "a UTF-16 byte order mark")
        }
        let hasBOM = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if let text = decode(bytes, .utf8) {
            return (.utf8, text, hasBOM ? "UTF-8 with a byte order mark" : "valid UTF-8")
        }
        var best: (encoding: TextEncoding, text: String, score: Int)?
        for encoding in [TextEncoding.windows1258, .tcvn3, .vni] {
            guard let text = decode(bytes, encoding) else { continue }
            let score = vietnameseScore(text)
            if best == nil || score > best!.score { best = (encoding, text, score) }
        }
        if let best {
            return (best.encoding, best.text, "not UTF-8; \(best.encoding.rawValue) gives the most Vietnamese letters (\(best.score))")
        }
        return (.utf8, String(decoding: bytes, as: UTF8.self), "no declared encoding decodes it cleanly: check the file")
    }

    static func decode(_ bytes: [UInt8], _ encoding: TextEncoding) -> String? {
        var transcoder = Transcoder(encoding: encoding)
        var output: [UInt8] = []
        do {
            try bytes.withUnsafeBufferPointer { buffer throws(EncodingFailure) in
                // The sample may end inside a character: not final.
                try transcoder.transcode(buffer, final: false, into: &output)
            }
        } catch {
            return nil
        }
        return UnicodeText.nfc(String(decoding: output, as: UTF8.self))
    }

    /// Precomposed Vietnamese letters, less stray combining marks, symbols that
    /// rarely appear in Vietnamese text, and words with two tone marks (a
    /// Vietnamese syllable has one: text decoded in the wrong legacy encoding has more).
    static func vietnameseScore(_ text: String) -> Int {
        var score = 0
        let tones: Set<UInt32> = [0x300, 0x301, 0x303, 0x309, 0x323]
        for word in text.decomposedStringWithCanonicalMapping.split(whereSeparator: { !$0.isLetter }) {
            let count = word.unicodeScalars.filter { tones.contains($0.value) }.count
            if count > 1 { score -= 10 * (count - 1) }
        }
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x1EA0...0x1EF9, 0x0102, 0x0103, 0x0110, 0x0111, 0x01A0, 0x01A1, 0x01AF, 0x01B0: score += 2
            case 0xC0...0xFF: score += 1
            case 0x0300...0x036F: score -= 3
            case 0x80...0xBF: score -= 2
            default: break
            }
        }
        return score
    }

    private func delimited(_ bytes: [UInt8], relativePath: String, complete: Bool) -> Report {
        let (encoding, text, encodingNote) = Self.guessEncoding(bytes)
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
            .map { String($0) }
        if !complete, !lines.isEmpty { lines.removeLast() }  // maybe cut off
        var notes = ["encoding: \(encoding.rawValue) (\(encodingNote))"]
        // The delimiter whose count per line is most often the same, and not zero.
        var bestDelimiter: Character = ","
        var bestCount = 0
        for candidate: Character in [",", ";", "\t", "|"] {
            var frequencies: [Int: Int] = [:]
            for line in lines where !line.isEmpty { frequencies[Self.split(line, candidate).count, default: 0] += 1 }
            if let (fields, lines) = frequencies.filter({ $0.key > 1 }).max(by: { $0.value < $1.value }), lines * fields > bestCount {
                bestCount = lines * fields
                bestDelimiter = candidate
            }
        }
        let records = lines.enumerated().map { (line: $0.offset + 1, cells: Self.split($0.element, bestDelimiter)) }
            .filter { !($0.cells.count == 1 && $0.cells[0].trimmingCharacters(in: .whitespaces).isEmpty) }
        var widths: [Int: Int] = [:]
        for record in records { widths[Self.trimmedWidth(record.cells), default: 0] += 1 }
        // The table's width: the commonest of the rows with several cells (title and note lines have one).
        let width =
            widths.filter { $0.key > 1 }.max { ($0.value, $0.key) < ($1.value, $1.key) }?.key
            ?? widths.max { $0.value < $1.value }?.key ?? 1
        // The header: the first record of the table's width whose cells are all names: text, or years
        // (statistics offices put the years across: "Tỉnh;2019;2020;2021"), with a text one among them.
        let headerIndex =
            records.firstIndex { record in
                let cells = Array(record.cells.prefix(width))
                return Self.trimmedWidth(record.cells) >= width && cells.count == width
                    && cells.allSatisfy { Self.looksLikeLabel($0) || Self.isYear($0.trimmingCharacters(in: .whitespaces)) }
                    && cells.contains(where: Self.looksLikeLabel)
            } ?? 0
        let header = records.isEmpty ? [] : Array(records[headerIndex].cells.prefix(width))
        // Footer rows are counted as a run counts them: every record, a row of empty cells too.
        var tail = Array(records.dropFirst(headerIndex + 1))
        var footerRows = 0
        func isEmptyRow(_ cells: [String]) -> Bool { cells.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        while let last = tail.last, Self.trimmedWidth(last.cells) < width || isEmptyRow(last.cells) {
            tail.removeLast()
            footerRows += 1
        }
        // Rows of empty cells at the end are no footer when nothing else is (a run skips them anyway).
        if !records.dropFirst(headerIndex + 1).suffix(footerRows).contains(where: { !isEmptyRow($0.cells) }) { footerRows = 0 }
        let body = tail.filter { !isEmptyRow($0.cells) }
        let comment = body.contains { $0.cells.first?.hasPrefix("#") == true } ? "#" : nil
        let data = body.filter { !(comment != nil && $0.cells.first?.hasPrefix("#") == true) }

        var source = "source:\n  type: csv\n  path: \(relativePath)\n"
        if bestDelimiter != "," { source += "  delimiter: \(bestDelimiter == "\t" ? "\"\\t\"" : "\"\(bestDelimiter)\"")\n" }
        if encoding != .utf8 { source += "  encoding: \(encoding.rawValue)\n" }
        if headerIndex > 0, let line = records.isEmpty ? nil : records[headerIndex].line { source += "  headerLine: \(line)\n" }
        if footerRows > 0, complete { source += "  footerRows: \(footerRows)\n" }
        if let comment { source += "  commentPrefix: \"\(comment)\"\n" }
        let (fields, missingUsed) = Self.tableFields(header: header, rows: data.map(\.cells))
        notes.append(
            "delimiter: \(bestDelimiter == "\t" ? "tab" : String(bestDelimiter)); header on line \(records.isEmpty ? 1 : records[headerIndex].line); \(width) columns; \(data.count) data rows in the sample"
        )
        if footerRows > 0 { notes.append("\(footerRows) shorter row(s) at the end look like notes, not data") }
        if !missingUsed.isEmpty {
            source += "missingValues: [\"\", " + missingUsed.map(Self.quoted).joined(separator: ", ") + "]\n"
            notes.append("missing figures are written \(missingUsed.map { "'\($0)'" }.joined(separator: ", ")): declared as missingValues")
        }
        return Report(type: "csv", notes: notes, snippet: source + fields)
    }

    /// The `fields:` of a table from its header and rows: a field per column, typed from its
    /// values (codes stay text), `column: N` for a repeated header name; and the marks for
    /// missing figures found in numeric columns.
    static func tableFields(header: [String], rows data: [[String]]) -> (fields: String, missing: [String]) {
        var fields = "fields:\n"
        var usedNames: Set<String> = []
        var missingUsed: [String] = []
        for (column, title) in header.enumerated() {
            var values = data.compactMap { column < $0.count ? $0[column] : nil }
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            var (type, format) = guessType(values)
            // Statistics offices write a missing figure as "..", "-" or "x": without them, is the column numeric?
            let marks = values.filter(missingMarks.contains)
            if type == .string, !marks.isEmpty, marks.count < values.count {
                let numbers = values.filter { !missingMarks.contains($0) }
                let (numericType, numericFormat) = guessType(numbers)
                if numericType.isNumeric || numericType == .year {
                    (type, format) = (numericType, numericFormat)
                    values = numbers
                    for mark in marks where !missingUsed.contains(mark) { missingUsed.append(mark) }
                }
            }
            var name = fieldName(title, column: column)
            while usedNames.contains(name) { name += "_\(column + 1)" }
            usedNames.insert(name)
            let required = values.count == data.count && !data.isEmpty ? ", required: true" : ""
            // A name the header repeats cannot be read with 'from': the column is picked by position.
            let from =
                header.filter({ $0 == title }).count > 1
                ? ", column: \(column + 1)" : name == title ? "" : ", from: \(yamlString(title))"
            let numberFormat = format.map { ", numberFormat: \($0.rawValue)" } ?? ""
            fields += "  - {name: \(name), type: \(type.rawValue)\(from)\(required)\(numberFormat)}\n"
        }
        return (fields, missingUsed)
    }

    /// Splits a line on `delimiter` outside double quotes, unquoting cells.
    static func split(_ line: String, _ delimiter: Character) -> [String] {
        var cells: [String] = []
        var current = ""
        var quoted = false
        var previousQuote = false
        for character in line {
            if character == "\"" {
                if quoted, previousQuote { current.append("\"") }
                quoted.toggle()
                previousQuote = !quoted
                continue
            }
            previousQuote = false
            if character == delimiter, !quoted {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        cells.append(current)
        return cells
    }

    /// The number of cells without trailing empty ones.
    static func trimmedWidth(_ cells: [String]) -> Int {
        var count = cells.count
        while count > 1, cells[count - 1].trimmingCharacters(in: .whitespaces).isEmpty { count -= 1 }
        return count
    }

    /// How statistics offices write a figure that is missing or withheld.
    static let missingMarks: Set<String> = ["..", "...", "…", "-", "–", "—", "x", "X", ":", "n/a", "N/A", "NA", "*"]

    static func isYear(_ text: String) -> Bool {
        text.count == 4 && text.allSatisfy(\.isASCII) && (1800...2100).contains(Int(text) ?? 0)
    }

    static func looksLikeLabel(_ cell: String) -> Bool {
        let text = cell.trimmingCharacters(in: .whitespaces)
        return !text.isEmpty && text.contains { $0.isLetter } && !(text.first?.isNumber ?? false)
    }

    /// The narrowest type (and number format) that reads every value.
    static func guessType(_ values: [String]) -> (FieldType, NumberFormat?) {
        guard !values.isEmpty else { return (.string, nil) }
        // Codes with leading zeros stay text.
        if values.contains(where: { $0.count > 1 && $0.hasPrefix("0") && !$0.hasPrefix("0,") && !$0.hasPrefix("0.") }) {
            return (.string, nil)
        }
        func all(_ type: FieldType, _ format: NumberFormat) -> Bool {
            let decoder = ValueDecoder(field: Field(name: "x", type: type), numberFormat: format)
            return values.allSatisfy { (try? decoder.decode($0)) != nil }
        }
        if values.allSatisfy(isYear) {
            return (.year, nil)
        }
        if all(.date, .plain) { return (.date, nil) }
        if all(.boolean, .plain) { return (.boolean, nil) }
        for format in [NumberFormat.plain, .vi, .en] where all(.integer, format) {
            return (.integer, format == .plain ? nil : format)
        }
        // Decimal commas or grouped thousands decide between vi and en.
        let viCount = values.filter { (try? ValueDecoder(field: Field(name: "x", type: .number), numberFormat: .vi).decode($0)) != nil }.count
        let enCount = values.filter { (try? ValueDecoder(field: Field(name: "x", type: .number), numberFormat: .en).decode($0)) != nil }.count
        if all(.number, .plain) { return (.number, nil) }
        if viCount == values.count, viCount >= enCount { return (.number, .vi) }
        if enCount == values.count { return (.number, .en) }
        return (.string, nil)
    }

    /// A field name from a header: ASCII letters, digits and '_' (Vietnamese letters lose their marks).
    static func fieldName(_ title: String, column: Int) -> String {
        let folded = title.replacingOccurrences(of: "đ", with: "d").replacingOccurrences(of: "Đ", with: "D")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
        var name = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                name.unicodeScalars.append(scalar)
            } else if !name.isEmpty, name.last != "_" {
                name.append("_")
            }
        }
        while name.hasSuffix("_") { name.removeLast() }
        if name.isEmpty { return "column_\(column + 1)" }
        if name.first!.isNumber { name = "c_" + name }
        return name
    }

    /// `text` as a YAML scalar that reads back as the same string: plain only when it starts
    /// with a letter and holds letters, digits, spaces and '_' (never a number, a boolean or null).
    static func yamlString(_ text: String) -> String {
        let plain =
            text.first?.isLetter == true && !text.hasSuffix(" ")
            && text.allSatisfy { $0.isLetter || $0.isNumber || $0 == " " || $0 == "_" }
            && !["true", "false", "yes", "no", "on", "off", "null", "y", "n"].contains(text.lowercased())
        return plain ? text : quoted(text)
    }

    /// A double-quoted YAML string.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 { result += "\\x" + String(format: "%02X", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
