import Foundation
@testable import OpenDataPipeline
import Testing

@Suite("XMLExtractor")
struct XMLExtractorTests {
    private let fields = [
        SourceField(field: Field(name: "area", type: .string), from: "@ten", numberFormat: .vi),
        SourceField(field: Field(name: "year", type: .year), from: "@nam", numberFormat: .vi),
        SourceField(field: Field(name: "residents", type: .integer), from: "p:so-nguoi-dan", numberFormat: .vi),
        SourceField(field: Field(name: "items", type: .integer), from: "count(p:muc)", numberFormat: .vi),
    ]

    private func extract(_ xml: String) throws -> [[Value]] {
        let directory = try TemporaryDirectory()
        let path = try directory.write(xml, to: "in.xml")
        let extractor = XMLExtractor(
            path: path, displayPath: "exports/in.xml", rows: "/p:bao-cao/p:dong",
            namespaces: ["p": "urn:example:dan-cu"], fields: fields)
        var rows: [[Value]] = []
        try extractor.extract { batch in
            for row in 0..<batch.rowCount { rows.append(Array(batch.row(row))) }
        }
        return rows
    }

    @Test func readsRowsWithRelativePathsAttributesAndScalarXPath() throws {
        // The document's own prefix (`x:`) differs from the pipeline's (`p:`); the URI matches.
        let rows = try extract(
            """
            <x:bao-cao xmlns:x="urn:example:dan-cu">
              <x:dong ten="Hà Nội" nam="2018"><x:so-nguoi-dan>7,5 triệu</x:so-nguoi-dan><x:muc/><x:muc/></x:dong>
              <x:dong ten="Huế" nam="2018"><x:so-nguoi-dan>1.128.620</x:so-nguoi-dan></x:dong>
            </x:bao-cao>
            """)
        #expect(
            rows == [
                [.string("Hà Nội"), .integer(2018), .integer(7_500_000), .integer(2)],
                [.string("Huế"), .integer(2018), .integer(1_128_620), .integer(0)],
            ])
    }

    @Test func namesTheFileLineAndPathOfABadValue() throws {
        #expect(
            throws: PipelineFailure.badValue(
                SourceLocation(file: "exports/in.xml", line: 3, field: "p:so-nguoi-dan"), value: "1.5",
                expected: FieldType.integer.expectation(numberFormat: .vi))
        ) {
            try extract(
                """
                <x:bao-cao xmlns:x="urn:example:dan-cu">

                  <x:dong ten="Huế" nam="2018"><x:so-nguoi-dan>1.5</x:so-nguoi-dan></x:dong>
                </x:bao-cao>
                """)
        }
    }

    @Test func refusesMalformedAndHostileDocumentsAsDataErrors() throws {
        let hostile = [
            "<x:bao-cao xmlns:x=\"urn:example:dan-cu\"><x:dong></x:bao-cao>",
            "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><x:bao-cao xmlns:x=\"urn:example:dan-cu\">&x;</x:bao-cao>",
        ]
        for xml in hostile {
            let error = failure { try extract(xml) }
            guard case let PipelineFailure.malformedSource(location, _, _)? = error else {
                Issue.record("expected a malformed-source error, got \(String(describing: error))")
                continue
            }
            #expect(location.file == "exports/in.xml")
            #expect(location.line != nil)
        }
    }

    @Test func saysWhenTheRowPathSelectsNothing() throws {
        let error = failure { try extract("<x:other xmlns:x=\"urn:example:dan-cu\"/>") }
        guard case let PipelineFailure.malformedSource(_, problem, _)? = error else {
            Issue.record("expected an error")
            return
        }
        #expect(problem.contains("selects no rows"))
    }
}
