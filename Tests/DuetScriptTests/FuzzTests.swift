import Foundation
import Testing
@testable import DuetScript

/// Thousands of seeded mutants of the notebooks and the corpus scripts go through the real
/// binary (`duet fuzz`), 200 to a process: each must end in a result, a located Duet error or a
/// budget — never a crash, a hang or another kind of error. A batch that dies by a signal is
/// replayed one mutant at a time, so the failure names its input.
@Suite struct FuzzTests {
    static let seed: UInt64 = 20_261_203
    static let batches = 12, perBatch = 200

    @Test func mutantsEndInAResultOrALocatedError() async throws {
        guard DuetBinary.isAvailable() else { return }
        let sources = [packageRoot.appendingPathComponent("notebooks").path, packageRoot.appendingPathComponent("Tests/Corpus").path]
        let reports = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
            var results: [(Int, String?)] = []
            var next = 0
            // Two processes at a time: the machine has two cores.
            for _ in 0..<2 where next < Self.batches {
                let b = next
                group.addTask { (b, try Self.batch(b, sources)) }
                next += 1
            }
            while let r = try await group.next() {
                results.append(r)
                if next < Self.batches {
                    let b = next
                    group.addTask { (b, try Self.batch(b, sources)) }
                    next += 1
                }
            }
            return results
        }
        #expect(reports.count == Self.batches)
        for (b, failure) in reports.sorted(by: { $0.0 < $1.0 }) {
            if let failure { Issue.record("fuzz batch \(b): \(failure)") }
        }
    }

    /// One batch; nil when every mutant ended well, else what failed and on which input.
    static func batch(_ b: Int, _ sources: [String]) throws -> String? {
        let base = ["fuzz"] + sources + ["--seed", String(seed)]
        let r = try DuetBinary.runReportingSignal(base + ["--start", String(b * perBatch), "--count", String(perBatch)])
        if r.status == 0 && !r.signaled {
            return r.out.contains("\(perBatch) mutants") ? nil : "unexpected summary: \(r.out)"
        }
        guard r.signaled else { return r.err }
        for i in (b * perBatch)..<((b + 1) * perBatch) {
            let one = try DuetBinary.runReportingSignal(base + ["--only", String(i), "--verbose"])
            if one.signaled || one.status != 0 {
                return "mutant \(i) (seed \(seed)) \(one.signaled ? "died by signal \(one.status)" : "failed"): \(one.err)"
            }
        }
        return "the batch died by signal \(r.status), but no mutant fails alone"
    }

    /// Every input the coverage-guided fuzzer (`make fuzz`) saved as a crash is replayed here,
    /// in process and through the binary, so a fixed crash stays fixed.
    @Test func libFuzzerCrashesStayFixed() throws {
        let folder = packageRoot.appendingPathComponent("fuzz/crashes")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }.sorted()
        for name in files {
            let url = folder.appendingPathComponent(name)
            let program = String(decoding: try Data(contentsOf: url), as: UTF8.self)
            if case .failure(let why) = FuzzRun.run(program) { Issue.record("fuzz/crashes/\(name): \(why)") }
            guard DuetBinary.isAvailable() else { continue }
            let r = try DuetBinary.runReportingSignal(["run", url.path])
            #expect(!r.signaled, "fuzz/crashes/\(name) kills duet run with signal \(r.status)")
        }
    }

    @Test func mutantsAreDeterministic() {
        let m = Mutator(programs: ["x = torch.ones(3)\nprint(x.sum())", "for i in range(3):\n    print(i)"])
        #expect((0..<50).map { m.mutant(seed: 7, index: $0) } == (0..<50).map { m.mutant(seed: 7, index: $0) })
        #expect(Set((0..<50).map { m.mutant(seed: 7, index: $0) }).count > 30)
    }

    @Test func aFailureIsReportedNotSwallowed() {
        #expect(FuzzRun.run("print(1)") == .completed)
        #expect(FuzzRun.run("print(undefined_name)") == .scriptError)
        #expect(FuzzRun.run("while True:\n    pass", steps: 1000) == .limit)
    }
}
