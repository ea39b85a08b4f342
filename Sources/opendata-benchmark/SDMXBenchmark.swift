import Foundation
import LibXML
import OpenDataPipeline

/// `--sdmx-megabytes N`: writes a generic SDMX-ML 2.1 time-series message of about N MB
/// (series keys, series attributes, observations with a status), then times a bare
/// `xmlTextReaderRead` loop over it (each node's type, each element's local name), a bare SAX2
/// push-parser loop (callbacks that count elements: the floor for any SAX reader) and the
/// streaming SDMX extractor reading every observation into typed rows. The last line gives the
/// three and the extractor's share of each loop's speed.
enum SDMXBenchmark {
    static func run(megabytes: Int, folder: URL) throws {
        let file = folder.appendingPathComponent("message.xml")
        let started = Date()
        let observations = try write(bytes: megabytes << 20, to: file)
        print("generated \(observations) observations in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        let bytes = Double((try FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0)

        let (nodes, raw) = try time { try XMLStreamReader.rawNodeCount(path: file.path) }
        let (_, rawSAX) = try time { try XMLEventReader.rawEventCount(path: file.path) }
        let fields = [
            ("REF_AREA", FieldType.string), ("SEX", .string), ("TIME_PERIOD", .year), ("OBS_VALUE", .number),
            ("UNIT_MEASURE", .string), ("OBS_STATUS", .string),
        ].map { name, type in
            SourceField(field: Field(name: name, type: type), numberFormat: .plain)
        }
        let extractor = SDMXExtractor(path: file.path, displayPath: "message.xml", fields: fields)
        let (rows, ours) = try time { () throws -> Int in
            var rows = 0
            try extractor.extract(collecting: nil) { batch in rows += batch.rowCount }
            return rows
        }
        guard rows == observations else { throw DuckDBComparison.Failure(description: "read \(rows) of \(observations) observations") }
        let megabytesRead = bytes / 1_048_576
        print(
            "sdmx: input_mb=\(String(format: "%.1f", megabytesRead)) nodes=\(nodes) rows=\(rows) "
                + "raw_reader_seconds=\(String(format: "%.2f", raw)) raw_sax_seconds=\(String(format: "%.2f", rawSAX)) "
                + "extractor_seconds=\(String(format: "%.2f", ours)) "
                + "extractor_share_of_raw_sax_speed=\(String(format: "%.2f", rawSAX / ours)) "
                + "extractor_share_of_raw_speed=\(String(format: "%.2f", raw / ours))")
    }

    private static func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
        let started = ContinuousClock.now
        let result = try body()
        let elapsed = ContinuousClock.now - started
        return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    /// Writes series of 40 years each until the file holds about `bytes`; returns the observations written.
    private static func write(bytes: Int, to url: URL) throws -> Int {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = """
            <?xml version="1.0" encoding="UTF-8"?>
            <message:GenericTimeSeriesData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:generic="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic" \
            xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
            <message:Header><message:ID>BENCH</message:ID><message:Test>true</message:Test>
            <message:Prepared>2020-01-01T00:00:00</message:Prepared><message:Sender id="GSO"/>
            <message:Structure structureID="POP" dimensionAtObservation="TIME_PERIOD"><common:Structure><Ref agencyID="GSO" id="POP" version="1.0"/></common:Structure></message:Structure>
            </message:Header>
            <message:DataSet structureRef="POP">

            """
        var written = 0
        var observations = 0
        var series = 0
        let statuses = ["A", "E", "P"]
        while written + buffer.utf8.count < bytes {
            let area = String(format: "%02d", series % 97)
            let sex = ["T", "M", "F"][series % 3]
            buffer +=
                "<generic:Series><generic:SeriesKey><generic:Value id=\"REF_AREA\" value=\"\(area)\"/>"
                + "<generic:Value id=\"SEX\" value=\"\(sex)\"/></generic:SeriesKey>"
                + "<generic:Attributes><generic:Value id=\"UNIT_MEASURE\" value=\"PERS\"/></generic:Attributes>\n"
            for year in 1985..<2025 {
                let value = (series * 7919 + year * 104_729) % 1_000_000
                buffer +=
                    "<generic:Obs><generic:ObsDimension value=\"\(year)\"/><generic:ObsValue value=\"\(value / 100).\(value % 100)\"/>"
                    + "<generic:Attributes><generic:Value id=\"OBS_STATUS\" value=\"\(statuses[(series + year) % 3])\"/></generic:Attributes></generic:Obs>\n"
                observations += 1
            }
            buffer += "</generic:Series>\n"
            series += 1
            if buffer.utf8.count > 1 << 20 {
                handle.write(Data(buffer.utf8))
                written += buffer.utf8.count
                buffer = ""
            }
        }
        buffer += "</message:DataSet></message:GenericTimeSeriesData>\n"
        handle.write(Data(buffer.utf8))
        return observations
    }
}
