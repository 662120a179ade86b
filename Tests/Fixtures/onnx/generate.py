"""Writes the ONNX models Duet's import tests run (run once, output committed):

    /path/to/venv-with-torch-and-onnx/bin/python Tests/Fixtures/onnx/generate.py

* NAME.onnx: models exported by PyTorch's TorchScript exporter (dynamo=False), at opset 17 and
  at older opsets, and single-op models built with onnx.helper at the opsets where each op's
  semantics changed (attributes that became inputs, Softmax's 2-D flattening before 13).
* NAME.inputs.npz: one array per graph input, by input name.

The expected outputs are not stored: the tests compute them with onnxruntime in CI.
"""
import os
import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(0)


def save_inputs(name, inputs):
    np.savez(os.path.join(HERE, name + ".inputs.npz"), **inputs)


def torch_models():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(0)

    class Block(nn.Module):
        """A class-based model: residual, LayerNorm, GELU, attention-like softmax, shape arithmetic."""
        def __init__(self):
            super().__init__()
            self.proj = nn.Linear(8, 16)
            self.norm = nn.LayerNorm(16)
            self.out = nn.Linear(16, 8)
            self.drop = nn.Dropout(0.1)

        def forward(self, x):
            b, t, d = x.shape
            h = F.gelu(self.norm(self.proj(x)))
            q, k = h.split(8, dim=-1)
            att = torch.softmax(q @ k.transpose(1, 2) / (8 ** 0.5), dim=-1)
            y = self.out(self.drop(torch.cat([att @ q, att @ k], dim=-1)))
            y = torch.where(y > 0, y, y * 0.5) + x
            return y.reshape(b, -1).pow(2).mean(dim=1, keepdim=True).sqrt(), y.view(b * t, d)

    class Embed(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(20, 6)
            self.fc = nn.Linear(6 * 5, 3)

        def forward(self, ids):
            return self.fc(self.emb(ids).flatten(1))

    class Zoo(nn.Module):
        """Ops the TorchScript exporter writes for less common layers."""
        def __init__(self):
            super().__init__()
            self.up = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1)
            self.inorm = nn.InstanceNorm2d(4, affine=True)
            self.prelu = nn.PReLU(4)

        def forward(self, x):
            h = self.prelu(self.inorm(self.up(x)))
            h = F.leaky_relu(h, 0.2) + F.elu(h) + F.selu(h) + F.softplus(h)
            h = F.pad(h.clamp(-2.0, 3.0), (1, 2, 0, 1))
            return F.adaptive_avg_pool2d(h, 1).flatten(1).repeat(1, 2), h.amax(dim=(2, 3))

    mlp = nn.Sequential(nn.Linear(20, 16), nn.ReLU(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 4), nn.Softmax(dim=1))
    cnn = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 8, 3), nn.Sigmoid(), nn.AvgPool2d(2), nn.Flatten(), nn.Linear(8 * 2 * 2, 5), nn.LogSoftmax(dim=1))
    with torch.no_grad():  # BatchNorm statistics that are not the defaults
        bn = cnn[1]
        bn.running_mean.copy_(torch.randn(4) * 0.1)
        bn.running_var.copy_(torch.rand(4) + 0.5)
    models = [
        ("torch_mlp", mlp, (torch.randn(3, 20),), 17),
        ("torch_mlp_opset9", mlp, (torch.randn(3, 20),), 9),
        ("torch_cnn", cnn, (torch.randn(2, 1, 12, 12),), 17),
        ("torch_cnn_opset11", cnn, (torch.randn(2, 1, 12, 12),), 11),
        ("torch_block", Block(), (torch.randn(2, 5, 8),), 17),
        ("torch_block_opset13", Block(), (torch.randn(2, 5, 8),), 13),
        ("torch_embed", Embed(), (torch.randint(0, 20, (4, 5)),), 17),
        ("torch_zoo", Zoo(), (torch.randn(2, 3, 5, 5),), 17),
    ]
    for name, model, args, opset in models:
        model.eval()
        path = os.path.join(HERE, name + ".onnx")
        inputs = ["x"]
        torch.onnx.export(model, args, path, input_names=inputs, opset_version=opset, dynamo=False,
                          dynamic_axes={"x": {0: "batch"}})
        save_inputs(name, {"x": args[0].numpy()})


def op_model(name, opset, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info(n, TensorProto.FLOAT, a.shape) for n, a in inputs],
                              [helper.make_tensor_value_info(o, TensorProto.FLOAT, None) for o in outputs],
                              initializer=[numpy_helper.from_array(v, k) for k, v in initializers])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 7 if opset < 15 else 8
    onnx.save(model, os.path.join(HERE, name + ".onnx"))
    save_inputs(name, dict(inputs))


def randn(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def i64(*values):
    return np.array(values, dtype=np.int64)


def op_models():
    x3 = randn(2, 3, 4)
    op_model("op_softmax_opset11", 11, [helper.make_node("Softmax", ["x"], ["y"], axis=1)], [("x", x3)], ["y"])
    op_model("op_logsoftmax_opset13", 13, [helper.make_node("LogSoftmax", ["x"], ["y"], axis=1)], [("x", x3)], ["y"])
    op_model("op_squeeze_opset11", 11, [helper.make_node("Unsqueeze", ["x"], ["u"], axes=[0, 3]),
                                        helper.make_node("Squeeze", ["u"], ["y"], axes=[0])], [("x", x3)], ["y"])
    op_model("op_squeeze_opset13", 13, [helper.make_node("Unsqueeze", ["x", "a"], ["u"]),
                                        helper.make_node("Squeeze", ["u", "b"], ["y"])], [("x", x3)], ["y"],
             [("a", i64(0, 3)), ("b", i64(0))])
    op_model("op_slice_opset9", 9, [helper.make_node("Slice", ["x"], ["y"], starts=[1, -3], ends=[100, 3], axes=[1, 2])], [("x", x3)], ["y"])
    op_model("op_slice_opset13", 13, [helper.make_node("Slice", ["x", "s", "e", "a", "st"], ["y"])], [("x", x3)], ["y"],
             [("s", i64(0, 1)), ("e", i64(3, 4)), ("a", i64(1, 2)), ("st", i64(2, 2))])
    op_model("op_clip_opset6", 6, [helper.make_node("Clip", ["x"], ["y"], min=-0.5, max=0.7)], [("x", x3)], ["y"])
    op_model("op_clip_opset13", 13, [helper.make_node("Clip", ["x", "lo", ""], ["y"])], [("x", x3)], ["y"],
             [("lo", np.array(-0.25, dtype=np.float32))])
    op_model("op_reducesum_opset11", 11, [helper.make_node("ReduceSum", ["x"], ["y"], axes=[1], keepdims=0)], [("x", x3)], ["y"])
    op_model("op_reducesum_opset13", 13, [helper.make_node("ReduceSum", ["x", "a"], ["y"], keepdims=1)], [("x", x3)], ["y"], [("a", i64(-1))])
    op_model("op_reducemean_max_min", 13, [helper.make_node("ReduceMean", ["x"], ["m"], axes=[2]),
                                           helper.make_node("ReduceMax", ["x"], ["a"], axes=[2]),
                                           helper.make_node("ReduceMin", ["x"], ["b"], axes=[2], keepdims=1),
                                           helper.make_node("Sum", ["m", "a", "b"], ["s"]),
                                           helper.make_node("Max", ["m", "a"], ["mx"]),
                                           helper.make_node("Min", ["m", "b", "a"], ["mn"]),
                                           helper.make_node("Mean", ["s", "mx", "mn"], ["y"])], [("x", x3)], ["y"])
    op_model("op_split_opset11", 11, [helper.make_node("Split", ["x"], ["a", "b"], axis=2, split=[1, 3]),
                                      helper.make_node("Mul", ["a", "b"], ["y"])], [("x", x3)], ["y"])
    op_model("op_split_opset13", 13, [helper.make_node("Split", ["x", "s"], ["a", "b"], axis=2),
                                      helper.make_node("Concat", ["b", "a"], ["y"], axis=2)], [("x", x3)], ["y"], [("s", i64(3, 1))])
    op_model("op_pad_opset10", 10, [helper.make_node("Pad", ["x"], ["y"], pads=[0, 1, 2, 0, 0, 1], value=1.5)], [("x", x3)], ["y"])
    op_model("op_pad_opset13", 13, [helper.make_node("Pad", ["x", "p", "v"], ["y"])], [("x", x3)], ["y"],
             [("p", i64(0, 0, 1, 0, 2, 0)), ("v", np.array(-1.0, dtype=np.float32))])
    img = randn(2, 3, 7, 7)
    w = randn(4, 3, 3, 3)
    op_model("op_conv_same_upper", 11, [helper.make_node("Conv", ["x", "w"], ["y"], auto_pad="SAME_UPPER", strides=[2, 2])],
             [("x", img)], ["y"], [("w", w)])
    op_model("op_conv_asymmetric", 11, [helper.make_node("Conv", ["x", "w", "b"], ["y"], pads=[0, 1, 2, 1], dilations=[1, 2])],
             [("x", img)], ["y"], [("w", w), ("b", randn(4))])
    op_model("op_avgpool_exclude_pad", 11, [helper.make_node("AveragePool", ["x"], ["y"], kernel_shape=[3, 3], pads=[1, 1, 1, 1], strides=[2, 2])],
             [("x", img)], ["y"])
    op_model("op_maxpool_asymmetric", 11, [helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 3], pads=[0, 1, 1, 0])],
             [("x", img)], ["y"])
    op_model("op_global_pools", 11, [helper.make_node("GlobalAveragePool", ["x"], ["a"]), helper.make_node("GlobalMaxPool", ["x"], ["b"]),
                                     helper.make_node("Sub", ["a", "b"], ["y"])], [("x", img)], ["y"])
    a = randn(3, 4)
    op_model("op_gemm_transposed", 11, [helper.make_node("Gemm", ["a", "b", "c"], ["y"], transA=1, alpha=0.5, beta=2.0)],
             [("a", randn(4, 3))], ["y"], [("b", randn(4, 5)), ("c", randn(5))])
    op_model("op_shape_arithmetic", 13, [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["n"], axis=0),
        helper.make_node("Unsqueeze", ["n", "zero1"], ["n1"]),
        helper.make_node("Concat", ["n1", "minus1"], ["shape"], axis=0),
        helper.make_node("Reshape", ["x", "shape"], ["flat"]),
        helper.make_node("ConstantOfShape", ["s2"], ["ones"], value=numpy_helper.from_array(np.array([2.0], dtype=np.float32))),
        helper.make_node("Range", ["r0", "r1", "r2"], ["r"]),
        helper.make_node("Cast", ["r"], ["rf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["flat", "rf"], ["scaled"]),
        helper.make_node("Expand", ["ones", "s3"], ["big"]),
        helper.make_node("Tile", ["scaled", "reps"], ["tiled"]),
        helper.make_node("Add", ["tiled", "big"], ["y"]),
    ], [("x", x3)], ["y"], [("zero", np.array(0, dtype=np.int64)), ("zero1", i64(0)), ("minus1", i64(-1)), ("s2", i64(1, 24)),
                            ("r0", np.array(0, dtype=np.int64)), ("r1", np.array(12, dtype=np.int64)), ("r2", np.array(1, dtype=np.int64)),
                            ("s3", i64(2, 24)), ("reps", i64(1, 2))])
    op_model("op_where_equal_cast", 13, [
        helper.make_node("Greater", ["x", "zero"], ["pos"]),
        helper.make_node("Cast", ["pos"], ["posf"], to=TensorProto.FLOAT),
        helper.make_node("Equal", ["posf", "one"], ["same"]),
        helper.make_node("Neg", ["x"], ["negx"]),
        helper.make_node("Where", ["same", "x", "negx"], ["abs1"]),
        helper.make_node("Abs", ["x"], ["abs2"]),
        helper.make_node("Sub", ["abs1", "abs2"], ["d"]),
        helper.make_node("Exp", ["d"], ["y"]),
    ], [("x", x3)], ["y"], [("zero", np.array(0, dtype=np.float32)), ("one", np.array(1, dtype=np.float32))])
    op_model("op_gather_elements_negative", 13, [
        helper.make_node("Gather", ["x", "idx"], ["g"], axis=1),
        helper.make_node("GatherElements", ["g", "idx2"], ["y"], axis=2),
    ], [("x", x3)], ["y"], [("idx", np.array([[-1, 0], [1, 2]], dtype=np.int64)), ("idx2", np.zeros((2, 2, 2, 1), dtype=np.int64))])


if __name__ == "__main__":
    op_models()
    torch_models()
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".onnx"):
            print(f, os.path.getsize(os.path.join(HERE, f)), "bytes")
