import Analysis
import Testing

/// Phones shown as people write them (API.md: highlights, exports, pages).
@Suite struct DisplayPhoneTests {
    @Test(arguments: [
        ("+33654170612", "06 54 17 06 12"),
        ("+33123456789", "01 23 45 67 89"),
        ("+596696422434", "06 96 42 24 34"),
        ("+41223456789", "+41 22 345 67 89"),
        ("+3225551234", "+32 25 55 12 34"),
        ("+14155550123", "+1 415 555 0123"),
        ("0654170612", "0654170612"),
        ("", ""),
    ])
    func display(_ stored: String, _ shown: String) {
        #expect(Identifiers.displayPhone(stored) == shown)
    }
}
