import torch
import torch.nn.functional as F

a = torch.tensor([[3.0, 4.0, 0.0], [0.0, 0.0, 0.0], [1.0, -2.0, 2.0]], requires_grad=True)
n = F.normalize(a, dim=1)
print("normalize", [[round(v, 5) for v in r] for r in n.tolist()])
print("normalize_p1_dim0", [[round(v, 5) for v in r] for r in F.normalize(a, p=1, dim=0).tolist()])
(n * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print("normalize_grad", [[round(v, 5) for v in r] for r in a.grad.tolist()])
b = torch.tensor([[1.0, 0.0, 0.0], [1.0, 1.0, 1.0], [-1.0, 2.0, -2.0]])
print("cosine", [round(v, 5) for v in F.cosine_similarity(a, b).tolist()])
print("cosine_dim0", [round(v, 5) for v in F.cosine_similarity(a, b, dim=0).tolist()])
print("cosine_broadcast", [round(v, 5) for v in F.cosine_similarity(a, torch.tensor([1.0, 1.0, 0.0]), dim=-1).tolist()])
print("pairwise_p1", [round(v, 5) for v in F.pairwise_distance(a, b, p=1.0).tolist()])
print("pairwise_keepdim", list(F.pairwise_distance(a, b, keepdim=True).shape))
print("pairwise_inf", [round(v, 5) for v in F.pairwise_distance(a, b, p=float("inf")).tolist()])
