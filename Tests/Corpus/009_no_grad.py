import torch

w = torch.tensor([1.0, 2.0], requires_grad=True)
with torch.no_grad():
    y = w * 2
print("inside", y.requires_grad)
z = w * 2
print("outside", z.requires_grad)
d = z.detach()
print("detached", d.requires_grad, d.tolist())
print("enabled", torch.is_grad_enabled())
with torch.no_grad():
    print("enabled_inside", torch.is_grad_enabled())
    w.add_(1.0)
print("w", w.tolist())


@torch.no_grad()
def evaluate(t):
    return (t * t).sum()


r = evaluate(w)
print("decorated", r.requires_grad, r.item())
