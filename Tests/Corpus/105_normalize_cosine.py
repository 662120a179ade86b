import torch
import torch.nn.functional as F

a = torch.tensor([[3.0, 4.0], [1.0, 0.0]])
b = torch.tensor([[4.0, 3.0], [0.0, 2.0]])
print("normalize", F.normalize(a, dim=1).tolist())
print("cosine", [round(v, 5) for v in F.cosine_similarity(a, b, dim=1).tolist()])
print("pairwise", [round(v, 5) for v in F.pairwise_distance(a, b).tolist()])
