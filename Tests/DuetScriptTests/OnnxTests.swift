import Foundation
import Testing
import DuetNN
import DuetTensor
import DuetTestSupport
@testable import DuetScript

/// Deployment through ONNX (issue #19): Duet → ONNX → Duet is bitwise the compiled model, the
/// batch dim stays symbolic, unexportable ops are listed with their lines, files PyTorch exported
/// match onnxruntime, files Duet exported pass onnx's checker and match onnxruntime, and
/// `duet predict` runs a model from the command line.
@Suite struct OnnxTests {
    /// Four models as the issue lists them: an MLP, a CNN with batch norm, a class-based model,
    /// and a sequence model (an embedding and an unrolled tanh RNN cell).
    static let models = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4), nn.Softmax(dim=1))
    cnn = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                        nn.Dropout(0.5), nn.Linear(4 * 4 * 4, 5), nn.LogSoftmax(dim=1))
    cnn.train()
    for _ in range(3):
        cnn(torch.randn(6, 1, 8, 8))
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(8, 8)
            self.norm = nn.LayerNorm(8)
        def forward(self, x):
            h = F.gelu(self.norm(self.fc(x)))
            return torch.cat([h + x, (h * x).mean(dim=1, keepdim=True).expand(-1, 8)], dim=1).tanh()
    block = Block()
    class Seq(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 6)
            self.cell = nn.Linear(12, 6)
            self.head = nn.Linear(6, 3)
        def forward(self, ids):
            e = self.emb(ids)
            h = torch.zeros(ids.shape[0], 6)
            for t in range(ids.shape[1]):
                h = torch.tanh(self.cell(torch.cat([e[:, t], h], dim=1)))
            return self.head(h)
    seq = Seq()
    inputs = {"mlp": torch.randn(3, 12), "cnn": torch.randn(2, 1, 8, 8), "block": torch.randn(3, 8), "seq": torch.randint(0, 10, (2, 5))}
    nets = {"mlp": mlp, "cnn": cnn, "block": block, "seq": seq}

    """

    private static func directory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("duet-onnx-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    @Test func aRoundTripIsBitwiseTheCompiledModel() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try output(Self.models + """
        for name, net in nets.items():
            x = inputs[name]
            torch.onnx.export(net, (x,), "\(dir)/" + name + ".onnx")
            net.eval()
            compiled = compile(lambda t: net(t))
            with torch.no_grad():
                expected = compiled(x)
            back = load_onnx("\(dir)/" + name + ".onnx")
            print(name, torch.equal(back(x), expected), net.training)
        """)
        #expect(text == "mlp True False\ncnn True False\nblock True False\nseq True False\n")
    }

    @Test func theBatchDimIsSymbolicUnlessTheModelDependsOnIt() throws {
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let text = try output(Self.models + """
        torch.onnx.export(cnn, inputs["cnn"], "\(dir)/cnn.onnx", input_names=["image"], output_names=["logp"])
        m = load_onnx("\(dir)/cnn.onnx")
        print(m.inputs, m.outputs)
        print(m(torch.randn(7, 1, 8, 8)).shape)
        def per_batch(x):
            return x / x.shape[0]
        torch.onnx.export(per_batch, torch.randn(4, 3), "\(dir)/fixed.onnx")
        print(load_onnx("\(dir)/fixed.onnx").inputs)
        torch.onnx.export(mlp, inputs["mlp"], "\(dir)/static.onnx", dynamic_axes={})
        print(load_onnx("\(dir)/static.onnx").inputs)
        torch.onnx.export(mlp, inputs["mlp"], "\(dir)/named.onnx", input_names=["x"], dynamic_axes={"x": {0: "n"}})
        print(load_onnx("\(dir)/named.onnx").inputs)
        """)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "['image: float32[batch, 1, 8, 8]'] ['logp: float32[batch, 5]']")
        #expect(lines[1] == "torch.Size([7, 5])")
        #expect(lines[2].hasPrefix("torch.onnx.export: the batch dim is fixed at 4: a number computed from the batch size"))
        #expect(lines[3] == "['input: float32[4, 3]']")
        #expect(lines[4] == "['input: float32[3, 12]']")
        #expect(lines[5] == "['x: float32[n, 12]']")
    }

    @Test func everyUnexportableOpIsListedWithItsLine() throws {
        let error = failure("""
        import torch
        import torch.nn as nn
        class Odd(nn.Module):
            def forward(self, x):
                a = torch.cumprod(x, 1)
                b = x.argsort(dim=1)
                return a + b + torch.cumprod(x, 1)
        torch.onnx.export(Odd(), torch.randn(2, 3), "/tmp/duet-never-written.onnx")
        """)
        let message = error?.message ?? ""
        #expect(message.contains("2 ops cannot be exported to ONNX"), "\(message)")
        #expect(message.contains("cumprod at test.duet:5: ONNX has no cumulative product"), "\(message)")
        #expect(message.contains("argsort at test.duet:6"), "\(message)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/duet-never-written.onnx"))
    }

    @Test func badExportOptionsAreErrors() throws {
        let axis = failure(Self.models + "torch.onnx.export(mlp, inputs['mlp'], '/tmp/x.onnx', input_names=['x'], dynamic_axes={'x': {1: 'width'}})")
        #expect(axis?.message.contains("keeps only dim 0 (the batch) symbolic") == true)
        let opset = failure(Self.models + "torch.onnx.export(mlp, inputs['mlp'], '/tmp/x.onnx', opset_version=9)")
        #expect(opset?.message.contains("Duet exports opsets 13 to 17") == true)
        let args = failure(Self.models + "torch.onnx.export(mlp, 3, '/tmp/x.onnx')")
        #expect(args?.message.contains("args must be a tensor or a tuple of tensors") == true)
        let missing = failure("m = load_onnx('/tmp/duet-no-such-model.onnx')")
        #expect(missing?.message.contains("duet-no-such-model.onnx") == true)
    }

    @Test func modelsPyTorchExportedMatchOnnxRuntime() throws {
        try PythonEnv.require()
        let fixtures = PythonEnv.packageRoot + "/Tests/Fixtures/onnx"
        let names = try FileManager.default.contentsOfDirectory(atPath: fixtures).filter { $0.hasSuffix(".onnx") }.map { String($0.dropLast(5)) }.sorted()
        #expect(names.count >= 30)
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try PythonEnv.run("""
            import os, sys
            import numpy as np
            import onnxruntime as ort
            src, out = sys.argv[1], sys.argv[2]
            for f in sorted(os.listdir(src)):
                if f.endswith('.onnx'):
                    name = f[:-5]
                    session = ort.InferenceSession(os.path.join(src, f), providers=['CPUExecutionProvider'])
                    feeds = dict(np.load(os.path.join(src, name + '.inputs.npz')))
                    results = session.run(None, feeds)
                    np.savez(os.path.join(out, name + '.npz'), **{o.name: r for o, r in zip(session.get_outputs(), results)})
            """, [fixtures, dir])
        for name in names {
            let model = try OnnxModule(path: "\(fixtures)/\(name).onnx")
            let feeds = try NPZ.load("\(fixtures)/\(name).inputs.npz")
            let expected = try NPZ.load("\(dir)/\(name).npz")
            let arguments = try model.inputs.map { port -> Tensor in
                guard let t = feeds[port.name] else { throw PythonEnv.Failure(description: "\(name): no input \(port.name)") }
                return t
            }
            let results = try model(arguments)
            for (port, got) in zip(model.outputs, results) {
                let want = try #require(expected[port.name], "\(name): onnxruntime gave no \(port.name)")
                #expect(got.shape == want.shape, "\(name).\(port.name): shape \(got.shape) vs onnxruntime's \(want.shape)")
                let diff = try zip(got.toDoubles(), want.toDoubles()).map { abs($0 - $1) }.max() ?? 0
                #expect(diff <= 1e-4, "\(name).\(port.name): max |Δ| \(diff) against onnxruntime")
            }
        }
    }

    @Test func modelsDuetExportedPassTheCheckerAndMatchOnnxRuntime() throws {
        try PythonEnv.require()
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try output(Self.models + """
        import numpy as np
        for name, net in nets.items():
            x = inputs[name]
            torch.onnx.export(net, (x,), "\(dir)/" + name + ".onnx")
            net.eval()
            with torch.no_grad():
                np.savez("\(dir)/" + name + ".io.npz", input=x, output=net(x))
        """)
        let report = try PythonEnv.run("""
            import sys
            import numpy as np
            import onnx
            import onnxruntime as ort
            d = sys.argv[1]
            for name in ['mlp', 'cnn', 'block', 'seq']:
                model = onnx.load(f'{d}/{name}.onnx')
                onnx.checker.check_model(model, full_check=True)
                io = np.load(f'{d}/{name}.io.npz')
                session = ort.InferenceSession(f'{d}/{name}.onnx', providers=['CPUExecutionProvider'])
                got = session.run(None, {session.get_inputs()[0].name: io['input']})[0]
                print(name, model.opset_import[0].version, model.ir_version, float(np.abs(got - io['output']).max()))
            """, [dir])
        let lines = report.split(separator: "\n")
        #expect(lines.count == 4, "\(report)")
        for line in lines {
            let fields = line.split(separator: " ")
            #expect(fields.count == 4 && fields[1] == "17" && fields[2] == "8", "\(line)")
            #expect(fields.count == 4 && (Double(fields[3]) ?? 1) <= 1e-4, "\(line)")
        }
    }

    @Test func duetPredictRunsAModelOnNpyFiles() throws {
        guard DuetBinary.isAvailable() else { return }
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        _ = try output(Self.models + """
        import numpy as np
        torch.onnx.export(mlp, inputs["mlp"], "\(dir)/mlp.onnx", output_names=["probs"])
        x = torch.randn(2, 12)
        np.save("\(dir)/x.npy", x)
        with torch.no_grad():
            np.save("\(dir)/want.npy", mlp(x))
        """)
        let printed = try DuetBinary.run(["predict", "\(dir)/mlp.onnx", "\(dir)/x.npy"])
        #expect(printed.status == 0, "\(printed.err)")
        #expect(printed.out.hasPrefix("{\"outputs\": {\"probs\": [["), "\(printed.out)")
        let written = try DuetBinary.run(["predict", "\(dir)/mlp.onnx", "\(dir)/x.npy", "-o", "\(dir)/y.npy"])
        #expect(written.status == 0, "\(written.err)")
        #expect(try NPY.load("\(dir)/y.npy").toDoubles() == NPY.load("\(dir)/want.npy").toDoubles())
        let wrongShape = try DuetBinary.run(["predict", "\(dir)/mlp.onnx", "\(dir)/y.npy"])
        #expect(wrongShape.status == 1 && wrongShape.err.contains("does not take shape [2, 4]"), "\(wrongShape.err)")
        let notOnnx = try DuetBinary.run(["predict", "\(dir)/x.npy", "\(dir)/x.npy"])
        #expect(notOnnx.status == 1 && notOnnx.err.contains("not a valid ONNX model"), "\(notOnnx.err)")
    }
}
