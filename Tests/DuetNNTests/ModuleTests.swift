import Testing
@testable import DuetNN
import DuetTensor

/// The Module base: names and order of parameters, buffers and children, train/eval, printing,
/// `summary`, and state dicts (round trip, error reports, strictness, all-or-nothing writes).
@Suite struct ModuleTests {
    private func tensor(_ values: [Double], _ shape: [Int], _ dtype: DType = .float32) throws -> Tensor {
        try Tensor(values, shape: shape, dtype: dtype)
    }

    private func stateMap(_ m: Module) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: m.stateDict().map { ($0.name, $0.tensor) })
    }

    /// Linear(4,3) → ReLU → Sequential(BatchNorm1d(3), Linear(3,2)).
    private func nested() throws -> Sequential {
        Sequential(try Linear(4, 3), ReLU(), Sequential(try BatchNorm1d(3), try Linear(3, 2)))
    }

    // MARK: Naming and order

    @Test func nestedSequentialNamesParametersLikePyTorch() throws {
        let model = try nested()
        let names = model.namedParameters().map(\.name)
        #expect(names == ["0.weight", "0.bias", "2.0.weight", "2.0.bias", "2.1.weight", "2.1.bias"])
        // Stable: asking again gives the same order and the very same tensors.
        let again = model.namedParameters()
        #expect(again.map(\.name) == names)
        #expect(zip(model.namedParameters(), again).allSatisfy { $0.tensor === $1.tensor })
        #expect(model.namedModules().map(\.name) == ["", "0", "1", "2", "2.0", "2.1"])
        // parameters() are the live layer tensors, in the same order.
        let first = model.layers[0] as! Linear
        let inner = (model.layers[2] as! Sequential).layers[1] as! Linear
        let params = model.parameters()
        #expect(params.count == 6)
        #expect(params[0] === first.weight && params[1] === first.bias!)
        #expect(params[4] === inner.weight && params[5] === inner.bias!)
        #expect(params.allSatisfy { $0.requiresGrad })
        #expect(model.namedParameters(prefix: "net").map(\.name).first == "net.0.weight")
    }

    @Test func batchNormRegistersRunningStatsAsBuffers() throws {
        let model = try nested()
        #expect(model.namedBuffers().map(\.name) == ["2.0.running_mean", "2.0.running_var", "2.0.num_batches_tracked"])
        let bn = (model.layers[2] as! Sequential).layers[0] as! BatchNorm1d
        let buffers = model.namedBuffers()
        #expect(buffers[0].tensor === bn.runningMean && buffers[1].tensor === bn.runningVar)
        #expect(try bn.runningMean!.toDoubles() == [0, 0, 0])
        #expect(try bn.runningVar!.toDoubles() == [1, 1, 1])
        #expect(!bn.runningMean!.requiresGrad && !bn.runningVar!.requiresGrad)
        // Buffers are not parameters.
        #expect(!model.namedParameters().map(\.name).contains { $0.hasSuffix("running_mean") })
        let bn2 = try BatchNorm2d(5)
        #expect(bn2.namedParameters().map(\.name) == ["weight", "bias"])
        #expect(bn2.namedBuffers().map(\.name) == ["running_mean", "running_var", "num_batches_tracked"])
        #expect(bn2.numBatchesTracked!.dtype == .int64 && bn2.numBatchesTracked!.shape == [])
        #expect(bn2.runningMean!.shape == [5] && bn2.weight!.shape == [5])
    }

    @Test func trainAndEvalPropagateToEveryDescendant() throws {
        let model = try nested()
        #expect(model.namedModules().allSatisfy { $0.module.training })
        model.eval()
        #expect(model.namedModules().allSatisfy { !$0.module.training })
        model.train()
        #expect(model.namedModules().allSatisfy { $0.module.training })
        model.train(false)
        #expect(model.namedModules().allSatisfy { !$0.module.training })
        // A subtree's mode changes only that subtree.
        model.train()
        model.layers[2].eval()
        let modes = Dictionary(uniqueKeysWithValues: model.namedModules().map { ($0.name, $0.module.training) })
        #expect(modes == ["": true, "0": true, "1": true, "2": false, "2.0": false, "2.1": false])
    }

    @Test func zeroGradClearsEveryParameter() throws {
        let model = try nested()
        let x = try Tensor.randn([4, 4])
        try model(x).sum().backward()
        #expect(model.parameters().allSatisfy { $0.grad != nil })
        model.zeroGrad()
        for p in model.parameters() {
            if let g = p.grad { #expect(try g.toDoubles().allSatisfy { $0 == 0 }) }
        }
    }

    // MARK: Printing

    @Test func printsASequentialExactlyAsPyTorchDoes() throws {
        // The text of `print(nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 2, bias=False),
        // nn.GELU(), nn.Tanh()), nn.Flatten(), nn.Embedding(10, 3), nn.Sigmoid(), nn.SiLU()))` in PyTorch 2.x.
        let model = Sequential(
            try Linear(4, 8), ReLU(),
            Sequential(try Linear(8, 2, bias: false), GELU(), Tanh()),
            Flatten(), try Embedding(10, 3), Sigmoid(), SiLU())
        let expected = """
            Sequential(
              (0): Linear(in_features=4, out_features=8, bias=True)
              (1): ReLU()
              (2): Sequential(
                (0): Linear(in_features=8, out_features=2, bias=False)
                (1): GELU(approximate='none')
                (2): Tanh()
              )
              (3): Flatten(start_dim=1, end_dim=-1)
              (4): Embedding(10, 3)
              (5): Sigmoid()
              (6): SiLU()
            )
            """
        #expect(model.description == expected)
        #expect(String(describing: model) == expected)
        #expect(GELU(approximate: true).description == "GELU(approximate='tanh')")
        #expect(try Linear(3, 1).description == "Linear(in_features=3, out_features=1, bias=True)")
    }

    // MARK: summary

    @Test func summaryOfAnMLPListsLayersShapesAndParameterCounts() throws {
        let model = Sequential(Flatten(), try Linear(12, 8), ReLU(), try Linear(8, 3))
        let s = try summary(model, inputShape: [2, 3, 4])
        #expect(s.rows == [
            SummaryRow(name: "0", type: "Flatten", outputShape: [2, 12], parameters: 0),
            SummaryRow(name: "1", type: "Linear", outputShape: [2, 8], parameters: 12 * 8 + 8),
            SummaryRow(name: "2", type: "ReLU", outputShape: [2, 8], parameters: 0),
            SummaryRow(name: "3", type: "Linear", outputShape: [2, 3], parameters: 8 * 3 + 3),
            SummaryRow(name: "", type: "Sequential", outputShape: [2, 3], parameters: 0),
        ])
        #expect(s.totalParameters == 131)
        #expect(s.trainableParameters == 131)
        let rule = String(repeating: "─", count: 43)
        let expected = [
            "Layer (type)          Output Shape  Param #",
            rule,
            "0 (Flatten)           [2, 12]             0",
            "1 (Linear)            [2, 8]            104",
            "2 (ReLU)              [2, 8]              0",
            "3 (Linear)            [2, 3]             27",
            "(model) (Sequential)  [2, 3]              0",
            rule,
            "Total params: 131",
            "Trainable params: 131",
        ].joined(separator: "\n")
        #expect(s.description == expected)
        // The model is left as it was: training mode, no hooks, no gradients recorded.
        #expect(model.namedModules().allSatisfy { $0.module.training && $0.module.forwardHook == nil })
        #expect(model.parameters().allSatisfy { $0.grad == nil })
    }

    @Test func summaryOfASmallCNN() throws {
        let model = Sequential(
            try Conv2d(1, 4, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2),
            try Conv2d(4, 8, kernelSize: 3), try BatchNorm2d(8), ReLU(),
            Flatten(), try Linear(32, 10))
        model.eval()
        let s = try summary(model, inputShape: [1, 1, 8, 8])
        #expect(s.rows.map(\.name) == ["0", "1", "2", "3", "4", "5", "6", "7", ""])
        #expect(s.rows.map(\.type) == ["Conv2d", "ReLU", "MaxPool2d", "Conv2d", "BatchNorm2d", "ReLU", "Flatten", "Linear", "Sequential"])
        #expect(s.rows.map(\.outputShape) == [[1, 4, 8, 8], [1, 4, 8, 8], [1, 4, 4, 4], [1, 8, 2, 2], [1, 8, 2, 2],
                                              [1, 8, 2, 2], [1, 32], [1, 10], [1, 10]])
        #expect(s.rows.map(\.parameters) == [40, 0, 0, 296, 16, 0, 0, 330, 0])
        #expect(s.totalParameters == 682 && s.trainableParameters == 682)
        // summary runs in eval mode, so the batch-norm running statistics are untouched.
        let bn = model.layers[4] as! BatchNorm2d
        #expect(try bn.runningMean!.toDoubles() == Array(repeating: 0, count: 8))
        #expect(try bn.runningVar!.toDoubles() == Array(repeating: 1, count: 8))
        #expect(!model.training)
        // A wrong input shape is reported, not swallowed.
        #expect(throws: TensorError.self) { try summary(model, inputShape: [1, 3, 8, 8]) }
    }

    // MARK: State dicts

    /// PyTorch's order: module by module, each one's parameters then its persistent buffers.
    @Test func stateDictListsEachModulesParametersThenBuffersAsLiveTensors() throws {
        let model = Sequential(try Linear(3, 4), try BatchNorm1d(4), ReLU(), try Linear(4, 2))
        let sd = model.stateDict()
        #expect(sd.map(\.name) == ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
                                   "3.weight", "3.bias"])
        #expect(sd[0].tensor === (model.layers[0] as! Linear).weight)
        #expect(sd[4].tensor === (model.layers[1] as! BatchNorm1d).runningMean)
    }

    @Test func nonPersistentBuffersStayOutOfTheStateDict() throws {
        let m = Module()
        m.registerBuffer("kept", try Tensor.zeros([2]))
        m.registerBuffer("scratch", try Tensor.zeros([2]), persistent: false)
        #expect(m.stateDict().map(\.name) == ["kept"])
        #expect(m.namedBuffers().map(\.name) == ["kept", "scratch"])
    }

    @Test func registeringANameAgainReplacesItInPlace() throws {
        let m = Module()
        try m.registerParameter("a", try Tensor.zeros([1]))
        try m.registerParameter("b", try Tensor.zeros([1]))
        let replacement = try Tensor.ones([3])
        try m.registerParameter("a", replacement)
        #expect(m.registeredParameters.map(\.name) == ["a", "b"])
        #expect(m.registeredParameters[0].tensor === replacement)
        m.registerModule("b", ReLU())
        #expect(m.registeredParameters.map(\.name) == ["a"])
        #expect(m.registration("b") == .module)
    }

    @Test func stateDictRoundTripGivesIdenticalOutputs() throws {
        func make() throws -> Sequential { Sequential(try Linear(3, 4), try BatchNorm1d(4), ReLU(), try Linear(4, 2)) }
        let a = try make(), b = try make()
        // Give a's running statistics non-default values so the buffers matter.
        _ = try a(try Tensor.randn([16, 3], mean: 1, std: 2))
        a.eval()
        b.eval()
        let x = try Tensor.randn([5, 3])
        let before = try b(x).toDoubles()
        let expected = try a(x).toDoubles()
        #expect(before != expected)
        try b.loadStateDict(stateMap(a))
        #expect(try b(x).toDoubles() == expected)
        for ((na, ta), (nb, tb)) in zip(a.stateDict(), b.stateDict()) {
            #expect(na == nb)
            #expect(try ta.toDoubles() == tb.toDoubles(), "\(na)")
            #expect(ta !== tb)
        }
        // Loading copies values: changing the source afterwards does not reach the target.
        _ = try withNoGrad { try (a.layers[0] as! Linear).weight.fill_(0) }
        #expect(try b(x).toDoubles() == expected)
        // The loaded parameters are still trainable leaves.
        #expect(b.parameters().allSatisfy { $0.requiresGrad && $0.isLeaf })
    }

    @Test func strictLoadNamesEveryMissingUnexpectedAndMismatchedKey() throws {
        let model = Sequential(try Linear(2, 3), try BatchNorm1d(3))
        let state: [String: Tensor] = [
            "0.weight": try Tensor.zeros([2, 3]),
            "1.weight": try Tensor.full([3], 7),
            "1.bias": try Tensor.zeros([3], dtype: .float64),
            "1.running_mean": try Tensor.full([3], 5),
            "extra": try Tensor.zeros([1]),
            "2.weight": try Tensor.zeros([2, 2]),
        ]
        let before = try model.stateDict().map { try $0.tensor.toDoubles() }
        var caught: StateDictError?
        do { try model.loadStateDict(state) } catch let e as StateDictError { caught = e }
        let error = try #require(caught)
        #expect(error.missing == ["0.bias", "1.running_var", "1.num_batches_tracked"])
        #expect(error.unexpected == ["2.weight", "extra"])
        #expect(error.mismatched == ["0.weight: expected float32[3, 2], got float32[2, 3]",
                                     "1.bias: expected float32[3], got float64[3]"])
        #expect(error.description == "load_state_dict: missing keys: 0.bias, 1.running_var, 1.num_batches_tracked; unexpected keys: 2.weight, extra; "
            + "size or dtype mismatch: 0.weight: expected float32[3, 2], got float32[2, 3]; 1.bias: expected float32[3], got float64[3]")
        // Nothing was written, not even the keys that were fine (1.weight, 1.running_mean).
        #expect(try model.stateDict().map { try $0.tensor.toDoubles() } == before)
    }

    @Test func strictLoadReportsOnlyWhatIsWrong() throws {
        let model = try Linear(2, 2)
        var caught: StateDictError?
        do { try model.loadStateDict(["weight": try Tensor.zeros([2, 2])]) } catch let e as StateDictError { caught = e }
        #expect(caught == StateDictError(missing: ["bias"]))
        #expect(caught?.description == "load_state_dict: missing keys: bias")
        caught = nil
        do {
            try model.loadStateDict(["weight": try Tensor.zeros([2, 2]), "bias": try Tensor.zeros([2]), "b": try Tensor.zeros([2])])
        } catch let e as StateDictError { caught = e }
        #expect(caught?.description == "load_state_dict: unexpected keys: b")
        #expect(try model.weight.toDoubles() != [0, 0, 0, 0])
    }

    @Test func nonStrictLoadIgnoresMissingAndUnexpectedKeys() throws {
        let model = Sequential(try Linear(2, 3), try BatchNorm1d(3))
        let biasBefore = try (model.layers[0] as! Linear).bias!.toDoubles()
        try model.loadStateDict([
            "0.weight": try tensor([1, 2, 3, 4, 5, 6], [3, 2]),
            "1.running_var": try tensor([2, 3, 4], [3]),
            "decoder.weight": try Tensor.zeros([9]),
        ], strict: false)
        #expect(try (model.layers[0] as! Linear).weight.toDoubles() == [1, 2, 3, 4, 5, 6])
        #expect(try (model.layers[1] as! BatchNorm1d).runningVar!.toDoubles() == [2, 3, 4])
        #expect(try (model.layers[0] as! Linear).bias!.toDoubles() == biasBefore)
        #expect(try (model.layers[1] as! BatchNorm1d).runningMean!.toDoubles() == [0, 0, 0])
    }

    @Test func nonStrictLoadStillRejectsAShapeMismatchAndWritesNothing() throws {
        let model = Sequential(try Linear(2, 3), try BatchNorm1d(3))
        let before = try model.stateDict().map { try $0.tensor.toDoubles() }
        var caught: StateDictError?
        do {
            try model.loadStateDict([
                "0.weight": try tensor([1, 2, 3, 4, 5, 6], [3, 2]),     // fine
                "1.weight": try Tensor.ones([4]),                        // wrong shape
                "junk": try Tensor.zeros([1]),
            ], strict: false)
        } catch let e as StateDictError { caught = e }
        let error = try #require(caught)
        #expect(error.mismatched == ["1.weight: expected float32[3], got float32[4]"])
        #expect(try model.stateDict().map { try $0.tensor.toDoubles() } == before)
    }
}
