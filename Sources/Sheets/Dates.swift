// Spreadsheet serial dates. In the 1900 system serial 1 is 1900-01-01 and serial 60 is the
// nonexistent 1900-02-29 (Lotus 1-2-3's leap-year bug, kept by Excel), so from 1900-03-01
// on a serial counts days since 1899-12-30. In the 1904 system serial 0 is 1904-01-01.
// The fraction is the time of day. Serials below 1 are times of day, dated 1899-12-30 (the
// 1900 system's day zero as most libraries treat it).

extension SheetDate {
    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    private static let epoch1900 = daysFromCivil(1899, 12, 30)
    private static let epoch1904 = daysFromCivil(1904, 1, 1)
    /// 9999-12-31 in the 1900 system, Excel's last date.
    static let maxSerial1900 = 2_958_465.0

    /// The date of a serial number, to the nearest second; nil if out of Excel's range.
    public init?(serial: Double, date1904: Bool = false) {
        guard serial.isFinite, serial >= 0, serial < (date1904 ? Self.maxSerial1900 - 1462 : Self.maxSerial1900) + 1
        else { return nil }
        var days = Int(serial.rounded(.down))
        var seconds = Int(((serial - Double(days)) * 86_400).rounded())
        if seconds >= 86_400 {
            days += 1
            seconds -= 86_400
        }
        let hour = seconds / 3600, minute = seconds / 60 % 60, second = seconds % 60
        if date1904 {
            let c = Self.civilFromDays(Self.epoch1904 + days)
            self.init(year: c.year, month: c.month, day: c.day, hour: hour, minute: minute, second: second)
        } else if days == 60 {
            self.init(year: 1900, month: 2, day: 29, hour: hour, minute: minute, second: second)
        } else {
            let c = Self.civilFromDays(Self.epoch1900 + days + (days >= 1 && days < 60 ? 1 : 0))
            self.init(year: c.year, month: c.month, day: c.day, hour: hour, minute: minute, second: second)
        }
    }

    /// The serial number of this date (1900 or 1904 system); nil for dates the system cannot
    /// hold (before 1900-01-01, or 1904-01-01, except the time-only day 1899-12-30 in the 1900
    /// system) or invalid fields.
    public func serial(date1904: Bool = false) -> Double? {
        guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(hour),
              (0...59).contains(minute), (0...59).contains(second), (1...9999).contains(year) else { return nil }
        let time = Double(hour * 3600 + minute * 60 + second) / 86_400
        if date1904 {
            let d = Self.daysFromCivil(year, month, day) - Self.epoch1904
            return d >= 0 ? Double(d) + time : nil
        }
        if year == 1900 && month == 2 && day == 29 { return 60 + time }
        if year == 1899 && month == 12 && day == 30 { return time }
        let d = Self.daysFromCivil(year, month, day) - Self.epoch1900
        if d < 2 { return nil } // before 1900-01-01 (1899-12-31 has no serial of its own)
        return Double(d < 61 ? d - 1 : d) + time
    }

    /// A date or date-time in ISO 8601 form: "2024-03-05", "2024-03-05T14:30:00",
    /// "2024-03-05 14:30:00", "14:30:00" (a time of day, dated 1899-12-30). Fractions of a
    /// second and a time zone suffix are ignored.
    init?(iso bytes: UnsafeBufferPointer<UInt8>) {
        var k = 0
        func number(_ count: Int) -> Int? {
            guard k + count <= bytes.count else { return nil }
            var v = 0
            for j in k..<(k + count) {
                let c = bytes[j]
                guard c >= 0x30 && c <= 0x39 else { return nil }
                v = v * 10 + Int(c - 0x30)
            }
            k += count
            return v
        }
        func expect(_ c: UInt8) -> Bool {
            guard k < bytes.count, bytes[k] == c else { return false }
            k += 1
            return true
        }
        var y = 1899, mo = 12, d = 30, h = 0, mi = 0, s = 0
        if bytes.count >= 3 && bytes[2] == UInt8(ascii: ":") {
            guard let hh = number(2), expect(UInt8(ascii: ":")), let mm = number(2) else { return nil }
            h = hh; mi = mm
            if expect(UInt8(ascii: ":")) { guard let ss = number(2) else { return nil }; s = ss }
        } else {
            guard let yy = number(4), expect(UInt8(ascii: "-")), let mm = number(2), expect(UInt8(ascii: "-")),
                  let dd = number(2) else { return nil }
            y = yy; mo = mm; d = dd
            if k < bytes.count && (bytes[k] == UInt8(ascii: "T") || bytes[k] == UInt8(ascii: " ")) {
                k += 1
                guard let hh = number(2), expect(UInt8(ascii: ":")), let mi2 = number(2) else { return nil }
                h = hh; mi = mi2
                if expect(UInt8(ascii: ":")) { guard let ss = number(2) else { return nil }; s = ss }
            }
        }
        guard (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 60 else { return nil }
        self.init(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
    }
}
