import CXapian

/// `Xapian::sortable_serialise`: numbers as bytes that sort like the numbers, for value
/// slots used in sorting, ranges and `Query.valueWeight`.
public enum Sortable {
    public static func serialise(_ value: Double) -> [UInt8] {
        // sortable_serialise writes at most 9 bytes.
        [UInt8](unsafeUninitializedCapacity: 9) { buffer, count in
            count = buffer.withMemoryRebound(to: CChar.self) {
                cxp_sortable_serialise(value, $0.baseAddress)
            }
        }
    }

    public static func unserialise(_ bytes: [UInt8]) -> Double {
        withBytes(bytes) { cxp_sortable_unserialise($0, $1) }
    }
}

/// The version of the Xapian library linked in.
public enum XapianVersion {
    /// e.g. "1.4.22".
    public static var string: String { String(cString: cxp_version_string()) }
}
