import LibXML
import Testing

/// Long or deeply nested XPath expressions are refused with a short excerpt and
/// libxml2's reason at the position, never echoed whole.
@Suite("XPath limits")
struct XPathLimitTests {
    private func refusal(_ expression: String) -> XMLError? {
        do {
            _ = try XPathQuery(expression)
            return nil
        } catch {
            return error
        }
    }

    @Test func anExpressionLongerThanTheLimitIsRefusedBeforeCompiling() {
        let expression = "/" + String(repeating: "/a", count: 3_000)
        #expect(
            refusal(expression)
                == .invalidXPath(
                    expression: String(expression.prefix(60)) + "…",
                    message: "the expression is 6001 bytes long; XPath expressions are limited to 4096"))
    }

    @Test func nestingBeyondLibXML2sLimitIsNamedAtItsPosition() throws {
        let expression = String(repeating: "(", count: 1_000) + "//table" + String(repeating: ")", count: 1_000)
        let error = try #require(refusal(expression))
        guard case let .invalidXPath(excerpt, message) = error else {
            Issue.record("expected invalidXPath, got \(error)")
            return
        }
        #expect(message.hasPrefix("nested too deeply at character "))
        #expect(excerpt == "…" + String(repeating: "(", count: 60) + "…")
        #expect(error.description.count < 160)
    }

    @Test func aShortExpressionIsShownWholeWithTheReasonAndPosition() {
        #expect(refusal("//table[") == .invalidXPath(expression: "//table[", message: "invalid expression at character 9"))
    }
}
