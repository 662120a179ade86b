import Testing
@testable import DuetTensor

/// The caching allocator: size classes, live/peak/allocation/cached counters, and block reuse.
/// Exact counter arithmetic is checked on a private `Allocator`; the shared one is checked through
/// real tensors, where other suites allocate concurrently (see `quietAttempt`).
@Suite struct AllocatorTests {
    /// Runs `attempt` until it reports a clean measurement. Tests in other suites allocate on other
    /// threads while this runs, so one attempt may see their bytes too; a correct allocator gives an
    /// exact reading on the first quiet attempt, a wrong one never does.
    private func quietAttempt(_ tries: Int = 200, _ attempt: () throws -> Bool) rethrows -> Bool {
        for _ in 0..<tries where try attempt() { return true }
        return false
    }

    // MARK: - Size classes

    @Test func sizeClassesAre64ByteAligned() {
        #expect(Allocator.sizeClass(0) == 64)
        #expect(Allocator.sizeClass(1) == 64)
        #expect(Allocator.sizeClass(64) == 64)
        #expect(Allocator.sizeClass(65) == 128)
        #expect(Allocator.sizeClass(4000) == 4032)
        #expect(Allocator.sizeClass(4096) == 4096)
        #expect(Allocator.sizeClass(4097) == 4608)      // above 4 KiB: eighths of a power of two
        #expect(Allocator.sizeClass(1 << 20) == 1 << 20)
        #expect(Allocator.sizeClass((1 << 20) + 1) == (1 << 20) + (1 << 17))
        // Checked in bulk and reported once, so a wrong rule gives one readable failure.
        var previous = 0
        var bad: [String] = []
        for bytes in Array(0...20_000) + [123_457, 1_000_000, 7_654_321, 1 << 30, (1 << 30) + 12_345] {
            let size = Allocator.sizeClass(bytes)
            if size % 64 != 0 { bad.append("\(bytes) → \(size): not a multiple of 64") }
            if size < bytes { bad.append("\(bytes) → \(size): smaller than the request") }
            if size < previous { bad.append("\(bytes) → \(size): smaller than the previous class \(previous)") }
            if bytes > 4096 && size - bytes > bytes / 8 { bad.append("\(bytes) → \(size): more than 12.5% waste") }
            previous = size
        }
        #expect(bad.isEmpty, "\(bad.prefix(5))")
    }

    // MARK: - Counters (private allocator, exact)

    @Test func liveAndPeakBytesFollowAllocations() throws {
        let a = Allocator()
        defer { a.emptyCache() }
        let (p1, s1) = try a.allocate(bytes: 100)
        #expect(s1 == 128)
        #expect(a.stats == MemoryStats(liveBytes: 128, peakBytes: 128, allocations: 1, totalAllocatedBytes: 128, cachedBytes: 0))
        let (p2, s2) = try a.allocate(bytes: 5000)
        #expect(s2 == 5120)
        #expect(a.stats.liveBytes == 5248)
        #expect(a.stats.peakBytes == 5248)
        a.release(p1, size: s1)
        #expect(a.stats.liveBytes == 5120)
        #expect(a.stats.peakBytes == 5248) // the high-water mark stays
        a.resetPeak()
        #expect(a.stats.peakBytes == 5120)
        let (p3, s3) = try a.allocate(bytes: 1000)
        #expect(a.stats.peakBytes == 5120 + 1024)
        #expect(a.stats.totalAllocatedBytes == 128 + 5120 + 1024) // cumulative: releases never lower it
        a.release(p2, size: s2)
        a.release(p3, size: s3)
        #expect(a.stats.liveBytes == 0)
        #expect(a.stats.peakBytes == 6144)
        #expect(a.stats.allocations == 3)
    }

    @Test func freedBlocksAreReusedBySizeClass() throws {
        let a = Allocator()
        defer { a.emptyCache() }
        let (p1, s1) = try a.allocate(bytes: 100)
        a.release(p1, size: s1)
        #expect(a.stats.cachedBytes == 128)

        let (other, otherSize) = try a.allocate(bytes: 200) // another class: the 128-byte block stays cached
        #expect(other != p1)
        #expect(a.stats.cachedBytes == 128)

        let (p2, s2) = try a.allocate(bytes: 120) // same class as 100
        #expect(p2 == p1)
        #expect(s2 == 128)
        #expect(a.stats.cachedBytes == 0)
        #expect(a.stats.allocations == 3)
        a.release(p2, size: s2)
        a.release(other, size: otherSize)
        #expect(a.stats.cachedBytes == 128 + 256)
        a.emptyCache()
        #expect(a.stats.cachedBytes == 0)
        #expect(a.stats.liveBytes == 0)
    }

    @Test func blocksAre64ByteAligned() throws {
        let a = Allocator()
        defer { a.emptyCache() }
        var blocks: [(UnsafeMutableRawPointer, Int)] = []
        for bytes in [1, 63, 65, 100, 1000, 4097, 100_000] { blocks.append(try a.allocate(bytes: bytes)) }
        for (p, _) in blocks { #expect(Int(bitPattern: p) % 64 == 0) }
        for (p, s) in blocks { a.release(p, size: s) }
    }

    @Test func cacheIsCappedAtItsLimit() throws {
        let a = Allocator()
        defer { a.emptyCache() }
        let (big, bigSize) = try a.allocate(bytes: Allocator.cacheLimit) // untouched pages: address space only
        let (small, smallSize) = try a.allocate(bytes: 64)
        a.release(big, size: bigSize)
        #expect(a.stats.cachedBytes == Allocator.cacheLimit)
        a.release(small, size: smallSize) // would exceed the limit: returned to the system
        #expect(a.stats.cachedBytes == Allocator.cacheLimit)
        #expect(a.stats.liveBytes == 0)
    }

    @Test func impossibleRequestsThrowWithoutCounting() throws {
        let a = Allocator()
        #expect(throws: TensorError.memory("cannot allocate a negative number of bytes (-1)")) { try a.allocate(bytes: -1) }
        #expect(throws: TensorError.self) { try a.allocate(bytes: Int.max / 2) }
        #expect(a.stats.liveBytes == 0)
    }

    // MARK: - The shared allocator through tensors

    @Test func liveBytesRiseWithATensorAndFallWhenItIsReleased() throws {
        let size = Allocator.sizeClass(1000 * 4)
        let clean = try quietAttempt {
            let before = Allocator.shared.stats
            var during = MemoryStats()
            do {
                let t = try Tensor.zeros([1000])
                during = Allocator.shared.stats
                withExtendedLifetime(t) {}
            }
            let after = Allocator.shared.stats
            #expect(during.peakBytes >= during.liveBytes)
            return during.liveBytes - before.liveBytes == size
                && after.liveBytes == before.liveBytes
                && during.allocations - before.allocations == 1
        }
        #expect(clean, "no attempt saw live bytes go up by \(size) and back down")
    }

    /// Counted on this thread (`EngineContext.allocations`), which suites running in parallel
    /// cannot disturb, so no retries are needed.
    @Test func viewsAllocateNothing() throws {
        let base = try Tensor.zeros([64, 64])
        let before = EngineContext.current.allocations
        let views = [try base.T, try base.slice(dim: 0, step: 2), try base.view([4096]), try base.expand([2, 64, 64])]
        #expect(EngineContext.current.allocations == before)
        withExtendedLifetime(views) {}
    }

    @Test func aReleasedTensorsBlockIsReused() throws {
        let size = Allocator.sizeClass(3000 * 4)
        let clean = try quietAttempt {
            let freedAddress: UnsafeMutableRawPointer?
            do {
                let first = try Tensor.zeros([3000])
                freedAddress = first.storage.base
            }
            let before = Allocator.shared.stats
            let second = try Tensor.zeros([3000])
            let after = Allocator.shared.stats
            defer { withExtendedLifetime(second) {} }
            return after.allocations - before.allocations == 1
                && before.cachedBytes - after.cachedBytes == size
                && after.liveBytes - before.liveBytes == size
                && second.storage.base == freedAddress
        }
        #expect(clean, "no attempt took the freed \(size)-byte block back from the cache")
    }
}
