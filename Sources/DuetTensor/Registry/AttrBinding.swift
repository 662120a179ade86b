/// Validating attrs against an op's signature. Every path that runs an op binds first, so kernels,
/// shape rules, references, backward rules and cost models only ever see bound attrs.
extension OpDef {
    /// Checks attrs given positionally (`Attrs([.int(dim)])`): right count (left-out trailing ones
    /// take their defaults), each of its declared type after PyTorch's coercions, None only where
    /// optional. Attrs already bound to this op, or none for an op that declares none, pass
    /// untouched; values that already fit exactly are kept without copying.
    @inline(__always)
    public func bind(_ attrs: Attrs) throws -> Attrs {
        if attrs.signature === attrSignature { return attrs }
        if attrs.values.isEmpty && self.attrs.isEmpty { return attrs }
        if attrSignature.conforms(attrs.values) { return Attrs(values: attrs.values, signature: attrSignature) }
        return try attrSignature.bind(attrs.values, typeName: { $1.typeName })
    }

    /// Binds the language's arguments: position i is `attrs[i]`, nil means not given (its default
    /// is used) and `AttrValue.none` an explicit None (beware: a bare `.none` in an `[AttrValue?]`
    /// literal is nil). The language passes `typeName` so an error names the type as its user wrote it
    /// ("argument 'value' must be double, not str"); by default the value's Python type is named.
    public func bindAttrs(_ given: [AttrValue?], typeName: (_ index: Int, _ value: AttrValue) -> String = { $1.typeName }) throws -> Attrs {
        try attrSignature.bind(given, typeName: typeName)
    }
}
