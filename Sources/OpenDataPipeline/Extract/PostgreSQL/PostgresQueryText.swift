/// A `query:` as sent to PostgreSQL: each `:name` of a declared parameter becomes
/// `$n` (bound by the driver, never spliced in), outside quotes, quoted
/// identifiers, comments and `::` casts. `origin` maps each character sent back
/// to the character of the query as written, so the server's error position
/// lands on the pipeline file's text.
struct PostgresQueryText: Sendable {
    let sql: String
    /// The parameters' names in `$1, $2, …` order.
    let order: [String]
    let origin: [Int]

    init(_ query: String, parameters: [String]) throws(PostgresConnectionSettings.Problem) {
        let characters = Array(query)
        var sql = ""
        var origin: [Int] = []
        var order: [String] = []
        var index = 0
        func copy(_ count: Int) {
            for offset in 0..<count where index + offset < characters.count {
                sql.append(characters[index + offset])
                origin.append(index + offset)
            }
            index += count
        }
        func copy(until end: String) {
            let endCharacters = Array(end)
            while index < characters.count {
                if Array(characters[index..<min(characters.count, index + endCharacters.count)]) == endCharacters {
                    copy(endCharacters.count)
                    return
                }
                copy(1)
            }
        }
        while index < characters.count {
            let character = characters[index]
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            switch (character, next) {
            case ("'", _):
                copy(1)
                copy(until: "'")
            case ("\"", _):
                copy(1)
                copy(until: "\"")
            case ("-", "-"):
                copy(until: "\n")
            case ("/", "*"):
                copy(2)
                copy(until: "*/")
            case (":", ":"):
                copy(2)
            case (":", let first?) where first.isLetter || first == "_":
                var end = index + 1
                while end < characters.count, characters[end].isLetter || characters[end].isNumber || characters[end] == "_" {
                    end += 1
                }
                let name = String(characters[(index + 1)..<end])
                guard parameters.contains(name) else {
                    throw .init(
                        "the query uses :\(name), which 'parameters' does not declare (it declares: \(parameters.isEmpty ? "none" : parameters.joined(separator: ", ")))"
                    )
                }
                if !order.contains(name) { order.append(name) }
                let placeholder = "$\(order.firstIndex(of: name)! + 1)"
                sql += placeholder
                origin += Array(repeating: index, count: placeholder.count)
                index = end
            default:
                copy(1)
            }
        }
        if let unused = parameters.first(where: { !order.contains($0) }) {
            throw .init("the parameter '\(unused)' is declared but the query does not use :\(unused)")
        }
        self.sql = sql
        self.origin = origin
        self.order = order
    }

    /// The 0-based character of the written query at the server's 1-based `position`.
    func written(position: Int) -> Int? {
        guard position >= 1, !origin.isEmpty else { return nil }
        return origin[min(position - 1, origin.count - 1)]
    }
}
