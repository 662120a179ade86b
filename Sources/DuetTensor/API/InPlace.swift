/// In-place variants: the same registry entries run through the in-place dispatcher, which writes
/// into `self`, bumps its version, and records the op on the tape.
extension Tensor {
    @discardableResult public func add_(_ o: Tensor) throws -> Tensor { try Dispatch.inPlace(Ops.add, [self, o]) }
    @discardableResult public func sub_(_ o: Tensor) throws -> Tensor { try Dispatch.inPlace(Ops.sub, [self, o]) }
    @discardableResult public func mul_(_ o: Tensor) throws -> Tensor { try Dispatch.inPlace(Ops.mul, [self, o]) }
    @discardableResult public func div_(_ o: Tensor) throws -> Tensor { try Dispatch.inPlace(Ops.div, [self, o]) }
    @discardableResult public func add_(_ v: Double) throws -> Tensor { try add_(.scalar(v)) }
    @discardableResult public func mul_(_ v: Double) throws -> Tensor { try mul_(.scalar(v)) }
    @discardableResult public func clamp_(min: Double? = nil, max: Double? = nil) throws -> Tensor {
        try Dispatch.inPlace(Ops.clamp, [self], Attrs([min.map(AttrValue.double) ?? .none, max.map(AttrValue.double) ?? .none]))
    }
    /// Writes `src` (broadcast and cast) into self.
    @discardableResult public func copy_(_ src: Tensor) throws -> Tensor { try Dispatch.inPlace(Ops.copy, [self, src]) }
    @discardableResult public func fill_(_ v: Double) throws -> Tensor { try copy_(.scalar(v)) }
    @discardableResult public func zero_() throws -> Tensor { try fill_(0) }
}
