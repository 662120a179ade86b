import Foundation
import Synchronization
import Testing
@testable import DuetTensor

/// Every range handed to the body, sorted by start.
private func recordedChunks(count: Int, grain: Int) -> [Range<Int>] {
    let ranges = Mutex<[Range<Int>]>([])
    Parallel.forEachChunk(count: count, grain: grain) { range in
        ranges.withLock { $0.append(range) }
    }
    return ranges.withLock { $0 }.sorted { $0.lowerBound < $1.lowerBound }
}

/// Serialized so that these calls, not each other's, hold the pool.
@Suite(.serialized) struct ThreadPoolTests {
    @Test func threadCountIsPositive() {
        #expect(Parallel.threadCount >= 1)
    }

    @Test(arguments: [0, 1, 2, 3, 7, 64, 100, 1000, 4097, 100_000], [0, 1, 2, 5, 64, 1000, 50_000])
    func chunksCoverEveryIndexOnce(count: Int, grain: Int) {
        let chunks = recordedChunks(count: count, grain: grain)
        var visits = [Int](repeating: 0, count: count)
        visits.withUnsafeMutableBufferPointer { buffer in
            Parallel.forEachChunk(count: count, grain: grain) { range in
                for i in range { buffer[i] += 1 }
            }
        }
        #expect(visits.allSatisfy { $0 == 1 })
        guard count > 0 else {
            #expect(chunks.isEmpty)
            return
        }
        #expect(chunks.first?.lowerBound == 0 && chunks.last?.upperBound == count)
        #expect(zip(chunks, chunks.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(chunks.count <= Parallel.threadCount)
        if chunks.count > 1 { #expect(chunks.allSatisfy { $0.count >= grain }) }
        if count < 2 * max(grain, 1) { #expect(chunks == [0..<count]) }
    }

    @Test(arguments: [10, 1000, 12345, 1_000_000])
    func chunkSumsEqualSerialSum(count: Int) {
        let values = (0..<count).map { Double(($0 * 7919) % 1000) }
        let total = Atomic<Int>(0)
        values.withUnsafeBufferPointer { buffer in
            Parallel.forEachChunk(count: count, grain: 1) { range in
                var partial = 0.0
                for i in range { partial += buffer[i] }
                total.add(Int(partial), ordering: .relaxed)
            }
        }
        #expect(total.load(ordering: .relaxed) == Int(values.reduce(0, +)))
    }

    @Test func nestedCallRunsInlineOnTheSameThread() {
        let mismatches = Atomic<Int>(0)
        let outerCalls = Atomic<Int>(0)
        let innerCalls = Atomic<Int>(0)
        Parallel.forEachChunk(count: 1000, grain: 1) { outer in
            outerCalls.add(1, ordering: .relaxed)
            let outerThread = pthread_self()
            Parallel.forEachChunk(count: outer.count, grain: 1) { inner in
                innerCalls.add(1, ordering: .relaxed)
                if inner != 0..<outer.count || pthread_equal(pthread_self(), outerThread) == 0 {
                    mismatches.add(1, ordering: .relaxed)
                }
            }
        }
        #expect(mismatches.load(ordering: .relaxed) == 0)
        #expect(innerCalls.load(ordering: .relaxed) == outerCalls.load(ordering: .relaxed))
    }

    /// Chunk 0 (always the caller's) waits, boundedly, for chunk 1 to start, which gives a
    /// worker time to claim it. Other suites may hold the pool (our calls then run inline), so
    /// this only asks that one of many attempts ran the two chunks on two threads.
    @Test func chunksRunOnSeveralThreads() {
        guard Parallel.threadCount > 1 else { return }
        var sawTwoThreads = false
        for _ in 0..<1000 where !sawTwoThreads {
            let threads = Mutex<[pthread_t]>([])
            Parallel.forEachChunk(count: 2, grain: 1) { range in
                threads.withLock { $0.append(pthread_self()) }
                var waits = 0
                while range.lowerBound == 0, threads.withLock({ $0.count }) < 2, waits < 100_000 {
                    sched_yield()
                    waits += 1
                }
            }
            let seen = threads.withLock { $0 }
            sawTwoThreads = seen.count == 2 && pthread_equal(seen[0], seen[1]) == 0
        }
        #expect(sawTwoThreads)
    }

    @Test func manyConsecutiveCalls() {
        let expected = (0..<257).reduce(0, +)
        var failures = 0
        for call in 0..<20_000 {
            let sum = Atomic<Int>(0)
            Parallel.forEachChunk(count: 257, grain: 8 + call % 50) { range in
                sum.add(range.reduce(0, +), ordering: .relaxed)
            }
            if sum.load(ordering: .relaxed) != expected { failures += 1 }
        }
        #expect(failures == 0)
    }

    /// Calls from several threads at once: one gets the pool, the others run inline; all finish.
    @Test func concurrentCallersAllComplete() async {
        let expected = (0..<10_000).reduce(0, +)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (0..<500).allSatisfy { _ in
                        let sum = Atomic<Int>(0)
                        Parallel.forEachChunk(count: 10_000, grain: 100) { range in
                            sum.add(range.reduce(0, +), ordering: .relaxed)
                        }
                        return sum.load(ordering: .relaxed) == expected
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == [true, true, true, true])
    }
}
