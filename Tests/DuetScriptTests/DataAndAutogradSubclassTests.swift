import Testing
@testable import DuetScript

/// Dataset and IterableDataset subclasses through DataLoader (batching, shuffling, samplers,
/// `collate_fn`, `drop_last`), and autograd.Function subclasses as custom gradients.
@Suite struct DataAndAutogradSubclassTests {
    static let squares = """
    import torch
    from torch.utils.data import Dataset, IterableDataset, DataLoader
    class Squares(Dataset):
        def __init__(self, n):
            self.n = n
        def __len__(self):
            return self.n
        def __getitem__(self, i):
            if i >= self.n:
                raise IndexError(i)
            return torch.tensor([float(i)]), i * i

    """

    @Test func mapStyleDatasetsBatchLikePyTorchsDefaultCollate() throws {
        let code = Self.squares + """
        ds = Squares(5)
        print(len(ds), ds[2], len(list(ds)))
        for x, y in DataLoader(ds, batch_size=2):
            print(x.tolist(), y.tolist(), y.dtype)
        print(len(DataLoader(ds, batch_size=2, drop_last=True)), [len(b[1]) for b in DataLoader(ds, batch_size=2, drop_last=True)])
        """
        #expect(try output(code) == """
        5 (tensor([2.]), 4) 5
        [[0.0], [1.0]] [0, 1] torch.int64
        [[2.0], [3.0]] [4, 9] torch.int64
        [[4.0]] [16] torch.int64
        2 [2, 2]

        """)
    }

    @Test func shufflingSamplersAndCollateFunctions() throws {
        let code = Self.squares + """
        ds = Squares(6)
        loader = DataLoader(ds, batch_size=3, shuffle=True, seed=1)
        epochs = [sorted(sum([b[1].tolist() for b in loader], [])) for _ in range(2)]
        orders = [sum([b[1].tolist() for b in loader], []) for _ in range(2)]
        print(epochs[0] == [0, 1, 4, 9, 16, 25], epochs[0] == epochs[1], orders[0] != orders[1])
        class Evens:
            def __iter__(self):
                return iter([0, 2, 4])
            def __len__(self):
                return 3
        print([b[1].tolist() for b in DataLoader(ds, batch_size=2, sampler=Evens())])
        print([b[1].tolist() for b in DataLoader(ds, batch_sampler=[[5, 0], [1]])])
        print(list(DataLoader(ds, batch_size=4, collate_fn=lambda items: sum(y for _, y in items))))
        """
        #expect(try output(code) == "True True True\n[[0, 4], [16]]\n[[25, 0], [1]]\n[14, 41]\n")
        #expect(failure(Self.squares + "DataLoader(Squares(3), shuffle=True, sampler=[0])")?.message == "sampler option is mutually exclusive with shuffle")
    }

    @Test func iterableDatasetsStreamThroughTheLoader() throws {
        let code = Self.squares + """
        class Stream(IterableDataset):
            def __init__(self, n):
                self.n = n
            def __iter__(self):
                for i in range(self.n):
                    yield {"x": torch.ones(2) * i, "id": i, "name": f"s{i}"}
        for batch in DataLoader(Stream(5), batch_size=2):
            print(batch["x"].shape, batch["id"].tolist(), batch["name"])
        """
        #expect(try output(code) == """
        torch.Size([2, 2]) [0, 1] ['s0', 's1']
        torch.Size([2, 2]) [2, 3] ['s2', 's3']
        torch.Size([1, 2]) [4] ['s4']

        """)
    }

    @Test func fitTrainsOnADatasetSubclass() throws {
        let code = """
        import torch
        from torch import nn
        from torch.utils.data import Dataset, DataLoader
        class Points(Dataset):
            def __init__(self):
                torch.manual_seed(0)
                self.X = torch.randn(64, 2)
                self.y = (self.X[:, 0] > 0).long()
            def __len__(self):
                return 64
            def __getitem__(self, i):
                return self.X[i], self.y[i]
        model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
        h = fit(model, DataLoader(Points(), batch_size=16, shuffle=True), opt=torch.optim.Adam(model.parameters(), lr=0.05), epochs=5, verbose=False)
        print(h["loss"][-1] < h["loss"][0], len(h["loss"]))
        """
        #expect(try output(code) == "True 5\n")
    }

    static let square = """
    import torch
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.save_for_backward(x)
            ctx.k = k
            return x * x * k
        @staticmethod
        def backward(ctx, grad):
            x, = ctx.saved_tensors
            return grad * 2 * x * ctx.k, None

    """

    @Test func autogradFunctionsGiveTheirOwnGradients() throws {
        let code = Self.square + """
        x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
        y = Square.apply(x, 3.0)
        y.sum().backward()
        print(y.tolist(), x.grad.tolist(), y.requires_grad)
        with torch.no_grad():
            print(Square.apply(x, 1.0).requires_grad)
        """
        #expect(try output(code) == "[3.0, 12.0, 27.0] [6.0, -12.0, 18.0] True\nFalse\n")
        #expect(failure(Self.square + "Square()")?.kind == .runtime)
    }

    /// The custom rule is recorded on the tape, so a compiled training step traces it too.
    @Test func autogradFunctionsWorkInGraphMode() throws {
        let code = Self.square + """
        w = torch.tensor([0.5, 1.5], requires_grad=True)
        def step(x):
            w.grad = None
            loss = Square.apply(w * x, 1.0).sum()
            loss.backward()
            return w.grad
        eager = step(torch.tensor([2.0, 3.0])).tolist()
        compiled = compile(step)
        print(eager, compiled(torch.tensor([2.0, 3.0])).tolist(), compiled(torch.tensor([2.0, 3.0])).tolist())
        """
        #expect(try output(code) == "[4.0, 27.0] [4.0, 27.0] [4.0, 27.0]\n")
        let wrong = Self.square.replacingOccurrences(of: "return grad * 2 * x * ctx.k, None", with: "return grad")
        #expect(failure(wrong + "x = torch.ones(2, requires_grad=True)\nSquare.apply(x, 1.0).sum().backward()")?.message
            == "function SquareBackward returned an incorrect number of gradients (expected 2, got 1)")
    }
}
