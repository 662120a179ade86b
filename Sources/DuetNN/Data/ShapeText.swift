/// A shape as the engine's messages print it (`[3,4]`), so data and file errors read the same way.
func shapeText(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ",") + "]"
}
