import Foundation
import DuetNN
import DuetTensor

/// `duet bench mlp_train_step_dist --ranks 2 --project 8,64,512`: past one machine, on paper
/// (issue #18). A latency–bandwidth model of the all-reduce, T(n) = a + b·n, is fitted to
/// all-reduces of 4 KB to 8 MB timed on this machine's ranks (for two ranks a ring all-reduce
/// costs 2α + n·β, so α = a/2, β = b); the compute of one rank's step (batch 128) and the SGD
/// update are timed too. The model is checked against DDP steps measured with several bucket
/// sizes, then projects step time and scaling efficiency at P ranks for a ring all-reduce and
/// for k parameter servers, weak scaling (128 rows per worker). The figures are a projection,
/// printed with their formula; α and β are this machine's shared memory, not a network's.
enum DistributedProjection {
    struct Calibration {
        var alpha: Double, beta: Double
        /// One rank's forward, backward and update at its batch, and the update alone.
        var compute: Double, update: Double
        /// Gradient bytes per DDP bucket (default cap) and in all.
        var buckets: [Int]
        var bytes: Int { buckets.reduce(0, +) }
    }

    static let sizes = [1 << 12, 1 << 16, 1 << 18, 1 << 20, 2_678_824, 8 << 20]

    /// Seconds per all-reduce of `bytes`: the median of 7 runs of 10 back-to-back calls.
    static func allReduceSeconds(_ bytes: Int) throws -> Double {
        let t = try Tensor.zeros([bytes / 4])
        return try BenchTiming.median(repeats: 7, warmup: 1) {
            for _ in 0..<10 { _ = try Dispatch.inPlace(Ops.allReduce, [t], Attrs([.int(ReduceOp.sum.rawValue)])) }
        } / 10
    }

    /// Least squares of t = a + b·n.
    static func fit(_ points: [(n: Double, t: Double)]) -> (a: Double, b: Double) {
        let k = Double(points.count), sx = points.reduce(0) { $0 + $1.n }, sy = points.reduce(0) { $0 + $1.t }
        let sxx = points.reduce(0) { $0 + $1.n * $1.n }, sxy = points.reduce(0) { $0 + $1.n * $1.t }
        let b = (k * sxy - sx * sy) / (k * sxx - sx * sx)
        return ((sy - b * sx) / k, b)
    }

    /// Every rank runs this (the collectives pair up); returns the calibration and, per bucket
    /// cap, the measured and predicted DDP step.
    static func calibrate(_ group: ProcessGroup) throws -> (Calibration, checks: [(capMB: Double, buckets: Int, measured: Double, predicted: Double)]) {
        guard group.worldSize == 2 else { throw TensorError.value("--project calibrates on 2 ranks (--ranks 2): the model's 2α + n·β is the two-rank all-reduce") }
        let points = try sizes.map { (n: Double($0), t: try allReduceSeconds($0)) }
        let (a, b) = fit(points)
        let batch = DistributedWorkloads.globalBatch / 2
        let (inner, x, y) = try DistributedWorkloads.model(batch: batch, rank: group.rank)
        let optimizer = try SGD(inner.parameters(), lr: 0.01)
        func step(_ model: Module) throws {
            try optimizer.zeroGrad()
            try Loss.crossEntropy(model(x), y).backward()
            try optimizer.step()
        }
        let compute = try BenchTiming.median(repeats: 15, warmup: 3) { try step(inner) }
        let update = try BenchTiming.median(repeats: 15, warmup: 3) { try optimizer.step() }
        var checks: [(Double, Int, Double, Double)] = []
        var defaultBuckets: [Int] = []
        // Five buckets (the last bias shares its weight's), three, and the default two.
        for cap in [0.001, 0.02, 25] {
            let ddp = try DistributedDataParallel(inner, bucketCapMB: cap, overlap: false)
            let params = inner.parameters()
            let bytes = ddp.buckets.map { $0.reduce(0) { $0 + params[$1].count * 4 } }
            if cap == 25 { defaultBuckets = bytes }
            let measured = try BenchTiming.median(repeats: 15, warmup: 3) { try step(ddp) }
            checks.append((cap, bytes.count, measured, compute + bytes.reduce(0) { $0 + a + b * Double($1) }))
        }
        return (Calibration(alpha: a / 2, beta: b, compute: compute, update: update, buckets: defaultBuckets), checks)
    }

    /// Ring all-reduce over P ranks, bucket by bucket, after backward (no overlap).
    static func ringStep(_ c: Calibration, ranks p: Double) -> Double {
        c.compute + c.buckets.reduce(0) { $0 + 2 * (p - 1) * c.alpha + 2 * (p - 1) / p * Double($1) * c.beta }
    }

    /// k synchronous servers and P - k workers: a worker pushes and pulls its shard of every
    /// server; a server receives and answers every worker and updates its 1/k of the model.
    static func serverStep(_ c: Calibration, ranks p: Double, servers k: Double) -> Double {
        let workers = p - k, shard = Double(c.bytes) / k
        let worker = 2 * k * c.alpha + 2 * Double(c.bytes) * c.beta
        let server = 2 * workers * (c.alpha + shard * c.beta) + c.update / k
        return c.compute - c.update + max(worker, server)
    }

    static func report(_ c: Calibration, _ checks: [(capMB: Double, buckets: Int, measured: Double, predicted: Double)], ranks: [Int]) -> [String] {
        var lines = [String(format: "calibration (2 ranks, measured): α = %.1f µs, β = %.3f ms/MB (%.2f GB/s), compute C = %.2f ms/step at batch 128, update U = %.2f ms",
                            c.alpha * 1e6, c.beta * 1e9, 1 / c.beta / 1e9, c.compute * 1e3, c.update * 1e3)]
        for k in checks {
            lines.append(String(format: "check: bucket_cap_mb=%g (%d buckets): measured %.2f ms/step, model %.2f ms (%+.0f%%)",
                                k.capMB, k.buckets, k.measured * 1e3, k.predicted * 1e3, 100 * (k.predicted - k.measured) / k.measured))
        }
        lines.append("projection, not measured (weak scaling, 128 rows per worker, gradients reduced after backward):")
        lines.append("  ring all-reduce  T(P) = C + Σ_buckets [2(P-1)α + 2(P-1)/P·n_b·β]")
        lines.append("  k servers        T(P) = C - U + max(2kα + 2Nβ, 2(P-k)(α + Nβ/k) + U/k), efficiency = C / T")
        for p in ranks {
            let ring = ringStep(c, ranks: Double(p))
            var line = String(format: "  P=%-4d ring %.2f ms (%.0f%%, %.0f samples/s)", p, ring * 1e3, 100 * c.compute / ring, 128 * Double(p) / ring)
            for k in Set([1, max(1, p / 8)]).sorted() where k < p {
                let ps = serverStep(c, ranks: Double(p), servers: Double(k))
                line += String(format: "; %d server%@ %.2f ms (%.0f%%)", k, k == 1 ? "" : "s", ps * 1e3, 100 * c.compute / ps)
            }
            lines.append(line)
        }
        return lines
    }

    /// The projected figures as `duet bench --json` lines, marked `"projection": true`.
    static func jsonLines(_ c: Calibration, ranks: [Int]) throws -> [String] {
        var objects: [[String: Any]] = []
        for p in ranks {
            let ring = ringStep(c, ranks: Double(p))
            objects.append(["workload": DistributedWorkloads.name, "mode": "eager", "ranks": p, "strategy": "allreduce", "projection": true,
                            "value": 128 * Double(p) / ring, "unit": "samples/s", "efficiency": c.compute / ring])
            for k in Set([1, max(1, p / 8)]).sorted() where k < p {
                let ps = serverStep(c, ranks: Double(p), servers: Double(k))
                objects.append(["workload": DistributedWorkloads.name, "mode": "eager", "ranks": p, "strategy": "ps-sync", "servers": k, "projection": true,
                                "value": 128 * Double(p - k) / ps, "unit": "samples/s", "efficiency": c.compute / ps])
            }
        }
        return try objects.map { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self) }
    }
}
