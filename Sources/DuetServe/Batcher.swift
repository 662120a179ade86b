import Foundation
import DuetNN
import DuetTensor

/// Dynamic batching: requests that arrive within `window` of the first waiting one run as one
/// batch (their inputs concatenated along dim 0, up to `maxRows` rows), so throughput grows with
/// concurrency. One thread runs the model: the engine's state is per thread, and a batch already
/// uses the kernels' own threads.
final class Batcher: @unchecked Sendable {
    struct Job {
        let inputs: [Tensor]
        let rows: Int
        let done: (Result<[Tensor], Error>) -> Void
    }

    private let model: OnnxModule
    private let window: TimeInterval
    private let maxRows: Int
    private let metrics: ServeMetrics
    private let condition = NSCondition()
    private var queue: [Job] = []

    init(model: OnnxModule, window: TimeInterval, maxRows: Int, metrics: ServeMetrics) {
        self.model = model
        self.window = window
        // A model whose batch dim is fixed runs each request alone.
        let fixedBatch = model.inputs.contains { ($0.dims?.first ?? nil) != nil }
        self.maxRows = fixedBatch ? 1 : max(maxRows, 1)
        self.metrics = metrics
        let thread = Thread { [weak self] in self?.loop() }
        thread.name = "duet-serve model"
        thread.stackSize = 8 << 20
        thread.start()
    }

    func submit(_ job: Job) {
        condition.lock()
        queue.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Jobs batch together when every input agrees past dim 0.
    private func fits(_ a: Job, _ b: Job) -> Bool {
        zip(a.inputs, b.inputs).allSatisfy { $0.shape.dropFirst() == $1.shape.dropFirst() }
    }

    private func loop() {
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let deadline = Date().addingTimeInterval(window)
            var batch = [queue.removeFirst()]
            var rows = batch[0].rows
            while rows < maxRows {
                if let i = queue.firstIndex(where: { fits(batch[0], $0) && rows + $0.rows <= maxRows }) {
                    rows += queue[i].rows
                    batch.append(queue.remove(at: i))
                    continue
                }
                guard condition.wait(until: deadline) else { break }
            }
            condition.unlock()
            run(batch, rows: rows)
        }
    }

    private func run(_ batch: [Job], rows: Int) {
        guard batch.count > 1 else {
            metrics.batch(rows)
            batch[0].done(Result { try model(batch[0].inputs) })
            return
        }
        do {
            let inputs = try model.inputs.indices.map { k in try Tensor.cat(batch.map { $0.inputs[k] }, dim: 0) }
            let outputs = try model(inputs)
            // An output without the batch dim cannot be split back: run each request alone.
            guard outputs.allSatisfy({ $0.shape.first == rows }) else {
                for job in batch { run([job], rows: job.rows) }
                return
            }
            metrics.batch(rows)
            var start = 0
            for job in batch {
                let mine = try outputs.map { try $0.slice(dim: 0, start: start, end: start + job.rows).contiguous() }
                start += job.rows
                job.done(.success(mine))
            }
        } catch {
            for job in batch { job.done(.failure(error)) }
        }
    }
}
