import torch

w = torch.ones(2, requires_grad=True)
with torch.set_grad_enabled(False):
    print("set_grad_enabled", (w * 2).requires_grad)
with torch.inference_mode():
    print("inference_mode", (w * 2).requires_grad)
with torch.no_grad():
    with torch.enable_grad():
        print("enable_grad", (w * 2).requires_grad)
