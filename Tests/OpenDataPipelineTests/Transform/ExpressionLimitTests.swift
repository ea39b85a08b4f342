import Foundation
@testable import OpenDataPipeline
import Testing

/// Long and deeply nested expressions are refused with a short excerpt, never by
/// overflowing the stack (3,000 chained `+` or `not` used to crash the run).
@Suite("Expression limits")
struct ExpressionLimitTests {
    private let schema = TableSchema(fields: [Field(name: "x", type: .integer), Field(name: "flag", type: .boolean)])

    private func error(_ text: String) -> ExpressionError? {
        failure { try Expression(text, schema: schema) } as? ExpressionError
    }

    private let depthMessage =
        "the expression nests more than 100 levels deep (parentheses, operators, 'not', '-'); split it into several derived fields"

    @Test func aChainOfOperatorsDeeperThanTheLimitIsRefusedAtTheOperatorThatPassesIt() throws {
        // The expression is one level; 99 operators more are accepted and evaluated; the 100th is refused where it stands.
        let accepted = Array(repeating: "x", count: 100).joined(separator: " + ")
        #expect(try Expression(accepted, schema: schema).evaluate([.integer(2), .boolean(true)][...]) == .integer(200))
        let refused = Array(repeating: "x", count: 1_000).joined(separator: " + ")
        #expect(error(refused) == ExpressionError(offset: 4 * 100 - 2, message: depthMessage))
        let product = Array(repeating: "x", count: 2_000).joined(separator: "*")
        #expect(error(product) == ExpressionError(offset: 2 * 100 - 1, message: depthMessage))
        let logical = Array(repeating: "flag", count: 400).joined(separator: " and ")
        #expect(error(logical) == ExpressionError(offset: 9 * 100 - 4, message: depthMessage))
    }

    @Test func prefixOperatorsAndParenthesesAreBoundedToo() throws {
        // Refused at the 100th prefix operator, or at the token after the 100th opening parenthesis.
        #expect(error(String(repeating: "not ", count: 1_000) + "flag") == ExpressionError(offset: 4 * 99, message: depthMessage))
        #expect(error(String(repeating: "-", count: 1_000) + "x") == ExpressionError(offset: 99, message: depthMessage))
        #expect(error(String(repeating: "(", count: 1_000) + "x") == ExpressionError(offset: 100, message: depthMessage))
        #expect(error(String(repeating: "abs(", count: 1_000) + "x") == ExpressionError(offset: 4 * 100, message: depthMessage))
        #expect(try Expression(String(repeating: "not ", count: 99) + "flag", schema: schema).type == .boolean)
    }

    @Test func anExpressionLongerThanTheLimitIsRefusedBeforeItIsRead() {
        let text = "x + " + String(repeating: " ", count: 5_000) + "1"
        #expect(
            error(text)
                == ExpressionError(
                    offset: 4_096, message: "the expression is 5005 characters long; expressions are limited to 4096"))
    }

    @Test func aPipelineShowsAShortExcerptAtThePositionNotTheWholeExpression() throws {
        let expression = Array(repeating: "value", count: 3_000).joined(separator: "+")
        let yaml = PipelineLoaderTests.minimal.replacingOccurrences(
            of: "expression: value * 2}", with: "expression: \"\(String(expression.prefix(4_000)))\"}")
        let directory = try TemporaryDirectory()
        let path = try directory.write(yaml, to: "p.yml")
        let refusal = failure { try PipelineLoader().load(path: path, displayPath: "Pipelines/p.yml") }
        guard case let .invalidDefinition(location, problem, code)? = refusal as? PipelineFailure else {
            Issue.record("expected a definition error, got \(String(describing: refusal))")
            return
        }
        #expect(location.field == "datasets[0].steps[0].derive.expression")
        let offset = 6 * 100 - 1  // the 100th '+'
        let excerpt = "…" + String(expression.dropFirst(offset - 30).prefix(60)) + "…"
        #expect(problem == "in the expression '\(excerpt)' at character \(offset + 1): \(depthMessage)")
        #expect(problem.count < 300)
        #expect(code == .invalidExpression)
        // The 4,000-character line is cut around the column, with the caret under the 100th '+'.
        let lines = try #require(location.snippet).split(separator: "\n").map(Array.init)
        let caret = try #require(lines[1].firstIndex(of: "^"))
        #expect(lines[0][caret] == "+")
        #expect(lines[0].count <= 2 + SourceLocation.excerptWidth + 2)
    }

    @Test func excerptsKeepShortTextsWholeAndEscapeControlCharacters() {
        #expect(ExpressionError.excerpt("x + 1", around: 2) == "x + 1")
        #expect(ExpressionError.excerpt("x\u{1B}[2J", around: 0) == "x\\u{1b}[2J")
        let long = String(repeating: "a", count: 50) + "HERE" + String(repeating: "b", count: 50)
        #expect(
            ExpressionError.excerpt(long, around: 50) == "…" + String(repeating: "a", count: 30) + "HERE" + String(repeating: "b", count: 26) + "…")
    }
}
