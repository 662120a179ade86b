import Testing
import Foundation
@testable import DuetTensor

@Suite struct ProfilerZZScratch {
    @Test func overheadScratch() throws {
        guard ProcessInfo.processInfo.environment["H6_SCRATCH"] != nil else { return }
        let a = try Tensor.randn([16]), b = try Tensor.randn([16])
        func plain() throws -> Double {
            let t0 = Profiler.now(); for _ in 0..<100_000 { _ = try a + b }; return Double(Profiler.now() - t0) / 100_000
        }
        func profiled() throws -> Double {
            let p = Profiler(capacity: 200_000, reserve: 200_000)
            p.start(); defer { p.stop() }
            let t0 = Profiler.now(); for _ in 0..<100_000 { _ = try a + b }; return Double(Profiler.now() - t0) / 100_000
        }
        var offs: [Double] = [], ons: [Double] = []
        for _ in 0..<7 { offs.append(try plain()); ons.append(try profiled()) }
        offs.sort(); ons.sort()
        print("H6 off \(offs[3]) ns/op, on \(ons[3]) ns/op, per-event \(ons[3] - offs[3]) ns")
    }
}
