import torch

x = torch.tensor([1.0, 1.0 / 3.0, 1000.1, -2.5e-3])
h = x.half()
print("half_dtype", h.dtype, h.is_floating_point())
print("half_values", h.tolist())
b = x.bfloat16()
print("bf16_dtype", b.dtype)
print("bf16_values", b.tolist())
print("back_to_float", h.float().dtype, (h.float() * 2).tolist())
print("sum_half", h.sum().item())
