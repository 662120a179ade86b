/// Comparisons and logical ops: bool results, no gradient.
extension Ops {
    private static func comparison(_ name: String, _ doc: String, loops: TypedLoops,
                                   reference: @escaping @Sendable (Double, Double) -> Bool) -> OpDef {
        OpDef(name: name, doc: doc, inputs: [InputParam("input"), InputParam("other")],
              fusion: .elementwise, promotion: .common([0, 1]),
              infer: Rules.broadcast(name, supported: Rules.all, outDType: .bool),
              kernel: Kernels.elementwise(name, loops),
              reference: RefArray.elementwise { reference($0[0], $0[1]) ? 1 : 0 },
              backward: .notDifferentiable, cost: Rules.elementwiseCost(1), samples: comparisonSamples,
              fast: FastElementwise(loops: loops, outDType: .bool))
    }

    /// Random floats, plus small integers and bools so that ties and equality really occur.
    static let comparisonSamples: [OpSample] = OpSample.elementwise([.uniform(-2, 2), .uniform(-2, 2)])
        + OpSample.elementwise([.integers(0, 3), .integers(0, 3)])
        + [OpSample([SampleInput([3, 4], .bools), SampleInput([4], .bools)])]

    /// The same comparison's loop for each dtype, writing bools.
    private static func compareLoops(_ f: @escaping @Sendable (Double, Double) -> Bool,
                                     _ i: @escaping @Sendable (Int64, Int64) -> Bool,
                                     _ s: @escaping @Sendable (Float, Float) -> Bool) -> TypedLoops {
        TypedLoops(bool: { r in map2(r) { (a: Bool, b: Bool) in i(a ? 1 : 0, b ? 1 : 0) } },
                   int64: { r in map2(r) { (a: Int64, b: Int64) in i(a, b) } },
                   float32: { r in map2(r) { (a: Float, b: Float) in s(a, b) } },
                   float64: { r in map2(r) { (a: Double, b: Double) in f(a, b) } })
    }

    public static let eq: OpDef = comparison("eq", "input == other elementwise, as bool.",
        loops: compareLoops({ $0 == $1 }, { $0 == $1 }, { $0 == $1 }), reference: { $0 == $1 })
    public static let ne: OpDef = comparison("ne", "input != other elementwise, as bool.",
        loops: compareLoops({ $0 != $1 }, { $0 != $1 }, { $0 != $1 }), reference: { $0 != $1 })
    public static let lt: OpDef = comparison("lt", "input < other elementwise, as bool.",
        loops: compareLoops({ $0 < $1 }, { $0 < $1 }, { $0 < $1 }), reference: { $0 < $1 })
    public static let le: OpDef = comparison("le", "input <= other elementwise, as bool.",
        loops: compareLoops({ $0 <= $1 }, { $0 <= $1 }, { $0 <= $1 }), reference: { $0 <= $1 })
    public static let gt: OpDef = comparison("gt", "input > other elementwise, as bool.",
        loops: compareLoops({ $0 > $1 }, { $0 > $1 }, { $0 > $1 }), reference: { $0 > $1 })
    public static let ge: OpDef = comparison("ge", "input >= other elementwise, as bool.",
        loops: compareLoops({ $0 >= $1 }, { $0 >= $1 }, { $0 >= $1 }), reference: { $0 >= $1 })

    public static let logicalAnd: OpDef = comparison("logical_and", "Both nonzero, elementwise, as bool.",
        loops: compareLoops({ $0 != 0 && $1 != 0 }, { $0 != 0 && $1 != 0 }, { $0 != 0 && $1 != 0 }),
        reference: { $0 != 0 && $1 != 0 })
    public static let logicalOr: OpDef = comparison("logical_or", "Either nonzero, elementwise, as bool.",
        loops: compareLoops({ $0 != 0 || $1 != 0 }, { $0 != 0 || $1 != 0 }, { $0 != 0 || $1 != 0 }),
        reference: { $0 != 0 || $1 != 0 })

    public static let logicalNot: OpDef = OpDef(
        name: "logical_not", doc: "True where the element is zero, as bool.", inputs: [InputParam("input")],
        fusion: .elementwise,
        infer: Rules.broadcast("logical_not", supported: Rules.all, outDType: .bool),
        kernel: Kernels.elementwise("logical_not", TypedLoops(
            bool: { map1($0) { (a: Bool) in !a } },
            int64: { map1($0) { (a: Int64) in a == 0 } },
            float32: { map1($0) { (a: Float) in a == 0 } },
            float64: { map1($0) { (a: Double) in a == 0 } })),
        reference: RefArray.elementwise { $0[0] == 0 ? 1 : 0 },
        backward: .notDifferentiable, cost: Rules.elementwiseCost(1),
        samples: [OpSample([SampleInput([3, 4], .bools)]), OpSample([SampleInput([5], .exactly([0, 1, -2, 0, 0.5]))]),
                  OpSample([SampleInput([2, 3], .integers(-1, 1))]), OpSample([SampleInput([0, 2], .bools)])])
}
