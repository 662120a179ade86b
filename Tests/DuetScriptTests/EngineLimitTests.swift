import Testing
import DuetTensor
@testable import DuetScript

/// The size limits seen from a script: `maxTensorElements` is the engine's limit (so it bounds
/// what every op makes, views included), and the one-liners of issue #17 that used to crash the
/// process raise located Duet errors or give PyTorch's shapes.
@Suite struct EngineLimitTests {
    @Test func maxTensorElementsIsTheEngineLimit() throws {
        let ctx = EngineContext.current
        let saved = ctx.maxElements
        defer { ctx.maxElements = saved }
        let interp = Interpreter(output: { _ in })
        interp.maxTensorElements = 1000
        #expect(ctx.maxElements == 1000)
        do {
            try interp.run("x = torch.ones(10).expand(200, 10)", file: "t.duet")
            Issue.record("a 2000-element view should exceed a limit of 1000")
        } catch let e as ScriptError {
            #expect(e.kind == .memory)
            #expect(e.message == "expand: a tensor of shape [200,10] has 2000 elements, more than the limit of 1000")
        }
    }

    @Test func issue17OneLinersDoNotCrash() throws {
        #expect(try output("print(torch.ones(5)[::9223372036854775807].shape)") == "torch.Size([1])\n")
        #expect(try output("print(torch.zeros(3, 4)[:, 2:1].softmax(1).shape)") == "torch.Size([3, 0])\n")
        #expect(failure("torch.ones(1).expand(2**40, 2**40).sum()")?.kind == .memory)
        #expect(failure("torch.arange(6).reshape(9223372036854775807, 3)")?.kind == .shape)
        #expect(failure("x = torch.ones(1, 1, 4, 4)\nF.pad(x, (2**62, 2**62))")?.kind == .value)
        #expect(failure("x = torch.ones(1, 1, 4, 4)\nF.max_pool2d(x, 2, padding=2**62)")?.kind == .value)
        #expect(failure("x = torch.ones(1, 1, 4, 4)\nnn.Conv2d(1, 1, 3, padding=2**62)(x)")?.kind == .value)
    }
}
