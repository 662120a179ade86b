import torch

x = torch.tensor([0.5, 1.0, 2.0, 4.0])
print("exp", [round(v, 5) for v in torch.exp(x).tolist()])
print("log", [round(v, 5) for v in x.log().tolist()])
print("sqrt", x.sqrt().tolist())
print("pow", (x ** 2).tolist(), x.pow(0.5).tolist())
print("tanh", [round(v, 5) for v in x.tanh().tolist()])
print("sigmoid", [round(v, 5) for v in torch.sigmoid(x).tolist()])
print("neg_abs", (-x).abs().tolist())
print("rsqrt", x.rsqrt().tolist())
print("sign", torch.tensor([-3.0, 0.0, 2.0]).sign().tolist())
print("div", (x / 4).tolist(), (x // 1.5).tolist())
print("remainder", (torch.tensor([5, 7, 9]) % 4).tolist())
