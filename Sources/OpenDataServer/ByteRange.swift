import Foundation

/// One range of a `Range: bytes=…` header (RFC 9110 §14.1.2), resolved against a file's size.
enum ByteRange: Equatable {
    /// Serve the whole file (no `Range`, another unit, a malformed header, or several ranges).
    case whole
    /// Serve `range` with 206.
    case part(ClosedRange<Int>)
    /// No byte of the file is in the range: 416.
    case unsatisfiable

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n` against a file of `size` bytes.
    /// Several ranges are answered with the whole file (200), which RFC 9110 allows.
    init(header: String?, size: Int) {
        guard let header else {
            self = .whole
            return
        }
        let text = header.trimmingCharacters(in: .whitespaces)
        guard text.lowercased().hasPrefix("bytes=") else {
            self = .whole
            return
        }
        let spec = text.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash].trimmingCharacters(in: .whitespaces)
        let last = spec[spec.index(after: dash)...].trimmingCharacters(in: .whitespaces)
        let digits: (String) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { (0x30...0x39).contains($0) } }
        if first.isEmpty {
            // A suffix: the last n bytes.
            guard digits(last), let count = Int(last) else {
                self = .whole
                return
            }
            self = count == 0 || size == 0 ? .unsatisfiable : .part(max(0, size - count)...(size - 1))
            return
        }
        guard digits(first), let start = Int(first), last.isEmpty || digits(last) else {
            self = .whole
            return
        }
        let end = last.isEmpty ? size - 1 : min(Int(last) ?? Int.max, size - 1)
        if !last.isEmpty, let stated = Int(last), stated < start {
            self = .whole
            return
        }
        self = start >= size ? .unsatisfiable : .part(start...end)
    }
}
