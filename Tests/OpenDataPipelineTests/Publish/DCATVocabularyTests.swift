import Foundation
@testable import OpenDataPipeline
import Testing

/// Every published file's media type has its DCAT-AP IRIs, or is known to have none.
@Suite("DCAT vocabulary")
struct DCATVocabularyTests {
    /// Types that neither IANA nor the EU file-type table registers: published without mediaType and format.
    static let unregistered: Set<String> = ["application/x-ndjson"]

    @Test func everyOutputFilesMediaTypeHasItsIANAAndEUFileTypeIRIs() {
        for file in OutputFormats.files {
            let vocabulary = DCATCatalog.vocabulary(mediaType: file.mediaType)
            if Self.unregistered.contains(file.mediaType) {
                #expect(vocabulary.iana == nil && vocabulary.fileType == nil, "\(file.name)")
            } else {
                #expect(vocabulary.iana != nil && vocabulary.fileType != nil, "\(file.name) (\(file.mediaType)) has no DCAT-AP IRIs")
            }
        }
        #expect(DCATCatalog.vocabulary(mediaType: "text/csv") == ("text/csv", "CSV"))
        #expect(DCATCatalog.vocabulary(mediaType: "application/schema+json") == ("application/json", "JSON"))
        #expect(DCATCatalog.vocabulary(mediaType: "text/tab-separated-values") == ("text/tab-separated-values", "TSV"))
    }

    @Test func languagesAreEULanguageIRIs() {
        #expect(DCATCatalog.languageIRI("vi") == "http://publications.europa.eu/resource/authority/language/VIE")
        #expect(DCATCatalog.languageIRI("en") == "http://publications.europa.eu/resource/authority/language/ENG")
        #expect(DCATCatalog.languageIRI("xx") == nil)
    }

    @Test func anEmailAddressNeedsOneAtAndADomainWithADot() {
        #expect(SiteDefinition.isEmailAddress("opendata@hanoi.example.vn"))
        for bad in ["opendata", "a@b", "@example.vn", "a b@example.vn", "a@@example.vn", "a@example.vn.", "<a>@example.vn"] {
            #expect(!SiteDefinition.isEmailAddress(bad), "\(bad)")
        }
    }
}
