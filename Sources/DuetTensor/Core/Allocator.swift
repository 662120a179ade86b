import Foundation
import Synchronization

/// Memory counters as the profiler and `compare` read them. Live and peak count the
/// size-class bytes held by tensors, so eager and graph runs are measured the same way.
public struct MemoryStats: Sendable, Equatable {
    public var liveBytes: Int = 0
    public var peakBytes: Int = 0
    public var allocations: Int = 0
    /// Bytes handed out since the process started (never decreases): the profiler's per-op
    /// "bytes allocated" is the difference across a call.
    public var totalAllocatedBytes: Int = 0
    public var cachedBytes: Int = 0
}

/// A caching allocator: 64-byte aligned blocks in size classes, freed blocks kept for reuse
/// so that steady-state training makes no system allocations.
public final class Allocator: Sendable {
    public static let shared = Allocator()

    static let alignment = 64
    /// Blocks above this many cached bytes are returned to the system.
    static let cacheLimit = 1 << 30

    /// Cached blocks are kept as addresses so the locked state stays Sendable. Small size classes
    /// (64-byte steps up to 4 KiB) are an array indexed by class, the rest a dictionary.
    private struct State {
        var stats = MemoryStats()
        var small = [[UInt]](repeating: [], count: 4096 / Allocator.alignment + 1)
        var large: [Int: [UInt]] = [:]

        mutating func pop(_ size: Int) -> UInt? {
            size <= 4096 ? small[size / Allocator.alignment].popLast() : large[size]?.popLast()
        }

        mutating func push(_ address: UInt, _ size: Int) {
            if size <= 4096 { small[size / Allocator.alignment].append(address) }
            else { large[size, default: []].append(address) }
        }

        mutating func drain() -> [UInt] {
            let all = small.flatMap { $0 } + large.values.flatMap { $0 }
            small = small.map { _ in [] }
            large = [:]
            return all
        }
    }
    private let state = Mutex(State())
    private let physicalMemory = Int(ProcessInfo.processInfo.physicalMemory)

    /// Rounds a request up to its size class: 64-byte steps below 4 KiB, then eighths of a power of two,
    /// which wastes at most 12.5% while keeping the number of classes small.
    static func sizeClass(_ bytes: Int) -> Int {
        if bytes <= 4096 { return max(alignment, (bytes + alignment - 1) / alignment * alignment) }
        let high = 1 << (Int.bitWidth - 1 - bytes.leadingZeroBitCount)
        let step = high / 8
        return (bytes + step - 1) / step * step
    }

    func allocate(bytes: Int) throws -> (UnsafeMutableRawPointer, Int) {
        guard bytes >= 0 else { throw TensorError.memory("cannot allocate a negative number of bytes (\(bytes))") }
        guard bytes <= physicalMemory else {
            throw TensorError.memory("cannot allocate \(Self.describe(bytes)): this machine has \(Self.describe(physicalMemory)) of memory")
        }
        let size = Self.sizeClass(bytes)
        let cached: UInt? = state.withLock { s in
            s.stats.allocations += 1
            s.stats.totalAllocatedBytes += size
            s.stats.liveBytes += size
            s.stats.peakBytes = max(s.stats.peakBytes, s.stats.liveBytes)
            guard let p = s.pop(size) else { return nil }
            s.stats.cachedBytes -= size
            return p
        }
        if let cached, let p = UnsafeMutableRawPointer(bitPattern: cached) { return (p, size) }
        var raw: UnsafeMutableRawPointer?
        if posix_memalign(&raw, Self.alignment, size) != 0 || raw == nil {
            state.withLock { $0.stats.liveBytes -= size }
            throw TensorError.memory("out of memory allocating \(Self.describe(bytes))")
        }
        return (raw.unsafelyUnwrapped, size)
    }

    func release(_ pointer: UnsafeMutableRawPointer, size: Int) {
        let address = UInt(bitPattern: pointer)
        let keep = state.withLock { s -> Bool in
            s.stats.liveBytes -= size
            guard s.stats.cachedBytes + size <= Self.cacheLimit else { return false }
            s.push(address, size)
            s.stats.cachedBytes += size
            return true
        }
        if !keep { free(pointer) }
    }

    public var stats: MemoryStats { state.withLock { $0.stats } }

    /// Starts a new high-water mark at the current live bytes (PyTorch's reset_peak_memory_stats).
    public func resetPeak() { state.withLock { $0.stats.peakBytes = $0.stats.liveBytes } }

    /// Returns every cached block to the system.
    public func emptyCache() {
        let blocks = state.withLock { s -> [UInt] in
            s.stats.cachedBytes = 0
            return s.drain()
        }
        blocks.forEach { free(UnsafeMutableRawPointer(bitPattern: $0)) }
    }

    public static func describe(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b >= 1_099_511_627_776 { return String(format: "%.1f TB", b / 1_099_511_627_776) }
        if b >= 1_073_741_824 { return String(format: "%.1f GB", b / 1_073_741_824) }
        if b >= 1_048_576 { return String(format: "%.1f MB", b / 1_048_576) }
        if b >= 1024 { return String(format: "%.1f KB", b / 1024) }
        return "\(bytes) B"
    }
}
