/// A kernel followed by an elementwise epilogue over its output, in place, while the output is
/// still in cache (a GEMM's activation or gradient mask): one launch, no buffer for the
/// intermediate. The first `producerInputs` inputs go to the producer; the rest follow its
/// output as the epilogue's inputs.
public struct EpilogueKernel: Sendable {
    public let producer: @Sendable (KernelArgs) throws -> Void
    public let producerInputs: Int
    public let producerAttrs: Attrs
    /// Its only output must be its last member, so it can write over what it reads.
    public let epilogue: FusedElementwise

    public init(producer: @escaping @Sendable (KernelArgs) throws -> Void, producerInputs: Int, producerAttrs: Attrs,
                epilogue: FusedElementwise) throws {
        guard epilogue.outputMembers == [epilogue.members.count - 1] else {
            throw TensorError.value("epilogue: must have one output, its last member, to run in place")
        }
        self.producer = producer
        self.producerInputs = producerInputs
        self.producerAttrs = producerAttrs
        self.epilogue = epilogue
    }

    public func run(_ inputs: [Tensor], _ outputs: [Tensor]) throws {
        guard let out = outputs.first, inputs.count >= producerInputs else {
            throw TensorError.value("epilogue: expected \(producerInputs) producer inputs and an output")
        }
        try producer(KernelArgs(inputs: Array(inputs[..<producerInputs]), outputs: [out], attrs: producerAttrs))
        try epilogue.run([out] + inputs[producerInputs...], [out])
    }
}
