/// A chain of elementwise registry ops run as one kernel (DESIGN.md, graph mode): the output is
/// walked in tiles small enough for L1, and each member's vectorized loop runs on the tile, so
/// intermediates live in a per-thread scratch tile and never reach main memory. Only the group's
/// inputs are read from, and only its outputs written to, full-size buffers.
public final class FusedElementwise: @unchecked Sendable {
    /// Where a member reads an operand: a group input, or an earlier member's result.
    public enum Operand: Sendable, Equatable {
        case input(Int)
        case member(Int)
    }

    public struct Member: Sendable {
        public let op: OpDef
        public let operands: [Operand]
        public init(op: OpDef, operands: [Operand]) {
            self.op = op
            self.operands = operands
        }
    }

    /// Elements per tile: a dozen float64 scratch tiles still fit in L1 and L2 comfortably.
    static let tile = 2048

    public let members: [Member]
    /// Which member's result goes to each group output.
    public let outputMembers: [Int]
    private let loops: [@Sendable (Row) -> Void]
    private let itemSizes: [Int]
    /// The scratch tile each member writes (nil: it writes its group output directly). Tiles are
    /// reused once their last reader has run, so a long chain touches a few tiles that stay in L1
    /// instead of one per member.
    private let slots: [Int?]
    private let slotCount: Int

    /// Checks every member has a loop for its operands' dtype and works out each result's dtype.
    public init(members: [Member], inputDTypes: [DType], outputMembers: [Int]) throws {
        var dtypes: [DType] = []
        var loops: [@Sendable (Row) -> Void] = []
        for (m, member) in members.enumerated() {
            guard let fast = member.op.fast, let first = member.operands.first else {
                throw TensorError.value("fused group: \(member.op.name) has no elementwise loop")
            }
            func dtype(_ o: Operand) throws -> DType {
                switch o {
                case .input(let i): guard i < inputDTypes.count else { break }; return inputDTypes[i]
                case .member(let j): guard j < m else { break }; return dtypes[j]
                }
                throw TensorError.value("fused group: member \(m) reads an operand that is not before it")
            }
            let dt = try dtype(first)
            for o in member.operands where try dtype(o) != dt {
                throw TensorError.dtype("fused group: \(member.op.name) mixes dtypes")
            }
            guard let loop = fast.loops.loop(for: dt) else { throw TensorError.dtype("fused group: \(member.op.name) has no \(dt) loop") }
            loops.append(loop)
            dtypes.append(fast.outDType ?? dt)
        }
        self.members = members
        self.outputMembers = outputMembers
        self.loops = loops
        itemSizes = dtypes.map(\.itemSize)
        var lastRead = Array(members.indices)
        for (m, member) in members.enumerated() {
            for case .member(let j) in member.operands { lastRead[j] = max(lastRead[j], m) }
        }
        var free: [Int] = [], slots: [Int?] = [], count = 0
        for m in members.indices {
            if outputMembers.contains(m) {
                slots.append(nil)
            } else if let s = free.popLast() {
                slots.append(s)
            } else {
                slots.append(count)
                count += 1
            }
            // Freed only after this member's own tile is chosen: a loop writing the tile it reads
            // falls back to scalar code (its vectorized form assumes no overlap).
            for j in 0..<m where lastRead[j] == m { if let s = slots[j] { free.append(s) } }
        }
        self.slots = slots
        slotCount = count
    }

    /// The ops whose loops a group can run.
    public static func canFuse(_ op: OpDef) -> Bool { op.fast != nil }

    /// Inputs must be contiguous with the outputs' element count, or single elements (broadcast).
    public func run(_ inputs: [Tensor], _ outputs: [Tensor]) throws {
        guard let first = outputs.first else { return }
        let n = first.count
        for t in inputs where !(t.count == 1 || (t.count == n && t.isContiguous)) {
            throw TensorError.shape("fused group: input \(t.meta) is neither contiguous with \(n) elements nor a single element")
        }
        guard n > 0 else { return }
        let inputPointers = inputs.map { $0.rawPointer.unsafelyUnwrapped }
        let inputBroadcast = inputs.map { $0.count == 1 && n > 1 }
        let inputSizes = inputs.map(\.dtype.itemSize)
        var direct = [UnsafeMutableRawPointer?](repeating: nil, count: members.count)
        for (k, m) in outputMembers.enumerated() { direct[m] = outputs[k].rawPointer }
        let tiles = (n + Self.tile - 1) / Self.tile
        let members = self.members, loops = self.loops, itemSizes = self.itemSizes, slots = self.slots
        Parallel.forEachChunk(count: tiles, grain: max(1, StridedLoop.parallelThreshold / Self.tile / 2)) { [slotCount] range in
            let scratch = UnsafeMutableRawPointer.allocate(byteCount: max(1, slotCount) * Self.tile * 8, alignment: 64)
            defer { scratch.deallocate() }
            var at = [UnsafeMutableRawPointer](repeating: scratch, count: members.count)
            for tile in range {
                let start = tile * Self.tile, count = min(Self.tile, n - start)
                for m in members.indices {
                    at[m] = direct[m].map { $0 + start * itemSizes[m] } ?? scratch + (slots[m] ?? 0) * Self.tile * 8
                    /// An operand's pointer at this tile and its stride (0 for a broadcast element).
                    func operand(_ k: Int) -> (UnsafeMutableRawPointer, Int) {
                        guard k < members[m].operands.count else { return (at[m], 0) }
                        switch members[m].operands[k] {
                        case .input(let i):
                            return inputBroadcast[i] ? (inputPointers[i], 0) : (inputPointers[i] + start * inputSizes[i], 1)
                        case .member(let j):
                            return (at[j], 1)
                        }
                    }
                    let (a, sa) = operand(0), (b, sb) = operand(1), (c, sc) = operand(2)
                    loops[m](Row(out: at[m], a: a, b: b, c: c, so: 1, sa: sa, sb: sb, sc: sc, n: count))
                }
            }
        }
    }
}
