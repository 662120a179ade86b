import Foundation
import Testing
import DuetTestSupport

/// `nn.parallel.DistributedDataParallel` on two ranks through the real binary: after 5 steps,
/// each rank training on its half of the batch equals one process on the whole batch, for
/// SGD with momentum and Adam, one bucket and one bucket per parameter, overlap on and off, and a
/// compiled training step; both ranks end bit-identical. In the serialized DistributedTests
/// suite, so that no two MPI jobs share the two cores.
extension DistributedTests {
    static let dataParallelScript = """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import torch.distributed as dist
        from torch.nn.parallel import DistributedDataParallel as DDP

        dist.init_process_group("mpi")
        rank, world = dist.get_rank(), dist.get_world_size()
        torch.manual_seed(0)
        X = torch.randn(64, 20, dtype=torch.float64)
        y = torch.randn(64, 3, dtype=torch.float64)
        n = 64 // world
        lo, hi = rank * n, (rank + 1) * n

        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.w1 = nn.Parameter(torch.randn(20, 32, dtype=torch.float64) * 0.2)
                self.b1 = nn.Parameter(torch.zeros(32, dtype=torch.float64))
                self.w2 = nn.Parameter(torch.randn(32, 3, dtype=torch.float64) * 0.2)
            def forward(self, x):
                return torch.tanh(x @ self.w1 + self.b1) @ self.w2

        def optimizer(name, model):
            if name == "sgd":
                return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
            return torch.optim.Adam(model.parameters(), lr=0.01)

        def step(model, opt, xs, ys):
            opt.zero_grad()
            loss = F.mse_loss(model(xs), ys)
            loss.backward()
            opt.step()
            return loss

        def identical(t):
            copies = [torch.zeros_like(t) for _ in range(world)]
            dist.all_gather(copies, t)
            return all(torch.equal(c, copies[0]) for c in copies)

        def report(label, ddp, single, tolerance):
            diff = max((a - b).abs().max().item() for a, b in zip(ddp.parameters(), single.parameters()))
            scale = max(p.abs().max().item() for p in single.parameters())
            same = all(identical(p.detach().contiguous()) for p in ddp.parameters())
            print(label, "buckets", ddp.bucket_sizes, "equal", diff <= tolerance * scale, "identical", same)

        for name in ["sgd", "adam"]:
            for cap in [25, 0.0001]:
                for overlap in [True, False]:
                    torch.manual_seed(1)
                    single = Net()
                    torch.manual_seed(1 + rank)
                    ddp = DDP(Net(), bucket_cap_mb=cap, overlap=overlap)
                    o1, o2 = optimizer(name, single), optimizer(name, ddp)
                    for _ in range(5):
                        step(single, o1, X, y)
                        step(ddp, o2, X[lo:hi], y[lo:hi])
                    report(f"{name} cap={cap} overlap={overlap}", ddp, single, 1e-6)

        torch.manual_seed(2)
        single = nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 3))
        torch.manual_seed(2 + rank)
        ddp = DDP(nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 3)), bucket_cap_mb=0.001)
        o1, o2 = optimizer("sgd", single), optimizer("sgd", ddp)
        compiled = torch.compile(step)
        for _ in range(5):
            step(single, o1, X.float(), y.float())
            compiled(ddp, o2, X[lo:hi].float(), y[lo:hi].float())
        report("compiled", ddp, single, 1e-5)
        print("graph", [line.split("=")[1].split("(")[0].strip() for line in str(compiled.graph).split("\\n") if "all_reduce" in line])

        torch.manual_seed(3)
        single = Net()
        torch.manual_seed(3)
        ddp = DDP(Net())
        quarter = n // 2
        with ddp.no_sync():
            F.mse_loss(ddp(X[lo:hi][:quarter]), y[lo:hi][:quarter]).backward()
        F.mse_loss(ddp(X[lo:hi][quarter:]), y[lo:hi][quarter:]).backward()
        for r in range(world):
            xs, ys = X[r * n:(r + 1) * n], y[r * n:(r + 1) * n]
            F.mse_loss(single(xs[:quarter]), ys[:quarter]).backward()
            F.mse_loss(single(xs[quarter:]), ys[quarter:]).backward()
        diff = max((a.grad - b.grad / world).abs().max().item() for a, b in zip(ddp.parameters(), single.parameters()))
        print("no_sync", diff < 1e-12)
        dist.destroy_process_group()
        """

    @Test func dataParallelEqualsOneProcessOnTheWholeBatch() throws {
        guard DuetBinary.hasMPI() else { return }
        let (lines, out) = try outputLines(ranks: 2, Self.dataParallelScript)
        var expected: [String] = []
        for name in ["sgd", "adam"] {
            for (cap, buckets) in [("25", "[3]"), ("0.0001", "[1, 1, 1]")] {
                for overlap in ["True", "False"] {
                    expected.append("\(name) cap=\(cap) overlap=\(overlap) buckets \(buckets) equal True identical True")
                }
            }
        }
        expected += ["compiled buckets [4] equal True identical True", "graph ['all_reduce_start_', 'all_reduce_wait_']", "no_sync True"]
        for line in expected {
            #expect(lines.contains(line) && lines.contains("[rank 1] " + line), "\(line) in \(out)")
        }
    }
}

/// `dist.ParameterServer` on three ranks: synchronous training with one server and two workers,
/// and with two servers (the parameters sharded) and one worker, equals one process on the
/// whole batch; asynchronous training lowers the loss and no applied gradient is staler than
/// the bound.
extension DistributedTests {
    static let parameterServerScript = """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import torch.distributed as dist

        dist.init_process_group("mpi")
        rank, world = dist.get_rank(), dist.get_world_size()
        torch.manual_seed(0)
        X = torch.randn(64, 20)
        y = torch.randn(64, 3)

        def net(seed):
            torch.manual_seed(seed)
            return nn.Sequential(nn.Linear(20, 32), nn.Tanh(), nn.Linear(32, 3))

        for servers, sync, steps in [(1, True, 5), (2, True, 5), (1, False, 30)]:
            single, model = net(1), net(1 + rank)
            reference = torch.optim.Adam(single.parameters(), lr=0.01)
            opt = torch.optim.Adam(model.parameters(), lr=0.01)
            ps = dist.ParameterServer(model, opt, num_servers=servers, sync=sync, max_staleness=2)
            label = f"servers={servers} sync={sync}"
            if ps.is_server:
                ps.serve()
                print(label, "server", "updates", ps.updates, "within bound", ps.largest_staleness <= 2)
                continue
            workers = world - servers
            n = 64 // workers
            w = rank - servers
            losses = []
            for _ in range(steps):
                opt.zero_grad()
                loss = F.mse_loss(model(X[w * n:(w + 1) * n]), y[w * n:(w + 1) * n])
                loss.backward()
                ps.step()
                losses.append(loss.item())
            ps.finish()
            if sync:
                for _ in range(steps):
                    reference.zero_grad()
                    F.mse_loss(single(X), y).backward()
                    reference.step()
                diff = max((a - b).abs().max().item() for a, b in zip(model.parameters(), single.parameters()))
                print(label, "worker equal", diff <= 1e-5 * max(p.abs().max().item() for p in single.parameters()))
            else:
                print(label, "worker loss falls", losses[-1] < 0.9 * losses[0])
        dist.destroy_process_group()
        """

    @Test func parameterServersMatchOneProcessWhenSynchronous() throws {
        guard DuetBinary.hasMPI() else { return }
        let (lines, out) = try outputLines(ranks: 3, Self.parameterServerScript)
        for line in ["servers=1 sync=True server updates 5 within bound True", "[rank 1] servers=1 sync=True worker equal True",
                     "[rank 2] servers=1 sync=True worker equal True", "servers=2 sync=True server updates 5 within bound True",
                     "[rank 1] servers=2 sync=True server updates 5 within bound True", "[rank 2] servers=2 sync=True worker equal True",
                     "servers=1 sync=False server updates 60 within bound True", "[rank 1] servers=1 sync=False worker loss falls True",
                     "[rank 2] servers=1 sync=False worker loss falls True"] {
            #expect(lines.contains(line), "\(line) in \(out)")
        }
    }
}

/// `fit(..., strategy=...)` on three ranks: batch_size is the global batch, so all-reduce over
/// three workers and synchronous parameter servers (one server, two workers) record the same
/// history and reach the same weights as one process; the servers' fit returns that history
/// too; a batch that does not split evenly is an error naming both numbers.
extension DistributedTests {
    static let fitStrategyScript = """
        import torch
        import torch.nn as nn
        import torch.distributed as dist

        dist.init_process_group("mpi")
        torch.manual_seed(0)
        X = torch.randn(240, 10)
        y = (X[:, 0] + X[:, 1] > 0).long()

        def run(strategy, batch_size=24):
            torch.manual_seed(1)
            model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 2))
            opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
            h = fit(model, (X, y), opt=opt, epochs=2, batch_size=batch_size, shuffle=False, strategy=strategy, verbose=False)
            return h, [p.detach().clone() for p in model.parameters()]

        base, weights = run(None)
        for name, strategy in [("allreduce", dist.AllReduceStrategy()), ("ps", dist.ParameterServerStrategy(num_servers=1))]:
            h, w = run(strategy)
            same_history = all(abs(a - b) < 1e-5 for k in ["loss", "accuracy"] for a, b in zip(h[k], base[k])) and len(h["loss"]) == 2
            same_weights = max((a - b).abs().max().item() for a, b in zip(w, weights)) < 1e-5
            print(name, "history", same_history, "weights", same_weights)
        try:
            run(dist.AllReduceStrategy(), batch_size=25)
        except ValueError as e:
            print(e)
        dist.destroy_process_group()
        """

    @Test func fitWithAStrategyTrainsAsOneProcess() throws {
        guard DuetBinary.hasMPI() else { return }
        let (lines, out) = try outputLines(ranks: 3, Self.fitStrategyScript)
        for line in ["allreduce history True weights True", "ps history True weights True",
                     "fit(): a batch of 25 does not split evenly over 3 workers; choose a batch_size (and data size) divisible by 3"] {
            for prefix in ["", "[rank 1] ", "[rank 2] "] { #expect(lines.contains(prefix + line), "\(prefix + line) in \(out)") }
        }
    }
}

/// Notebook 07 on the three ranks it is written for: every rank's output passes `--check`.
extension DistributedTests {
    @Test func distributedNotebookPassesCheckOnThreeRanks() throws {
        guard DuetBinary.hasMPI() else { return }
        let path = packageRoot.appendingPathComponent("notebooks/07-distributed.duet").path
        let r = try DuetBinary.runRanksChecking(3, path, seconds: 180)
        #expect(r.status == 0, "\(r.out)\n\(r.err)")
    }
}

/// `duet bench mlp_train_step_dist --ranks 2 --json --project 8`: the one-rank baseline, a line
/// per strategy from the first worker, and projected lines marked as projections.
extension DistributedTests {
    @Test func distributedBenchReportsEachStrategyAndAProjection() throws {
        guard DuetBinary.hasMPI() else { return }
        let r = try MPIJobLock.run { try DuetBinary.run(["bench", "mlp_train_step_dist", "--ranks", "2", "--mode", "eager", "--json", "--project", "8"]) }
        #expect(r.status == 0, "\(r.err)")
        let objects = r.out.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        func has(_ ranks: Int, _ strategy: String, projection: Bool = false) -> Bool {
            objects.contains { o in
                o["ranks"] as? Int == ranks && o["strategy"] as? String == strategy && (o["projection"] as? Bool ?? false) == projection
                    && (o["value"] as? Double ?? 0) > 0 && o["unit"] as? String == "samples/s"
            }
        }
        #expect(has(1, "none") && has(2, "allreduce") && has(2, "ps-sync") && has(2, "ps-async"), "\(r.out)")
        #expect(has(8, "allreduce", projection: true) && has(8, "ps-sync", projection: true), "\(r.out)")
    }
}

/// Ctrl-C on `duet run -n 2` (SIGINT to the launcher, whose mpirun has a process group of its
/// own) ends every rank, rather than leaving the job running without its terminal.
extension DistributedTests {
    @Test func interruptingTheLauncherEndsEveryRank() throws {
        guard DuetBinary.hasMPI() else { return }
        let script = """
            import torch
            import torch.distributed as dist
            dist.init_process_group("mpi")
            t = torch.ones(8)
            while True:
                dist.all_reduce(t, op=dist.ReduceOp.AVG)
            """
        try withScript(script) { path in try MPIJobLock.run {
            let p = Process()
            p.executableURL = DuetBinary.url
            p.arguments = ["run", "-n", "2", path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: 2)
            p.interrupt()
            let deadline = Date().addingTimeInterval(30)
            while p.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            #expect(!p.isRunning, "the launcher did not end within 30 s of SIGINT")
            if p.isRunning { p.terminate() }
            var left = 0
            for _ in 0..<100 {
                left = Self.processes(running: path)
                if left == 0 { break }
                Thread.sleep(forTimeInterval: 0.1)
            }
            #expect(left == 0, "\(left) rank processes of \(path) still run")
        } }
    }

    /// Processes whose command line mentions `text` (from /proc).
    static func processes(running text: String) -> Int {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.filter { Int($0) != nil }.filter { id in
            guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return false }
            return String(decoding: data, as: UTF8.self).contains(text)
        }.count
    }
}

/// `prof.export_chrome_trace(path)` on two ranks: rank 0 writes one trace with a process row per
/// rank, each holding that rank's ops (the bucket all-reduces included), on one clock.
extension DistributedTests {
    @Test func chromeTraceHasAProcessRowPerRank() throws {
        guard DuetBinary.hasMPI() else { return }
        let trace = FileManager.default.temporaryDirectory.appendingPathComponent("duet-ranks-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: trace) }
        let script = """
            import torch
            import torch.nn as nn
            import torch.nn.functional as F
            import torch.distributed as dist
            from torch.nn.parallel import DistributedDataParallel as DDP
            dist.init_process_group("mpi")
            model = DDP(nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 2)))
            with torch.profiler.profile() as prof:
                F.cross_entropy(model(torch.randn(16, 20)), torch.randint(0, 2, (16,))).backward()
            print("exported", prof.export_chrome_trace("\(trace)") > 0)
            """
        try withScript(script) { path in
            let r = try DuetBinary.runRanks(2, path)
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out.contains("exported True") && r.out.contains("[rank 1] exported True"), "\(r.out)")
            let data = try #require(FileManager.default.contents(atPath: trace))
            let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            let events = try #require(doc["traceEvents"] as? [[String: Any]])
            let names = events.filter { $0["name"] as? String == "process_name" }.compactMap { ($0["args"] as? [String: Any])?["name"] as? String }
            #expect(names.sorted() == ["rank 0", "rank 1"])
            for pid in [1, 2] {
                let ops = Set(events.filter { $0["pid"] as? Int == pid && $0["ph"] as? String == "X" }.compactMap { $0["name"] as? String })
                #expect(ops.contains("matmul") && ops.contains("all_reduce_start") && ops.contains("all_reduce_wait"), "rank \(pid - 1): \(ops)")
            }
            let starts = events.filter { $0["ph"] as? String == "X" }.compactMap { $0["ts"] as? Double }
            #expect((starts.min() ?? -1) >= 0)
        }
    }
}
