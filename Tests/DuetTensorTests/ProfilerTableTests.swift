import Testing
@testable import DuetTensor

/// The aggregated table: self vs total, percentages that sum to 100, sorting, top-N, the scope
/// tree's arithmetic, and the text rendering.
@Suite struct ProfilerTableTests {
    @Test func opRowsSplitSelfAndTotal() throws {
        let table = ProfileTable(ProfilerFixture.small)
        let rows = Dictionary(uniqueKeysWithValues: table.rows.map { ($0.name, $0) })
        let matmul = try #require(rows["matmul"]), add = try #require(rows["add"]), to = try #require(rows["to"])
        #expect(matmul.calls == 2 && matmul.selfNs == 700 && matmul.totalNs == 700)
        #expect(add.selfNs == 150 && add.totalNs == 200)
        #expect(to.selfNs == 50 && to.totalNs == 50 && to.calls == 1)
        #expect(matmul.flops == 240)
        #expect(matmul.gflopsPerSecond == 240.0 / 700.0)
        #expect(rows["relu"]?.gflopsPerSecond == nil)
        #expect(table.kernelNs == 950)
        #expect(abs(table.rows.reduce(0) { $0 + $1.percent } - 100) < 1e-9)
        #expect(matmul.allocatedBytes == 384)
    }

    /// A call nested inside a call of the same op adds to self time but not twice to total.
    @Test func sameOpNestingIsNotDoubleCounted() {
        let recording = ProfilerFixture.recording([
            ProfilerFixture.event("to", 0, 100, childNs: 40),
            ProfilerFixture.event("to", 10, 50, parent: 0, depth: 1),
        ])
        let row = ProfileTable(recording).rows[0]
        #expect(row.calls == 2 && row.selfNs == 100 && row.totalNs == 100)
    }

    @Test func sortsByAnyColumn() {
        let recording = ProfilerFixture.small
        #expect(ProfileTable(recording, sortBy: .selfTime).rows.map(\.name) == ["matmul", "add", "relu", "to"])
        #expect(ProfileTable(recording, sortBy: .calls).rows.first?.name == "matmul")
        #expect(ProfileTable(recording, sortBy: .name).rows.map(\.name) == ["add", "matmul", "relu", "to"])
        #expect(ProfileTable(recording, sortBy: .name, descending: true).rows.map(\.name) == ["to", "relu", "matmul", "add"])
        #expect(ProfileTable(recording, sortBy: .selfTime, descending: false).rows.map(\.name) == ["relu", "to", "add", "matmul"])
        #expect(ProfileTable(recording, sortBy: .allocated).rows.first?.name == "matmul")
        // Bytes over self time: matmul 800/700, to 50/50, add 100/150; relu moves nothing and sorts last.
        #expect(ProfileTable(recording, sortBy: .gbps).rows.map(\.name) == ["matmul", "to", "add", "relu"])
        for column in ProfileColumn.allCases { #expect(ProfileTable(recording, sortBy: column).rows.count == 4) }
    }

    @Test func topNKeepsTheFirstRowsAndSaysWhatWasLeftOut() {
        let table = ProfileTable(ProfilerFixture.small, limit: 2)
        #expect(table.rows.map(\.name) == ["matmul", "add"])
        #expect(table.hiddenRows == 2)
        #expect(abs(table.hiddenPercent - 100 * 100.0 / 950.0) < 1e-9)
        #expect(table.text().contains("2 more rows"))
    }

    @Test func shapesGroupingSeparatesInputShapes() {
        let f = DType.float32
        let recording = ProfilerFixture.recording([
            ProfilerFixture.event("matmul", 0, 10, inputs: [TensorMeta(shape: [2, 3], dtype: f), TensorMeta(shape: [3, 4], dtype: f)]),
            ProfilerFixture.event("matmul", 10, 30, inputs: [TensorMeta(shape: [2, 4], dtype: f), TensorMeta(shape: [4, 4], dtype: f)]),
            ProfilerFixture.event("matmul", 30, 40, inputs: [TensorMeta(shape: [2, 3], dtype: f), TensorMeta(shape: [3, 4], dtype: f)]),
        ])
        let table = ProfileTable(recording, groupBy: .shapes)
        #expect(table.rows.count == 2)
        #expect(table.rows.map(\.calls).sorted() == [1, 2])
        #expect(table.rows.contains { $0.detail == "float32[2,3], float32[3,4]" && $0.selfNs == 20 })
        #expect(table.text().contains("matmul(float32[2,4], float32[4,4])"))
    }

    /// Every scope's self time plus its child scopes' totals is its total.
    @Test func scopeTreeAddsUp() throws {
        let recording = ProfilerFixture.recording([
            ProfilerFixture.event("a", 0, 10, scopes: ["model"]),
            ProfilerFixture.event("b", 10, 30, scopes: ["model", "0.Linear"]),
            ProfilerFixture.event("c", 30, 60, scopes: ["model", "1.ReLU"]),
            ProfilerFixture.event("d", 60, 100, scopes: ["model", "0.Linear", "inner"], childNs: 15),
            ProfilerFixture.event("e", 70, 85, parent: 3, depth: 1, scopes: ["model", "0.Linear", "inner"]),
            ProfilerFixture.event("f", 100, 105),
        ], wallNs: 110)
        let table = ProfileTable(recording, groupBy: .scope)
        let rows = Dictionary(uniqueKeysWithValues: table.rows.map { ($0.name, $0) })
        let model = try #require(rows["model"]), linear = try #require(rows["model/0.Linear"])
        let relu = try #require(rows["model/1.ReLU"]), inner = try #require(rows["model/0.Linear/inner"])
        #expect(model.selfNs == 10 && model.totalNs == 100)
        #expect(linear.selfNs == 20 && linear.totalNs == 60)
        #expect(inner.selfNs == 40 && inner.totalNs == 40 && inner.calls == 2)
        #expect(model.selfNs + linear.totalNs + relu.totalNs == model.totalNs)
        #expect(linear.selfNs + inner.totalNs == linear.totalNs)
        #expect(rows["(no scope)"]?.selfNs == 5)
        #expect(abs(table.rows.reduce(0) { $0 + $1.percent } - 100) < 1e-9)
        #expect(table.legend.contains("nested scopes"))
    }

    /// The same arithmetic on a real run with module-like and backward scopes.
    @Test func scopeTreeAddsUpForARealRun() throws {
        let w = try Tensor.randn([4, 3]).requiresGrad(), x = try Tensor.randn([5, 4])
        let (_, profiler) = try profile {
            try record("model") {
                let h = try record("0.Linear") { try x.matmul(w) }
                let y = try record("1.ReLU") { try h.relu() }
                try y.sum().backward()
            }
        }
        let table = ProfileTable(profiler.recording, groupBy: .scope)
        let byName = Dictionary(uniqueKeysWithValues: table.rows.map { ($0.name, $0) })
        for row in table.rows where row.name != "(no scope)" {
            let children = table.rows.filter { $0.name.hasPrefix(row.name + "/") && !$0.name.dropFirst(row.name.count + 1).contains("/") }
            #expect(row.selfNs + children.reduce(0) { $0 + $1.totalNs } == row.totalNs, "\(row.name)")
        }
        #expect(byName["model"]?.totalNs == profiler.events.reduce(0) { $0 + $1.selfNs })
        #expect(table.rows.contains { $0.name.hasPrefix("model/backward of matmul#") })
    }

    @Test func textHasLegendHeaderUnitsAndFooter() {
        let text = ProfileTable(ProfilerFixture.small).text()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "self = time in the op's own kernel, excluding ops it called; total = including them; % = share of all self time (rows sum to 100%)")
        #expect(lines[1].hasPrefix("op") && lines[1].contains("GFLOP/s") && lines[1].contains("self"))
        #expect(lines[2].allSatisfy { $0 == "-" })
        #expect(lines[3].hasPrefix("matmul"))
        #expect(text.contains("700 ns"))
        #expect(text.contains("73.7%"))
        #expect(text.contains("5 op calls; kernels 950 ns of 1.0 µs wall (95.0%); sorted by self"))
        // Columns line up: every data row is as wide as the header.
        #expect(Set(lines[1...6].map(\.count)).count == 1)
    }

    @Test func unitsScale() {
        #expect(ProfileUnits.time(850) == "850 ns")
        #expect(ProfileUnits.time(12_345) == "12.3 µs")
        #expect(ProfileUnits.time(1_234_567) == "1.23 ms")
        #expect(ProfileUnits.time(2_450_000_000) == "2.45 s")
        #expect(ProfileUnits.bytes(41_200_000) == "39.3 MB")
        #expect(ProfileUnits.bytes(512) == "512 B")
    }
}
