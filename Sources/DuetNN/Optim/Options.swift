/// Building an optimizer's defaults from its Swift arguments.
enum Options {
    /// `defaults` in their order, with the values in `overrides` replacing theirs.
    static func merge(_ defaults: [(key: String, value: OptimOption)], _ overrides: [String: OptimOption]) -> [(key: String, value: OptimOption)] {
        defaults.map { ($0.key, overrides[$0.key] ?? $0.value) }
    }
}
