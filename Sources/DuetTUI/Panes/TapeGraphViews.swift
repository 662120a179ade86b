/// One recorded autograd node as the tape pane lists it (a copy of the engine's tape record,
/// so the pane never holds engine objects).
public struct TapeLine: Sendable, Equatable, Codable {
    public var index: Int
    public var op: String
    public var inputShapes: [[Int]]
    public var inputNeedsGrad: [Bool]
    public var outputShapes: [[Int]]
    public var savedBytes: Int

    public init(index: Int, op: String, inputShapes: [[Int]], inputNeedsGrad: [Bool], outputShapes: [[Int]], savedBytes: Int) {
        self.index = index
        self.op = op
        self.inputShapes = inputShapes
        self.inputNeedsGrad = inputNeedsGrad
        self.outputShapes = outputShapes
        self.savedBytes = savedBytes
    }
}

/// The last training step's tape.
public struct TapeView: Sendable, Equatable, Codable {
    public var lines: [TapeLine]
    /// Which step this is (backward calls so far).
    public var step: Int

    public init(lines: [TapeLine], step: Int) {
        self.lines = lines
        self.step = step
    }
}

/// A compiled function's graph, as graph mode will hand it to the pane: nodes in execution
/// order with their fused group and planned buffer offset, and each pass's one-line report.
public struct GraphView: Sendable, Equatable, Codable {
    public struct Node: Sendable, Equatable, Codable {
        public var id: Int
        public var op: String
        public var inputs: [Int]
        public var shape: [Int]
        /// The fused group (one kernel) the node belongs to, if fused.
        public var group: Int?
        /// Offset of the node's output in the planned arena, if planned there.
        public var offset: Int?
        public var bytes: Int

        public init(id: Int, op: String, inputs: [Int], shape: [Int], group: Int? = nil, offset: Int? = nil, bytes: Int) {
            self.id = id
            self.op = op
            self.inputs = inputs
            self.shape = shape
            self.group = group
            self.offset = offset
            self.bytes = bytes
        }
    }

    public var name: String
    public var nodes: [Node]
    public var arenaBytes: Int
    public var passReports: [String]

    public init(name: String, nodes: [Node], arenaBytes: Int, passReports: [String]) {
        self.name = name
        self.nodes = nodes
        self.arenaBytes = arenaBytes
        self.passReports = passReports
    }
}
