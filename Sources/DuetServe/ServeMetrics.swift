import Foundation

/// What `/metrics` reports, in Prometheus' text format: requests by status code, errors, a
/// latency histogram, and `duet_batch_size`, the sizes of the batches the model actually ran
/// (what shows dynamic batching at work).
final class ServeMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private let model: String
    private var requests: [Int: Int] = [:]
    private var latency = Histogram(bounds: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10])
    private var batches = Histogram(bounds: [1, 2, 4, 8, 16, 32, 64, 128, 256])

    init(model: String) { self.model = model }

    private struct Histogram {
        let bounds: [Double]
        var counts: [Int]
        var sum = 0.0
        var total = 0
        init(bounds: [Double]) {
            self.bounds = bounds
            counts = Array(repeating: 0, count: bounds.count)
        }
        mutating func observe(_ v: Double) {
            for (i, b) in bounds.enumerated() where v <= b { counts[i] += 1 }
            sum += v
            total += 1
        }
        func lines(_ name: String, _ labels: String) -> [String] {
            zip(bounds, counts).map { "\(name)_bucket{\(labels),le=\"\(format($0))\"} \($1)" }
                + ["\(name)_bucket{\(labels),le=\"+Inf\"} \(total)", "\(name)_sum{\(labels)} \(sum)", "\(name)_count{\(labels)} \(total)"]
        }
        private func format(_ b: Double) -> String { b == b.rounded() ? String(Int(b)) : String(b) }
    }

    func request(status: Int, seconds: Double) {
        lock.withLock {
            requests[status, default: 0] += 1
            latency.observe(seconds)
        }
    }

    func batch(_ rows: Int) { lock.withLock { batches.observe(Double(rows)) } }

    var text: String {
        lock.withLock {
            let labels = "model=\"\(model)\""
            var lines = ["# HELP duet_requests_total Requests answered, by HTTP status.", "# TYPE duet_requests_total counter"]
            lines += requests.keys.sorted().map { "duet_requests_total{\(labels),code=\"\($0)\"} \(requests[$0] ?? 0)" }
            let errors = requests.filter { $0.key >= 400 }.values.reduce(0, +)
            lines += ["# HELP duet_request_errors_total Requests answered with a 4xx or 5xx status.", "# TYPE duet_request_errors_total counter",
                      "duet_request_errors_total{\(labels)} \(errors)"]
            lines += ["# HELP duet_request_latency_seconds Time from a request's last byte to its response.",
                      "# TYPE duet_request_latency_seconds histogram"] + latency.lines("duet_request_latency_seconds", labels)
            lines += ["# HELP duet_batch_size Rows in each batch the model ran (requests batched together).",
                      "# TYPE duet_batch_size histogram"] + batches.lines("duet_batch_size", labels)
            return lines.joined(separator: "\n") + "\n"
        }
    }
}
