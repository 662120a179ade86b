import torch

x = torch.tensor([[1.0, 2.0, 3.0], [1000.0, 1000.0, 1000.0]])
print("logsumexp", [round(v, 4) for v in torch.logsumexp(x, dim=1).tolist()])
print("method", round(x[0].logsumexp(dim=0).item(), 5))
print("log1p", [round(v, 6) for v in torch.tensor([0.0, 1e-3]).log1p().tolist()])
print("expm1", [round(v, 6) for v in torch.tensor([0.0, 1e-3]).expm1().tolist()])
