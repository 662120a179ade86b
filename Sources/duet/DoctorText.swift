/// Builds the doctor's report: titled sections of "label  value" lines.
struct DoctorText {
    private(set) var text = "Duet doctor\n"
    private let labelWidth = 14

    mutating func section(_ title: String) {
        text += "\n\(title)\n"
    }

    mutating func line(_ label: String, _ value: String) {
        let padding = String(repeating: " ", count: max(1, labelWidth - label.count))
        text += "  \(label)\(padding)\(value)\n"
    }

    mutating func bullet(_ item: String) {
        text += "  ! \(item)\n"
    }
}
