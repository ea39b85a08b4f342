/// A field's decoder in a box: decoding reads it in place (a `ValueDecoder` read out of an
/// array is copied first, its strings and arrays retained, at every cell).
final class FieldDecoder {
    let decoder: ValueDecoder

    init(_ decoder: ValueDecoder) { self.decoder = decoder }

    @inline(__always)
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(ValueDecoder.Failure) -> Value {
        try decoder.decode(bytes)
    }
}
