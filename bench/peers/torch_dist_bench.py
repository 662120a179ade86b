"""PyTorch peer for the distributed workload mlp_train_step_dist: the MLP 784-512-512-10 train
step on a global batch of 256, once in one process and once per rank count with
DistributedDataParallel over gloo on this machine, so Duet's data-parallel figures have a
reference that pays the same process and all-reduce costs.

Usage: python torch_dist_bench.py [--ranks N ...]   (ranks 1 always; default --ranks 2)
"""
import argparse
import datetime
import json
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel

from peer_protocol import median_seconds

GLOBAL_BATCH = 256
STEPS = 20  # per timed repetition, so one repetition is long enough to time reliably


def global_batch():
    """Seeded, so every rank builds the same model and the same batch and takes its own slice."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 10))
    return model, torch.randn(GLOBAL_BATCH, 784), torch.randint(0, 10, (GLOBAL_BATCH,))


def samples_per_second(model, x, y):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def steps():
        for _ in range(STEPS):
            opt.zero_grad()
            F.cross_entropy(model(x), y).backward()
            opt.step()
    return GLOBAL_BATCH / (median_seconds(steps, repeats=7, warmup=2) / STEPS)


def line(ranks, strategy, value):
    return json.dumps({"workload": "mlp_train_step_dist", "mode": "eager", "ranks": ranks, "strategy": strategy,
                       "value": value, "unit": "samples/s", "framework": "pytorch"})


def single():
    torch.set_num_threads(2)
    print(line(1, "none", samples_per_second(*global_batch())), flush=True)


def rank_main(rank, world, port):
    """One thread per rank, as the ranks share the machine's two cores."""
    torch.set_num_threads(1)
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    dist.init_process_group("gloo", rank=rank, world_size=world, timeout=datetime.timedelta(seconds=60))
    try:
        model, x, y = global_batch()
        share = GLOBAL_BATCH // world
        x, y = x[rank * share:(rank + 1) * share], y[rank * share:(rank + 1) * share]
        ddp = DistributedDataParallel(model)
        dist.barrier()  # start every rank's timing together
        value = samples_per_second(ddp, x, y)
        if rank == 0:
            print(line(world, "allreduce", value), flush=True)
    finally:
        dist.destroy_process_group()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ranks", type=int, nargs="+", default=[2])
    args = parser.parse_args()
    for n in args.ranks:
        if n < 2 or GLOBAL_BATCH % n:
            parser.error(f"--ranks {n}: needs at least 2 ranks that divide the global batch of {GLOBAL_BATCH}")
    single()
    for n in args.ranks:
        mp.spawn(rank_main, args=(n, free_port()), nprocs=n)
