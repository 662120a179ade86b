import Foundation
import Testing
@testable import DuetScript
import DuetTensor

/// Tensors in the language: PyTorch's printing, the registry-generated builtins and methods,
/// the hand-bound API, autograd.
@Suite struct TensorPrintingTests {
    @Test func printsLikePyTorch() throws {
        let cases: [(String, String)] = [
            ("tensor([[1., 2.], [3., 4.]])", "tensor([[1., 2.],\n        [3., 4.]])"),
            ("tensor([0.5, -1.25])", "tensor([ 0.5000, -1.2500])"),
            ("tensor([1, -20, 300])", "tensor([  1, -20, 300])"),
            ("tensor([True, False])", "tensor([ True, False])"),
            ("tensor(3.)", "tensor(3.)"),
            ("tensor(7)", "tensor(7)"),
            ("tensor([1e-5, 1.0])", "tensor([1.0000e-05, 1.0000e+00])"),
            ("tensor([1e10, 1.0])", "tensor([1.0000e+10, 1.0000e+00])"),
            ("tensor([0., 0.])", "tensor([0., 0.])"),
            ("tensor([])", "tensor([])"),
            ("zeros(0, 3)", "tensor([], size=(0, 3))"),
            ("tensor([1., 2.], dtype=float64)", "tensor([1., 2.], dtype=torch.float64)"),
            ("tensor([1., 2.], requires_grad=True)", "tensor([1., 2.], requires_grad=True)"),
            ("tensor([1., 2.], requires_grad=True) * 2", "tensor([2., 4.], grad_fn=<MulBackward0>)"),
            ("tensor([float('nan'), float('inf'), 1.5])", "tensor([   nan,    inf, 1.5000])"),
        ]
        for (code, expected) in cases {
            #expect(try output("print(\(code))") == expected + "\n", "\(code)")
        }
    }

    @Test func largeTensorsAreSummarized() throws {
        #expect(try output("print(arange(2000))") == "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])\n")
        #expect(try output("print(arange(3000.).reshape(100, 30))") == """
        tensor([[0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 2.7000e+01, 2.8000e+01,
                 2.9000e+01],
                [3.0000e+01, 3.1000e+01, 3.2000e+01,  ..., 5.7000e+01, 5.8000e+01,
                 5.9000e+01],
                [6.0000e+01, 6.1000e+01, 6.2000e+01,  ..., 8.7000e+01, 8.8000e+01,
                 8.9000e+01],
                ...,
                [2.9100e+03, 2.9110e+03, 2.9120e+03,  ..., 2.9370e+03, 2.9380e+03,
                 2.9390e+03],
                [2.9400e+03, 2.9410e+03, 2.9420e+03,  ..., 2.9670e+03, 2.9680e+03,
                 2.9690e+03],
                [2.9700e+03, 2.9710e+03, 2.9720e+03,  ..., 2.9970e+03, 2.9980e+03,
                 2.9990e+03]])

        """)
    }

    @Test func longRowsWrapAtEightyColumns() throws {
        #expect(try output("print(arange(30.) / 7)") == """
        tensor([0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,
                1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,
                2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,
                3.8571, 4.0000, 4.1429])

        """)
    }
}

@Suite struct TensorBuiltinTests {
    @Test func everyRegistryOpIsAFunctionUnderTorch() throws {
        var text = ""
        let interp = Interpreter(output: { text += $0 })
        // Ops placed nowhere (the collectives, which torch.distributed calls) are PlacementTests' to check.
        for op in Ops.all where op.placement.contains(.function) {
            text = ""
            try interp.run("f = torch.\(op.name)\nhelp(f)", file: "t")
            // Random creation keeps PyTorch's `rand(*size)` form, written by hand over the generated one;
            // scatter keeps PyTorch's argument order and its value= form.
            let first = text.split(separator: "\n").first.map(String.init) ?? ""
            let expected = op.isRandom ? "\(op.name)(*size" : op.name == "scatter" ? "scatter(input, dim, index, src)" : Signature(op.signature).text
            #expect(op.isRandom ? first.hasPrefix(expected) : first == expected, "help for \(op.name): \(first)")
            #expect(interp.builtins[op.name] != nil, "\(op.name) is flat")
        }
    }

    @Test func methodsAndFunctionsAgree() throws {
        let code = """
        x = tensor([[1., -2.], [3., 4.]])
        print(x.sum(dim=1, keepdim=True).shape, torch.sum(x, 1).tolist(), x.relu().tolist(), F.relu(x).tolist())
        print(x.amax(0).tolist(), x.argmax(dim=1).tolist(), x.clamp(min=0., max=3.).tolist(), torch.clamp(x, -1, 1).tolist())
        print(x.softmax(dim=1).sum(1).tolist(), x.pow(2).tolist(), x.abs().exp().log().tolist())
        print(torch.where(x > 0, x, zeros(2, 2)).tolist(), x.masked_fill(x < 0, 0.).tolist())
        i = tensor([[0], [1]])
        print(x.gather(1, i).tolist(), torch.gather(x, 1, i).tolist(), x.index_select(0, tensor([1])).tolist())
        print(torch.cat([x, x], 1).shape, torch.stack([x, x]).shape, x.T.tolist(), x.t().tolist())
        """
        #expect(try output(code) == """
        torch.Size([2, 1]) [-1.0, 7.0] [[1.0, 0.0], [3.0, 4.0]] [[1.0, 0.0], [3.0, 4.0]]
        [3.0, 4.0] [0, 1] [[1.0, 0.0], [3.0, 3.0]] [[1.0, -1.0], [1.0, 1.0]]
        [1.0, 1.0] [[1.0, 4.0], [9.0, 16.0]] [[1.0, 2.0], [3.0, 4.0]]
        [[1.0, 0.0], [3.0, 4.0]] [[1.0, 0.0], [3.0, 4.0]]
        [[1.0], [4.0]] [[1.0], [4.0]] [[3.0, 4.0]]
        torch.Size([2, 4]) torch.Size([2, 2, 2]) [[1.0, 3.0], [-2.0, 4.0]] [[1.0, 3.0], [-2.0, 4.0]]

        """)
    }

    @Test func creationFunctions() throws {
        let code = """
        manual_seed(1)
        print(zeros(2, 3).shape, ones((2,)).tolist(), full((2,), 7).tolist(), arange(5).tolist(), arange(1, 2, 0.25).tolist())
        print(linspace(0, 1, 5).tolist(), eye(2).tolist(), randint(0, 10, (3,)).dtype, randn(2, 3).dtype, zeros_like(ones(2)).tolist())
        print(tensor([1, 2]).dtype, tensor([1, 2.5]).dtype, tensor([True]).dtype, tensor([[1, 2]], dtype=torch.float32).dtype)
        """
        #expect(try output(code) == """
        torch.Size([2, 3]) [1.0, 1.0] [7, 7] [0, 1, 2, 3, 4] [1.0, 1.25, 1.5, 1.75]
        [0.0, 0.25, 0.5, 0.75, 1.0] [[1.0, 0.0], [0.0, 1.0]] torch.int64 torch.float32 [0.0, 0.0]
        torch.int64 torch.float32 torch.bool torch.float32

        """)
    }

    @Test func shapesAndViews() throws {
        let code = """
        x = arange(24).reshape(2, 3, 4)
        print(x.shape, x.size(), x.size(-1), x.dim(), x.numel(), len(x))
        print(x.view(6, 4).shape, x.view(-1).shape, x.permute(2, 0, 1).shape, x.transpose(0, 2).shape)
        print(x.unsqueeze(0).shape, x[None].squeeze(0).shape, x.flatten(1).shape, x.reshape((4, 6)).shape)
        print(ones(3, 1).expand(3, 4).shape, ones(1, 4).expand_as(zeros(2, 4)).shape, x.float().mean().item())
        v = x.view(24)
        v[0] = 100
        print(x[0, 0, 0].item(), x.is_leaf, x.float().var().item() > 0)
        """
        #expect(try output(code) == """
        torch.Size([2, 3, 4]) torch.Size([2, 3, 4]) 4 3 24 2
        torch.Size([6, 4]) torch.Size([24]) torch.Size([4, 2, 3]) torch.Size([4, 3, 2])
        torch.Size([1, 2, 3, 4]) torch.Size([2, 3, 4]) torch.Size([2, 12]) torch.Size([4, 6])
        torch.Size([3, 4]) torch.Size([2, 4]) 11.5
        100 True True

        """)
    }

    @Test func maxAndMinReturnValuesAndIndices() throws {
        #expect(try output("x = tensor([[1, 5], [7, 2]])\nv, i = x.max(dim=1)\nprint(v.tolist(), i.tolist(), x.max().item(), torch.max(x, 0).values.tolist(), max(x[0]).item(), x.min(1).indices.tolist())")
            == "[5, 7] [1, 0] 7 [7, 5] 5 [0, 1]\n")
    }

    @Test func scalarsPromoteLikePython() throws {
        #expect(try output("x = tensor([1, 2])\nprint((x * 2).dtype, (x * 2.5).dtype, (x / 2).dtype, (2 - x).tolist(), (x ** 2).tolist(), (x == 1).tolist())")
            == "torch.int64 torch.float32 torch.float32 [1, 0] [1, 4] [True, False]\n")
    }

    @Test func autograd() throws {
        let code = """
        w = tensor([1., 2.], requires_grad=True)
        x = tensor([3., 4.])
        loss = (w * x).sum() ** 2
        loss.backward()
        print(loss.item(), w.grad.tolist(), x.grad, loss.requires_grad, w.is_leaf, loss.is_leaf)
        with no_grad():
            w -= 0.01 * w.grad
        print(w.tolist(), w.requires_grad)
        w.grad = None
        print(w.grad)
        d = w.detach()
        print(d.requires_grad, (d * 2).grad_fn)
        """
        #expect(try output(code) == """
        121.0 [66.0, 88.0] None True True False
        [0.3400000333786011, 1.1200000047683716] True
        None
        False None

        """)
    }

    @Test func inPlaceMethodsAndAugmentedAssignmentKeepTheTensor() throws {
        #expect(try output("x = zeros(2)\ny = x\ny += 1\nx.mul_(3)\nx.add_(tensor([1., 2.]))\nprint(y.tolist(), x is y)") == "[4.0, 5.0] True\n")
        #expect(failure("w = ones(2, requires_grad=True)\nw += 1")?.kind == .runtime)
    }

    @Test func truthinessOfTensors() throws {
        #expect(try output("print(bool(tensor(1.)), 'yes' if tensor([3]) > 2 else 'no')") == "True yes\n")
        #expect(failure("if ones(2): pass")?.message == "Boolean value of Tensor with more than one value is ambiguous")
    }

    @Test func helpAndDir() throws {
        let text = try output("help(relu)\n?x\nhelp(tensor)\nprint('softmax' in dir(ones(1)), 'Linear' in dir(nn))".replacingOccurrences(of: "?x", with: "x = ones(1)\n?x"))
        #expect(text.contains("relu(input)\n    max(x, 0) elementwise."))
        #expect(text.contains("Tensor of shape [1], dtype float32"))
        #expect(text.contains("tensor(data, *, dtype=None, device=None, requires_grad=False)"))
        #expect(text.hasSuffix("True True\n"))
    }
}

/// Indexing and slicing against the NumPy-generated table in Fixtures/indexing.json.
@Suite struct IndexingFixtureTests {
    struct Case: Decodable {
        let kind: String
        let expr: String
        let shape: [Int]?
        let values: [Int]?
        let target: String?
        let error: String?
    }

    struct Fixture: Decodable {
        let cases: [Case]
    }

    static func loadCases() throws -> [Case] {
        let url = packageRoot.appendingPathComponent("Tests/DuetScriptTests/Fixtures/indexing.json")
        return try JSONDecoder().decode(Fixture.self, from: try Data(contentsOf: url)).cases
    }

    @Test func matchesNumPy() throws {
        let cases = try Self.loadCases()
        #expect(cases.count > 60)
        let setup = "x = arange(120).reshape(4, 5, 6)\ny = arange(12).reshape(3, 4)\ndef T(v):\n    return tensor(v)\n"
        for c in cases {
            let interp = Interpreter(output: { _ in })
            switch c.kind {
            case "error":
                do {
                    try interp.run(setup + "r = " + c.expr, file: "t")
                    Issue.record("\(c.expr) should fail")
                } catch let e as ScriptError {
                    #expect(e.kind.rawValue == c.error, "\(c.expr): \(e)")
                }
            default:
                let code = c.kind == "get" ? setup + "r = " + c.expr : setup + c.expr + "\nr = " + (c.target ?? "x")
                do {
                    try interp.run(code, file: "t")
                    guard case .tensor(let r)? = interp.global("r") else {
                        Issue.record("\(c.expr) gave no tensor")
                        continue
                    }
                    #expect(r.shape == c.shape, "\(c.expr)")
                    #expect(try r.toDoubles().map { Int($0) } == c.values, "\(c.expr)")
                } catch {
                    Issue.record("\(c.expr): \(error)")
                }
            }
        }
    }

    @Test func pytorchRulesWhereNumPyDiffers() {
        #expect(failure("x = arange(5)\nx[::-1]")?.message == "step must be greater than zero")
        #expect(failure("x = arange(5)\nx[1.5]")?.kind == .index)
    }

    @Test func gradientsFlowThroughIndexing() throws {
        let code = """
        w = arange(6.).reshape(2, 3).requires_grad_()
        (w[:, 1:] * 2).sum().backward()
        print(w.grad.tolist())
        w.grad = None
        w[tensor([1, 1, 0]), tensor([0, 2, 2])].sum().backward()
        print(w.grad.tolist())
        """
        #expect(try output(code) == "[[0.0, 2.0, 2.0], [0.0, 2.0, 2.0]]\n[[0.0, 0.0, 1.0], [1.0, 0.0, 1.0]]\n")
    }

    @Test func listsAndStringsSliceLikePython() throws {
        #expect(try output("l = list(range(10))\nprint(l[2:8:3], l[::-3], l[-2:], l[100:], 'hello'[-3:])\nl[1:3] = ['a']\nprint(l[:4])")
            == "[2, 5] [9, 6, 3, 0] [8, 9] [] llo\n[0, 'a', 3, 4]\n")
    }
}
