@testable import OpenDataPipeline
import Testing

/// The byte form of keys and the compact set and list that hold them for key checks.
@Suite("Compact key set")
struct CompactKeySetTests {
    private func bytes(_ values: [Value]) -> [UInt8] {
        var bytes: [UInt8] = []
        for value in values { KeyBytes.append(value, to: &bytes) }
        return bytes
    }

    /// Inserts each key in turn into `set`: whether each was new.
    private func insert(_ keys: [[Value]], into set: inout CompactKeySet) -> [Bool] {
        keys.map { set.insert(bytes($0)) }
    }

    @Test func findsExactDuplicatesOnly() {
        var set = CompactKeySet()
        let day = CalendarDate(year: 2019, month: 4, day: 1)!
        let key: [Value] = [.string("Hà Nội"), .integer(2019), .date(day)]
        #expect(insert([key, key], into: &set) == [true, false])
        #expect(set.contains(bytes(key)))
        #expect(!set.contains(bytes([.string("Hà Nội"), .integer(2018), .date(day)])))
        #expect(!set.contains(bytes([.string("Hà Nội"), .integer(2019), .date(CalendarDate(year: 2019, month: 4, day: 2)!)])))
        #expect(!set.contains(bytes([.string("Hà Nội"), .integer(2019)])))
        #expect(set.count == 1)
    }

    @Test func aPartBoundaryMakesADifferentKey() {
        var set = CompactKeySet()
        let keys: [[Value]] = [
            [.string("ab"), .string("c")], [.string("a"), .string("bc")], [.string("abc"), .string("")],
            [.string(""), .string("abc")], [.string("a"), .string("bc")],
        ]
        #expect(insert(keys, into: &set) == [true, true, true, true, false])
        #expect(set.count == 4)
    }

    @Test func numericallyEqualNumbersAreOneKeyAndTypesStayApart() {
        var set = CompactKeySet()
        let keys: [[Value]] = [
            [.number(DecimalNumber(units: 15, scale: 1))], [.number(DecimalNumber(units: 150, scale: 2))],
            [.number(DecimalNumber(units: 1_500_000, scale: 6))], [.number(DecimalNumber(units: -15, scale: 1))],
            // As `Value` compares them: an integer, a number and a text are different keys.
            [.integer(1)], [.number(DecimalNumber(units: 10, scale: 1))], [.string("1")],
            [.boolean(true)], [.boolean(false)], [.boolean(false)],
        ]
        #expect(insert(keys, into: &set) == [true, false, false, true, true, true, true, true, true, false])
        #expect(set.count == 7)
    }

    @Test func nullPartsAreComparedAsNull() {
        var set = CompactKeySet()
        let keys: [[Value]] = [[.null, .string("a")], [.null, .string("a")], [.string(""), .string("a")], [.string("a"), .null]]
        #expect(insert(keys, into: &set) == [true, false, true, true])
    }

    @Test func canonicallyEquivalentTextIsOneKey() {
        var set = CompactKeySet()
        #expect(insert([[.string("Nội")], [.string("No\u{323}\u{302}i")]], into: &set) == [true, false])
    }

    @Test func keepsTheFirstNote() {
        var set = CompactKeySet()
        let notes = [(["a"], 7), (["a"], 9), (["b"], UInt64.max), (["b"], 1)].map { key, note in
            set.insert(bytes(key.map(Value.string)), note: note)
        }
        #expect(notes == [nil, 7, nil, UInt64.max])
    }

    @Test func growsPastManyRehashesAndKeepsEveryKey() {
        var set = CompactKeySet()
        let count = 200_000
        func key(_ index: Int, last: Int) -> [UInt8] {
            bytes([.string("area-\(index % 1000)"), .integer(Int64(index / 1000)), .integer(Int64(last))])
        }
        var new = 0
        for index in 0..<count where set.insert(key(index, last: -index), note: UInt64(index)) == nil { new += 1 }
        #expect(new == count)
        #expect(set.count == count)
        var repeated = 0
        var absent = 0
        for index in stride(from: 0, to: count, by: 997) {
            if set.insert(key(index, last: -index), note: 0) == UInt64(index) { repeated += 1 }
            if !set.contains(key(index, last: index + 1)) { absent += 1 }
        }
        #expect(repeated == (count + 996) / 997)
        #expect(absent == repeated)
        #expect(set.count == count)
    }

    @Test func bytesReadBackAsTheKeyForm() {
        let values: [Value] = [
            .null, .integer(Int64.min), .integer(Int64.max), .number(DecimalNumber(units: -1250, scale: 3)), .string("Đà Nẵng, \"x\""),
            .string(""), .boolean(true), .boolean(false), .date(CalendarDate(year: 1, month: 12, day: 31)!),
        ]
        #expect(KeyBytes.values(of: bytes(values)[...]) == values.map(\.keyForm))
        #expect(KeyBytes.values(of: bytes(values)[...])[3] == .number(DecimalNumber(units: -125, scale: 2)))
    }

    @Test func listKeepsKeysAndNotesInOrder() {
        var list = CompactKeyList()
        list.append(bytes([.string("b")]), note: 3)
        list.append(bytes([.string("a"), .integer(300)]), note: 0)
        list.append(bytes([.string("b")]), note: 1 << 40)
        let seen = list.map { (KeyBytes.values(of: $0.key[...]), $0.note) }
        #expect(seen.map(\.0) == [[.string("b")], [.string("a"), .integer(300)], [.string("b")]])
        #expect(seen.map(\.1) == [3, 0, 1 << 40])
    }
}
