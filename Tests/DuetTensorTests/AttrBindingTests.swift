import Testing
@testable import DuetTensor

/// Attrs are checked against the op's declared signature on every path that runs an op, and read
/// by name: a missing, mistyped, extra or None value, or a read of a name the op does not
/// declare, is a thrown error naming the op and argument, never a silent 0.
@Suite struct AttrBindingTests {
    private func expectError(_ expected: String, sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Any) {
        do {
            _ = try body()
            Issue.record("expected the error \"\(expected)\", but nothing was thrown", sourceLocation: sourceLocation)
        } catch {
            #expect(error as? TensorError == .value(expected), sourceLocation: sourceLocation)
        }
    }

    private func matrix() throws -> Tensor { try Tensor([1, 2, 3, 4, 5, 6], shape: [2, 3]) }

    // MARK: - Dispatch validates

    @Test func missingRequiredAttr() throws {
        let x = try matrix(), index = try Tensor([0, 1], shape: [2, 1], dtype: .int64)
        expectError("gather() missing required argument 'dim'") { try Dispatch.call(Ops.gather, [x, index], Attrs()) }
        expectError("pad() missing required argument 'pad'") { try Dispatch.call(Ops.pad, [x]) }
    }

    @Test func wrongTypedAttr() throws {
        let x = try matrix()
        expectError("sum(): argument 'dim' must be ints, not torch.dtype") { try Dispatch.call(Ops.sum, [x], Attrs([.dtype(.float32)])) }
        expectError("softmax(): argument 'dim' must be int, not float") { try Dispatch.call(Ops.softmax, [x], Attrs([.double(1.5)])) }
        expectError("to(): argument 'dtype' must be dtype, not int") { try Dispatch.call(Ops.to, [x], Attrs([.int(0)])) }
    }

    @Test func tooManyAttrs() throws {
        let x = try matrix()
        expectError("softmax() takes 1 non-tensor argument (dim) but 2 were given") {
            try Dispatch.call(Ops.softmax, [x], Attrs([.int(1), .int(0)]))
        }
        expectError("relu() takes no non-tensor arguments but 1 was given") { try Dispatch.call(Ops.relu, [x], Attrs([.int(1)])) }
    }

    @Test func noneForANonOptionalAttr() throws {
        let x = try matrix()
        expectError("softmax(): argument 'dim' must not be None") { try Dispatch.call(Ops.softmax, [x], Attrs([.none])) }
        expectError("sum(): argument 'keepdim' must not be None") { try Dispatch.call(Ops.sum, [x], Attrs([.none, .none])) }
    }

    @Test func inPlaceCallsValidate() throws {
        let x = try matrix()
        expectError("clamp(): argument 'min' must be double, not tuple") { try Dispatch.inPlace(Ops.clamp, [x], Attrs([.ints([0])])) }
        #expect(try x.toDoubles() == [1, 2, 3, 4, 5, 6])
    }

    /// The handlers are public entry points of their own and check too.
    @Test func handlersValidateWhenCalledDirectly() throws {
        let x = try matrix()
        expectError("softmax(): argument 'dim' must not be None") { try EagerHandler.shared.call(Ops.softmax, [x], Attrs([.none])) }
        expectError("clamp() takes 2 non-tensor arguments (min, max) but 3 were given") {
            try EagerHandler.shared.callInPlace(Ops.clamp, [x], Attrs([.double(0), .double(1), .double(2)]))
        }
        let tracer = TracingHandler(recorder: NullRecorder())
        expectError("gather() missing required argument 'dim'") { try tracer.call(Ops.gather, [x, x], Attrs()) }
        expectError("masked_fill(): argument 'value' must be double, not tuple") {
            try tracer.callInPlace(Ops.maskedFill, [x, x], Attrs([.ints([1])]))
        }
    }

    @Test func defaultsAndCoercionsAreApplied() throws {
        let x = try matrix()
        // keepdim defaults to False; one int stands for a list of dims.
        #expect(try Dispatch.call1(Ops.sum, [x], Attrs([.int(1)])).toDoubles() == [6, 15])
        // An int where a double is wanted, and a bool where an int is.
        #expect(try Dispatch.call1(Ops.clamp, [x], Attrs([.int(2), .int(4)])).toDoubles() == [2, 2, 3, 4, 4, 4])
        #expect(try Dispatch.call1(Ops.softmax, [x], Attrs([.bool(true)])).shape == [2, 3])
        let bound = try Ops.slice.bind(Attrs([.int(1)]))
        #expect(bound.values == [.int(1), .int(0), .int(Int.max), .int(1)])
    }

    /// Attrs bound for one op are checked again for another: binding is per signature.
    @Test func attrsBoundForAnotherOpAreRevalidated() throws {
        let x = try matrix()
        let forTo = try Ops.to.bind(Attrs([.dtype(.float64)]))
        expectError("sum(): argument 'dim' must be ints, not torch.dtype") { try Dispatch.call(Ops.sum, [x], forTo) }
    }

    @Test func equalityComparesValuesOnly() throws {
        let bound = try Ops.sum.bind(Attrs([.none, .bool(false)]))
        #expect(bound == Attrs([.none, .bool(false)]))
        #expect(bound != Attrs([.none, .bool(true)]))
    }

    // MARK: - Reads by name

    @Test func accessorsReadByName() throws {
        let a = try Ops.slice.bind(Attrs([.int(1), .int(2), .int(5), .int(2)]))
        #expect(try a.int("dim") == 1 && a.int("start") == 2 && a.int("end") == 5 && a.int("step") == 2)
        let s = try Ops.sum.bind(Attrs([.none, .bool(true)]))
        #expect(try s.optionalInts("dim") == nil && s.bool("keepdim"))
        let c = try Ops.clamp.bind(Attrs([.none, .int(3)]))
        #expect(try c.optionalDouble("min") == nil && c.optionalDouble("max") == 3)
        #expect(try Ops.to.bind(Attrs([.dtype(.int64)])).dtype("dtype") == .int64)
    }

    @Test func readingAnUndeclaredNameThrows() throws {
        let a = try Ops.sum.bind(Attrs([.ints([0]), .bool(false)]))
        expectError("sum(): no argument named 'dims' (declared: dim, keepdim)") { try a.ints("dims") }
        expectError("relu(): no argument named 'dim' (declared: none)") { try Ops.relu.bindAttrs([]).int("dim") }
    }

    @Test func readingAnotherTypeThrows() throws {
        let a = try Ops.sum.bind(Attrs([.none, .bool(false)]))
        expectError("sum(): argument 'keepdim' holds False (bool), read as int") { try a.int("keepdim") }
        expectError("sum(): argument 'dim' holds None (NoneType), read as ints") { try a.ints("dim") }
    }

    @Test func readingUnboundAttrsThrows() {
        expectError("attribute 'dim' read from attrs not bound to an op (dispatch binds them; OpDef.bind does it directly)") {
            try Attrs([.int(1)]).int("dim")
        }
    }

    /// A kernel or cost model reading a name its op does not declare fails the call (or the
    /// profiled call) instead of computing with 0.
    @Test func undeclaredReadsInKernelsAndCostsSurface() throws {
        let x = try matrix()
        let kernelReadsWrongName = probe(kernel: { args in
            _ = try args.attrs.double("factor")
            try Kernels.copy(from: args.inputs[0], into: args.outputs[0])
        }, cost: { _, _, _ in Cost(flops: 0, bytesRead: 0, bytesWritten: 0) })
        expectError("probe(): no argument named 'factor' (declared: scale)") { try Dispatch.call(kernelReadsWrongName, [x]) }

        let costReadsWrongName = probe(kernel: { args in try Kernels.copy(from: args.inputs[0], into: args.outputs[0]) },
                                       cost: { _, _, attrs in Cost(flops: Int(try attrs.double("factor")), bytesRead: 0, bytesWritten: 0) })
        #expect(try Dispatch.call1(costReadsWrongName, [x]).toDoubles() == [1, 2, 3, 4, 5, 6])
        expectError("probe(): no argument named 'factor' (declared: scale)") { try profile { try Dispatch.call(costReadsWrongName, [x]) } }
    }

    private func probe(kernel: @escaping @Sendable (KernelArgs) throws -> Void,
                       cost: @escaping @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost) -> OpDef {
        OpDef(name: "probe", doc: "A copy for tests.", inputs: [InputParam("input")],
              attrs: [AttrParam("scale", .double, default: .double(1))], fusion: .opaque,
              infer: { metas, _ in [metas[0]] }, kernel: .compute(kernel), reference: { ins, _ in [ins[0]] },
              backward: .notDifferentiable, cost: cost, samples: [])
    }

    // MARK: - The language's binding

    @Test func bindAttrsByPosition() throws {
        #expect(try Ops.clamp.bindAttrs([nil, .int(1)]).values == [.none, .double(1)])
        #expect(try Ops.sum.bindAttrs([.int(0)]).values == [.ints([0]), .bool(false)])
        expectError("pad() missing required argument 'pad'") { try Ops.pad.bindAttrs([nil, .double(1)]) }
        expectError("masked_fill() missing required argument 'value'") { try Ops.maskedFill.bindAttrs([]) }
        expectError("masked_fill(): argument 'value' must not be None") { try Ops.maskedFill.bindAttrs([AttrValue.none]) }
        // An explicit None is `AttrValue.none`; a bare `.none` in an `[AttrValue?]` means not given.
        #expect(try Ops.clamp.bindAttrs([AttrValue.none, nil]).values == [.none, .none])
    }

    @Test func bindAttrsNamesTypesAsTheCallerSays() throws {
        expectError("masked_fill(): argument 'value' must be double, not str") {
            try Ops.maskedFill.bindAttrs([.ints([1])], typeName: { _, _ in "str" })
        }
        expectError("masked_fill(): argument 'value' must be double, not tuple") { try Ops.maskedFill.bindAttrs([.ints([1])]) }
        expectError("one_hot() takes 1 non-tensor argument (num_classes) but 2 were given") { try Ops.oneHot.bindAttrs([.int(3), .int(4)]) }
    }
}

private final class NullRecorder: TraceRecorder {
    func record(_ op: OpDef, inputs: [Tensor], attrs: Attrs, outputs: [Tensor], inPlace: Bool) throws {}
}
