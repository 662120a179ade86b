"""PyTorch versions of the BENCHMARKS.md workloads, printing the same JSON lines as
`duet bench --json`, so the two can be run alternately and compared as ratios
(`duet bench --vs torch` does that).

Usage: python torch_bench.py [workload ...] | --serve   (needs torch; 2 threads, as BENCHMARKS.md says)
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from peer_protocol import main, median_seconds

torch.set_num_threads(2)


def sgemm1024():
    a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
    return 2 * 1024 ** 3 / median_seconds(lambda: a @ b) / 1e9


def exp16m():
    x = torch.randn(16 << 20)
    return (16 << 20) / median_seconds(lambda: torch.exp(x)) / 1e9


def add16_overhead():
    a, b = torch.randn(16), torch.randn(16)

    def loop():
        for _ in range(1000):
            a + b
    return median_seconds(loop, repeats=15) / 1000 * 1e6


def gelu4m():
    x = torch.randn(4 << 20)
    with torch.no_grad():
        return median_seconds(lambda: 0.5 * x * (1 + torch.tanh(0.7978845608 * (x + 0.044715 * x * x * x)))) * 1e3


def train_step_ms(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def step():
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return median_seconds(step, repeats=21, warmup=3) * 1e3


def mlp_train_step():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    return train_step_ms(model, torch.randn(128, 784), torch.randint(0, 10, (128,)))


def lenet_train_step():
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))
    return train_step_ms(model, torch.randn(64, 1, 28, 28), torch.randint(0, 10, (64,)))


WORKLOADS = {
    "sgemm1024": ("engine", "GFLOP/s", sgemm1024),
    "exp16M": ("engine", "Gelem/s", exp16m),
    "add16_overhead": ("script", "µs/op", add16_overhead),
    "gelu4M": ("eager", "ms", gelu4m),
    "mlp_train_step": ("eager", "ms", mlp_train_step),
    "lenet_train_step": ("eager", "ms", lenet_train_step),
}

if __name__ == "__main__":
    main("pytorch", torch.__version__, WORKLOADS)
