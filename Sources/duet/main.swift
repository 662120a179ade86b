import DuetTensor
do {
    manualSeed(0)
    let x = try Tensor.randn([4, 3]).requiresGrad()
    let w = try Tensor.randn([5, 3]).requiresGrad()
    let b = try Tensor.zeros([5]).requiresGrad()
    let y = try x.linear(w, b).relu()
    let t = try Tensor([0, 1, 2, 3], shape: [4], dtype: .int64)
    let loss = try Loss.crossEntropy(y, t)
    try loss.backward()
    print(try loss.item(), try w.grad!.toDoubles().prefix(5), try b.grad!.toDoubles())
    print(EngineContext.current.tape.records.map(\.op))
    let s = try x.sum(dims: [0])
    print(try s.toDoubles(), try x.toDoubles().prefix(6))
    let z = try x.softmax(dim: 1).sum(dims: [1])
    print(try z.toDoubles())
} catch { print("error:", error) }
