import DuetNN
import DuetTensor

/// `torch.utils.data.distributed.DistributedSampler`: each rank's share of a data set's indices,
/// PyTorch's way. The order (shuffled from `seed + epoch`, the same on every rank) is padded
/// with its own first indices to a multiple of the rank count, or trimmed with `drop_last`, and
/// rank r takes every num_replicas-th index from position r. The shuffle is Duet's stream, so
/// which indices a rank gets differs from PyTorch's for the same seed; the partition rules do not.
final class DistributedSamplerObject: ScriptObject {
    let count: Int, replicas: Int, rank: Int, shuffle: Bool, seed: Int
    let samplesPerRank: Int
    private var epoch = 0

    init(count: Int, replicas: Int, rank: Int, shuffle: Bool, seed: Int, dropLast: Bool) throws {
        guard replicas >= 1 else { throw ScriptError(.value, "DistributedSampler: num_replicas must be at least 1, got \(replicas)") }
        guard (0..<replicas).contains(rank) else {
            throw ScriptError(.value, "Invalid rank \(rank), rank should be in the interval [0, \(replicas - 1)]")
        }
        (self.count, self.replicas, self.rank, self.shuffle, self.seed) = (count, replicas, rank, shuffle, seed)
        samplesPerRank = dropLast && count % replicas != 0 ? (count - replicas + replicas - 1) / replicas : (count + replicas - 1) / replicas
    }

    static func register(_ ns: Namespace) {
        ns.function("DistributedSampler(dataset, num_replicas=None, rank=None, shuffle=True, seed=0, drop_last=False)",
                    "This rank's share of dataset's indices (reshuffled by set_epoch); give it to DataLoader(sampler=...).") { b, _ in
            let replicas = try b.optionalInt("num_replicas"), rank = try b.optionalInt("rank")
            let group = replicas == nil || rank == nil ? try ProcessGroup.required("DistributedSampler") : nil
            return .object(try DistributedSamplerObject(
                count: try PythonBuiltins.length(try b.value("dataset")), replicas: replicas ?? group?.worldSize ?? 1,
                rank: rank ?? group?.rank ?? 0, shuffle: try b.bool("shuffle"), seed: try b.int("seed"), dropLast: try b.bool("drop_last")))
        }
    }

    override var typeName: String { "DistributedSampler" }
    override var length: Int? { samplesPerRank }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "set_epoch":
            .object(BuiltinFunction("set_epoch(epoch)", "Reshuffles for this epoch (call it before each epoch, as PyTorch needs).") { [self] b, _ in
                epoch = try b.int("epoch")
                return .none
            })
        case "num_replicas": .int(replicas)
        case "rank": .int(rank)
        case "epoch": .int(epoch)
        case "num_samples": .int(samplesPerRank)
        case "total_size": .int(samplesPerRank * replicas)
        case "shuffle": .bool(shuffle)
        case "seed": .int(seed)
        default: nil
        }
    }

    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? {
        let order = shuffle ? DataLoader.shuffledOrder(count: count, seed: seed, epoch: epoch) : Array(0..<count)
        let total = samplesPerRank * replicas
        var padded = order
        while padded.count < total && !order.isEmpty { padded += order.prefix(total - padded.count) }
        let mine = stride(from: rank, to: total, by: replicas).map { padded[$0] }
        return ArrayIterator(mine.map(Value.int))
    }
}
