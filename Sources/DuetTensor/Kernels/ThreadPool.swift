import Dispatch
import Foundation
import Synchronization

/// Data-parallel loops on a persistent pool: workers are started once and park between
/// calls, so a call costs an atomic post (or one wake-up), not a thread creation.
enum Parallel {
    /// Number of worker threads incl. the caller (= active core count, overridable by env DUET_NUM_THREADS).
    static var threadCount: Int { configuredThreadCount }

    private static let configuredThreadCount: Int = {
        if let text = ProcessInfo.processInfo.environment["DUET_NUM_THREADS"],
           let requested = Int(text.trimmingCharacters(in: .whitespaces)), requested >= 1 {
            return min(requested, WorkerPool.maxThreads)
        }
        return max(1, min(ProcessInfo.processInfo.activeProcessorCount, WorkerPool.maxThreads))
    }()

    private static let pool = WorkerPool(workerCount: configuredThreadCount - 1)

    /// Sends spinning workers to sleep at once. Called before a multithreaded BLAS call so that
    /// OpenBLAS's threads get both cores instead of sharing them with our idle spinners.
    static func yieldCores() { pool.quiet() }

    /// Splits 0..<count into at most threadCount contiguous chunks of at least `grain` elements and runs body on each;
    /// the caller runs one chunk itself; returns when all are done. Runs inline when count < 2*grain or threadCount == 1.
    ///
    /// Chunks go to whichever thread claims them first, so the caller also takes the chunks
    /// of a worker that has not woken up yet. Runs inline as well when the pool is busy (a
    /// nested call from inside a chunk, or a call from another thread), so no call ever
    /// waits for another. count <= 0 runs nothing.
    ///
    /// Call it from nonisolated code (engine kernels are): a body written in actor-isolated
    /// code, e.g. top-level code, which is @MainActor, is isolated to that actor, and Swift's
    /// runtime isolation checks in closures nested inside it trap on a worker thread.
    static func forEachChunk(count: Int, grain: Int, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let chunks = min(threadCount, count / max(grain, 1))
        guard chunks >= 2, pool.claim() else {
            body(0..<count)
            return
        }
        pool.run(ChunkSplit(count: count, chunks: chunks), body)
        pool.unclaim()
    }
}

/// Balanced split of 0..<count into `chunks` contiguous ranges (sizes differ by at most 1).
private struct ChunkSplit: Sendable {
    let count: Int
    let chunks: Int

    func range(_ index: Int) -> Range<Int> {
        let base = count / chunks
        let extra = count % chunks
        let start = index * base + Swift.min(index, extra)
        return start..<(start + base + (index < extra ? 1 : 0))
    }
}

/// The pool's one unchecked-Sendable type: the running loop's body and split in plain
/// storage read by the workers. Safe because `claims` orders every access: the caller
/// writes the slot before publishing the chunks (sequentially consistent store) and resets it
/// only after all claimed chunks are reported done; a worker reads it only after claiming a
/// chunk (acquiring compare-exchange) and before reporting that chunk done. The caller blocks
/// meanwhile, so the non-escaping body outlives every call.
private final class JobSlot: @unchecked Sendable {
    var body: (Range<Int>) -> Void = { _ in }
    var split = ChunkSplit(count: 0, chunks: 1)
}

/// Lets one thread wait for a condition: it spins briefly (back-to-back kernels then cost no
/// syscalls), then sleeps; `notify` costs a semaphore signal only when the waiter sleeps.
private final class Parker: Sendable {
    private let sleeping = Atomic<Bool>(false)
    private let semaphore = DispatchSemaphore(value: 0)

    /// Once `ready` turns true it must stay true until this returns, and it must read its
    /// atomics sequentially consistently: that pairs with the flag (store flag, then read
    /// the condition here; make the condition true, then exchange the flag in `notify`).
    func wait(until ready: () -> Bool, stopSpinning: () -> Bool = { false }) {
        let deadline = ContinuousClock.now + WorkerPool.spinTime
        var spins = 0
        while !ready() {
            spins &+= 1
            if spins & 255 == 0, ContinuousClock.now >= deadline || stopSpinning() { break }
        }
        while !ready() {
            sleeping.store(true, ordering: .sequentiallyConsistent)
            if ready() {
                // A notifier that already took the flag has signalled or will: consume it.
                if !sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.wait() }
                return
            }
            semaphore.wait()
        }
    }

    /// Call after making the condition true.
    func notify() {
        if sleeping.exchange(false, ordering: .sequentiallyConsistent) { semaphore.signal() }
    }
}

/// One parked worker: the count of loops posted to it, and where it waits for the next.
private final class Worker: Sendable {
    let posted = Atomic<Int>(0)
    let parker = Parker()
}

/// Worker threads plus the state of the one loop that may run on them at a time.
private final class WorkerPool: Sendable {
    /// How long idle threads spin before sleeping.
    static let spinTime = Duration.microseconds(100)
    /// Chunk indices are packed into 16 bits of `claims`.
    static let maxThreads = 256

    private let workers: [Worker]
    private let callerParker = Parker()
    private let slot = JobSlot()
    private let busy = Atomic<Bool>(false)
    /// chunks << 16 | next unclaimed chunk; a chunk is claimed by compare-exchange.
    private let claims = Atomic<Int>(0)
    private let done = Atomic<Int>(0)
    /// Bumped by `quiet()`: workers spinning when it changes stop spinning and sleep.
    private let quietGeneration = Atomic<Int>(0)

    func quiet() { quietGeneration.add(1, ordering: .relaxed) }

    init(workerCount: Int) {
        workers = (0..<Swift.max(workerCount, 0)).map { _ in Worker() }
        for index in workers.indices {
            let thread = Thread { [self] in self.serve(index) }
            thread.name = "duet-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Takes the pool for one loop; false when another loop (an outer or a concurrent one) holds it.
    func claim() -> Bool {
        !workers.isEmpty
            && busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    func unclaim() {
        busy.store(false, ordering: .releasing)
    }

    /// Runs chunk 0 and any chunk no worker has claimed yet on the caller; returns when all are done.
    func run(_ split: ChunkSplit, _ body: (Range<Int>) -> Void) {
        let chunks = split.chunks
        withoutActuallyEscaping(body) { escapable in
            slot.body = escapable
            slot.split = split
            done.store(0, ordering: .relaxed)
            claims.store(chunks << 16 | 1, ordering: .sequentiallyConsistent)
            for worker in workers.prefix(chunks - 1) {
                worker.posted.add(1, ordering: .sequentiallyConsistent)
                worker.parker.notify()
            }
            body(split.range(0))
            var finished = 1
            while let chunk = nextChunk() {
                body(split.range(chunk))
                finished += 1
            }
            done.add(finished, ordering: .sequentiallyConsistent)
            callerParker.wait { done.load(ordering: .sequentiallyConsistent) == chunks }
            // Drops the slot's reference before withoutActuallyEscaping checks for escapes.
            slot.body = { _ in }
        }
    }

    /// Claims the next chunk of the published loop, if one is left.
    private func nextChunk() -> Int? {
        var current = claims.load(ordering: .acquiring)
        while current & 0xFFFF < current >> 16 {
            let (exchanged, original) = claims.compareExchange(
                expected: current, desired: current + 1, ordering: .acquiringAndReleasing)
            if exchanged { return current & 0xFFFF }
            current = original
        }
        return nil
    }

    private func serve(_ index: Int) {
        let worker = workers[index]
        var seen = 0
        while true {
            let generation = quietGeneration.load(ordering: .relaxed)
            worker.parker.wait(until: { worker.posted.load(ordering: .sequentiallyConsistent) != seen },
                               stopSpinning: { self.quietGeneration.load(ordering: .relaxed) != generation })
            seen = worker.posted.load(ordering: .acquiring)
            while let chunk = nextChunk() {
                let chunks = Self.call(slot, chunk: chunk)
                if done.add(1, ordering: .sequentiallyConsistent).newValue == chunks {
                    callerParker.notify()
                }
            }
        }
    }

    /// Runs one claimed chunk and returns the loop's chunk count. Kept out of line so every
    /// copy of the closure it makes is released before the worker reports the chunk done.
    @inline(never)
    private static func call(_ slot: JobSlot, chunk: Int) -> Int {
        let split = slot.split
        slot.body(split.range(chunk))
        return split.chunks
    }
}
