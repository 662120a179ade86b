import DuetTensor
import DuetNN

/// A DataLoader over what the engine's loader cannot batch by itself: Dataset and IterableDataset
/// subclasses, any object with `__getitem__`/`__len__`, a `sampler` or `batch_sampler`, a
/// `collate_fn`. Items are script values; batches are what `collate_fn` (default: PyTorch's
/// `default_collate`) makes of them. Shuffled orders come from the seed and the epoch, as in
/// the engine's loader.
final class ScriptDataLoader: ScriptObject {
    let dataset: Value
    let batchSize: Int?
    let shuffle: Bool
    let dropLast: Bool
    let sampler: Value?
    let batchSampler: Value?
    let collate: Value?
    let seed: Int
    let isIterable: Bool
    private var epoch = 0
    private weak var interp: Interpreter?

    init(dataset: Value, batchSize: Int?, shuffle: Bool, dropLast: Bool, sampler: Value?, batchSampler: Value?, collate: Value?,
         seed: Int, _ interp: Interpreter) throws {
        if let n = batchSize, n <= 0 { throw ScriptError(.value, "batch_size should be a positive integer value, but got batch_size=\(n)") }
        if shuffle && (sampler != nil || batchSampler != nil) { throw ScriptError(.value, "sampler option is mutually exclusive with shuffle") }
        self.dataset = dataset
        self.batchSize = batchSampler == nil ? batchSize : nil
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.sampler = sampler
        self.batchSampler = batchSampler
        self.collate = collate
        self.seed = seed
        self.interp = interp
        isIterable = dataset.objectValue?.scriptClass?.isSubclass(of: interp.classes.iterableDataset) ?? false
        if isIterable && (shuffle || sampler != nil || batchSampler != nil) {
            throw ScriptError(.value, "DataLoader with IterableDataset: expected unspecified shuffle, sampler and batch_sampler options")
        }
    }

    override var typeName: String { "DataLoader" }
    override var repr: String { "<torch.utils.data.dataloader.DataLoader object>" }

    override func lengthValue() throws -> Int? {
        if let batchSampler { return try PythonBuiltins.length(batchSampler) }
        let n = try sampler.map { try PythonBuiltins.length($0) } ?? PythonBuiltins.length(dataset)
        guard let b = batchSize else { return n }
        return dropLast ? n / b : (n + b - 1) / b
    }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "dataset": dataset
        case "batch_size": batchSize.map(Value.int) ?? Value.none
        case "drop_last": .bool(dropLast)
        case "sampler": sampler ?? Value.none
        default: nil
        }
    }

    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? {
        defer { epoch += 1 }
        let fetch: ValueIterator
        if isIterable {
            fetch = try Iteration.iterator(dataset, interp)
        } else {
            fetch = ItemFetcher(dataset, try indices(interp), interp)
        }
        return BatchIterator(fetch, batchSize: batchSize, dropLast: dropLast, collate: collate, batched: batchSampler != nil, interp)
    }

    /// The order of one epoch: index batches from `batch_sampler`, or single indices.
    private func indices(_ interp: Interpreter) throws -> ValueIterator {
        if let batchSampler { return try Iteration.iterator(batchSampler, interp) }
        if let sampler { return try Iteration.iterator(sampler, interp) }
        let n = try PythonBuiltins.length(dataset)
        let order = shuffle ? DataLoader.shuffledOrder(count: n, seed: seed, epoch: epoch) : Array(0..<n)
        return ArrayIterator(order.map(Value.int))
    }

    /// The batches for `fit`: collated values that are lists or tuples of tensors.
    func trainingBatches(_ interp: Interpreter) throws -> () throws -> [Tensor]? {
        guard let it = try makeIterator(interp) else { return { nil } }
        return {
            guard let batch = try it.next() else { return nil }
            let items: [Value]
            switch batch {
            case .list(let l): items = l.items
            case .tuple(let t): items = t
            default: throw ScriptError(.type, "fit(): a batch must be (inputs, targets), not \(batch.typeName)")
            }
            return try items.map { try Convert.tensor($0, "fit() batch item") }
        }
    }
}

/// `dataset[i]` for each index (or each list of indices, from a batch sampler).
private final class ItemFetcher: ValueIterator {
    let dataset: Value
    let order: ValueIterator
    let interp: Interpreter
    init(_ dataset: Value, _ order: ValueIterator, _ interp: Interpreter) {
        self.dataset = dataset
        self.order = order
        self.interp = interp
    }
    override func next() throws -> Value? {
        guard let i = try order.next() else { return nil }
        if case .list(let batch) = i { return .list(ListObject(try batch.items.map { try Subscript.get(dataset, $0, interp) })) }
        return try Subscript.get(dataset, i, interp)
    }
}

/// Groups items into batches of `batchSize` and collates each.
private final class BatchIterator: ValueIterator {
    let source: ValueIterator
    let batchSize: Int?
    let dropLast: Bool
    let collate: Value?
    /// The source already yields whole batches (a batch sampler's).
    let batched: Bool
    let interp: Interpreter
    init(_ source: ValueIterator, batchSize: Int?, dropLast: Bool, collate: Value?, batched: Bool, _ interp: Interpreter) {
        self.source = source
        self.batchSize = batchSize
        self.dropLast = dropLast
        self.collate = collate
        self.batched = batched
        self.interp = interp
    }
    override func next() throws -> Value? {
        var items: [Value] = []
        if batched {
            guard case .list(let l)? = try source.next() else { return nil }
            items = l.items
        } else if let size = batchSize {
            while items.count < size, let item = try source.next() {
                try interp.checkpoint()
                items.append(item)
            }
            if items.isEmpty || (dropLast && items.count < size) { return nil }
        } else {
            guard let item = try source.next() else { return nil }
            return try collate.map { try interp.callValue($0, Arguments([item])) } ?? item
        }
        if let collate { return try interp.callValue(collate, Arguments([.list(ListObject(items))])) }
        return try Collate.default(items, interp)
    }
}

/// PyTorch's `default_collate`: tensors stacked, Python numbers made tensors (ints int64,
/// floats float64, bools bool), strings kept as a list, sequences and dicts collated field by field.
enum Collate {
    static func `default`(_ items: [Value], _ interp: Interpreter) throws -> Value {
        guard let first = items.first else { return .list(ListObject([])) }
        switch first {
        case .tensor:
            return .tensor(try Tensor.stack(try items.map { try Convert.tensor($0, "default_collate item") }))
        case .bool:
            return .tensor(try Tensor(try items.map { try Convert.bool($0, "default_collate item") ? 1.0 : 0.0 }, shape: [items.count], dtype: .bool))
        case .int:
            return .tensor(try Tensor(try items.map { Double(try Convert.int($0, "default_collate item")) }, shape: [items.count], dtype: .int64))
        case .float:
            return .tensor(try Tensor(try items.map { try Convert.double($0, "default_collate item") }, shape: [items.count], dtype: .float64))
        case .tuple, .list:
            let columns = try items.map { try Iteration.collect($0, interp) }
            let width = columns[0].count
            guard columns.allSatisfy({ $0.count == width }) else { throw ScriptError(.runtime, "each element in list of batch should be of equal size") }
            return .list(ListObject(try (0..<width).map { c in try Collate.default(columns.map { $0[c] }, interp) }))
        case .dict(let d):
            let out = DictObject()
            for key in d.keys {
                try out.set(key, try Collate.default(try items.map { item in
                    guard case .dict(let e) = item, let v = try e.get(key) else { throw ScriptError(.key, Repr.repr(key)) }
                    return v
                }, interp))
            }
            return .dict(out)
        default:
            return .list(ListObject(items))
        }
    }
}
