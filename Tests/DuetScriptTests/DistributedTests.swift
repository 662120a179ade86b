import Foundation
import Testing

/// `torch.distributed` through the real binary: two ranks under `duet run -n 2` (Open MPI), and a
/// process run alone, which is a world of one. Each runs in its own processes, since a process
/// group is process-wide state. Serialized: two MPI jobs at once on two cores would starve.
@Suite(.serialized) struct DistributedTests {
    /// Data parallelism by hand: each rank's gradient on its half of the batch, averaged with
    /// all_reduce, equals the whole batch's gradient; collectives and rank labels as PyTorch's.
    static let twoRankScript = """
        import torch
        import torch.nn as nn
        import torch.nn.functional as F
        import torch.distributed as dist

        dist.init_process_group("mpi")
        rank, world = dist.get_rank(), dist.get_world_size()
        t = torch.arange(4.0) + rank
        dist.all_reduce(t)
        m = torch.tensor([rank], dtype=torch.int64)
        dist.all_reduce(m, op=dist.ReduceOp.MAX)
        b = torch.zeros(3) if rank else torch.tensor([7.0, 8.0, 9.0])
        dist.broadcast(b, src=0)
        print("world", world, "sum", t.tolist(), "max", m.item(), "bcast", b.tolist())

        model = nn.Linear(4, 1)
        with torch.no_grad():
            model.weight.copy_(torch.linspace(-1.0, 1.0, 4).reshape(1, 4))
            model.bias.fill_(0.5)
        X = torch.linspace(-2.0, 2.0, 32).reshape(8, 4)
        y = torch.linspace(1.0, -1.0, 8).reshape(8, 1)
        F.mse_loss(model(X), y).backward()
        full = [p.grad.clone() for p in model.parameters()]
        model.zero_grad()
        F.mse_loss(model(X[rank * 4:(rank + 1) * 4]), y[rank * 4:(rank + 1) * 4]).backward()
        for p in model.parameters():
            dist.all_reduce(p.grad, op=dist.ReduceOp.AVG)
        print("ddp_matches", max((p.grad - g).abs().max().item() for p, g in zip(model.parameters(), full)) < 1e-6)
        sampler = torch.utils.data.distributed.DistributedSampler(list(range(8)), shuffle=True, seed=5)
        sampler.set_epoch(2)
        counts = torch.zeros(8)
        for i in sampler:
            counts[i] += 1
        dist.all_reduce(counts)
        print("sampler_partitions", len(sampler), counts.tolist() == [1.0] * 8)
        parts = [torch.zeros(2, dtype=torch.int64) for _ in range(world)]
        dist.all_gather(parts, torch.tensor([rank, 10 * rank]))
        joined = torch.zeros(2 * world)
        dist.all_gather_into_tensor(joined, torch.tensor([rank + 0.5, -1.0]))
        print("gathered", [p.tolist() for p in parts], joined.tolist())
        a = torch.full((2,), rank + 1.0)
        w = dist.all_reduce(a, op=dist.ReduceOp.AVG, async_op=True)
        before = w.is_completed()
        w.wait()
        rs = torch.zeros(2)
        dist.reduce_scatter_tensor(rs, torch.arange(4.0) + rank)
        if rank == 0:
            dist.send(torch.tensor([4.0, 2.0]), dst=1)
            got = "sent"
        else:
            buf = torch.zeros(2)
            got = (dist.recv(buf), buf.tolist())
        print("async", before, w.is_completed(), a.tolist(), "rs", rs.tolist(), "p2p", got)
        stacked = torch.zeros(2)
        dist.reduce_scatter_tensor(stacked, torch.tensor([[0.0, 1.0], [10.0, 11.0]]) + rank)
        w = dist.all_reduce(a, async_op=True)
        try:
            dist.all_reduce(a, async_op=True)
        except ValueError as e:
            twice = str(e)
        w.wait()
        if rank == 0:
            dist.send(torch.zeros(0), dst=1)
            dist.send(torch.ones(3), dst=1, tag=2)
            sized = "sent"
        else:
            dist.recv(torch.zeros(0), src=0)
            try:
                dist.recv(torch.zeros(2), src=0, tag=2)
            except RuntimeError as e:
                sized = str(e)
            dist.recv(torch.zeros(3), src=0, tag=2)
        print("stacked", stacked.tolist(), "twice", twice, "sized", sized)
        dist.barrier()
        dist.destroy_process_group()
        """

    @Test func twoRanksReduceBroadcastAndAverageGradients() throws {
        guard DuetBinary.hasMPI() else { return }
        let (lines, out) = try outputLines(ranks: 2, Self.twoRankScript)
        let facts = "world 2 sum [1.0, 3.0, 5.0, 7.0] max 1 bcast [7.0, 8.0, 9.0]"
        #expect(lines.contains(facts) && lines.contains("[rank 1] " + facts), "\(out)")
        #expect(lines.contains("ddp_matches True") && lines.contains("[rank 1] ddp_matches True"), "\(out)")
        #expect(lines.contains("sampler_partitions 4 True") && lines.contains("[rank 1] sampler_partitions 4 True"), "\(out)")
        let gathered = "gathered [[0, 0], [1, 10]] [0.5, -1.0, 1.5, -1.0]"
        #expect(lines.contains(gathered) && lines.contains("[rank 1] " + gathered), "\(out)")
        #expect(lines.contains("async False True [1.5, 1.5] rs [1.0, 3.0] p2p sent"), "\(out)")
        #expect(lines.contains("[rank 1] async False True [1.5, 1.5] rs [5.0, 7.0] p2p (0, [4.0, 2.0])"), "\(out)")
        let twice = "all_reduce: a reduction of this tensor is already in flight; wait() for it first"
        #expect(lines.contains("stacked [1.0, 3.0] twice \(twice) sized sent"), "\(out)")
        #expect(lines.contains("[rank 1] stacked [21.0, 23.0] twice \(twice) sized recv: the message from rank 0 holds 12 bytes, but the tensor (float32 [2]) holds 8"), "\(out)")
    }

    /// A rank that fails ends the job (MPI_Abort) instead of leaving rank 0 in all_reduce for ever;
    /// `timeout` turns a hang into a failure here rather than a stuck suite.
    @Test func aFailingRankEndsTheJob() throws {
        guard DuetBinary.hasMPI() else { return }
        let script = """
            import torch
            import torch.distributed as dist
            dist.init_process_group("mpi")
            if dist.get_rank() == 1:
                raise RuntimeError("rank one gives up")
            t = torch.ones(3)
            dist.all_reduce(t)
            print("unreachable", t.tolist())
            """
        try withScript(script) { path in
            let r = try DuetBinary.runRanks(2, path)
            #expect(r.status != 0 && r.status != 124, "status \(r.status): \(r.err)")
            #expect(r.err.contains("[rank 1] ") && r.err.contains("RuntimeError: rank one gives up"), "\(r.err)")
        }
    }

    /// Ranks calling different collectives get an error naming each rank's call, not a hang;
    /// a rank that never arrives is named by the others' watchdog once the timeout passes (it
    /// computes for ever, so it cannot end the job first).
    @Test func mismatchedCollectivesAndAMissingRankAreNamed() throws {
        guard DuetBinary.hasMPI() else { return }
        let mismatch = """
            import torch
            import torch.distributed as dist
            dist.init_process_group("mpi")
            t = torch.ones(3)
            if dist.get_rank() == 0:
                dist.all_reduce(t)
            else:
                dist.broadcast(t, src=0)
            """
        try withScript(mismatch) { path in
            let r = try DuetBinary.runRanks(2, path)
            #expect(r.status != 0 && r.status != 124, "status \(r.status): \(r.err)")
            #expect(r.err.contains("ranks called different collectives: rank 0: all_reduce of float32 [3], op SUM (call #1); rank 1: broadcast of float32 [3], src 0 (call #1)"), "\(r.err)")
        }
        let missing = """
            import torch
            import torch.distributed as dist
            dist.init_process_group("mpi", timeout=2)
            t = torch.ones(3)
            if dist.get_rank() == 0:
                dist.all_reduce(t)
            else:
                while True:
                    t = t + 0
            """
        try withScript(missing) { path in
            let r = try DuetBinary.runRanks(2, path)
            #expect(r.status != 0 && r.status != 124, "status \(r.status): \(r.err)")
            #expect(r.err.contains("rank 0 waited 2 s at all_reduce of float32 [3], op SUM (call #1) for rank 1, which did not reach it"), "\(r.err)")
        }
    }

    @Test func aProcessAloneIsAWorldOfOne() throws {
        guard DuetBinary.isAvailable() else { return }
        let script = """
            import torch
            import torch.distributed as dist
            from torch.utils.data import DistributedSampler
            s = DistributedSampler(range(10), num_replicas=3, rank=1, shuffle=False)
            print(list(s), len(s), list(DistributedSampler(range(10), num_replicas=3, rank=1, shuffle=False, drop_last=True)), list(DistributedSampler(range(2), num_replicas=5, rank=4, shuffle=False)))
            try:
                DistributedSampler(range(4), num_replicas=2, rank=2)
            except ValueError as e:
                print(e)
            parts = [list(DistributedSampler(range(7), num_replicas=2, rank=r, seed=3)) for r in range(2)]
            print(len(parts[0]), len(parts[1]), sorted(set(parts[0] + parts[1])) == list(range(7)))
            try:
                dist.get_rank()
            except ValueError as e:
                print("before_init", e)
            try:
                dist.init_process_group("mpi", world_size=2)
            except ValueError as e:
                print("needs_ranks", e)
            print(dist.is_available(), dist.is_initialized())
            dist.init_process_group()
            t = torch.tensor([1.5, 2.5])
            dist.all_reduce(t, op=dist.ReduceOp.AVG)
            dist.broadcast(t, 0)
            print(dist.get_rank(), dist.get_world_size(), t.tolist(), dist.ReduceOp.SUM, dist.is_initialized())
            print(len(DistributedSampler(range(5))))
            out = [torch.zeros(2)]
            dist.all_gather(out, torch.tensor([3.0, 4.0]))
            stacked = torch.zeros(1, 2)
            dist.all_gather_into_tensor(stacked, torch.tensor([5.0, 6.0]))
            print(out[0].tolist(), stacked.tolist())
            try:
                dist.all_gather([out[0], out[0]], torch.ones(2))
            except ValueError as e:
                print(e)
            try:
                dist.broadcast(t, 1)
            except ValueError as e:
                print("bad_src", e)
            for bad in [lambda: dist.all_reduce(torch.ones(2, dtype=torch.int64), op=dist.ReduceOp.AVG), lambda: dist.all_reduce(torch.ones(2).half())]:
                try:
                    bad()
                except RuntimeError as e:
                    print("refused", type(e).__name__, e)
            """
        try withScript(script) { path in
            let r = try DuetBinary.run(["run", path], environment: ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OMPI_") })
            #expect(r.status == 0, "\(r.err)")
            #expect(r.out == """
                [1, 4, 7, 0] 4 [1, 4, 7] [0]
                Invalid rank 2, rank should be in the interval [0, 1]
                4 4 True
                before_init get_rank(): Default process group has not been initialized, please make sure to call init_process_group.
                needs_ranks init_process_group: world_size=2 needs that many processes: start them with `duet run -n 2 script`
                True False
                0 1 [1.5, 2.5] RedOpType.SUM True
                5
                [3.0, 4.0] [[5.0, 6.0]]
                all_gather(): tensor_list has 2 tensors; it needs one per rank (1)
                bad_src broadcast: src 1 is not a rank of a world of 1
                refused DtypeError all_reduce: ReduceOp.AVG needs a floating-point tensor, got int64
                refused DtypeError all_reduce: float16 tensors cannot be sent (float32, float64 and int64 can); convert with .float() first

                """)
        }
    }

    /// Runs `script` on `ranks` ranks, expects a clean exit, and returns its output lines (and
    /// the whole output, for failure messages).
    func outputLines(ranks: Int, _ script: String, seconds: Int = 120) throws -> (lines: [String], out: String) {
        var result: (lines: [String], out: String) = ([], "")
        try withScript(script) { path in
            let r = try DuetBinary.runRanks(ranks, path, seconds: seconds)
            #expect(r.status == 0, "\(r.err)")
            result = (r.out.split(separator: "\n").map(String.init), r.out)
        }
        return result
    }

    func withScript(_ text: String, _ body: (String) throws -> Void) throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("duet-dist-\(UUID().uuidString).py").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try body(path)
    }
}
