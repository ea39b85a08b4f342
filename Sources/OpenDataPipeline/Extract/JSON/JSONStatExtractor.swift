/// Reads a JSON-stat 2.0 dataset (or one of a 2.0 collection, or of a 1.x
/// bundle as PxWeb v1 serves them) and unrolls its cube into long-format rows:
/// one row per value, with a column per dimension.
///
/// Field `from` names (default: the field name):
/// - a dimension id (`geo`): the category's id, kept as text (leading zeros survive);
/// - `geo@label`: the category's label (its id when it has none);
/// - `concept@unit`, `concept@decimals`, `concept@multiplier`: the category's unit
///   label, decimals and unit multiplier (a power of ten: 3 means thousands);
/// - `value` and `status`.
///
/// Values are in row-major order, the last dimension varying fastest. A dense
/// `value` array yields a row per cell (null ones included); a sparse `value`
/// object yields only the cells it lists. A collection's embedded datasets are
/// chosen with `dataset` (0-based position), as are the datasets of a 1.x
/// bundle (keyed by name, in the file's order); a dataset that is only linked by
/// `href` is an error: nothing is ever fetched. The document is held in
/// memory (the format needs all of it), limited by `maximumBytes`.
///
/// The document is checked before any row is produced; each error names the
/// JSON-stat validator's code (`VALUE_LEN_MISMATCH`, `SPARSE_KEY_OUT_OF_RANGE`, …)
/// and the line and column.
public struct JSONStatExtractor: Extractor {
    public let path: String
    public let displayPath: String
    public let dataset: Int
    public let fields: [SourceField]
    public let maximumBytes: Int
    /// The most cells (product of the sizes) a dataset may describe.
    public let maximumCells: Int

    public static let defaultMaximumCells = 100_000_000

    public init(
        path: String, displayPath: String, dataset: Int = 0, fields: [SourceField],
        maximumBytes: Int = JSONExtractor.defaultMaximumBytes, maximumCells: Int = JSONStatExtractor.defaultMaximumCells
    ) {
        self.path = path
        self.displayPath = displayPath
        self.dataset = dataset
        self.fields = fields
        self.maximumBytes = maximumBytes
        self.maximumCells = maximumCells
    }

    public var schema: TableSchema { TableSchema(fields: fields.map(\.field)) }

    public func extract(
        collecting collector: ValidationCollector?, _ emit: (Batch) throws(PipelineFailure) -> Void
    ) throws(PipelineFailure) {
        let bytes = try SourceFile.read(path: path, displayPath: displayPath, maximumBytes: maximumBytes, kind: "JSON-stat")
        let root = try SourceFile.parseJSON(bytes, displayPath: displayPath, maximumDepth: JSONExtractor.defaultMaximumDepth)
        let cube = try JSONStatCube(try select(root), file: displayPath, maximumCells: maximumCells)
        let columns = try fields.map { field throws(PipelineFailure) in try cube.column(field.from ?? field.field.name, file: displayPath) }
        let decoders = fields.map(JSONCellDecoder.init)
        var batch = BatchBuilder(width: fields.count)
        var row = [Value](repeating: .null, count: fields.count)
        var coordinates = [Int](repeating: 0, count: cube.dimensions.count)
        for cell in cube.cells {
            var rest = cell
            for d in stride(from: cube.dimensions.count - 1, through: 0, by: -1) {
                coordinates[d] = rest % cube.dimensions[d].size
                rest /= cube.dimensions[d].size
            }
            let valid = try decodeRow(&row, fields: fields, collector: collector) { index throws(CellFailure) in
                let node = cube.node(columns[index], cell: cell, coordinates: coordinates)
                return try decoders[index].decode(
                    node, file: displayPath, pointer: "\(fields[index].from ?? fields[index].field.name)[\(cell)]")
            }
            if valid { try batch.append(row, line: cube.valueLine(cell), emit: emit) }
        }
        guard cube.cellCount > 0 else {
            throw PipelineFailure.malformedSource(SourceLocation(file: displayPath), problem: "the dataset has no values")
        }
        try batch.finish(emit: emit)
    }

    /// The dataset: the root, or an embedded item of a collection.
    private func select(_ root: JSONNode) throws(PipelineFailure) -> JSONNode {
        func fail(_ node: JSONNode, _ problem: String) -> PipelineFailure {
            .malformedSource(SourceLocation(file: displayPath, line: node.line, column: node.column), problem: problem, code: .invalidJSONStat)
        }
        guard root.members != nil else { throw fail(root, "expected a JSON-stat object, found \(root.kindName)") }
        guard let version = root["version"]?.string else {
            if root["class"] == nil, root.members?.contains(where: { $0.value["dimension"] != nil }) == true {
                return try Self.bundledDataset(root, position: dataset, fail: fail)
            }
            throw fail(root, "expected \"version\": \"2.0\" (JSON-stat 2.0) or a JSON-stat 1.x bundle")
        }
        guard version == "2.0" else { throw fail(root["version"]!, "expected JSON-stat version 2.0, found '\(version)'") }
        switch root["class"]?.string {
        case "dataset":
            if root.members?.contains(where: { $0.value["dimension"] != nil && $0.key != "link" }) == true, root["id"] == nil {
                throw fail(root, "BUNDLE_DEPRECATED: datasets keyed by name (a 1.x bundle) are not read")
            }
            return root
        case "collection":
            guard let items = root["link"]?["item"]?.array, !items.isEmpty else {
                throw fail(root, "the collection has no items (link.item)")
            }
            guard items.indices.contains(dataset) else {
                throw fail(root, "the collection has \(items.count) items; dataset \(dataset) does not exist")
            }
            let item = items[dataset]
            guard item["value"] != nil else {
                let href = item["href"]?.string ?? "?"
                throw fail(
                    item,
                    "item \(dataset) of the collection is only linked (\(href)); links are never fetched: "
                        + "download the dataset and point the source's path at the file")
            }
            return item
        case let other:
            if other == nil, root.members?.first(where: { $0.value["dimension"] != nil }) != nil {
                throw fail(root, "BUNDLE_DEPRECATED: datasets keyed by name (a 1.x bundle) are not read")
            }
            throw fail(root, "expected \"class\": \"dataset\" or \"collection\", found \(other.map { "'\($0)'" } ?? "none")")
        }
    }
}

extension JSONStatExtractor {
    /// The dataset at `position` of a JSON-stat 1.x bundle (as PxWeb v1 serves them:
    /// `{"dataset": {"dimension": {"id": […], "size": […], "role": {…}, …}, "value": […]}}`),
    /// in the shape of a 2.0 dataset: `id`, `size` and `role` moved out of `dimension`.
    static func bundledDataset(
        _ root: JSONNode, position: Int, fail: (JSONNode, String) -> PipelineFailure
    ) throws(PipelineFailure) -> JSONNode {
        let datasets = (root.members ?? []).filter { $0.value["dimension"] != nil }
        guard datasets.indices.contains(position) else {
            throw fail(
                root,
                "the JSON-stat 1.x bundle has \(datasets.count) dataset(s) (\(datasets.map(\.key).joined(separator: ", "))); dataset \(position) does not exist"
            )
        }
        let bundled = datasets[position].value
        guard let dimension = bundled["dimension"], let members = dimension.members else {
            throw fail(bundled, "DIMENSION_MISSING: expected 'dimension': an object")
        }
        var converted: [(key: String, value: JSONNode)] = []
        for key in ["id", "size", "role"] {
            if let node = dimension[key] { converted.append((key, node)) }
        }
        converted.append(
            (
                "dimension",
                JSONNode(kind: .object(members.filter { !["id", "size", "role"].contains($0.key) }), line: dimension.line, column: dimension.column)
            ))
        converted += (bundled.members ?? []).filter { $0.key != "dimension" }
        return JSONNode(kind: .object(converted), line: bundled.line, column: bundled.column)
    }
}

/// A checked JSON-stat 2.0 dataset: dimensions, categories, values and statuses.
struct JSONStatCube {
    struct Dimension {
        var id: String
        var size: Int
        /// Category ids in index order.
        var categories: [String]
        var labels: [String: JSONNode]
        var units: [String: JSONNode]
    }

    enum Column {
        case category(Int)
        case label(Int)
        case unit(Int, String)
        case value
        case status
    }

    let dimensions: [Dimension]
    let cellCount: Int
    private let dense: [JSONNode]?
    private let sparse: [(cell: Int, node: JSONNode)]
    private let statusAll: JSONNode?
    private let statusDense: [JSONNode]?
    private let statusSparse: [Int: JSONNode]

    /// The cells to produce, in order.
    var cells: AnySequence<Int> {
        if dense != nil { return AnySequence(0..<cellCount) }
        return AnySequence(sparse.lazy.map(\.cell))
    }

    init(_ root: JSONNode, file: String, maximumCells: Int) throws(PipelineFailure) {
        func fail(_ node: JSONNode?, _ code: String, _ problem: String) -> PipelineFailure {
            let node = node ?? root
            return .malformedSource(
                SourceLocation(file: file, line: node.line, column: node.column), problem: "\(code): \(problem)", code: .invalidJSONStat)
        }
        guard let idNode = root["id"], let ids = idNode.array?.compactMap(\.string), ids.count == idNode.array?.count else {
            throw fail(root["id"], "ID_MISSING", "expected 'id': an array of dimension ids")
        }
        guard let sizeNode = root["size"], let sizes = sizeNode.array?.compactMap(\.integer), sizes.count == sizeNode.array?.count,
            sizes.allSatisfy({ $0 >= 0 })
        else {
            throw fail(root["size"], "SIZE_MISSING", "expected 'size': an array of non-negative integers")
        }
        guard ids.count == sizes.count else {
            throw fail(sizeNode, "ID_SIZE_LEN_MISMATCH", "'id' has \(ids.count) dimensions but 'size' has \(sizes.count)")
        }
        guard Set(ids).count == ids.count else { throw fail(idNode, "ID_DUPLICATE", "a dimension id appears twice in 'id'") }
        guard let dimensionNode = root["dimension"], let dimensionMembers = dimensionNode.members else {
            throw fail(root, "DIMENSION_MISSING", "expected 'dimension': an object")
        }
        for (key, node) in dimensionMembers where !ids.contains(key) {
            throw fail(node, "DIM_KEY_ID_MISMATCH", "the dimension '\(key)' is not listed in 'id'")
        }
        var dimensions: [Dimension] = []
        for (position, id) in ids.enumerated() {
            guard let node = dimensionNode[id] else {
                throw fail(dimensionNode, "DIM_KEY_ID_MISMATCH", "the dimension '\(id)' listed in 'id' is not described in 'dimension'")
            }
            guard let category = node["category"] else { throw fail(node, "CATEGORY_MISSING", "the dimension '\(id)' has no 'category'") }
            let size = sizes[position]
            let labelMembers = category["label"]?.members ?? []
            var categories: [String]
            if let index = category["index"] {
                if let list = index.array {
                    categories = list.compactMap(\.string)
                    guard categories.count == list.count else { throw fail(index, "INDEX_INVALID", "category ids must be strings") }
                } else if let members = index.members {
                    categories = [String](repeating: "", count: members.count)
                    for (key, value) in members {
                        guard let at = value.integer, categories.indices.contains(at), categories[at].isEmpty else {
                            throw fail(
                                value, "INDEX_POSITIONS_INVALID",
                                "the positions in the index of '\(id)' must be 0 to \(members.count - 1), each once")
                        }
                        categories[at] = key
                    }
                } else {
                    throw fail(index, "INDEX_INVALID", "the index of '\(id)' must be an array or an object")
                }
            } else {
                guard labelMembers.count == 1 else {
                    throw fail(category, "INDEX_MISSING", "the dimension '\(id)' has no index and more than one label")
                }
                categories = labelMembers.map(\.key)
            }
            guard categories.count == size else {
                throw fail(category, "INDEX_COUNT_MISMATCH", "the dimension '\(id)' has \(categories.count) categories but its size is \(size)")
            }
            guard Set(categories).count == categories.count else {
                throw fail(category, "INDEX_DUPLICATE", "a category id of '\(id)' appears twice")
            }
            let known = Set(categories)
            for (name, code) in [
                ("label", "LABEL_KEY_UNKNOWN"), ("unit", "UNIT_KEY_UNKNOWN"), ("coordinates", "COORD_KEY_UNKNOWN"),
                ("note", "NOTE_KEY_UNKNOWN"), ("child", "CHILD_ID_UNKNOWN"),
            ] {
                for (key, value) in category[name]?.members ?? [] where !known.contains(key) {
                    throw fail(value, code, "'\(name)' of '\(id)' names the category '\(key)', which the dimension does not have")
                }
            }
            if let children = category["child"]?.members {
                var graph: [String: [String]] = [:]
                for (parent, list) in children {
                    let ids = list.array?.compactMap(\.string) ?? []
                    for child in ids where !known.contains(child) {
                        throw fail(list, "CHILD_ID_UNKNOWN", "the child '\(child)' of '\(parent)' is not a category of '\(id)'")
                    }
                    graph[parent] = ids
                }
                // Depth-first search for a cycle.
                var state: [String: Int] = [:]  // 1: on the path, 2: done
                func visit(_ node: String) -> Bool {
                    if state[node] == 1 { return true }
                    if state[node] == 2 { return false }
                    state[node] = 1
                    for child in graph[node] ?? [] where visit(child) { return true }
                    state[node] = 2
                    return false
                }
                for parent in graph.keys where visit(parent) {
                    throw fail(category["child"], "CHILD_CYCLE", "the 'child' hierarchy of '\(id)' has a cycle through '\(parent)'")
                }
            }
            dimensions.append(
                Dimension(
                    id: id, size: size, categories: categories,
                    labels: Dictionary(labelMembers.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a }),
                    units: Dictionary((category["unit"]?.members ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })))
        }
        if let roles = root["role"]?.members {
            for (_, list) in roles {
                for item in list.array ?? [] where !ids.contains(item.string ?? "") {
                    throw fail(item, "ROLE_ID_UNKNOWN", "the role names '\(item.string ?? "?")', which is not a dimension")
                }
            }
        }
        var cellCount = 1
        for size in sizes {
            let (product, overflow) = cellCount.multipliedReportingOverflow(by: size)
            guard !overflow, product <= maximumCells else {
                throw fail(sizeNode, "SIZE_TOO_LARGE", "the sizes describe more than \(maximumCells) cells (maximumCells)")
            }
            cellCount = product
        }
        guard let valueNode = root["value"] else { throw fail(root, "VALUE_MISSING", "expected 'value'") }
        var sparse: [(cell: Int, node: JSONNode)] = []
        if let list = valueNode.array {
            guard list.count == cellCount else {
                throw fail(
                    valueNode, "VALUE_LEN_MISMATCH",
                    "'value' has \(list.count) values but the sizes \(sizes) make \(cellCount) cells")
            }
            dense = list
        } else if let members = valueNode.members {
            dense = nil
            for (key, node) in members {
                guard let cell = Int(key), cell >= 0, cell < cellCount else {
                    throw fail(node, "SPARSE_KEY_OUT_OF_RANGE", "the value key '\(key)' is not a cell from 0 to \(cellCount - 1)")
                }
                sparse.append((cell, node))
            }
            sparse.sort { $0.cell < $1.cell }
        } else {
            throw fail(valueNode, "VALUE_INVALID", "'value' must be an array or an object")
        }
        self.sparse = sparse
        var statusAll: JSONNode?
        var statusDense: [JSONNode]?
        var statusSparse: [Int: JSONNode] = [:]
        if let status = root["status"] {
            if case .string = status.kind {
                statusAll = status
            } else if let list = status.array {
                if list.count == 1 {
                    statusAll = list[0]
                } else {
                    guard list.count == cellCount else {
                        throw fail(status, "STATUS_LEN_MISMATCH", "'status' has \(list.count) entries but there are \(cellCount) cells")
                    }
                    statusDense = list
                }
            } else if let members = status.members {
                for (key, node) in members {
                    guard let cell = Int(key), cell >= 0, cell < cellCount else {
                        throw fail(node, "SPARSE_KEY_OUT_OF_RANGE", "the status key '\(key)' is not a cell from 0 to \(cellCount - 1)")
                    }
                    statusSparse[cell] = node
                }
            } else {
                throw fail(status, "STATUS_INVALID", "'status' must be a string, an array or an object")
            }
        }
        self.dimensions = dimensions
        self.cellCount = cellCount
        self.statusAll = statusAll
        self.statusDense = statusDense
        self.statusSparse = statusSparse
        self.sparseIndex = Dictionary(sparse.map { ($0.cell, $0.node) }, uniquingKeysWith: { a, _ in a })
    }

    private let sparseIndex: [Int: JSONNode]

    /// Where a field's cells come from.
    func column(_ name: String, file: String) throws(PipelineFailure) -> Column {
        if name == "value" { return .value }
        if name == "status" { return .status }
        let parts = name.split(separator: "@", maxSplits: 1).map(String.init)
        guard let position = dimensions.firstIndex(where: { $0.id == parts[0] }) else {
            throw PipelineFailure.malformedSource(
                SourceLocation(file: file, field: name),
                problem: "no dimension '\(parts[0])'; the dataset has: \(dimensions.map(\.id).joined(separator: ", ")), value, status")
        }
        guard parts.count == 2 else { return .category(position) }
        switch parts[1] {
        case "label": return .label(position)
        case "unit", "decimals", "multiplier": return .unit(position, parts[1])
        default:
            throw PipelineFailure.malformedSource(
                SourceLocation(file: file, field: name), problem: "expected @label, @unit, @decimals or @multiplier after the dimension")
        }
    }

    /// The JSON value of a column at a cell (nil: no value).
    func node(_ column: Column, cell: Int, coordinates: [Int]) -> JSONNode? {
        switch column {
        case let .category(d):
            return JSONNode(kind: .string(dimensions[d].categories[coordinates[d]]), line: 0, column: 0)
        case let .label(d):
            let id = dimensions[d].categories[coordinates[d]]
            return dimensions[d].labels[id] ?? JSONNode(kind: .string(id), line: 0, column: 0)
        case let .unit(d, key):
            let id = dimensions[d].categories[coordinates[d]]
            guard let unit = dimensions[d].units[id] else { return nil }
            // PxWeb names the unit in `base`; JSON-stat in `label`.
            return key == "unit" ? (unit["label"] ?? unit["base"]) : unit[key]
        case .value:
            return dense.map { $0[cell] } ?? sparseIndex[cell]
        case .status:
            return statusAll ?? statusDense?[cell] ?? statusSparse[cell]
        }
    }

    /// The line of a cell's value in the file.
    func valueLine(_ cell: Int) -> Int? {
        (dense?[cell] ?? sparseIndex[cell])?.line
    }
}
