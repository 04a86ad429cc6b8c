// Shared by every fuzz target (compiled into each): a property check that makes libFuzzer
// keep the input as a crash.
#if canImport(Glibc)
import Glibc
#endif

/// Fails the run (libFuzzer saves the input as crash-…) when `condition` is false.
@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition {
        fputs("fuzz property failed (\(file):\(line)): \(message())\n", stderr)
        abort()
    }
}

/// The input as bytes and as (lossily decoded) UTF-8 text.
@inline(__always)
func input(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
    Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the run with a message (setup failures).
func fatal(_ message: String) -> Never {
    fputs("fuzz: \(message)\n", stderr)
    abort()
}
