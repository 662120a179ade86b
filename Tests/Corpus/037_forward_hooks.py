import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
with torch.no_grad():
    for p in model.parameters():
        p.copy_(torch.linspace(-1, 1, p.numel()).reshape(p.shape))

activations = {}


def save(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
    return hook


handles = [model[i].register_forward_hook(save(f"layer{i}")) for i in range(3)]
x = torch.tensor([[1.0, 2.0]])
out = model(x)
print("keys", sorted(activations))
print("layer0", [round(v, 5) for v in activations["layer0"][0].tolist()])
print("layer1", [round(v, 5) for v in activations["layer1"][0].tolist()])
print("out", round(out.item(), 5))
for h in handles:
    h.remove()
activations.clear()
model(x)
print("after_remove", len(activations))
