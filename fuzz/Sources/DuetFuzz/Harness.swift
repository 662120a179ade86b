import DuetScript
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input: as UTF-8 text, a program for a fresh interpreter. A crash, a hang past libFuzzer's
/// timeout, or an outcome other than a result, a located error or a budget (which aborts here,
/// so libFuzzer saves the input) is a finding.
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    if case .failure(let why) = FuzzRun.run(String(decoding: bytes, as: UTF8.self), steps: 20_000, seconds: 2) {
        print("DuetFuzz: \(why)")
        abort()
    }
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// SwiftPM links an executable's entry point under this name; it hands control to libFuzzer's
/// driver (the same options and output as a C++ fuzz target).
@_cdecl("DuetFuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var args = argv
    return runDriver(&count, &args) { data, size in fuzzOneInput(data, size) }
}
