import Testing
@testable import DuetScript

/// Graph mode from the language: compiled calls agree with eager ones, retraces say why,
/// untraceable code fails at its line, and graph/compare print what they measured.
@Suite struct CompileTests {
    static let model = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    x = torch.randn(6, 4)
    y = torch.randint(0, 3, (6,))

    """

    @Test func compiledTrainingFollowsEagerTraining() throws {
        let text = try output(Self.model + """
        eager_losses = [step(x, y).item() for _ in range(5)]
        torch.manual_seed(0)
        model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
        opt = torch.optim.Adam(model.parameters(), lr=0.01)
        fast = compile(step)
        graph_losses = [fast(x, y).item() for _ in range(5)]
        print(max(abs(a - b) for a, b in zip(eager_losses, graph_losses)) < 1e-6, fast.trace_count)
        """)
        #expect(text == "True 1\n")
    }

    @Test func aNewShapeRetracesAndSaysWhy() throws {
        let text = try output(Self.model + """
        fast = compile(step)
        fast(x, y)
        fast(x[:3], y[:3])
        fast(x[:3], y[:3])
        print(fast.trace_count, fast.retraces)
        """)
        #expect(text == """
        retracing step: argument 1 shape [6,4] → [3,4]
        2 ['retracing step: argument 1 shape [6,4] → [3,4]']

        """)
    }

    @Test func branchingOnATensorInsideCompileFailsAtItsLine() {
        let e = failure("""
        import torch
        def f(x):
            if x.sum() > 0:
                return x
            return -x
        compile(f)(torch.ones(3))
        """)
        let text = e?.description ?? ""
        #expect(text.contains("test.duet:3:8, in f"))
        #expect(text.contains("ValueError: item(): cannot read a tensor's values inside a compiled function"))
    }

    @Test func graphPrintsOneNodeALineAndCompareReportsNoDifference() throws {
        let text = try output(Self.model + """
        g = graph(step, x, y)
        print(g.nodes > 20, g.text.split("\\n")[0])
        c = compare(step, x, y, calls=3)
        print(c.max_diff, c.graph_kernels < c.eager_kernels)
        print("digraph" in g.dot)
        """)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(lines[0].hasPrefix("True graph step: ") && lines[0].contains("2 arguments"))
        #expect(lines[1] == "0.0 True")
        #expect(lines[2] == "True")
    }

    @Test func fitWithCompileTrainsLikeEagerFit() throws {
        let text = try output("""
        import torch
        import torch.nn as nn
        X, y = datasets.spirals(count=64, classes=2, noise=0.05, seed=1)
        torch.manual_seed(0)
        a = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
        ha = fit(a, (X, y), epochs=2, batch_size=16, shuffle=False, verbose=False)
        torch.manual_seed(0)
        b = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
        hb = fit(b, (X, y), epochs=2, batch_size=16, shuffle=False, verbose=False, compile=True)
        print(max(abs(p - q) for p, q in zip(ha["loss"], hb["loss"])) < 1e-6)
        """)
        #expect(text == "True\n")
    }
}
