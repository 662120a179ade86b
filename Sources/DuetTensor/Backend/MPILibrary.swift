#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Open MPI, loaded with dlopen the first time a process group starts under `mpirun` (issue #18).
///
/// Not linked at build time: a build then needs no MPI headers, `make run` installs nothing for
/// it, and a single process never loads it. MPI's handles (`MPI_COMM_WORLD`, `MPI_FLOAT`,
/// `MPI_SUM`) are C macros Swift cannot import; in Open MPI they are the addresses of exported
/// globals (`ompi_mpi_comm_world`, …), which dlsym finds, and `MPI_IN_PLACE` is `(void *) 1`.
final class MPILibrary: @unchecked Sendable {
    typealias Handle = UnsafeMutableRawPointer
    private typealias InitFn = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32
    private typealias CommIntFn = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    private typealias AllreduceFn = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle) -> Int32
    private typealias AllgatherFn = @convention(c) (UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, Int32, Handle, Handle) -> Int32
    private typealias BcastFn = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle) -> Int32
    private typealias CommFn = @convention(c) (Handle) -> Int32
    private typealias VoidFn = @convention(c) () -> Int32
    private typealias AbortFn = @convention(c) (Handle, Int32) -> Int32
    private typealias IallreduceFn = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle, UnsafeMutablePointer<Request?>) -> Int32
    private typealias TestFn = @convention(c) (UnsafeMutablePointer<Request?>, UnsafeMutablePointer<Int32>, UnsafeMutableRawPointer?) -> Int32
    private typealias SendFn = @convention(c) (UnsafeRawPointer?, Int32, Handle, Int32, Int32, Handle) -> Int32
    private typealias RecvFn = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle, Int32, Int32, Handle, UnsafeMutableRawPointer?) -> Int32
    private typealias IsendFn = @convention(c) (UnsafeRawPointer?, Int32, Handle, Int32, Int32, Handle, UnsafeMutablePointer<Request?>) -> Int32
    private typealias IrecvFn = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle, Int32, Int32, Handle, UnsafeMutablePointer<Request?>) -> Int32
    private typealias IprobeFn = @convention(c) (Int32, Int32, Handle, UnsafeMutablePointer<Int32>, UnsafeMutableRawPointer?) -> Int32
    private typealias ReduceScatterFn = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle) -> Int32
    /// `MPI_Request`: in Open MPI a pointer to a request object.
    typealias Request = OpaquePointer
    /// MPI_ANY_SOURCE in Open MPI.
    static let anySource: Int32 = -1

    private let allreduceFn: AllreduceFn
    private let bcastFn: BcastFn
    private let allgatherFn: AllgatherFn
    private let barrierFn: CommFn
    private let finalizeFn: VoidFn
    private let abortFn: AbortFn
    private let iallreduceFn: IallreduceFn
    private let testFn: TestFn
    private let sendFn: SendFn
    private let recvFn: RecvFn
    private let isendFn: IsendFn
    private let irecvFn: IrecvFn
    private let iprobeFn: IprobeFn
    private let reduceScatterFn: ReduceScatterFn
    let world: Handle
    private let datatypes: [DType: Handle]
    private let ops: [ReduceOp: Handle]
    let rank: Int
    let size: Int

    /// Loaded and initialized once per process; a failure is kept and rethrown.
    static let shared = Result { try MPILibrary() }

    static let candidates = ["libmpi.so.40", "libmpi.so", "/usr/lib/x86_64-linux-gnu/libmpi.so.40", "libmpi.dylib"]

    private init() throws {
        guard let handle = Self.candidates.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_GLOBAL) }).first else {
            throw TensorError.backend("distributed: Open MPI is not installed (libmpi.so.40 not found); `make deps` installs openmpi-bin")
        }
        func address(_ name: String) throws -> Handle {
            guard let p = dlsym(handle, name) else {
                throw TensorError.backend("distributed: the loaded MPI has no \(name): Duet needs Open MPI 4")
            }
            return p
        }
        func function<F>(_ name: String, _: F.Type) throws -> F { unsafeBitCast(try address(name), to: F.self) }
        let initFn = try function("MPI_Init", InitFn.self)
        allreduceFn = try function("MPI_Allreduce", AllreduceFn.self)
        bcastFn = try function("MPI_Bcast", BcastFn.self)
        allgatherFn = try function("MPI_Allgather", AllgatherFn.self)
        barrierFn = try function("MPI_Barrier", CommFn.self)
        finalizeFn = try function("MPI_Finalize", VoidFn.self)
        abortFn = try function("MPI_Abort", AbortFn.self)
        iallreduceFn = try function("MPI_Iallreduce", IallreduceFn.self)
        testFn = try function("MPI_Test", TestFn.self)
        sendFn = try function("MPI_Send", SendFn.self)
        recvFn = try function("MPI_Recv", RecvFn.self)
        isendFn = try function("MPI_Isend", IsendFn.self)
        irecvFn = try function("MPI_Irecv", IrecvFn.self)
        iprobeFn = try function("MPI_Iprobe", IprobeFn.self)
        reduceScatterFn = try function("MPI_Reduce_scatter_block", ReduceScatterFn.self)
        world = try address("ompi_mpi_comm_world")
        datatypes = [.float32: try address("ompi_mpi_float"), .float64: try address("ompi_mpi_double"),
                     .int64: try address("ompi_mpi_int64_t")]
        ops = [.sum: try address("ompi_mpi_op_sum"), .max: try address("ompi_mpi_op_max"),
               .min: try address("ompi_mpi_op_min"), .product: try address("ompi_mpi_op_prod")]
        guard initFn(nil, nil) == 0 else { throw TensorError.backend("distributed: MPI_Init failed") }
        var r: Int32 = 0, s: Int32 = 0
        _ = try function("MPI_Comm_rank", CommIntFn.self)(world, &r)
        _ = try function("MPI_Comm_size", CommIntFn.self)(world, &s)
        rank = Int(r)
        size = Int(s)
    }

    private func datatype(_ dtype: DType, _ what: String) throws -> Handle {
        guard let d = datatypes[dtype] else { throw TensorError.dtype("\(what): tensors of dtype \(dtype) cannot be sent (float32, float64 and int64 can)") }
        return d
    }

    private static func check(_ code: Int32, _ what: String) throws {
        guard code == 0 else { throw TensorError.backend("\(what): MPI returned error \(code)") }
    }

    /// Reduces `count` elements at `buffer` across all ranks, in place.
    func allReduce(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: DType, op: ReduceOp) throws {
        guard let mpiOp = ops[op] else { throw TensorError.value("all_reduce: op \(op) has no MPI form") }
        let inPlace = UnsafeRawPointer(bitPattern: 1)
        try Self.check(allreduceFn(inPlace, buffer, try Self.count(count), try datatype(dtype, "all_reduce"), mpiOp, world), "all_reduce")
    }

    /// Sends `count` elements at `buffer` from rank `root` to every rank.
    func broadcast(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: DType, root: Int) throws {
        try Self.check(bcastFn(buffer, try Self.count(count), try datatype(dtype, "broadcast"), Int32(root), world), "broadcast")
    }

    /// Every rank's `count` elements at `send`, concatenated in rank order at `receive`.
    func allGather(_ send: UnsafeRawPointer, into receive: UnsafeMutableRawPointer, count: Int, dtype: DType) throws {
        let type = try datatype(dtype, "all_gather"), n = try Self.count(count)
        try Self.check(allgatherFn(send, n, type, receive, n, type, world), "all_gather")
    }

    /// Starts reducing `count` elements at `buffer` in place; the buffer must stay put until
    /// `test` says the request is done. Open MPI has no progress thread: it advances only
    /// inside MPI calls, so the caller polls.
    func startAllReduce(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: DType, op: ReduceOp) throws -> Request? {
        guard let mpiOp = ops[op] else { throw TensorError.value("all_reduce: op \(op) has no MPI form") }
        var request: Request?
        try Self.check(iallreduceFn(UnsafeRawPointer(bitPattern: 1), buffer, try Self.count(count), try datatype(dtype, "all_reduce"), mpiOp, world, &request), "all_reduce")
        return request
    }

    /// Whether a started request finished (MPI_Test, which also advances it).
    func test(_ request: inout Request?) throws -> Bool {
        var flag: Int32 = 0
        try Self.check(testFn(&request, &flag, nil), "distributed: MPI_Test")
        return flag != 0
    }

    /// Sends `count` elements to rank `destination`; returns when the buffer may be reused.
    func send(_ buffer: UnsafeRawPointer, count: Int, dtype: DType, to destination: Int, tag: Int32) throws {
        try Self.check(sendFn(buffer, try Self.count(count), try datatype(dtype, "send"), Int32(destination), tag, world), "send")
    }

    /// Receives `count` elements from rank `source` with `tag`.
    func receive(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: DType, from source: Int32, tag: Int32) throws {
        try Self.check(recvFn(buffer, try Self.count(count), try datatype(dtype, "recv"), source, tag, world, nil), "recv")
    }

    func startSend(_ buffer: UnsafeRawPointer, count: Int, dtype: DType, to destination: Int, tag: Int32) throws -> Request? {
        var request: Request?
        try Self.check(isendFn(buffer, try Self.count(count), try datatype(dtype, "send"), Int32(destination), tag, world, &request), "send")
        return request
    }

    func startReceive(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: DType, from source: Int, tag: Int32) throws -> Request? {
        var request: Request?
        try Self.check(irecvFn(buffer, try Self.count(count), try datatype(dtype, "recv"), Int32(source), tag, world, &request), "recv")
        return request
    }

    /// The sender, tag and size in bytes of a message from `source` (or `anySource`) with `tag`
    /// waiting to be received, if any (MPI_Iprobe, which also advances communication).
    func probe(from source: Int32, tag: Int32) throws -> (source: Int, tag: Int, bytes: Int)? {
        var flag: Int32 = 0
        var found = (source: 0, tag: 0, bytes: 0)
        try Self.withStatus { status in
            try Self.check(iprobeFn(source, tag, world, &flag, status), "distributed: MPI_Iprobe")
            found = (Int(status.load(as: Int32.self)), Int(status.load(fromByteOffset: 4, as: Int32.self)),
                     Int(truncatingIfNeeded: status.load(fromByteOffset: 16, as: UInt.self)))
        }
        return flag != 0 ? found : nil
    }

    /// Reduces `count * size` elements at `send` across ranks; rank r receives block r.
    func reduceScatter(_ send: UnsafeRawPointer, into receive: UnsafeMutableRawPointer, count: Int, dtype: DType, op: ReduceOp) throws {
        guard let mpiOp = ops[op] else { throw TensorError.value("reduce_scatter: op \(op) has no MPI form") }
        try Self.check(reduceScatterFn(send, receive, try Self.count(count), try datatype(dtype, "reduce_scatter"), mpiOp, world), "reduce_scatter")
    }

    /// An `MPI_Status` to fill: Open MPI 4's is five fields (MPI_SOURCE, MPI_TAG, MPI_ERROR,
    /// cancelled as ints, then a size_t), 24 bytes; 64 leave room.
    private static func withStatus(_ body: (UnsafeMutableRawPointer) throws -> Void) throws {
        try withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { raw in
            guard let base = raw.baseAddress else { return }
            base.initializeMemory(as: UInt8.self, repeating: 0, count: 64)
            try body(base)
        }
    }

    func barrier() throws { try Self.check(barrierFn(world), "barrier") }

    func finalize() { _ = finalizeFn() }

    /// Ends every rank of the job (mpirun kills the others), so that ranks waiting in a
    /// collective for this one do not wait forever.
    func abort(_ code: Int32) { _ = abortFn(world, code) }

    /// MPI counts are 32-bit.
    private static func count(_ n: Int) throws -> Int32 {
        guard let c = Int32(exactly: n) else { throw TensorError.value("distributed: \(n) elements exceed MPI's 32-bit count") }
        return c
    }
}
