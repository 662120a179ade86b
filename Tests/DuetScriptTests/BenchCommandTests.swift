import Foundation
import Testing

/// `duet bench --vs`, through the real binary: without the peer framework it must say how to
/// install it and still time Duet, exiting 0 — a missing PyTorch is not a failure of Duet's bench.
@Suite struct BenchCommandTests {
    @Test func vsTorchWithoutPythonCarriesOnWithDuetAlone() throws {
        guard DuetBinary.isAvailable() else { return }
        let missing = "/nonexistent/duet-test/python"
        let r = try DuetBinary.run(["bench", "add16_overhead", "--mode", "engine", "--vs", "torch", "--python", missing, "--rounds", "1"])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.contains("PyTorch is not available to \(missing)"))
        #expect(r.out.contains("pip install torch"))
        #expect(r.out.contains("python3 -m venv"))
        // Duet's own figure is still there: a positive number of µs per op.
        let row = try #require(r.out.split(separator: "\n").first { $0.hasPrefix("add16_overhead") })
        let cells = row.split(separator: " ")
        #expect(cells.count >= 3 && cells[1] == "engine")
        #expect((Double(cells.count >= 3 ? cells[2] : "") ?? 0) > 0, "\(row)")
        #expect(row.hasSuffix("-"))
    }

    @Test func vsRejectsAnUnknownFramework() throws {
        guard DuetBinary.isAvailable() else { return }
        let r = try DuetBinary.run(["bench", "add16_overhead", "--vs", "tensorflow-lite"])
        #expect(r.status != 0)
        #expect(r.err.contains("unknown --vs 'tensorflow-lite'; expected one of torch, jax"))
    }
}
