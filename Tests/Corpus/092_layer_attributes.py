import torch.nn as nn

lin = nn.Linear(3, 5)
print("linear", lin.in_features, lin.out_features)
conv = nn.Conv2d(2, 4, kernel_size=3, stride=2, padding=1, bias=False)
print("conv_bias_none", conv.bias is None)
print("conv", conv.in_channels, conv.out_channels, conv.kernel_size, conv.stride, conv.padding)
emb = nn.Embedding(10, 3)
print("embedding", emb.num_embeddings, emb.embedding_dim)
bn = nn.BatchNorm1d(4)
print("bn", bn.num_features, bn.eps, bn.momentum)
print("num_batches_tracked", bn.num_batches_tracked.item())
ln = nn.LayerNorm(6)
print("ln", ln.normalized_shape, ln.eps)
