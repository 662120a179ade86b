import Foundation
import Testing
import DuetTensor
@testable import DuetScript

/// Thousands of random and mutated programs (from the notebooks and the snippets below) go to
/// the interpreter: each must end in a result or a Duet error, within a bounded number of
/// steps — never a crash, a hang or any other kind of error.
@Suite struct FuzzTests {
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let snippets = [
        "x = arange(12).reshape(3, 4)\ny = x[:, 1:3] * 2\nprint(y.sum(dim=0), x[x > 5], x[[0, 2], [1, 3]])",
        "def f(n, acc=1):\n    if n <= 1:\n        return acc\n    return f(n - 1, acc * n)\nprint(f(10), [f(i) for i in range(5)])",
        "d = {'a': [1, 2], 'b': (3, 4)}\nfor k, v in d.items():\n    print(f\"{k}={v!r:>8}\", len(v))",
        "w = randn(3, 2, requires_grad=True)\nloss = (w @ ones(2)).pow(2).mean()\nloss.backward()\nwith no_grad():\n    w -= 0.1 * w.grad\nprint(w.grad.shape)",
        "def make():\n    n = 0\n    def inc(k=1):\n        nonlocal n\n        n += k\n        return n\n    return inc\ng = make()\nprint(g(), g(5), (lambda *a, **k: (a, k))(1, x=2))",
        "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))\nopt = optim.SGD(model.parameters(), lr=0.1)\nX = randn(16, 4)\ny = randint(0, 2, (16,))\nfor i in range(3):\n    opt.zero_grad()\n    l = F.cross_entropy(model(X), y)\n    l.backward()\n    opt.step()\nprint(l.item() > 0)",
        "s = 'hello world'\nprint(s.split(), s[::-2], s.upper().replace('L', '_'), '%5.1f|%d' % (2.25, 7), '{:^9}'.format('mid'))",
        "x = tensor([[1., 2.], [3., 4.]])\nx[0] = tensor([9., 8.])\nx[:, 1] += 1\nprint(x, x.max(dim=0), x.T @ x, torch.cat([x, x], 1).shape)",
        "i = 0\nwhile i < 10:\n    i += 3\n    if i % 2: continue\n    else: break\nprint(i, 7 // 2, -7 % 3, 2 ** 10, 1e308 * 10, divmod(9, 4))",
        "X, y = datasets.moons(count=40, seed=1)\nm = nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 2))\nh = fit(m, (X, y), epochs=2, batch_size=16, verbose=False)\nprint(evaluate(m, (X, y))['loss'] > 0, predict(m, X[:3]).shape)",
    ]

    static let tokens = ["(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "+", "-", "*", "/", "//", "%", "**", "@", "<", "==",
                         "not", "and", "or", "in", "is", "if", "else", "for", "while", "def", "lambda", "return", "with", "None",
                         "True", "x", "y", "f", "0", "1", "-1", "2.5", "1e308", "9223372036854775807", "'s'", "f'{x}'", "...",
                         "tensor([1, 2])", "zeros(2, 3)", "range(5)", "print", "len", "\n", "\n    ", "\t", "  ", "#", "\\", "?", ";"]

    static let numbers = ["0", "1", "-1", "2", "3", "7", "100", "0.5", "-0.0", "1e308", "9223372036854775807", "-9223372036854775808"]

    /// Cells of the notebooks (without file access) and the snippets above.
    static func corpus() -> [String] {
        var out = snippets
        for url in NotebookTests.notebookFiles {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            let cells = text.components(separatedBy: "\n# %%")
            out += cells.map { cell in
                cell.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.contains("save") && !$0.contains("load") && !$0.hasPrefix("#") }
                    .joined(separator: "\n")
            }
        }
        return out
    }

    static func mutate(_ program: String, _ rng: inout SplitMix) -> String {
        var chars = Array(program)
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            guard !chars.isEmpty else { break }
            let at = Int.random(in: 0..<chars.count, using: &rng)
            switch Int.random(in: 0..<7, using: &rng) {
            case 0:
                chars.removeSubrange(at..<min(chars.count, at + Int.random(in: 1...10, using: &rng)))
            case 1:
                chars.insert(contentsOf: " " + (tokens.randomElement(using: &rng) ?? "") + " ", at: at)
            case 2, 3:
                var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                let i = Int.random(in: 0..<lines.count, using: &rng), j = Int.random(in: 0..<lines.count, using: &rng)
                if Bool.random(using: &rng) { lines.insert(lines[i], at: j) } else { lines.swapAt(i, j) }
                chars = Array(lines.joined(separator: "\n"))
            case 4:
                if let d = chars[at...].firstIndex(where: { $0.isNumber }) {
                    var end = d
                    while end < chars.count && (chars[end].isNumber || chars[end] == ".") { end += 1 }
                    chars.replaceSubrange(d..<end, with: Array(numbers.randomElement(using: &rng) ?? "0"))
                }
            case 5:
                chars.removeSubrange(at...)
            default:
                let lineStart = chars[..<at].lastIndex(of: "\n").map { $0 + 1 } ?? 0
                chars.insert(contentsOf: Bool.random(using: &rng) ? "    " : "\t", at: lineStart)
            }
        }
        return String(chars)
    }

    static func randomProgram(_ rng: inout SplitMix) -> String {
        (0..<Int.random(in: 1...40, using: &rng)).map { _ in tokens.randomElement(using: &rng) ?? "" }.joined(separator: " ")
    }

    @Test func programsEndInAResultOrADuetError() throws {
        var rng = SplitMix(state: 20_261_127)
        let corpus = Self.corpus()
        var completed = 0, failed = 0
        // The limit lives on this thread's engine context: put it back for the tests that run here next.
        let limit = EngineContext.current.maxElements
        defer { EngineContext.current.maxElements = limit }
        var interp = Interpreter(output: { _ in })
        for i in 0..<3000 {
            if i % 25 == 0 {
                interp = Interpreter(output: { _ in })
                interp.stepLimit = 3000
                interp.maxTensorElements = 1 << 14
            }
            let program = i % 8 == 0 ? Self.randomProgram(&rng) : Self.mutate(corpus.randomElement(using: &rng) ?? "", &rng)
            do {
                try interp.run(program, file: "fuzz.duet", echo: i % 2 == 0)
                completed += 1
            } catch let e as ScriptError {
                failed += 1
                #expect(e.isLocated || e.kind == .stepLimit || e.kind == .keyboardInterrupt, "unlocated \(e.kind): \(e.message)\n\(program)")
            } catch {
                Issue.record("not a Duet error: \(error)\nprogram:\n\(program)")
            }
        }
        #expect(completed > 100)
        #expect(failed > 1000)
    }
}
