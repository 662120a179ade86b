# Half-precision storage: a model's weights kept in float16 or bfloat16 (a state_dict cast the
# way checkpoints are shrunk), inference through the functional form, compared with float32.
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.fc2 = nn.Linear(8, 3)
        with torch.no_grad():
            self.fc1.weight.copy_(torch.linspace(-1.0, 1.0, 32).reshape(8, 4))
            self.fc1.bias.fill_(0.1)
            self.fc2.weight.copy_(torch.linspace(0.5, -0.5, 24).reshape(3, 8))
            self.fc2.bias.zero_()

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))


x = torch.linspace(-2.0, 2.0, 8).reshape(2, 4)
model = MLP()
ref = model(x)
print("float32", ref.tolist())



def run(params, x):
    h = F.relu(F.linear(x, params["fc1.weight"], params["fc1.bias"]))
    return F.linear(h, params["fc2.weight"], params["fc2.bias"])


half_params = {k: v.half() for k, v in model.state_dict().items()}
print("param_dtype", half_params["fc1.weight"].dtype, half_params["fc1.weight"].element_size())
with torch.no_grad():
    out = run(half_params, x.half())
print("half_out", out.dtype, out.tolist())
print("half_err_small", (out.float() - ref).abs().max().item() < 1e-2)

bf_params = {k: v.to(torch.bfloat16) for k, v in model.state_dict().items()}
with torch.no_grad():
    out_bf = run(bf_params, x.to(torch.bfloat16))
print("bf16_out", out_bf.dtype, out_bf.tolist())
loaded = MLP()
loaded.load_state_dict({k: v.float() for k, v in half_params.items()})
print("reloaded", loaded(x).tolist())

h = torch.zeros(3, dtype=torch.half)
print("zeros_half", h)
print("scalar_keeps_half", (h + 2.5).dtype, (torch.ones(2, dtype=torch.float16) * 3).tolist())
print("mixed_promotes", (torch.ones(2, dtype=torch.float16) + torch.ones(2)).dtype)
print("half_bf16_promotes", (torch.ones(2, dtype=torch.float16) + torch.ones(2, dtype=torch.bfloat16)).dtype)
big = torch.tensor([70000.0, 1e-8])
print("half_range", big.half().tolist(), big.bfloat16().tolist())
print("printed", torch.tensor([1.0, 2.5, 1.0 / 3.0]).half())
w = torch.linspace(-1.0, 1.0, 6).reshape(2, 3).half().requires_grad_()
loss = (w.float() ** 2).sum()
loss.backward()
print("half_grad", w.grad.dtype, w.grad.tolist())
