import Foundation

/// Writes long-format statistics like an office's export: Vietnamese names with
/// diacritics, some quoted fields with commas and doubled quotes, and an empty
/// value where the status is `missing`. Deterministic for a given row count.
enum SyntheticStatistics {
    static let indicators: [(String, String, String)] = [
        ("IT01", "Số người dùng internet", "người"),
        ("IT02", "Tỷ lệ người dân dùng điện thoại thông minh", "%"),
        ("DV03", "Dịch vụ công trực tuyến mức độ 3", "dịch vụ"),
        ("DV04", "Dịch vụ công trực tuyến mức độ 4", "dịch vụ"),
        ("DS01", "Dân số trung bình, \"ước tính\"", "nghìn người"),
        ("KT01", "Tổng sản phẩm trên địa bàn (GRDP), giá hiện hành", "tỷ đồng"),
    ]
    static let areas: [(String, String)] = [
        ("01", "Hà Nội"), ("79", "Thành phố Hồ Chí Minh"), ("31", "Hải Phòng"), ("48", "Đà Nẵng"),
        ("92", "Cần Thơ"), ("46", "Thừa Thiên Huế"), ("22", "Quảng Ninh"), ("56", "Khánh Hòa"),
    ]
    static let statuses = ["final", "provisional", "estimate", "missing"]

    static func write(rows: Int, to url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var buffer = Data("indicator_code,indicator_name,area_code,area_name,year,value,unit,status\r\n".utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        // Quoted once: the same few names recur on every row.
        let indicatorCells = indicators.map { ($0.0, quoted($0.1), quoted($0.2)) }
        let areaCells = areas.map { ($0.0, quoted($0.1)) }
        for row in 0..<rows {
            // A fixed xorshift sequence: the same file for the same row count.
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let indicator = indicatorCells[row % indicators.count]
            let area = areaCells[(row / indicators.count) % areas.count]
            let year = 1990 + (row / (indicators.count * areas.count)) % 35
            let status = statuses[Int(state % 16) == 0 ? 3 : Int(state % 3)]
            let value = status == "missing" ? "" : "\(state % 1_000_000).\(String(format: "%02d", state % 100))"
            let line = [
                indicator.0, indicator.1, area.0, area.1, String(year), value, indicator.2, status,
            ].joined(separator: ",")
            buffer.append(contentsOf: line.utf8)
            buffer.append(contentsOf: [0x0D, 0x0A])
            if buffer.count > 1 << 20 {
                handle.write(buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        handle.write(buffer)
    }

    private static func quoted(_ field: String) -> String {
        guard field.contains(",") || field.contains("\"") else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
