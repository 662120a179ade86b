import DuetTensor
import DuetNN

/// `torch.Generator()`: a seeded random stream of its own, for `random_split` and `DataLoader`
/// (Duet's stream, not PyTorch's: the same seed gives the same split in Duet, not PyTorch's split).
final class GeneratorObject: ScriptObject {
    let generator = Generator(seed: 0)
    private(set) var initialSeed = 0
    override var typeName: String { "Generator" }
    override var repr: String { "<torch._C.Generator object>" }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "manual_seed":
            return .object(BuiltinFunction("manual_seed(seed)", "Reseeds the generator; returns it.") { [self] b, _ in
                initialSeed = try b.int("seed")
                generator.seed(UInt64(bitPattern: Int64(initialSeed)))
                return .object(self)
            })
        case "initial_seed":
            return .object(BuiltinFunction("initial_seed()", "The seed last given to manual_seed.") { [self] _, _ in .int(initialSeed) })
        default: return nil
        }
    }
    override var attributeNames: [String] { ["manual_seed", "initial_seed"] }

    /// A permutation of 0..<n from `generator` (a GeneratorObject) or the global stream.
    static func permutation(_ n: Int, _ generator: Value?) throws -> [Int] {
        func draw() throws -> [Int] { try Tensor.randperm(n).toDoubles().map { Int($0) } }
        guard let generator else { return try draw() }
        return try withGenerator(try stream(generator)) { try draw() }
    }

    /// A loader's shuffling seed drawn from `generator`.
    static func seed(from generator: Value) throws -> Int {
        try withGenerator(try stream(generator)) { Int(try Tensor.randint(0, 1 << 30, []).item()) }
    }

    private static func stream(_ v: Value) throws -> Generator {
        guard case .object(let g as GeneratorObject) = v else { throw ScriptError(.type, "generator must be a torch.Generator, not \(v.typeName)") }
        return g.generator
    }
}

/// `Subset(dataset, indices)`: the items of `dataset` at `indices`.
final class SubsetObject: ScriptObject, Subscriptable {
    let dataset: Value
    let indices: [Int]
    init(_ dataset: Value, _ indices: [Int]) {
        self.dataset = dataset
        self.indices = indices
    }
    override var typeName: String { "Subset" }
    override var repr: String { "<torch.utils.data.dataset.Subset object>" }
    override var length: Int? { indices.count }
    func item(_ index: Value, _ interp: Interpreter) throws -> Value {
        if case .list(let l) = index { return .list(ListObject(try l.items.map { try item($0, interp) })) }
        let i = try Subscript.position(try Convert.int(index, "Subset index"), indices.count, "Subset")
        return try Subscript.get(dataset, .int(indices[i]), interp)
    }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? {
        ArrayIterator(try indices.map { try Subscript.get(dataset, .int($0), interp) })
    }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "dataset": dataset
        case "indices": .list(ListObject(indices.map(Value.int)))
        default: nil
        }
    }
    override var attributeNames: [String] { ["dataset", "indices"] }
}

/// `ConcatDataset(datasets)`: the items of each data set in turn.
final class ConcatDatasetObject: ScriptObject, Subscriptable {
    let datasets: [Value]
    /// Running totals of the parts' lengths (PyTorch's `cumulative_sizes`).
    let cumulativeSizes: [Int]
    init(_ datasets: [Value], sizes: [Int]) throws {
        self.datasets = datasets
        var total = 0
        cumulativeSizes = try sizes.map { n in
            let (sum, overflow) = total.addingReportingOverflow(n)
            guard !overflow else { throw ScriptError(.overflow, "ConcatDataset(): the total length is too large") }
            total = sum
            return total
        }
    }
    override var typeName: String { "ConcatDataset" }
    override var repr: String { "<torch.utils.data.dataset.ConcatDataset object>" }
    override var length: Int? { cumulativeSizes.last ?? 0 }
    func item(_ index: Value, _ interp: Interpreter) throws -> Value {
        let i = try Subscript.position(try Convert.int(index, "ConcatDataset index"), cumulativeSizes.last ?? 0, "ConcatDataset")
        let part = cumulativeSizes.firstIndex { i < $0 } ?? 0
        return try Subscript.get(datasets[part], .int(part == 0 ? i : i - cumulativeSizes[part - 1]), interp)
    }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? {
        ArrayIterator(try (0..<(cumulativeSizes.last ?? 0)).map { try item(.int($0), interp) })
    }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "datasets": .list(ListObject(datasets))
        case "cumulative_sizes": .list(ListObject(cumulativeSizes.map(Value.int)))
        default: nil
        }
    }
    override var attributeNames: [String] { ["datasets", "cumulative_sizes"] }
}

enum DataSplits {
    static func register(_ r: Builtins.Registrar) {
        r.type("Generator(device='cpu')", "A random stream of its own: torch.Generator().manual_seed(0) seeds random_split and DataLoader.", .torch) { b, _ in
            try TensorCreation.checkDevice(try b.string("device"), "Generator()")
            return .object(GeneratorObject())
        }
        r.type("Subset(dataset, indices)", "The items of dataset at indices.", [.flat, .data]) { b, interp in
            let dataset = try b.value("dataset")
            let n = try PythonBuiltins.length(dataset)
            let indices = try Iteration.collect(try b.value("indices"), interp).map { v in
                try Subscript.position(try Convert.int(v, "Subset index"), n, "Subset")
            }
            return .object(SubsetObject(dataset, indices))
        }
        r.type("ConcatDataset(datasets)", "The items of each data set in turn.", [.flat, .data]) { b, interp in
            let parts = try Iteration.collect(try b.value("datasets"), interp)
            guard !parts.isEmpty else { throw ScriptError(.value, "datasets should not be an empty iterable") }
            return .object(try ConcatDatasetObject(parts, sizes: try parts.map { try PythonBuiltins.length($0) }))
        }
        r.function("random_split(dataset, lengths, generator=None)",
                   "Splits dataset into non-overlapping Subsets of the given lengths (ints, or fractions summing to 1) in a random order.", [.flat, .data]) { b, interp in
            let dataset = try b.value("dataset")
            let n = try PythonBuiltins.length(dataset)
            let lengths = try splitLengths(try Iteration.collect(try b.value("lengths"), interp), total: n)
            let order = try GeneratorObject.permutation(n, b["generator"])
            var offset = 0
            return .list(ListObject(lengths.map { k in
                defer { offset += k }
                return .object(SubsetObject(dataset, Array(order[offset..<offset + k])))
            }))
        }
    }

    /// PyTorch's rule: ints must sum to the length; fractions summing to 1 are floored and the
    /// remainder goes one by one to the first splits.
    static func splitLengths(_ given: [Value], total n: Int) throws -> [Int] {
        let allInts = given.allSatisfy { if case .int = $0 { true } else { false } }
        if allInts {
            let lengths = try given.map { try Convert.int($0, "random_split() length") }
            guard lengths.allSatisfy({ $0 >= 0 }), lengths.reduce(0, { $0 &+ $1 }) == n else {
                throw ScriptError(.value, "Sum of input lengths does not equal the length of the input dataset!")
            }
            return lengths
        }
        let fractions = try given.map { try Convert.double($0, "random_split() fraction") }
        guard fractions.allSatisfy({ (0...1).contains($0) }), abs(fractions.reduce(0, +) - 1) < 1e-9 else {
            throw ScriptError(.value, "Sum of input lengths does not equal the length of the input dataset!")
        }
        var lengths = fractions.map { Int((Double(n) * $0).rounded(.down)) }
        let remainder = n - lengths.reduce(0, +)
        for i in 0..<remainder { lengths[i % lengths.count] += 1 }
        return lengths
    }
}
