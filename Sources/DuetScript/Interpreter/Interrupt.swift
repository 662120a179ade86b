import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ctrl-C as a flag: a signal handler (or the workbench) sets it, the interpreter checks it at
/// every statement and loop iteration and raises KeyboardInterrupt, keeping all state.
public enum Interrupt {
    private static let flag = Atomic<Bool>(false)

    public static func request() { flag.store(true, ordering: .relaxed) }
    public static func clear() { flag.store(false, ordering: .relaxed) }
    public static var isRequested: Bool { flag.load(ordering: .relaxed) }

    /// Routes SIGINT to `request()` (for `duet run` and `duet repl`).
    public static func installSignalHandler() {
        signal(SIGINT) { _ in Interrupt.request() }
    }
}

/// One interpreter's stop request: `request()` from any thread makes its running code raise
/// KeyboardInterrupt at the next statement or loop iteration, keeping all state.
public final class InterruptHandle: Sendable {
    private let flag = Atomic<Bool>(false)
    public func request() { flag.store(true, ordering: .relaxed) }
    var isRequested: Bool { flag.load(ordering: .relaxed) }
    func clear() { flag.store(false, ordering: .relaxed) }
}

/// Refuses deeper calls when the thread's stack is nearly used up, so that deep recursion is a
/// RecursionError on any thread (test runners use small stacks) instead of a crash.
struct StackGuard {
    /// Lowest address the stack may grow to before calls are refused.
    private let limit: UInt

    /// Measured once per thread: asking glibc for the main thread's stack reads /proc/self/maps,
    /// which cost ~200 µs on every top-level statement (and every `:time` run) before.
    init() {
        let key = "duet.stackLimit"
        if let cached = Thread.current.threadDictionary[key] as? UInt {
            limit = cached
            return
        }
        var marker = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        limit = here - StackGuard.usableBytes(below: here)
        Thread.current.threadDictionary[key] = limit
    }

    /// The room below `here`, keeping a margin for the frames a failing call still needs.
    private static func usableBytes(below here: UInt) -> UInt {
        let margin: UInt = 128 << 10
        #if canImport(Glibc)
        // glibc's pthread_getattr_np is a GNU extension the Glibc module does not export.
        typealias GetAttr = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "pthread_getattr_np") else { return 256 << 10 }
        let getattr = unsafeBitCast(symbol, to: GetAttr.self)
        var attr = pthread_attr_t()
        guard getattr(pthread_self(), &attr) == 0 else { return 256 << 10 }
        defer { pthread_attr_destroy(&attr) }
        var base: UnsafeMutableRawPointer?
        var size = 0
        guard pthread_attr_getstack(&attr, &base, &size) == 0, let base else { return 256 << 10 }
        let low = UInt(bitPattern: base)
        return here > low + margin ? here - low - margin : 0
        #elseif canImport(Darwin)
        let size = UInt(pthread_get_stacksize_np(pthread_self()))
        let top = UInt(bitPattern: pthread_get_stackaddr_np(pthread_self()))
        let low = top - size
        return here > low + margin ? here - low - margin : 0
        #else
        return 256 << 10
        #endif
    }

    var hasRoom: Bool {
        var marker = 0
        let here = withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
        return here > limit
    }
}
