import SystemPackage

/// A worksheet part without its `sheetData` element: what comes before the cells (the
/// root's start tag with its namespaces, the dimension, the columns) and what follows
/// them (the merged ranges, page setup). It is a well-formed document of a few kilobytes,
/// read from the two ends of the part, so the merged ranges, which the format puts after
/// the cells, are known without reading the cells twice.
enum XLSXSheetOutline {
    /// The most bytes read from either end; a larger head or tail reads the whole part instead.
    static let maximumBytes = 1 << 24

    /// The outline's bytes; nil when the part's `sheetData` is not found within ``maximumBytes`` of its ends.
    static func bytes(ofPart path: String) -> [UInt8]? {
        guard let descriptor = try? FileDescriptor.open(FilePath(path), .readOnly, options: .closeOnExec) else { return nil }
        defer { try? descriptor.close() }
        guard let size = try? descriptor.seek(offset: 0, from: .end), size > 0 else { return nil }
        // The head: up to the '<' of the sheetData start tag.
        var head: [UInt8] = []
        var start: Int?
        var tagEnd: Int?
        while start == nil || tagEnd == nil {
            guard head.count < min(Int(size), maximumBytes),
                let block = read(descriptor, at: Int64(head.count), count: min(1 << 16, Int(size) - head.count))
            else { return nil }
            head += block
            start = start ?? startTag(in: head)
            if let start { tagEnd = head[start...].firstIndex(of: UInt8(ascii: ">")) }
        }
        guard let start, let tagEnd else { return nil }
        if head[tagEnd - 1] == UInt8(ascii: "/") {  // <sheetData/>: no cells
            guard let rest = read(descriptor, at: Int64(tagEnd + 1), count: Int(size) - tagEnd - 1), rest.count <= maximumBytes else {
                return nil
            }
            return Array(head[..<start]) + rest
        }
        // The tail: after the '>' of the last sheetData end tag.
        var tailLength = min(1 << 16, Int(size))
        while true {
            guard let tail = read(descriptor, at: size - Int64(tailLength), count: tailLength) else { return nil }
            if let end = endTag(in: tail), Int(size) - tailLength + end > tagEnd {
                return Array(head[..<start]) + tail[(end + 1)...]
            }
            guard tailLength < min(Int(size), maximumBytes) else { return nil }
            tailLength = min(tailLength * 4, Int(size), maximumBytes)
        }
    }

    private static let name = Array("sheetData".utf8)

    /// The '<' of the first `<sheetData` or `<prefix:sheetData` start tag.
    private static func startTag(in bytes: [UInt8]) -> Int? {
        var index = 0
        while let found = find(name, in: bytes, from: index) {
            let after = found + name.count
            if after < bytes.count,
                bytes[after] == UInt8(ascii: ">") || bytes[after] == UInt8(ascii: " ") || bytes[after] == UInt8(ascii: "/")
                    || bytes[after] == 0x09 || bytes[after] == 0x0A || bytes[after] == 0x0D,
                let open = elementStart(before: found, in: bytes), bytes[open + 1] != UInt8(ascii: "/")
            {
                return open
            }
            index = found + 1
        }
        return nil
    }

    /// The '>' of the last `</sheetData>` or `</prefix:sheetData>` ("</" cannot occur in text).
    private static func endTag(in bytes: [UInt8]) -> Int? {
        var index = bytes.count
        while let found = findLast(name, in: bytes, before: index) {
            let after = found + name.count
            if after < bytes.count, bytes[after] == UInt8(ascii: ">"), let open = elementStart(before: found, in: bytes),
                bytes[open + 1] == UInt8(ascii: "/")
            {
                return after
            }
            index = found
        }
        return nil
    }

    /// The '<' that opens the tag whose local name starts at `name`: right before it, or before `prefix:` or `/prefix:`.
    private static func elementStart(before name: Int, in bytes: [UInt8]) -> Int? {
        var index = name - 1
        guard index >= 0 else { return nil }
        if bytes[index] == UInt8(ascii: ":") {
            index -= 1
            while index >= 0, isNameByte(bytes[index]) { index -= 1 }
        }
        if index >= 0, bytes[index] == UInt8(ascii: "/") { index -= 1 }
        guard index >= 0, bytes[index] == UInt8(ascii: "<") else { return nil }
        return index
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: ".")
    }

    private static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }

    private static func findLast(_ needle: [UInt8], in bytes: [UInt8], before end: Int) -> Int? {
        var index = min(end, bytes.count - needle.count + 1) - 1
        while index >= 0 {
            if bytes[index] == needle[0], bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }

    private static func read(_ descriptor: FileDescriptor, at offset: Int64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try? bytes.withUnsafeMutableBytes { buffer in
                try descriptor.read(fromAbsoluteOffset: offset + Int64(filled), into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            }
            guard let read, read > 0 else { return nil }
            filled += read
        }
        return bytes
    }
}
